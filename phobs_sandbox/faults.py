"""Injected failures: which rule fires for which request, with seeded randomness.

This module only decides; the HTTP layer and the deliveries carry the effect out. Kinds fall in
three phases so each can be observed on its own:
- before processing (nothing is stored): latency, http_500/503/429, soap_fault, token_expiry,
  auth_timeout, ota_error;
- after processing (the request took effect, the reply is lost): malformed_reply, drop_connection;
- delivery of reservations (pull replies and pushes): duplicate_delivery, out_of_order_delivery.
"""
import random
import threading

BEFORE = ("latency", "http_500", "http_503", "http_429", "soap_fault", "token_expiry",
          "auth_timeout", "ota_error")
AFTER = ("malformed_reply", "drop_connection")
DELIVERY = ("duplicate_delivery", "out_of_order_delivery")
KINDS = BEFORE + AFTER + DELIVERY
#: Kinds that only make sense where the reply is a SOAP message.
SOAP_ONLY = ("soap_fault", "auth_timeout", "ota_error") + DELIVERY
FIELDS = ("kind", "probability", "count", "path", "operation", "hotel", "retry_after", "latency_ms",
          "code", "error_type")


def _number(spec, key, kind, minimum, maximum=None, default=None):
    value = spec.get(key)
    if value is None:
        return default
    if not isinstance(value, kind) or isinstance(value, bool) or value < minimum or (
            maximum is not None and value > maximum):
        raise ValueError("%s must be a number in [%s, %s]" % (key, minimum, maximum or "inf"))
    return value


def _rule(spec, rule_id):
    if not isinstance(spec, dict) or spec.get("kind") not in KINDS:
        raise ValueError("each rule needs a kind among: %s" % ", ".join(KINDS))
    unknown = set(spec) - set(FIELDS)
    if unknown:
        raise ValueError("unknown rule fields: %s" % ", ".join(sorted(unknown)))
    if spec["kind"] == "ota_error" and not spec.get("code"):
        raise ValueError("an ota_error rule needs a code, e.g. 448")
    return {
        "id": rule_id, "kind": spec["kind"],
        "probability": _number(spec, "probability", (int, float), 0, 1),
        "count": _number(spec, "count", int, 1),
        "path": spec.get("path"), "operation": spec.get("operation"),
        "hotel": None if spec.get("hotel") is None else str(spec["hotel"]),
        "retry_after": _number(spec, "retry_after", int, 0),
        "latency_ms": _number(spec, "latency_ms", int, 0, default=1000),
        "code": None if spec.get("code") is None else str(spec["code"]),
        "error_type": None if spec.get("error_type") is None else str(spec["error_type"]),
        "fired": 0,
    }


class Faults:
    def __init__(self, seed=None):
        self._rules = []
        self._next = 1
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def add(self, specs, seed=None):
        """Append validated rules (all or none); a seed makes their probabilities reproducible."""
        if not isinstance(specs, list) or not specs:
            raise ValueError("rules must be a non-empty list")
        with self._lock:
            rules = [_rule(spec, "F%d" % (self._next + n)) for n, spec in enumerate(specs)]
            self._next += len(rules)
            if seed is not None:
                self._rng.seed(seed)
            self._rules.extend(rules)
            return [dict(rule) for rule in rules]

    def clear(self):
        with self._lock:
            self._rules = []

    def rules(self):
        with self._lock:
            return [dict(rule) for rule in self._rules]

    def draw(self, kinds, path, operation=None, soap=True, first_only=True, hotel=None):
        """The rules of these kinds that fire now for this request (at most one if first_only).

        ``hotel``: the hotel the request comes from (None when unknown); a rule naming a hotel
        fires only for that hotel's requests, so one property can fail while the others do not.
        A rule is consumed only when it fires; an exhausted ``count`` retires it.
        """
        fired = []
        with self._lock:
            for rule in self._rules:
                if rule["kind"] not in kinds or (rule["kind"] in SOAP_ONLY and not soap):
                    continue
                if rule["path"] not in (None, path) or rule["operation"] not in (None, operation):
                    continue
                if rule["hotel"] not in (None, hotel):
                    continue
                if rule["count"] is not None and rule["fired"] >= rule["count"]:
                    continue
                if rule["probability"] is not None and self._rng.random() >= rule["probability"]:
                    continue
                rule["fired"] += 1
                fired.append(dict(rule))
                if first_only:
                    break
        return fired

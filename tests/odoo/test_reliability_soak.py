"""Fault-injected soak: OTA traffic under failures ends with every booking exactly once.

The sandbox books, modifies and cancels through its channels while failing a share of the
requests (5xx, 429, SOAP faults, expired tokens, duplicated and reordered deliveries). Odoo pulls
and receives pushes throughout. When the faults stop and the queues drain, the audit holds:
each sandbox reservation is one binding at its latest status, each acknowledged message is in
the database, nothing is pending.
"""
import json

from odoo.addons.phobs_channel_manager.phobs_api.errors import PhobsError

from harness.processes import ARTIFACTS
from phobs_case import PhobsCase

FAULTS = [
    {"kind": "http_500", "probability": 0.2},
    {"kind": "http_429", "probability": 0.12, "retry_after": 0},
    {"kind": "soap_fault", "probability": 0.06},
    {"kind": "token_expiry", "probability": 0.05},
    {"kind": "duplicate_delivery", "probability": 0.3},
    {"kind": "out_of_order_delivery", "probability": 0.3},
]
ROUNDS = 8
ACTIONS_PER_ROUND = 12


class TestReliabilitySoak(PhobsCase):
    room_types = {"SGL": 30, "DBL": 30}

    def setUp(self):
        super().setUp()
        self.backend.public_url = self.odoo_url
        self.backend.action_register_webhook()

    def test_soak_under_faults_loses_and_duplicates_nothing(self):
        counts = {"actions": 0, "pull_errors": 0, "pushes": 0}
        self.sandbox.call("POST", "/faults", json={"rules": FAULTS})
        try:
            for round_number in range(ROUNDS):
                result = self.sandbox.call("POST", "/simulate", json={
                    "count": ACTIONS_PER_ROUND, "seed": 1000 + round_number,
                    "hotel": self.hotel["code"], "mix": {"book": 3, "modify": 1, "cancel": 1}})
                counts["actions"] += ACTIONS_PER_ROUND - result["totals"]["skipped"]
                if round_number % 2:
                    counts["pushes"] += self.sandbox.call("POST", "/webhook/push-now")["attempted"]
                else:
                    try:
                        self.sync_service().pull()
                    except PhobsError:
                        counts["pull_errors"] += 1
            fired = sum(rule["fired"] for rule in self.sandbox.call("GET", "/faults")["rules"])
        finally:
            self.sandbox.call("DELETE", "/faults")
        for _drain in range(5):
            self.sync_service().pull()
            self.sandbox.call("POST", "/webhook/push-now")
            if not self.sandbox.messages(self.hotel["code"], "pending"):
                break
        self.sync_service().apply_pending()  # the last pushes (a server does it after commit)

        audit = self._audit()
        report = dict(counts, faults_injected=fired, **audit)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "reliability-soak.json").write_text(json.dumps(report, indent=2))
        print("soak: %s" % json.dumps(report, sort_keys=True))
        self.assertGreater(fired, 10)
        self.assertGreater(audit["bookings"], 20)
        self.assertEqual(audit["pending"], 0)
        self.assertEqual(audit["missing"], [])
        self.assertEqual(audit["duplicates"], 0)
        self.assertEqual(audit["wrong_status"], [])
        self.assertEqual(audit["acked_not_stored"], [])

    def _audit(self):
        bookings = self.sandbox.call("GET", "/bookings", params={"hotel": self.hotel["code"]})["bookings"]
        bindings = self.bindings()
        by_id = {}
        for binding in bindings:
            by_id.setdefault(binding.external_id, []).append(binding)
        stored = set(self.env["phobs.message"].search([
            ("backend_id", "=", self.backend.id),
            ("state", "in", ("processed", "ignored"))]).mapped("message_id"))
        acked = [m["id"] for m in self.sandbox.messages(self.hotel["code"], "acked")]
        return {
            "bookings": len(bookings),
            "messages_acked": len(acked),
            "pending": len(self.sandbox.messages(self.hotel["code"], "pending")),
            "missing": [b["id"] for b in bookings if b["id"] not in by_id],
            "duplicates": sum(len(found) - 1 for found in by_id.values()),
            "wrong_status": [b["id"] for b in bookings
                             if b["id"] in by_id and by_id[b["id"]][0].status != b["status"]],
            "acked_not_stored": [m for m in acked if m not in stored],
        }

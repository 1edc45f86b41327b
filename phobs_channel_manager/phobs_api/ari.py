"""Availability, rates and restrictions (ARI) as per-day values, their deltas and their runs.

The outbound flow is the same for the three kinds: compute a value per (room type, rate plan,
day), keep the days whose value differs from what Phobs last accepted, collapse equal
consecutive days into runs, send, remember what was accepted. This module is that flow's pure
part. A value is canonical text (``phobs.ari.state`` stores it), so equal values compare equal
as strings:

- availability: the BookingLimit, ``"3"``;
- rates: amount and currency, ``"120.00 EUR"`` (a new currency is a change too);
- restrictions: all five of them, ``"min=2 max=0 cta=1 ctd=0 stop=0"``. Every run carries the
  full set, so what Phobs holds never depends on the order or the history of our messages.

Keys are ``(room_type_code, rate_plan_code, day)``; availability has no rate plan (``""``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping

from .dates import days_between
from .ranges import collapse
from .records import AvailabilityRun, RateRun, RestrictionRun

AVAILABILITY = "availability"
RESTRICTIONS = "restrictions"
RATES = "rates"
#: The order a flush sends them in: availability last, it is the absolute truth Phobs keeps.
KINDS = (RESTRICTIONS, RATES, AVAILABILITY)

Key = tuple  # (room_type_code, rate_plan_code, day)


@dataclass(frozen=True)
class Restriction:
    """The restrictions of one room type, rate plan and day; the defaults restrict nothing.

    ``max_los`` 0 means no maximum; ``min_los`` 1 no minimum.
    """

    min_los: int = 1
    max_los: int = 0
    closed_to_arrival: bool = False
    closed_to_departure: bool = False
    stop_sell: bool = False

    def __post_init__(self):
        if self.min_los < 1 or self.max_los < 0:
            raise ValueError("min_los must be at least 1 and max_los at least 0 (no maximum)")
        if self.max_los and self.max_los < self.min_los:
            raise ValueError(f"max_los {self.max_los} is below min_los {self.min_los}")

    def encode(self) -> str:
        return "min=%d max=%d cta=%d ctd=%d stop=%d" % (
            self.min_los, self.max_los, self.closed_to_arrival, self.closed_to_departure,
            self.stop_sell)

    @classmethod
    def decode(cls, text: str) -> Restriction:
        parts = dict(item.split("=", 1) for item in text.split())
        return cls(min_los=int(parts["min"]), max_los=int(parts["max"]),
                   closed_to_arrival=parts["cta"] == "1", closed_to_departure=parts["ctd"] == "1",
                   stop_sell=parts["stop"] == "1")

    def describe(self) -> str:
        """Words for staff: "min 2, closed to arrival"; "open" when nothing is restricted."""
        words = []
        if self.stop_sell:
            words.append("stop-sell")
        if self.min_los > 1:
            words.append("min %d" % self.min_los)
        if self.max_los:
            words.append("max %d" % self.max_los)
        if self.closed_to_arrival:
            words.append("closed to arrival")
        if self.closed_to_departure:
            words.append("closed to departure")
        return ", ".join(words) or "open"


OPEN = Restriction()
#: Fields a bulk edit may change, with their neutral value.
RESTRICTION_FIELDS = ("min_los", "max_los", "closed_to_arrival", "closed_to_departure",
                      "stop_sell")


def encode_availability(rooms: int) -> str:
    """Never negative: an overbooked day is simply closed (0)."""
    return str(max(0, int(rooms)))


def encode_rate(amount: Decimal, currency: str) -> str:
    if not isinstance(amount, Decimal) or amount < 0:
        raise ValueError(f"a rate is a non-negative Decimal, got {amount!r}")
    if not currency:
        raise ValueError("a rate needs a currency")
    return "%s %s" % (format(amount, "f"), currency)


def decode_rate(text: str) -> tuple[Decimal, str]:
    amount, currency = text.split(" ", 1)
    return Decimal(amount), currency


def round_money(amount: Decimal, places: int = 2) -> Decimal:
    return Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def apply_markup(amount: Decimal, percent: float | Decimal | None, places: int = 2) -> Decimal:
    """``amount`` raised by ``percent`` (a channel's rate markup), rounded half-up to the
    currency's decimals. No markup still rounds, so equal prices encode equally."""
    factor = 1 + Decimal(str(percent or 0)) / 100
    return round_money(Decimal(amount) * factor, places)


def matching_days(first: date, last: date, weekdays: Iterable[int] | None = None) -> list[date]:
    """The days of ``first..last`` whose ``weekday()`` (Monday 0) is among ``weekdays``
    (all days if ``weekdays`` is None)."""
    wanted = None if weekdays is None else set(weekdays)
    return [day for day in days_between(first, last) if wanted is None or day.weekday() in wanted]


def overlay(per_day: Mapping[date, Restriction], days: Iterable[date],
            changes: Mapping[str, object]) -> dict[date, Restriction]:
    """``per_day`` with ``changes`` applied on ``days`` (days missing from ``per_day`` start
    open); the other fields of a changed day keep their value."""
    unknown = set(changes) - set(RESTRICTION_FIELDS)
    if unknown:
        raise ValueError("unknown restriction field(s): %s" % ", ".join(sorted(unknown)))
    result = dict(per_day)
    for day in days:
        result[day] = replace(result.get(day, OPEN), **changes)
    return result


def diff(computed: Mapping[Key, str | None], accepted: Mapping[Key, str],
         forced: Iterable[Key] = ()) -> dict[Key, str]:
    """The values to send: those that differ from what was accepted, and every forced key.

    A key computed as ``None`` (nothing to say, e.g. a day without a price) is never sent.
    """
    forced = set(forced)
    return {key: value for key, value in computed.items()
            if value is not None and (key in forced or accepted.get(key) != value)}


def runs(kind: str, changes: Mapping[Key, str]) -> list:
    """The fewest non-overlapping runs carrying ``changes``, by room type, rate plan and start."""
    by_pair: dict[tuple[str, str], dict[date, str]] = {}
    for (code, plan, day), value in changes.items():
        by_pair.setdefault((code, plan or ""), {})[day] = value
    result = []
    for (code, plan) in sorted(by_pair):
        for run in collapse(by_pair[(code, plan)]):
            result.append(_record(kind, code, plan, run.start, run.end, run.value))
    return result


def _record(kind, code, plan, start, end, value):
    if kind == AVAILABILITY:
        return AvailabilityRun(code, start, end, int(value))
    if kind == RATES:
        amount, currency = decode_rate(value)
        return RateRun(code, plan, start, end, amount, currency)
    if kind == RESTRICTIONS:
        restriction = Restriction.decode(value)
        return RestrictionRun(code, plan or None, start, end, min_los=restriction.min_los,
                              max_los=restriction.max_los,
                              closed_to_arrival=restriction.closed_to_arrival,
                              closed_to_departure=restriction.closed_to_departure,
                              stop_sell=restriction.stop_sell)
    raise ValueError(f"unknown ARI kind {kind!r}")


def run_pair(run) -> tuple[str, str]:
    return run.room_type_code, getattr(run, "rate_plan_code", None) or ""


def run_value(run) -> str:
    """The canonical value a run carries on each of its days (inverse of :func:`runs`)."""
    if isinstance(run, AvailabilityRun):
        return encode_availability(run.booking_limit)
    if isinstance(run, RateRun):
        return encode_rate(run.amount, run.currency)
    if isinstance(run, RestrictionRun):
        return Restriction(
            min_los=run.min_los or 1, max_los=run.max_los or 0,
            closed_to_arrival=bool(run.closed_to_arrival),
            closed_to_departure=bool(run.closed_to_departure),
            stop_sell=bool(run.stop_sell)).encode()
    raise TypeError(f"not an ARI run: {run!r}")


def run_values(runs_: Iterable) -> dict[Key, str]:
    """``{(code, plan, day): value}`` for every day of the runs."""
    values = {}
    for run in runs_:
        code, plan = run_pair(run)
        value = run_value(run)
        for day in days_between(run.start, run.end):
            values[(code, plan, day)] = value
    return values


@dataclass(frozen=True)
class Drift:
    """Consecutive days of one room type and rate plan where the reference (what Phobs holds,
    or what it last accepted) and Odoo's computation disagree the same way."""

    kind: str
    room_type_code: str
    rate_plan_code: str
    start: date
    end: date
    reference: str | None
    computed: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def drift(kind: str, computed: Mapping[Key, str | None],
          reference: Mapping[Key, str]) -> list[Drift]:
    """Where ``reference`` differs from ``computed`` (days computed as ``None`` are skipped),
    collapsed into ranges of equal disagreement."""
    by_pair: dict[tuple[str, str], dict[date, tuple]] = {}
    for (code, plan, day), value in computed.items():
        if value is None or reference.get((code, plan, day)) == value:
            continue
        by_pair.setdefault((code, plan or ""), {})[day] = (reference.get((code, plan, day)), value)
    return [Drift(kind, code, plan, run.start, run.end, run.value[0], run.value[1])
            for (code, plan) in sorted(by_pair) for run in collapse(by_pair[(code, plan)])]


def naive_count(values: Mapping[Key, object]) -> int:
    """How many per-day items (and so naive one-day requests) ``values`` would take."""
    return sum(1 for value in values.values() if value is not None)

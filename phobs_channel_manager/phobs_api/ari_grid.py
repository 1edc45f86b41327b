"""The pure part of the rates & availability grid: windows, edits and the "did Phobs take it"
state of a cell.

The grid shows what Odoo would send for each room type, rate plan and day next to what Phobs
last accepted; the Odoo model only gathers the values and writes through the price and
restriction models. What can be decided without a database is decided here, so it is tested
without one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Iterable, Mapping, Sequence

from .ari import RESTRICTION_FIELDS, Restriction
from .dates import ONE_DAY, clip, days_between
from .ranges import Run, collapse

#: The window sizes staff can choose: two weeks, a month, two months.
WINDOW_SIZES = (14, 31, 62)

SENT = "sent"
PENDING = "pending"
FAILED = "failed"
_SEVERITY = {None: 0, SENT: 1, PENDING: 2, FAILED: 3}

_BOOLEAN_FIELDS = ("closed_to_arrival", "closed_to_departure", "stop_sell")
#: A price with more than this many digits before the point is a typing mistake, not a rate.
_MAX_PRICE = Decimal("1000000")


def window_days(first: date, size: int) -> list[date]:
    """The ``size`` days from ``first``; only the sizes of :data:`WINDOW_SIZES` are offered,
    so a crafted request cannot ask the server for years of per-day values."""
    if size not in WINDOW_SIZES:
        raise ValueError("a window has %s days, not %r" % (
            " or ".join(str(s) for s in WINDOW_SIZES), size))
    return [first + ONE_DAY * offset for offset in range(size)]


@dataclass(frozen=True)
class Edit:
    """What one grid edit changes: a new base price (``None``: keep) and restriction fields."""

    price: Decimal | None
    restrictions: dict

    def __bool__(self):
        return self.price is not None or bool(self.restrictions)


def parse_edit(changes: Mapping[str, object]) -> Edit:
    """Checks the ``changes`` a browser sent (``price`` and restriction fields; a missing key
    keeps the value) and returns them typed; a clear :class:`ValueError` otherwise."""
    unknown = set(changes) - set(RESTRICTION_FIELDS) - {"price"}
    if unknown:
        raise ValueError("unknown field(s): %s" % ", ".join(sorted(unknown)))
    price = None
    if changes.get("price") is not None:
        try:
            price = Decimal(str(changes["price"]).strip().replace(",", "."))
        except InvalidOperation as err:
            raise ValueError("the price %r is not a number" % changes["price"]) from err
        if not price.is_finite() or price < 0 or price >= _MAX_PRICE:
            raise ValueError("a price is a number from 0 to %s" % _MAX_PRICE)
    restrictions = {}
    for name in ("min_los", "max_los"):
        if name in changes and changes[name] is not None:
            value = changes[name]
            if isinstance(value, bool) or not str(value).strip().isdigit():
                raise ValueError("%s must be a whole number of nights" % _LABELS[name])
            restrictions[name] = int(str(value).strip())
    if restrictions.get("min_los") == 0:
        raise ValueError("the minimum stay is at least one night")
    for name in _BOOLEAN_FIELDS:
        if name in changes and changes[name] is not None:
            if not isinstance(changes[name], bool):
                raise ValueError("%s is true or false" % _LABELS[name])
            restrictions[name] = changes[name]
    if "min_los" in restrictions and "max_los" in restrictions:
        # Both given: they must agree with each other whatever the day held before.
        Restriction(min_los=restrictions["min_los"], max_los=restrictions["max_los"])
    return Edit(price, restrictions)


_LABELS = {"min_los": "the minimum stay", "max_los": "the maximum stay",
           "closed_to_arrival": "closed to arrival", "closed_to_departure": "closed to departure",
           "stop_sell": "stop-sell"}


@dataclass(frozen=True)
class PriceEntry:
    """A stored price range (``phobs.rate.price``); a later ``id`` wins where ranges overlap."""

    id: int
    start: date
    end: date
    amount: Decimal


def rewrite_prices(entries: Sequence[PriceEntry], days: Iterable[date],
                   amount: Decimal) -> tuple[list[int], list[Run]]:
    """How to give ``days`` the price ``amount`` and leave every other day's price as it was.

    Returns the ids of the entries to delete (those overlapping or touching the edited span,
    so that equal neighbours merge and repeated edits do not pile up entries) and the runs to
    create in their place. The new runs cover the deleted entries' days with the prices
    those days had (whichever entry won there) plus the edited days, collapsed. Being the newest
    entries, they win over any older entry they overlap, and they hold exactly the prices that
    older entries gave, so only ``days`` change.
    """
    days = sorted(set(days))
    if not days:
        return [], []
    first, last = days[0], days[-1]
    ordered = sorted(entries, key=lambda entry: entry.id)
    replaced = [entry for entry in ordered
                if entry.start <= last + ONE_DAY and first - ONE_DAY <= entry.end]
    span = set(days)
    for entry in replaced:
        span.update(days_between(entry.start, entry.end))
    per_day = {}
    for entry in ordered:
        for day in days_between(*clip(entry.start, entry.end, min(span), max(span))):
            if day in span:
                per_day[day] = entry.amount
    for day in days:
        per_day[day] = amount
    return [entry.id for entry in replaced], collapse(per_day)


@dataclass(frozen=True)
class OutboxRow:
    """A pending or dead outbox row, as far as the grid cares. An empty ``rate_plan_code`` on
    rates or restrictions stands for every plan selling the room type."""

    kind: str
    room_type_code: str
    rate_plan_code: str
    start: date
    end: date
    failed: bool


def outbox_index(rows: Iterable[OutboxRow], first: date, last: date) -> dict:
    """``{(kind, code, plan, day): FAILED or PENDING}`` within ``first..last``; a failure
    outweighs a pending row for the same day."""
    index = {}
    for row in rows:
        state = FAILED if row.failed else PENDING
        for day in days_between(*clip(row.start, row.end, first, last)):
            key = (row.kind, row.room_type_code, row.rate_plan_code or "", day)
            index[key] = worst([index.get(key), state])
    return index


def trouble_at(index: Mapping, kind: str, code: str, plan: str, day: date) -> str | None:
    """The outbox state of one (kind, room type, rate plan, day), counting rows for every plan."""
    return worst([index.get((kind, code, plan, day)), index.get((kind, code, "", day))])


def cell_state(computed: str | None, accepted: str | None, trouble: str | None) -> str | None:
    """Whether Phobs holds a value: ``None`` when nothing is sent (no price that day, a plan
    that does not send), SENT when Phobs accepted exactly what Odoo computes now, FAILED when
    an outbox row covering the day is failing, PENDING otherwise (queued or not yet sent)."""
    if computed is None:
        return None
    if computed == accepted:
        return SENT
    return FAILED if trouble == FAILED else PENDING


def worst(states: Iterable[str | None]) -> str | None:
    """The state that needs attention first: failed, then pending, then sent."""
    result = None
    for state in states:
        if _SEVERITY[state] > _SEVERITY[result]:
            result = state
    return result

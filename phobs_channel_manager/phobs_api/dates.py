"""Hotel days: the one place that walks dates.

A stay runs from its arrival to its departure; the nights it holds are arrival .. departure - 1,
and every range of days this addon stores or sends (outbox rows, restrictions, prices, OTA
``Start``/``End``) includes both of its ends.
"""
from datetime import date, timedelta
from typing import Iterator

ONE_DAY = timedelta(days=1)


def days_between(first: date, last: date) -> Iterator[date]:
    """Every day from ``first`` to ``last``, both included (nothing when ``last < first``)."""
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def last_night(departure: date) -> date:
    """The last night a stay holds: the day before its departure."""
    return departure - ONE_DAY


def clip(first: date, last: date, lower: date, upper: date) -> tuple[date, date]:
    """``first..last`` cut to ``lower..upper`` (inclusive ranges); empty when the result has
    ``last < first``, which :func:`days_between` walks as no day at all."""
    return max(first, lower), min(last, upper)

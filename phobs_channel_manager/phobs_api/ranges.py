"""Compress per-day values into ``Start``/``End`` runs and split work into messages.

Phobs is sent deltas: consecutive days with the same value become one inclusive range, and
ranges never overlap, so the order in which Phobs applies them cannot matter.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Generic, Iterable, Iterator, Mapping, TypeVar

from .dates import ONE_DAY

V = TypeVar("V")
T = TypeVar("T")


@dataclass(frozen=True)
class Run(Generic[V]):
    """``value`` holds on every day from ``start`` to ``end``, both inclusive."""

    start: date
    end: date
    value: V


def collapse(per_day: Mapping[date, V]) -> list[Run[V]]:
    """The fewest non-overlapping runs of consecutive days with equal values, by start date."""
    runs: list[Run[V]] = []
    for day in sorted(per_day):
        value = per_day[day]
        last = runs[-1] if runs else None
        if last is not None and last.end + ONE_DAY == day and last.value == value:
            runs[-1] = Run(last.start, day, value)
        else:
            runs.append(Run(day, day, value))
    return runs


def batches(
    items: Iterable[T],
    max_items: int,
    max_bytes: int | None = None,
    size_of: Callable[[T], int] = len,
) -> Iterator[list[T]]:
    """Consecutive groups of at most ``max_items`` items and, if given, ``max_bytes`` in total.

    Order is kept. An item bigger than ``max_bytes`` on its own still travels, alone: it
    cannot be split, and refusing it here would hide it from the peer's error report.
    """
    if max_items < 1:
        raise ValueError("max_items must be at least 1")
    batch: list[T] = []
    used = 0
    for item in items:
        size = size_of(item) if max_bytes is not None else 0
        over_bytes = max_bytes is not None and used + size > max_bytes
        if batch and (len(batch) == max_items or over_bytes):
            yield batch
            batch, used = [], 0
        batch.append(item)
        used += size
    if batch:
        yield batch

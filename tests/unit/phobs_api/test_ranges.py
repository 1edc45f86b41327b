import random
from datetime import date, timedelta

import pytest

from phobs_channel_manager.phobs_api.ranges import Run, batches, collapse

D = date(2024, 6, 1)


def days(*values, start=D):
    return {start + timedelta(days=i): v for i, v in enumerate(values) if v is not None}


@pytest.mark.parametrize(
    "per_day, runs",
    [
        ({}, []),
        (days(3), [(0, 0, 3)]),
        (days(3, 3, 3), [(0, 2, 3)]),
        (days(3, 3, 2, 2, 3), [(0, 1, 3), (2, 3, 2), (4, 4, 3)]),
        (days(1, None, 1), [(0, 0, 1), (2, 2, 1)]),
        (days(1, 2, 1), [(0, 0, 1), (1, 1, 2), (2, 2, 1)]),
        (days(True, True, False), [(0, 1, True), (2, 2, False)]),
    ],
)
def test_collapse_table(per_day, runs):
    expected = [Run(D + timedelta(a), D + timedelta(b), v) for a, b, v in runs]
    assert collapse(per_day) == expected


def test_collapse_ignores_insertion_order_and_crosses_month_ends():
    per_day = {date(2024, 3, 1): "x", date(2024, 2, 28): "x", date(2024, 2, 29): "x"}
    assert collapse(per_day) == [Run(date(2024, 2, 28), date(2024, 3, 1), "x")]


def expand(runs):
    out = {}
    for run in runs:
        day = run.start
        while day <= run.end:
            assert day not in out, "runs overlap"
            out[day] = run.value
            day += timedelta(days=1)
    return out


@pytest.mark.parametrize("seed", range(25))
def test_collapse_properties(seed):
    rng = random.Random(seed)
    per_day = {D + timedelta(days=i): rng.choice("aab")
               for i in range(rng.randint(0, 60)) if rng.random() > 0.1}
    runs = collapse(per_day)
    assert expand(runs) == per_day
    assert all(r.start <= r.end for r in runs)
    assert [r.start for r in runs] == sorted(r.start for r in runs)
    for left, right in zip(runs, runs[1:]):
        assert left.end < right.start
        assert left.value != right.value or left.end + timedelta(days=1) != right.start


@pytest.mark.parametrize(
    "items, max_items, max_bytes, expected",
    [
        ([], 3, None, []),
        ([1, 2, 3, 4, 5], 2, None, [[1, 2], [3, 4], [5]]),
        ([1, 2, 3], 3, None, [[1, 2, 3]]),
        (["aa", "bb", "cc"], 10, 4, [["aa", "bb"], ["cc"]]),
        (["aaaaa", "b", "c"], 10, 4, [["aaaaa"], ["b", "c"]]),
        (["a", "bb", "c"], 2, 3, [["a", "bb"], ["c"]]),
    ],
)
def test_batches_table(items, max_items, max_bytes, expected):
    assert list(batches(items, max_items, max_bytes)) == expected


@pytest.mark.parametrize("seed", range(25))
def test_batches_properties(seed):
    rng = random.Random(seed)
    items = ["x" * rng.randint(1, 9) for _ in range(rng.randint(0, 80))]
    max_items, max_bytes = rng.randint(1, 10), rng.randint(9, 40)
    out = list(batches(iter(items), max_items, max_bytes, size_of=len))
    assert [i for b in out for i in b] == items
    assert all(0 < len(b) <= max_items and sum(map(len, b)) <= max_bytes for b in out)


def test_batches_rejects_an_empty_budget():
    with pytest.raises(ValueError):
        list(batches([1], 0))

"""The pure part of the rates & availability grid: windows, edit checks, price rewrites and the
"has Phobs accepted it" state of a cell."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from phobs_channel_manager.phobs_api import ari_grid
from phobs_channel_manager.phobs_api.dates import days_between
from phobs_channel_manager.phobs_api.ari_grid import FAILED, PENDING, SENT, OutboxRow, PriceEntry

D = date(2027, 12, 20)


def day(n):
    return D + timedelta(days=n)


def effective(entries, first, last):
    """Per-day prices as the rate plan reads them: the newest entry covering a day wins."""
    prices = {}
    for entry in sorted(entries, key=lambda e: e.id):
        current = entry.start
        while current <= entry.end:
            if first <= current <= last:
                prices[current] = entry.amount
            current += timedelta(days=1)
    return prices


def apply_rewrite(entries, days, amount):
    obsolete, runs = ari_grid.rewrite_prices(entries, days, amount)
    next_id = max([e.id for e in entries] or [0]) + 1
    kept = [e for e in entries if e.id not in obsolete]
    created = [PriceEntry(next_id + n, run.start, run.end, run.value) for n, run in enumerate(runs)]
    return kept + created, obsolete, runs


@pytest.mark.parametrize("size", [14, 31, 62])
def test_a_window_is_a_run_of_consecutive_days(size):
    days = ari_grid.window_days(D, size)
    assert len(days) == size and days[0] == D and days[-1] == day(size - 1)


@pytest.mark.parametrize("size", [0, 7, 365, 10000])
def test_other_window_sizes_are_refused(size):
    with pytest.raises(ValueError, match="14 or 31 or 62"):
        ari_grid.window_days(D, size)


def test_an_edit_is_typed_and_keeps_what_is_missing():
    edit = ari_grid.parse_edit({"price": "119,5", "min_los": "2", "stop_sell": True})
    assert edit.price == Decimal("119.5")
    assert edit.restrictions == {"min_los": 2, "stop_sell": True}
    assert ari_grid.parse_edit({"max_los": 0}).restrictions == {"max_los": 0}
    assert not ari_grid.parse_edit({})


@pytest.mark.parametrize("changes, message", [
    ({"price": "abc"}, "not a number"),
    ({"price": "-1"}, "from 0"),
    ({"price": "1e9"}, "from 0"),
    ({"price": "NaN"}, "from 0"),
    ({"min_los": "0"}, "at least one night"),
    ({"min_los": "2.5"}, "whole number"),
    ({"max_los": True}, "whole number"),
    ({"min_los": 5, "max_los": 3}, "below min_los"),
    ({"stop_sell": "yes"}, "true or false"),
    ({"amount": 10}, "unknown field"),
])
def test_bad_edits_are_refused_with_a_reason(changes, message):
    with pytest.raises(ValueError, match=message):
        ari_grid.parse_edit(changes)


def test_a_price_on_one_day_of_a_season_changes_that_day_only():
    season = PriceEntry(1, day(0), day(30), Decimal("100"))
    entries, obsolete, runs = apply_rewrite([season], [day(4)], Decimal("150"))
    assert obsolete == [1]
    assert [(r.start, r.end, r.value) for r in runs] == [
        (day(0), day(3), Decimal("100")), (day(4), day(4), Decimal("150")),
        (day(5), day(30), Decimal("100"))]
    expected = {d: Decimal("100") for d in days_between(day(0), day(30))}
    expected[day(4)] = Decimal("150")
    assert effective(entries, day(-5), day(40)) == expected


def test_a_newer_special_day_keeps_winning_after_the_season_is_rewritten():
    """The season's new entries are newer than the special day: they carry its price."""
    entries = [PriceEntry(1, day(0), day(30), Decimal("100")),
               PriceEntry(2, day(10), day(11), Decimal("180"))]
    before = effective(entries, day(0), day(30))
    entries, obsolete, _runs = apply_rewrite(entries, [day(2)], Decimal("90"))
    after = effective(entries, day(0), day(30))
    assert obsolete == [1]
    assert after[day(10)] == after[day(11)] == Decimal("180")
    assert {d: v for d, v in after.items() if before[d] != v} == {day(2): Decimal("90")}


def test_weekend_prices_set_on_days_without_any_price():
    weekend = [d for d in days_between(day(0), day(13)) if d.weekday() >= 5]
    entries, obsolete, runs = apply_rewrite([], weekend, Decimal("130"))
    assert obsolete == []
    assert effective(entries, day(0), day(13)) == {d: Decimal("130") for d in weekend}
    assert all(run.start.weekday() == 5 and run.end.weekday() == 6 for run in runs)


def test_a_price_equal_to_its_neighbours_merges_into_one_entry():
    entries = [PriceEntry(1, day(0), day(4), Decimal("100")),
               PriceEntry(2, day(5), day(5), Decimal("120")),
               PriceEntry(3, day(6), day(9), Decimal("100"))]
    _entries, obsolete, runs = apply_rewrite(entries, [day(5)], Decimal("100"))
    assert sorted(obsolete) == [1, 2, 3]
    assert [(r.start, r.end, r.value) for r in runs] == [(day(0), day(9), Decimal("100"))]


def test_the_state_of_a_cell_says_whether_phobs_holds_what_odoo_computes():
    assert ari_grid.cell_state(None, "100.00 EUR", None) is None
    assert ari_grid.cell_state("100.00 EUR", "100.00 EUR", FAILED) == SENT
    assert ari_grid.cell_state("120.00 EUR", "100.00 EUR", None) == PENDING
    assert ari_grid.cell_state("120.00 EUR", None, PENDING) == PENDING
    assert ari_grid.cell_state("120.00 EUR", "100.00 EUR", FAILED) == FAILED


def test_outbox_rows_mark_their_days_and_rows_for_every_plan_count_for_each():
    rows = [OutboxRow("rates", "DBL", "BAR", day(0), day(3), failed=False),
            OutboxRow("rates", "DBL", "BAR", day(2), day(2), failed=True),
            OutboxRow("restrictions", "DBL", "", day(-10), day(40), failed=False)]
    index = ari_grid.outbox_index(rows, day(0), day(13))
    assert index[("rates", "DBL", "BAR", day(1))] == PENDING
    assert index[("rates", "DBL", "BAR", day(2))] == FAILED
    assert ("rates", "DBL", "BAR", day(4)) not in index
    assert ("restrictions", "DBL", "", day(-1)) not in index   # clipped to the window
    assert ari_grid.trouble_at(index, "restrictions", "DBL", "NRF", day(13)) == PENDING
    assert ari_grid.trouble_at(index, "rates", "DBL", "NRF", day(2)) is None
    assert ari_grid.worst([None, SENT, PENDING]) == PENDING
    assert ari_grid.worst([]) is None

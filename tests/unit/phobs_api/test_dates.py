"""The one place that walks hotel days: inclusive ranges, the last night of a stay, clipping."""
from datetime import date

import pytest

from phobs_channel_manager.phobs_api.dates import clip, days_between, last_night

D = date(2026, 2, 27)


@pytest.mark.parametrize("first, last, expected", [
    (D, D, [D]),
    (D, date(2026, 3, 1), [D, date(2026, 2, 28), date(2026, 3, 1)]),  # across a month end
    (date(2026, 3, 1), D, []),  # a reversed range holds no day
])
def test_days_between_includes_both_ends(first, last, expected):
    assert list(days_between(first, last)) == expected


def test_last_night_is_the_day_before_departure():
    assert last_night(date(2026, 3, 1)) == date(2026, 2, 28)
    assert last_night(date(2028, 3, 1)) == date(2028, 2, 29)  # leap year


@pytest.mark.parametrize("span, window, expected_days", [
    ((date(2026, 2, 20), date(2026, 3, 10)), (D, date(2026, 3, 1)), 3),  # cut on both sides
    ((date(2026, 2, 28), date(2026, 2, 28)), (D, date(2026, 3, 1)), 1),  # inside: unchanged
    ((date(2026, 1, 1), date(2026, 1, 5)), (D, date(2026, 3, 1)), 0),  # before: empty
])
def test_clip_cuts_a_range_to_a_window(span, window, expected_days):
    start, end = clip(*span, *window)
    assert len(list(days_between(start, end))) == expected_days
    if expected_days:
        assert window[0] <= start <= end <= window[1]

"""Stored channel bookings not yet applied take their rooms, by the difference from what the
front desk already holds for them."""
from datetime import date

from hotel_frontdesk_bridge.pending_bookings import nights_taken, pending_rooms

D = lambda day: date(2026, 12, day)  # noqa: E731


def test_a_new_booking_takes_each_night_of_each_stay():
    pending = pending_rooms([([["DBL", "2026-12-03", "2026-12-05", 2],
                               ["SGL", "2026-12-04", "2026-12-05", 1]], None)])
    assert pending == {("DBL", D(3)): 2, ("DBL", D(4)): 2, ("SGL", D(4)): 1}


def test_a_modification_counts_only_what_it_adds_to_the_applied_version():
    applied = [["DBL", "2026-12-03", "2026-12-05", 1]]
    stored = [["DBL", "2026-12-04", "2026-12-07", 2]]
    # Night 3 is given back only once applied (nothing freed early); night 4 takes one more.
    assert pending_rooms([(stored, applied)]) == {
        ("DBL", D(4)): 1, ("DBL", D(5)): 2, ("DBL", D(6)): 2}


def test_the_same_version_or_a_cancellation_takes_nothing_more():
    applied = [["DBL", "2026-12-03", "2026-12-05", 1]]
    assert pending_rooms([(applied, applied), (None, applied), ([], None)]) == {}


def test_a_change_of_room_type_takes_the_new_type_and_keeps_the_old():
    applied = [["DBL", "2026-12-03", "2026-12-05", 1]]
    stored = [["STE", "2026-12-03", "2026-12-05", 1]]
    assert pending_rooms([(stored, applied)]) == {("STE", D(3)): 1, ("STE", D(4)): 1}


def test_bookings_add_up_and_dates_may_be_dates():
    assert nights_taken([("DBL", D(3), D(4), 1), ("DBL", D(3), D(5), 1)]) == {
        ("DBL", D(3)): 2, ("DBL", D(4)): 1}
    assert pending_rooms([([["DBL", "2026-12-03", "2026-12-04", 1]], None)] * 2) == {
        ("DBL", D(3)): 2}

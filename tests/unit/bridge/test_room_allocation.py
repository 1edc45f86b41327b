from datetime import date

import pytest

from hotel_frontdesk_bridge.room_allocation import PlacedStay, allocate, free_rooms, overlaps

D = lambda day: date(2026, 12, day)  # noqa: E731


@pytest.mark.parametrize("a, b, expected", [
    ((1, 3), (3, 5), False),   # departure day is the next arrival day
    ((1, 3), (2, 4), True),
    ((1, 5), (2, 3), True),
    ((4, 5), (1, 3), False),
])
def test_overlaps_is_half_open(a, b, expected):
    assert overlaps(D(a[0]), D(a[1]), D(b[0]), D(b[1])) is expected


def test_free_rooms_keeps_room_order():
    placed = [PlacedStay("a", 101, D(1), D(3))]
    assert free_rooms([101, 102, 103], placed, D(2), D(4)) == [102, 103]


def test_free_room_is_taken_without_moves():
    placed = [PlacedStay("a", 101, D(1), D(3))]
    allocation = allocate([101, 102], placed, D(2), D(4))
    assert allocation.rooms == [102] and allocation.moves == []


def test_a_movable_guest_is_moved_to_make_room():
    # 101: Dec 1-3, 102: Dec 3-5. A Dec 1-5 stay fits only if one of them moves.
    placed = [PlacedStay("a", 101, D(1), D(3)), PlacedStay("b", 102, D(3), D(5))]
    allocation = allocate([101, 102], placed, D(1), D(5))
    assert allocation.rooms == [101]
    assert allocation.moves == [("a", 101, 102)]


def test_checked_in_guests_are_never_moved():
    placed = [PlacedStay("a", 101, D(1), D(3), movable=False), PlacedStay("b", 102, D(3), D(5), movable=False)]
    assert allocate([101, 102], placed, D(1), D(5)) is None


def test_no_room_of_the_type_means_no_allocation():
    placed = [PlacedStay("a", 101, D(1), D(5)), PlacedStay("b", 102, D(1), D(5))]
    assert allocate([101, 102], placed, D(2), D(3)) is None
    assert allocate([], [], D(2), D(3)) is None


def test_moves_are_refused_when_disallowed():
    placed = [PlacedStay("a", 101, D(1), D(3)), PlacedStay("b", 102, D(3), D(5))]
    assert allocate([101, 102], placed, D(1), D(5), allow_moves=False) is None


def test_several_units_get_distinct_rooms():
    allocation = allocate([101, 102, 103], [PlacedStay("a", 102, D(1), D(9))], D(2), D(4), units=2)
    assert allocation.rooms == [101, 103]


def test_a_move_never_lands_on_a_room_it_overlaps():
    placed = [PlacedStay("a", 101, D(1), D(3)), PlacedStay("b", 102, D(3), D(6)),
              PlacedStay("c", 103, D(1), D(4))]
    allocation = allocate([101, 102, 103], placed, D(2), D(5))
    assert allocation is not None and allocation.moves
    final = {key: room for key, _from, room in allocation.moves}
    stays = [(final.get(s.key, s.room), s.arrival, s.departure) for s in placed]
    stays += [(room, D(2), D(5)) for room in allocation.rooms]
    for i, (room_a, a1, a2) in enumerate(stays):
        for room_b, b1, b2 in stays[i + 1:]:
            assert not (room_a == room_b and overlaps(a1, a2, b1, b2))

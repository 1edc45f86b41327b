import random
from datetime import date, timedelta

from hotel_frontdesk_bridge.night_counts import free_per_night
from hotel_frontdesk_bridge.room_allocation import PlacedStay

D = lambda day: date(2026, 12, 1) + timedelta(days=day)  # noqa: E731


def naive(room_count, placed, waiting, first, last):
    """The definition, night by night over every stay (what the bridge computed before)."""
    free, day = {}, first
    while day <= last:
        busy = {stay.room for stay in placed if stay.arrival <= day < stay.departure}
        short = sum(units for start, end, units in waiting if start <= day < end)
        free[day] = room_count - len(busy) - short
        day += timedelta(days=1)
    return free


def test_a_room_counts_once_and_the_departure_night_is_free():
    placed = [PlacedStay("a", 1, D(2), D(5)), PlacedStay("b", 1, D(3), D(4)),
              PlacedStay("c", 2, D(4), D(6))]
    free = free_per_night(3, placed, [(D(0), D(3), 1)], D(0), D(6))
    assert free == {D(0): 2, D(1): 2, D(2): 1, D(3): 2, D(4): 1, D(5): 2, D(6): 3}


def test_stays_reaching_outside_the_range_count_only_inside_it():
    placed = [PlacedStay("a", 1, D(-10), D(2)), PlacedStay("b", 2, D(4), D(40))]
    assert free_per_night(2, placed, [], D(0), D(5)) == {
        D(0): 1, D(1): 1, D(2): 2, D(3): 2, D(4): 1, D(5): 1}


def test_the_same_counts_as_night_by_night_over_random_bookings():
    rng = random.Random(7)
    for _ in range(30):
        rooms = rng.randint(1, 6)
        placed = []
        for n in range(rng.randint(0, 40)):
            arrival = D(rng.randint(-20, 80))
            placed.append(PlacedStay(n, rng.randint(1, rooms), arrival,
                                     arrival + timedelta(days=rng.randint(1, 9))))
        waiting = []
        for _n in range(rng.randint(0, 5)):
            arrival = D(rng.randint(-5, 70))
            waiting.append((arrival, arrival + timedelta(days=rng.randint(1, 5)),
                            rng.randint(1, 2)))
        first = D(rng.randint(0, 10))
        last = first + timedelta(days=rng.randint(0, 60))
        assert free_per_night(rooms, placed, waiting, first, last) == naive(
            rooms, placed, waiting, first, last)

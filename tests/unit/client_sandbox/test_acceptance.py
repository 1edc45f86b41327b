"""Acceptance A (a year of availability) and B (fifty bookings pulled and acknowledged)."""
import random
from datetime import timedelta

from phobs_channel_manager.phobs_api import AvailabilityRun, DialectProfile, ResStatus, collapse

from .conftest import ROOM_TYPES, counter, first_day, logged

DAYS = 365


def _year_of_availability(seed):
    """Per room type and day a BookingLimit that changes every 1-9 days (many runs, not 365)."""
    rng = random.Random(seed)
    start = first_day()
    per_room = {}
    for room_type, units in ROOM_TYPES.items():
        values, value = {}, rng.randint(0, units)
        for offset in range(DAYS):
            if rng.random() < 0.3:
                value = rng.randint(0, units)
            values[start + timedelta(days=offset)] = value
        per_room[room_type] = values
    return start, per_room


def test_acceptance_a_year_of_availability_round_trips_day_by_day(peer, hotel):
    start, per_room = _year_of_availability(seed=2024)
    end = start + timedelta(days=DAYS - 1)
    runs = [AvailabilityRun(room_type, run.start, run.end, run.value)
            for room_type, values in per_room.items() for run in collapse(values)]
    assert 150 < len(runs) < DAYS * len(ROOM_TYPES), "collapse should give many, but fewer, runs"
    connection = peer.connect(hotel)
    before = peer.stats()

    results = connection.client.send_availability(runs)

    after = peer.stats()
    assert [r.error for r in results] == [None] * len(results)
    assert sum(len(r.items) for r in results) == len(runs)
    for room_type, values in per_room.items():
        stored = peer.availability(hotel, room_type, start, end)
        expected = {day.isoformat(): limit for day, limit in values.items()}
        assert stored == expected, "room type %s differs from what was pushed" % room_type

    requests = (counter(after, "endpoints", "/inventory")
                - counter(before, "endpoints", "/inventory"))
    budget = connection.client.profile.message_budget
    assert requests == -(-len(runs) // budget) == len(results)
    assert requests * 100 < DAYS * len(ROOM_TYPES), (
        "%d HTTP requests for %d room-days" % (requests, DAYS * len(ROOM_TYPES)))
    assert (counter(after, "operations", "OTA_HotelAvailNotifRQ", "elements")
            - counter(before, "operations", "OTA_HotelAvailNotifRQ", "elements")) == len(runs)
    tokens = [e.echo_token for e in connection.exchanges]
    assert len(set(tokens)) == len(tokens) == requests
    assert all(logged(after, "OTA_HotelAvailNotifRQ", token) == 1 for token in tokens)
    print("\nacceptance A: %d room-days -> %d runs -> %d HTTP requests to /inventory"
          % (DAYS * len(ROOM_TYPES), len(runs), requests))


def test_acceptance_b_fifty_bookings_pulled_in_pages_and_all_acknowledged(peer):
    hotel = peer.new_hotel({"SGL": 200, "DBL": 200, "APT": 200})
    simulated = peer.call("POST", "/simulate", json={
        "count": 50, "seed": 4242, "mix": {"book": 1}, "hotel": hotel["code"]})
    assert simulated["totals"] == {"book": 50, "modify": 0, "cancel": 0, "skipped": 0}
    assert len(peer.messages(hotel, "pending")) == 50
    connection = peer.connect(hotel, profile=DialectProfile(page_size=20))

    pages, pulled, pms_ids = [], [], {}
    for _ in range(10):
        batch = connection.client.pull_reservations()
        assert batch.rejected == ()
        pages.append((len(batch.reservations), batch.more))
        successes = []
        for reservation in batch.reservations:
            assert reservation.status in (ResStatus.BOOK, ResStatus.COMMIT)
            assert reservation.hotel_code == hotel["code"]
            pms_id = "PMS-%03d" % (len(pulled) + 1)
            pms_ids[reservation.message_id] = pms_id
            pulled.append(reservation.message_id)
            successes.append((reservation.message_id, pms_id))
        if successes:
            acks = connection.client.acknowledge(successes=successes)
            assert all(ack.warnings == () for ack in acks)
        if not batch.more:
            break

    assert pages == [(20, True), (20, True), (10, False)]
    assert len(pulled) == len(set(pulled)) == 50
    assert peer.messages(hotel, "pending") == []
    acked = peer.messages(hotel, "acked")
    assert len(acked) == 50
    assert {m["id"]: m["ack_pms_id"] for m in acked} == pms_ids
    assert {m["acked_via"] for m in acked} == {"pull"}
    assert all(m["ack_error"] is None for m in acked)
    assert connection.client.pull_reservations().reservations == ()

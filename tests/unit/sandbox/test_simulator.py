"""The channels only sell what the PMS published; bookings are deterministic and concurrency-safe."""
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest

from . import ota_builders as ob
from .conftest import HOTEL_1, day

UNITS = {room["code"]: room["units"] for room in HOTEL_1["room_types"]}


def _nights(stay):
    first, last = date.fromisoformat(stay["arrival"]), date.fromisoformat(stay["departure"])
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days)]


def _sold(world):
    """Rooms held per (room type, night) by live reservations."""
    sold = Counter()
    for booking in world.control("GET", "/bookings", params={"hotel": "HTL1"})["bookings"]:
        if booking["status"] != "Cancel":
            for stay in booking["room_stays"]:
                for night in _nights(stay):
                    sold[stay["room_type"], night] += stay["units"]
    return sold


def test_channels_never_sell_a_night_the_pms_closed(world):
    closed = [{"start": day(-2), "end": day(230), "room_type": room, "limit": 0} for room in UNITS]
    world.ok("/inventory", ob.avail_rq("HTL1", *closed))
    world.ok("/inventory", ob.avail_rq("HTL1", {"start": day(5), "end": day(40), "room_type": "DBL",
                                                "limit": 2}))
    result = world.control("POST", "/simulate", json={"count": 150, "seed": 3, "hotel": "HTL1",
                                                      "mix": {"book": 1}})
    assert result["totals"]["book"] > 0 and result["totals"]["skipped"] > 0
    sold = _sold(world)
    open_nights = {day(n) for n in range(5, 41)}
    assert {room for room, _ in sold} == {"DBL"}
    assert {night for _, night in sold} <= open_nights
    assert max(sold.values()) <= 2
    limits = world.availability("DBL", day(5), day(40))
    assert all(limits[night] == 2 - sold["DBL", night] for night in limits)


def test_booking_modifying_and_cancelling_keep_inventory_exact(world):
    result = world.control("POST", "/simulate", json={"count": 200, "seed": 8, "hotel": "HTL1",
                                                      "mix": {"book": 5, "modify": 3, "cancel": 2}})
    assert all(result["totals"][kind] > 0 for kind in ("book", "modify", "cancel"))
    sold = _sold(world)
    window = (day(-1), day(200))
    for room, units in UNITS.items():
        limits = world.availability(room, *window)
        assert all(limits[night] == units - sold[room, night] >= 0 for night in limits), room
    bookings = world.control("GET", "/bookings", params={"hotel": "HTL1"})["bookings"]
    assert len(world.control("GET", "/messages")["messages"]) == sum(b["version"] for b in bookings)


def test_simulated_guests_look_real(world):
    outcomes = world.control("POST", "/simulate", json={"count": 80, "seed": 21, "hotel": "HTL1",
                                                        "mix": {"book": 1}})["outcomes"]
    bookings = world.control("GET", "/bookings", params={"hotel": "HTL1"})["bookings"]
    assert len(bookings) == sum(1 for o in outcomes if "skipped" not in o)
    guests = [g for b in bookings for g in b["guests"]]
    assert all("@" in g["email"] and g["phone"].startswith("+") and g["surname"] for g in guests)
    assert len({g["country"] for g in guests}) >= 5
    assert len({b["channel"] for b in bookings}) >= 4
    assert any(len(b["room_stays"]) > 1 for b in bookings)
    assert any(s["children"] for b in bookings for s in b["room_stays"])
    assert any(b["comments"] for b in bookings)
    cards = [b["card"] for b in bookings if b["card"]]
    assert cards and all(c["number"] in ("4111111111111111", "4012888888881881", "5555555555554444",
                                         "5105105105105100", "378282246310005", "30569309025904",
                                         "6011111111111117", "3530111333300000") for c in cards)


def test_a_seed_reproduces_the_same_simulation(world):
    def run():
        world.control("POST", "/reset")
        outcomes = world.control("POST", "/simulate",
                                 json={"count": 30, "seed": 99, "hotel": "HTL1"})["outcomes"]
        bookings = world.control("GET", "/bookings", params={"hotel": "HTL1"})["bookings"]
        return ([(o["action"], o.get("channel"), o.get("version")) for o in outcomes],
                [(b["channel"], b["channel_booking_id"], b["guests"], b["room_stays"], b["card"], b["status"])
                 for b in bookings])
    assert run() == run()


@pytest.mark.parametrize("restriction, stay, sellable", [
    ({"status": "Close"}, (20, 22), False),
    ({"status": "Close", "restriction": "Arrival"}, (20, 22), False),
    ({"status": "Close", "restriction": "Arrival"}, (19, 22), True),
    ({"status": "Close", "restriction": "Departure"}, (18, 20), False),
    ({"min_los": 3}, (20, 22), False),
    ({"min_los": 3}, (20, 23), True),
    ({"max_los": 1}, (20, 22), False),
])
def test_restrictions_are_honoured(world, restriction, stay, sellable):
    world.ok("/inventory", ob.avail_rq("HTL1", dict({"start": day(20), "end": day(20), "room_type": "DBL",
                                                     "rate_plan": "BAR"}, **restriction)))
    result = world.book(expect=201 if sellable else 409, room_type="DBL", rate_plan="BAR",
                        arrival=day(stay[0]), departure=day(stay[1]))
    if not sellable:
        assert result["error"] == "conflict" and result["reason"]
        assert world.book(room_type="DBL", rate_plan="NRF", arrival=day(stay[0]), departure=day(stay[1]))


def test_an_on_demand_booking_may_ignore_availability(world):
    world.ok("/inventory", ob.avail_rq("HTL1", {"start": day(14), "end": day(14), "room_type": "APT",
                                                "limit": 0}))
    stay = {"room_type": "APT", "rate_plan": "BAR", "arrival": day(14), "departure": day(15)}
    world.book(expect=409, **stay)
    world.book(respect_availability=False, **stay)
    assert world.availability("APT", day(14), day(14)) == {day(14): -1}


def test_concurrent_bookings_never_oversell(world):
    world.ok("/inventory", ob.avail_rq("HTL1", {"start": day(45), "end": day(46), "room_type": "DBL",
                                                "limit": 3}))

    def attempt(n):
        response = world.http.post("/_control/bookings", json={
            "hotel": "HTL1", "room_type": "DBL", "rate_plan": "BAR", "arrival": day(45), "departure": day(47),
            "seed": n})
        return response.status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = Counter(pool.map(attempt, range(24)))
    assert statuses == {201: 3, 409: 21}
    assert world.availability("DBL", day(45), day(46)) == {day(45): 0, day(46): 0}


def test_prices_come_from_pushed_rates_else_the_defaults(world):
    world.ok("/rates", ob.rate_rq("HTL1", {"start": day(30), "end": day(31), "room_type": "DBL",
                                           "rate_plan": "BAR", "amounts": {None: "77.70"}}))
    def total(room_type, rate_plan, nights, units=1):
        return world.book(room_type=room_type, rate_plan=rate_plan, arrival=day(30),
                          departure=day(30 + nights), units=units)["total"]
    assert total("DBL", "BAR", 3) == "255.40"
    assert total("DBL", "NRF", 2) == "160.00"
    assert total("SGL", "BAR", 1, units=2) == "200.00"


@pytest.mark.parametrize("booking, status", [
    ({"room_type": "SUITE"}, 400), ({"rate_plan": "PROMO"}, 400), ({"channel": "XYZ"}, 400),
    ({"departure": day(10)}, 400), ({"hotel": "NOPE"}, 404),
])
def test_bad_on_demand_bookings_are_refused(world, booking, status):
    world.book(expect=status, **dict({"room_type": "DBL", "rate_plan": "BAR", "arrival": day(10),
                                      "departure": day(11)}, **booking))

"""/inventory and /rates: ranges stored per day, restrictions, Decimal-exact rates, mapping errors."""
import pytest

from . import ota_builders as ob
from .conftest import day


def test_availability_range_is_stored_per_day_with_both_ends_inclusive(world):
    world.ok("/inventory", ob.avail_rq("HTL1", {"start": day(20), "end": day(22), "room_type": "DBL",
                                                "limit": 3}))
    assert world.availability("DBL", day(19), day(23)) == {
        day(19): 5, day(20): 3, day(21): 3, day(22): 3, day(23): 5}


def test_a_later_message_replaces_the_days_it_covers(world):
    world.ok("/inventory", ob.avail_rq("HTL1", {"start": day(20), "end": day(24), "room_type": "DBL",
                                                "limit": 4}))
    world.ok("/inventory", ob.avail_rq("HTL1", {"start": day(22), "end": day(22), "room_type": "DBL",
                                                "limit": 0},
                                       {"start": day(23), "end": day(24), "room_type": "SGL", "limit": 1}))
    assert world.availability("DBL", day(20), day(24)) == {
        day(20): 4, day(21): 4, day(22): 0, day(23): 4, day(24): 4}
    assert world.availability("SGL", day(23), day(24)) == {day(23): 1, day(24): 1}


def test_restrictions_are_stored_per_rate_plan_and_day(world):
    world.ok("/inventory", ob.avail_rq(
        "HTL1",
        {"start": day(30), "end": day(31), "room_type": "DBL", "rate_plan": "BAR", "min_los": 2,
         "max_los": 7},
        {"start": day(31), "end": day(31), "room_type": "DBL", "rate_plan": "NRF", "status": "Close",
         "restriction": "Arrival"},
        {"start": day(32), "end": day(32), "room_type": "DBL", "rate_plan": "NRF", "status": "Close"},
    ))
    found = world.control("GET", "/hotels/HTL1/restrictions",
                          params={"from": day(30), "to": day(33)})["restrictions"]["DBL"]
    assert found["BAR"][day(30)] == {"min_los": 2, "max_los": 7, "stop_sell": False,
                                     "closed_to_arrival": False, "closed_to_departure": False}
    assert set(found["BAR"]) == {day(30), day(31)}
    assert found["NRF"][day(31)]["closed_to_arrival"] is True
    assert found["NRF"][day(32)]["stop_sell"] is True


def test_open_lifts_a_stop_sell_and_a_restriction_without_rate_plan_covers_all_plans(world):
    world.ok("/inventory", ob.avail_rq("HTL1", {"start": day(40), "end": day(41), "room_type": "DBL",
                                                "status": "Close"}))
    world.ok("/inventory", ob.avail_rq("HTL1", {"start": day(41), "end": day(41), "room_type": "DBL",
                                                "status": "Open"}))
    found = world.control("GET", "/hotels/HTL1/restrictions",
                          params={"room_type": "DBL", "from": day(40), "to": day(41)})["restrictions"]["DBL"]
    assert {plan: {d: r["stop_sell"] for d, r in days.items()} for plan, days in found.items()} == {
        "BAR": {day(40): True, day(41): False}, "NRF": {day(40): True, day(41): False}}


def test_availability_and_restrictions_can_travel_in_one_message(world):
    world.ok("/inventory", ob.avail_rq("HTL1", {"start": day(12), "end": day(12), "room_type": "APT",
                                                "rate_plan": "BAR", "limit": 0, "min_los": 3}))
    assert world.availability("APT", day(12), day(12)) == {day(12): 0}
    found = world.control("GET", "/hotels/HTL1/restrictions", params={"from": day(12), "to": day(12)})
    assert found["restrictions"]["APT"]["BAR"][day(12)]["min_los"] == 3


@pytest.mark.parametrize("message, code", [
    ({"hotel": "NOPE", "room_type": "DBL"}, "392"),
    ({"room_type": "SUITE"}, "402"),
    ({"room_type": "DBL", "rate_plan": "PROMO"}, "436"),
    ({"room_type": "SGL", "rate_plan": "NRF"}, "783"),
])
def test_unknown_codes_are_business_errors_and_change_nothing(world, message, code):
    request = ob.avail_rq(message.get("hotel", "HTL1"),
                          {"start": day(50), "end": day(50), "room_type": "DBL", "limit": 1},
                          {"start": day(50), "end": day(51), "room_type": message["room_type"],
                           "rate_plan": message.get("rate_plan"), "limit": 0})
    rs = world.soap("/inventory", request)
    assert not ob.is_success(rs)
    assert [c for _, c in ob.errors_of(rs)] == [code]
    assert world.availability("DBL", day(50), day(50)) == {day(50): 5}


def test_missing_room_type_and_reversed_range_are_rejected(world):
    missing = ob.avail_rq("HTL1", {"start": day(10), "end": day(11), "room_type": None, "limit": 1})
    assert ob.errors_of(world.soap("/inventory", missing)) == [("10", "321")]
    reversed_range = ob.avail_rq("HTL1", {"start": day(12), "end": day(11), "room_type": "DBL", "limit": 1})
    assert ob.errors_of(world.soap("/inventory", reversed_range)) == [("3", "15")]


def test_rates_are_stored_per_day_and_occupancy_exactly_as_sent(world):
    world.ok("/rates", ob.rate_rq("HTL1", {
        "start": day(60), "end": day(61), "room_type": "DBL", "rate_plan": "BAR",
        "amounts": {None: "120.50", 1: "99.999", 2: "0.10"}}))
    world.ok("/rates", ob.rate_rq("HTL1", {
        "start": day(61), "end": day(61), "room_type": "DBL", "rate_plan": "BAR",
        "amounts": {None: "130.00"}}))
    rates = world.control("GET", "/hotels/HTL1/rates", params={"from": day(60), "to": day(62)})["rates"]
    assert rates == {"DBL": {"BAR": {
        day(60): {"currency": "EUR", "amounts": {"any": "120.50", "1": "99.999", "2": "0.10"}},
        day(61): {"currency": "EUR", "amounts": {"any": "130.00", "1": "99.999", "2": "0.10"}},
    }}}


@pytest.mark.parametrize("change, code", [
    ({"room_type": "SUITE"}, "402"), ({"rate_plan": "PROMO"}, "436"), ({"amounts": {None: "abc"}}, "320"),
    ({"amounts": {None: "10.0001"}}, "320"),
])
def test_bad_rates_are_rejected(world, change, code):
    message = dict({"start": day(60), "end": day(60), "room_type": "DBL", "rate_plan": "BAR",
                    "amounts": {None: "1.00"}}, **change)
    rs = world.soap("/rates", ob.rate_rq("HTL1", message), validate=False)
    assert [c for _, c in ob.errors_of(rs)] == [code]
    assert world.control("GET", "/hotels/HTL1/rates", params={"from": day(60), "to": day(60)})["rates"] == {}


def test_rates_for_an_unknown_hotel_are_392(world):
    rs = world.soap("/rates", ob.rate_rq("NOPE", {"start": day(60), "end": day(60), "room_type": "DBL",
                                                  "rate_plan": "BAR", "amounts": {None: "1.00"}}))
    assert ob.errors_of(rs) == [("3", "392")]

"""Rates (Decimal amounts) and restrictions (stop-sell, LOS, CTA/CTD) round trips."""
from datetime import timedelta
from decimal import Decimal

from phobs_channel_manager.phobs_api import RateRun, RestrictionRun

from .conftest import first_day


def _day(offset):
    return first_day() + timedelta(days=offset)


def _days(start, end):
    return [_day(n).isoformat() for n in range(start, end + 1)]


def _control(peer, hotel, what, end_offset=40):
    reply = peer.call("GET", "/hotels/%s/%s" % (hotel["code"], what), params={
        "from": _day(0).isoformat(), "to": _day(end_offset).isoformat()})
    return reply[what]


def test_rates_round_trip_with_decimal_amounts(peer, hotel):
    runs = [
        RateRun("DBL", "BAR", _day(0), _day(9), Decimal("120.50"), "EUR"),
        RateRun("DBL", "BAR", _day(10), _day(19), Decimal("99.999"), "EUR"),
        RateRun("DBL", "NRF", _day(0), _day(19), Decimal("80"), "EUR", guests=1),
        RateRun("DBL", "NRF", _day(0), _day(19), Decimal("95.10"), "EUR", guests=2),
        RateRun("SGL", "BAR", _day(5), _day(5), Decimal("1234567.890"), "EUR"),
        RateRun("APT", "BAR", _day(0), _day(2), Decimal("0.00"), "EUR"),
    ]
    connection = peer.connect(hotel)

    results = connection.client.send_rates(runs)

    assert [r.error for r in results] == [None]
    expected = {}
    for run in runs:
        for day in _days((run.start - _day(0)).days, (run.end - _day(0)).days):
            entry = expected.setdefault(run.room_type_code, {}).setdefault(
                run.rate_plan_code, {}).setdefault(day, {"currency": run.currency, "amounts": {}})
            entry["amounts"][str(run.guests) if run.guests else "any"] = run.amount
    stored = _control(peer, hotel, "rates")
    as_decimal = {room: {plan: {day: {"currency": v["currency"],
                                      "amounts": {k: Decimal(a) for k, a in v["amounts"].items()}}
                                for day, v in days.items()} for plan, days in plans.items()}
                  for room, plans in stored.items()}
    assert as_decimal == expected
    # exactly as pushed, not rounded on the way: the wire text keeps the Decimal's exponent
    assert stored["DBL"]["BAR"][_day(10).isoformat()]["amounts"] == {"any": "99.999"}
    assert stored["DBL"]["NRF"][_day(0).isoformat()]["amounts"] == {"1": "80", "2": "95.10"}
    assert stored["SGL"]["BAR"][_day(5).isoformat()]["amounts"] == {"any": "1234567.890"}


def test_a_later_rate_replaces_the_earlier_one_for_the_same_days(peer, hotel):
    connection = peer.connect(hotel)
    connection.client.send_rates([RateRun("SGL", "BAR", _day(0), _day(6), Decimal("70"), "EUR")])
    connection.client.send_rates([RateRun("SGL", "BAR", _day(3), _day(4), Decimal("75.5"),
                                          "EUR")])
    stored = _control(peer, hotel, "rates")["SGL"]["BAR"]
    assert {day: v["amounts"]["any"] for day, v in stored.items()} == {
        **{day: "70" for day in _days(0, 6)}, **{day: "75.5" for day in _days(3, 4)}}


NO_RESTRICTION = {"min_los": None, "max_los": None, "stop_sell": False,
                  "closed_to_arrival": False, "closed_to_departure": False}


def test_stop_sell_and_min_los_round_trip_and_lift(peer, hotel):
    connection = peer.connect(hotel)
    runs = [
        RestrictionRun("DBL", None, _day(5), _day(9), stop_sell=True),
        RestrictionRun("SGL", "BAR", _day(0), _day(13), min_los=3),
        RestrictionRun("APT", "BAR", _day(20), _day(21), max_los=7, closed_to_arrival=True,
                       closed_to_departure=True),
    ]

    results = connection.client.send_restrictions(runs)

    assert [r.error for r in results] == [None]
    stored = _control(peer, hotel, "restrictions")
    stop_sell = dict(NO_RESTRICTION, stop_sell=True)
    assert stored["DBL"] == {plan: {day: stop_sell for day in _days(5, 9)}
                             for plan in ("BAR", "NRF")}, "no RatePlanCode: every plan of DBL"
    assert stored["SGL"] == {"BAR": {day: dict(NO_RESTRICTION, min_los=3)
                                     for day in _days(0, 13)}}
    assert stored["APT"] == {"BAR": {day: dict(NO_RESTRICTION, max_los=7, closed_to_arrival=True,
                                               closed_to_departure=True)
                                     for day in _days(20, 21)}}

    lifted = connection.client.send_restrictions([
        RestrictionRun("DBL", None, _day(5), _day(9), stop_sell=False),
        RestrictionRun("SGL", "BAR", _day(0), _day(13), min_los=1),
    ])

    assert [r.error for r in lifted] == [None]
    stored = _control(peer, hotel, "restrictions")
    assert stored["DBL"] == {plan: {day: NO_RESTRICTION for day in _days(5, 9)}
                             for plan in ("BAR", "NRF")}
    assert stored["SGL"] == {"BAR": {day: dict(NO_RESTRICTION, min_los=1)
                                     for day in _days(0, 13)}}
    assert stored["APT"]["BAR"][_day(20).isoformat()]["closed_to_arrival"] is True


def test_stop_sell_pushed_by_the_client_stops_channel_bookings(peer, hotel):
    """What the restriction is for: the sandbox's channels may no longer sell those nights."""
    connection = peer.connect(hotel)
    connection.client.send_restrictions([RestrictionRun("SGL", None, _day(3), _day(4),
                                                        stop_sell=True)])
    refused = peer.sandbox.control.post("/bookings", json={
        "hotel": hotel["code"], "room_type": "SGL", "rate_plan": "BAR",
        "arrival": _day(2).isoformat(), "departure": _day(5).isoformat()})
    assert refused.status_code == 409, refused.text
    peer.sandbox.book(hotel["code"], room_type="SGL", rate_plan="BAR",
                      arrival=_day(5).isoformat(), departure=_day(7).isoformat())

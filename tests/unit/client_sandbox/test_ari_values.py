"""Runs built by ``phobs_api.ari`` from canonical per-day values, through the real sandbox."""
from datetime import timedelta

from phobs_channel_manager.phobs_api import ari

from .conftest import first_day


def _day(offset):
    return first_day() + timedelta(days=offset)


def _stored(peer, hotel, days=10):
    reply = peer.call("GET", "/hotels/%s/restrictions" % hotel["code"], params={
        "room_type": "DBL", "rate_plan": "BAR", "from": _day(0).isoformat(),
        "to": _day(days).isoformat()})
    return reply["restrictions"].get("DBL", {}).get("BAR", {})


def test_full_restriction_values_set_and_then_lift_every_restriction(peer, hotel):
    connection = peer.connect(hotel)
    strict = ari.Restriction(min_los=2, max_los=5, closed_to_arrival=True,
                             closed_to_departure=True, stop_sell=True).encode()
    values = {("DBL", "BAR", _day(n)): strict for n in range(3)}

    results = connection.client.send_restrictions(ari.runs(ari.RESTRICTIONS, values))

    assert [r.error for r in results] == [None]
    stored = _stored(peer, hotel)
    assert len(stored) == 3
    for value in stored.values():
        assert value == {"min_los": 2, "max_los": 5, "stop_sell": True,
                         "closed_to_arrival": True, "closed_to_departure": True}

    opened = {key: ari.OPEN.encode() for key in values}
    results = connection.client.send_restrictions(ari.runs(ari.RESTRICTIONS, opened))

    assert [r.error for r in results] == [None]
    stored = _stored(peer, hotel)
    assert len(stored) == 3
    for value in stored.values():
        assert value == {"min_los": 1, "max_los": None, "stop_sell": False,
                         "closed_to_arrival": False, "closed_to_departure": False}
    # One run, three AvailStatusMessages (one RestrictionStatus each), as docs/protocol.md says.
    assert peer.stats()["operations"]["OTA_HotelAvailNotifRQ"]["elements"] >= 6

"""Every injected fault kind is observable from the outside, and rules filter and count as asked."""
import time

import httpx
import pytest

from . import ota_builders as ob
from .conftest import HOTEL_2, day


def _faults(world, *rules, seed=None):
    body = {"rules": list(rules)}
    if seed is not None:
        body["seed"] = seed
    return world.control("POST", "/faults", expect=201, json=body)["rules"]


def _avail(limit, echo_token=None):
    return ob.avail_rq("HTL1", {"start": day(20), "end": day(20), "room_type": "DBL", "limit": limit},
                       echo_token=echo_token)


def _limit(world):
    return world.availability("DBL", day(20), day(20))[day(20)]


def test_latency_delays_the_reply(world):
    _faults(world, {"kind": "latency", "latency_ms": 300, "path": "/inventory"})
    started = time.monotonic()
    world.ok("/inventory", _avail(1))
    assert time.monotonic() - started >= 0.3


@pytest.mark.parametrize("kind, status", [("http_500", 500), ("http_503", 503), ("http_429", 429)])
def test_http_errors_are_answered_before_anything_is_stored(world, kind, status):
    world.token()
    _faults(world, {"kind": kind, "count": 1, "retry_after": 7})
    response = world.post("/inventory", _avail(0))
    assert response.status_code == status
    if status != 500:
        assert response.headers["Retry-After"] == "7"
    assert _limit(world) == 5
    world.ok("/inventory", _avail(0))
    assert _limit(world) == 0


def test_a_retry_with_the_same_echo_token_is_visible_in_the_stats(world):
    _faults(world, {"kind": "http_503", "count": 1, "path": "/inventory"})
    request = _avail(2, echo_token="retry-me")
    assert world.post("/inventory", request).status_code == 503
    world.ok("/inventory", request)
    assert world.control("GET", "/stats")["echo_tokens"]["OTA_HotelAvailNotifRQ"] == ["retry-me", "retry-me"]


def test_the_token_endpoint_can_fail_too(world):
    _faults(world, {"kind": "http_503", "path": "/auth/token", "retry_after": 1})
    response = world.http.post("/auth/token", data={"grant_type": "client_credentials"},
                               auth=("htl1-client", "htl1-secret"))
    assert (response.status_code, response.headers["Retry-After"]) == (503, "1")


def test_soap_fault(world):
    _faults(world, {"kind": "soap_fault", "count": 1})
    response = world.post("/reservations", ob.read_rq("HTL1"))
    assert response.status_code == 500
    assert ob.fault_of(response.content) == ("soap:Server", "injected fault")


def test_token_expiry_revokes_the_token(world):
    token = world.token()
    _faults(world, {"kind": "token_expiry", "count": 1})
    first = world.post("/reservations", ob.read_rq("HTL1"))
    assert first.status_code == 401 and ob.fault_of(first.content)[1] == "invalid or expired token"
    assert world.post("/reservations", ob.read_rq("HTL1")).status_code == 401
    world._tokens.clear()
    assert world.token() != token
    world.ok("/reservations", ob.read_rq("HTL1"))


def test_token_expiry_does_not_fire_on_wsse_requests(world):
    _faults(world, {"kind": "token_expiry"})
    world.ok("/reservations", ob.read_rq("HTL1"), auth="wsse")
    assert world.control("GET", "/faults")["rules"][0]["fired"] == 0


def test_auth_timeout_is_an_error_type_5(world):
    _faults(world, {"kind": "auth_timeout", "count": 1})
    rs = world.soap("/inventory", _avail(0))
    assert [t for t, _ in ob.errors_of(rs)] == ["5"]
    assert _limit(world) == 5
    assert world.post("/inventory", _avail(0)).status_code == 401


@pytest.mark.parametrize("rule, error", [
    ({"code": 448}, ("12", "448")), ({"code": "402"}, ("3", "402")),
    ({"code": 737, "error_type": "3"}, ("3", "737")),
])
def test_ota_errors_carry_the_given_code(world, rule, error):
    _faults(world, dict({"kind": "ota_error", "count": 1}, **rule))
    rs = world.soap("/reservations", ob.read_rq("HTL1"))
    assert ob.errors_of(rs) == [error]
    assert rs.get("EchoToken")
    world.ok("/reservations", ob.read_rq("HTL1"))


def test_a_malformed_reply_follows_a_request_that_took_effect(world):
    _faults(world, {"kind": "malformed_reply", "count": 1, "path": "/inventory"})
    response = world.post("/inventory", _avail(3))
    assert response.status_code == 200
    with pytest.raises(Exception):
        ob.payload_of(response.content)
    assert _limit(world) == 3


def test_a_dropped_connection_follows_a_request_that_took_effect(world):
    _faults(world, {"kind": "drop_connection", "count": 1, "path": "/inventory"})
    with pytest.raises(httpx.RemoteProtocolError):
        world.post("/inventory", _avail(4))
    assert _limit(world) == 4
    world.ok("/inventory", _avail(1))


def _two_bookings(world):
    return [world.book(room_type="DBL", rate_plan="BAR", arrival=day(n), departure=day(n + 1))["message_id"]
            for n in (30, 31)]


def test_duplicate_delivery_on_pull(world):
    made = _two_bookings(world)
    _faults(world, {"kind": "duplicate_delivery", "count": 1})
    assert [ob.unique_ids(r)["16"] for r in world.pull()] == [made[0], made[0], made[1], made[1]]
    assert [ob.unique_ids(r)["16"] for r in world.pull()] == made


def test_out_of_order_delivery_on_pull(world):
    made = _two_bookings(world)
    _faults(world, {"kind": "out_of_order_delivery", "count": 1, "operation": "OTA_ReadRQ"})
    assert [ob.unique_ids(r)["16"] for r in world.pull()] == made[::-1]


def test_duplicate_and_out_of_order_delivery_on_push(world, receiver):
    made = _two_bookings(world)
    _faults(world, {"kind": "duplicate_delivery", "path": "push", "count": 1},
            {"kind": "out_of_order_delivery", "path": "push", "count": 1})
    assert world.control("POST", "/webhook/push-now")["acknowledged"] == 2
    assert receiver.message_ids() == [made[1], made[1], made[0], made[0]]
    assert all(verified for verified, _ in receiver.pushes)


def test_rules_filter_by_path_and_operation(world):
    _faults(world, {"kind": "http_500", "path": "/rates"},
            {"kind": "ota_error", "code": 448, "operation": "OTA_NotifReportRQ"})
    world.ok("/inventory", _avail(1))
    world.ok("/reservations", ob.read_rq("HTL1"))
    rs = world.soap("/reservations", ob.notif_report_rq("HTL1", [("M-1", None)]))
    assert ob.errors_of(rs) == [("12", "448")]
    response = world.post("/rates", ob.rate_rq("HTL1", {"start": day(20), "end": day(20), "room_type": "DBL",
                                                        "rate_plan": "BAR", "amounts": {None: "9.00"}}))
    assert response.status_code == 500


def test_a_rule_naming_a_hotel_fires_only_on_that_hotels_requests(world):
    """Bearer, WS-Security and token requests alike: HTL2 fails, HTL1 is served."""
    world.token(HOTEL_2)  # before the rule: the token endpoint is filtered too
    (rule,) = _faults(world, {"kind": "http_503", "hotel": "HTL2"})
    assert rule["hotel"] == "HTL2"
    world.ok("/reservations", ob.read_rq("HTL1"))
    world.ok("/reservations", ob.read_rq("HTL1"), auth="wsse")
    assert world.post("/reservations", ob.read_rq("HTL2"), hotel=HOTEL_2).status_code == 503
    assert world.post("/reservations", ob.read_rq("HTL2"), auth="wsse",
                      hotel=HOTEL_2).status_code == 503
    creds = HOTEL_2["credentials"]
    response = world.http.post("/auth/token", data={"grant_type": "client_credentials"},
                               auth=(creds["client_id"], creds["client_secret"]))
    assert response.status_code == 503
    assert world.control("GET", "/faults")["rules"][0]["fired"] == 3


def test_a_hanging_hotel_delays_only_its_own_requests(world):
    world.token(HOTEL_2)
    _faults(world, {"kind": "latency", "latency_ms": 1500, "hotel": "HTL2"})
    world.ok("/reservations", ob.read_rq("HTL1"))
    assert world.control("GET", "/faults")["rules"][0]["fired"] == 0
    started = time.monotonic()
    world.ok("/reservations", ob.read_rq("HTL2"), hotel=HOTEL_2)
    assert time.monotonic() - started >= 1.5
    assert world.control("GET", "/faults")["rules"][0]["fired"] == 1


def test_counted_rules_retire_and_are_listed_with_what_fired(world):
    _faults(world, {"kind": "http_500", "count": 2, "path": "/reservations"})
    statuses = [world.post("/reservations", ob.read_rq("HTL1")).status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    (rule,) = world.control("GET", "/faults")["rules"]
    assert (rule["kind"], rule["fired"], rule["count"]) == ("http_500", 2, 2)
    world.control("DELETE", "/faults")
    assert world.control("GET", "/faults")["rules"] == []


def test_probabilities_are_reproducible_with_a_seed(world):
    def pattern():
        world.control("DELETE", "/faults")
        _faults(world, {"kind": "http_503", "probability": 0.5, "path": "/reservations"}, seed=1234)
        return [world.post("/reservations", ob.read_rq("HTL1")).status_code for _ in range(24)]
    first = pattern()
    assert set(first) == {200, 503}
    assert pattern() == first


@pytest.mark.parametrize("rule", [{"kind": "meteor"}, {"kind": "ota_error"},
                                  {"kind": "http_500", "probability": 2},
                                  {"kind": "latency", "colour": "red"}])
def test_bad_rules_are_refused(world, rule):
    world.control("POST", "/faults", expect=400, json={"rules": [rule]})

"""SOAP framing: malformed or unsafe XML is a Fault; traffic and EchoTokens are counted."""
import pytest
from lxml import etree

from . import ota_builders as ob
from .conftest import day

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<OTA_ReadRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="1.0">&lol2;</OTA_ReadRQ>
</soap:Body></soap:Envelope>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<OTA_ReadRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="1.0">&x;</OTA_ReadRQ>"""


def _raw(world, path, body):
    return world.http.post(path, content=body, headers={
        "Authorization": "Bearer " + world.token(), "Content-Type": "text/xml; charset=utf-8"})


@pytest.mark.parametrize("body", [
    b"<soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/'><soap:Body><OTA_ReadRQ",
    b"not xml at all", b"", BILLION_LAUGHS, EXTERNAL_ENTITY,
    b"<soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/'><soap:Body/></soap:Envelope>",
])
def test_malformed_or_unsafe_xml_is_a_client_soap_fault(world, body):
    response = _raw(world, "/reservations", body)
    assert response.status_code == 500
    code, text = ob.fault_of(response.content)
    assert code == "soap:Client" and text
    assert b"root:" not in response.content


def test_bodies_over_2_mb_are_refused_unread(world):
    response = _raw(world, "/inventory", b"<x>" + b" " * (2 * 1024 * 1024) + b"</x>")
    assert response.status_code == 500
    assert "exceeds" in ob.fault_of(response.content)[1]


def test_an_operation_on_the_wrong_endpoint_is_a_fault(world):
    response = world.post("/inventory", ob.read_rq("HTL1"))
    assert response.status_code == 500
    assert "OTA_ReadRQ" in ob.fault_of(response.content)[1]


def test_a_bare_ota_message_without_envelope_is_understood(world):
    response = world.http.post("/reservations", content=etree.tostring(ob.read_rq("HTL1")),
                               headers={"Authorization": "Bearer " + world.token()})
    assert response.status_code == 200
    assert ob.is_success(ob.payload_of(response.content))


def test_replies_echo_the_token_and_version(world):
    rs = world.ok("/reservations", ob.read_rq("HTL1", echo_token="abc-123"))
    assert (rs.get("EchoToken"), rs.get("Version")) == ("abc-123", "1.0")
    assert rs.get("TimeStamp")


def test_get_on_a_soap_endpoint_is_405(world):
    assert world.http.get("/reservations").status_code == 405


def test_stats_count_requests_elements_bytes_and_echo_tokens(world):
    request = ob.avail_rq("HTL1", *[{"start": day(10 + n), "end": day(10 + n), "room_type": "DBL", "limit": n}
                                    for n in range(3)], echo_token="inv-1")
    world.ok("/inventory", request)
    world.ok("/inventory", request)
    world.ok("/reservations", ob.read_rq("HTL1", echo_token="read-1"))
    stats = world.control("GET", "/stats")
    inventory = stats["endpoints"]["/inventory"]
    assert (inventory["requests"], inventory["elements"]) == (2, 6)
    assert inventory["bytes_in"] > 1000 and inventory["bytes_out"] > 200
    assert stats["operations"]["OTA_HotelAvailNotifRQ"] == {"requests": 2, "elements": 6}
    assert stats["statuses"]["/inventory"] == {"200": 2}
    assert stats["echo_tokens"]["OTA_HotelAvailNotifRQ"] == ["inv-1", "inv-1"]
    assert stats["echo_tokens"]["OTA_ReadRQ"] == ["read-1"]
    assert world.control("GET", "/stats")["endpoints"] == stats["endpoints"]


def test_the_control_api_reports_unknown_routes_and_methods(world):
    assert world.http.get("/_control/nothing").status_code == 404
    assert world.http.delete("/_control/stats").status_code == 405
    assert world.http.post("/_control/faults", content=b"{not json").status_code == 400

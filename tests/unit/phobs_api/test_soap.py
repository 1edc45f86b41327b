import pytest
from lxml import etree

from phobs_channel_manager.phobs_api.auth import wsse_header
from phobs_channel_manager.phobs_api.errors import PhobsProtocolError, PhobsSoapFault
from phobs_channel_manager.phobs_api.soap import build_envelope, build_fault, parse_envelope
from phobs_channel_manager.phobs_api.xml import SOAP_NS, WSSE_NS, element, local_name, to_bytes


def test_envelope_round_trip_with_header():
    envelope = build_envelope(element("OTA_ReadRQ", {"Version": "1.0"}), wsse_header("u", "p"))
    raw = to_bytes(envelope)
    header = envelope.find(f"{{{SOAP_NS}}}Header")
    assert header[0].tag == f"{{{WSSE_NS}}}Security"
    body = parse_envelope(raw)
    assert local_name(body) == "OTA_ReadRQ" and body.get("Version") == "1.0"


def test_envelope_without_header_has_none():
    envelope = build_envelope(element("X"))
    assert envelope.find(f"{{{SOAP_NS}}}Header") is None


def test_fault_becomes_typed_exception():
    with pytest.raises(PhobsSoapFault) as caught:
        parse_envelope(to_bytes(build_fault("soap:Server", "database down")), http_status=500)
    fault = caught.value
    assert (fault.faultcode, fault.faultstring, fault.http_status) == ("soap:Server", "database down", 500)
    assert fault.is_server_fault
    assert not PhobsSoapFault("soap:Client", "bad").is_server_fault


@pytest.mark.parametrize(
    "raw, problem",
    [
        (b"<Envelope/>", "expected a SOAP 1.1 Envelope"),
        (b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><x/></e:Body></e:Envelope>',
         "expected a SOAP 1.1 Envelope"),
        (f'<s:Envelope xmlns:s="{SOAP_NS}"/>'.encode(), "without Body"),
        (f'<s:Envelope xmlns:s="{SOAP_NS}"><s:Body> </s:Body></s:Envelope>'.encode(), "Body is empty"),
    ],
)
def test_not_a_usable_envelope(raw, problem):
    with pytest.raises(PhobsProtocolError, match=problem):
        parse_envelope(raw)


def test_parse_envelope_is_safe():
    raw = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'
    with pytest.raises(PhobsProtocolError, match="DOCTYPE"):
        parse_envelope(raw)


def test_body_comments_are_skipped():
    raw = f'<s:Envelope xmlns:s="{SOAP_NS}"><s:Body><!-- hi --><A/></s:Body></s:Envelope>'.encode()
    assert parse_envelope(raw).tag == "A"
    assert isinstance(parse_envelope(raw), etree._Element)


@pytest.mark.parametrize("raw", [
    b'<OTA_HotelResNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" EchoToken="e"/>',
    b'<OTA_HotelResNotifRQ EchoToken="e"/>',
    f'<s:Envelope xmlns:s="{SOAP_NS}"><s:Body><OTA_HotelResNotifRQ EchoToken="e"/>'
    f'</s:Body></s:Envelope>'.encode(),
])
def test_parse_message_takes_an_ota_message_bare_or_enveloped(raw):
    from phobs_channel_manager.phobs_api.soap import parse_message

    message = parse_message(raw)
    assert message.tag.endswith("OTA_HotelResNotifRQ") and message.get("EchoToken") == "e"


@pytest.mark.parametrize("raw, problem", [
    (b"<html/>", "expected a SOAP 1.1 Envelope"),
    (b'<OTA_X xmlns="urn:not-ota"/>', "expected a SOAP 1.1 Envelope"),
    (b"<Envelope/>", "expected a SOAP 1.1 Envelope"),
])
def test_parse_message_refuses_what_is_no_ota_message(raw, problem):
    from phobs_channel_manager.phobs_api.soap import parse_message

    with pytest.raises(PhobsProtocolError, match=problem):
        parse_message(raw)

"""SOAP 1.1 envelopes: wrap an OTA message, unwrap a reply, turn a Fault into an exception."""
from __future__ import annotations

from lxml import etree

from .errors import PhobsProtocolError, PhobsSoapFault
from .xml import DEFAULT_MAX_BYTES, OTA_NS, SOAP_NS, child, local_name, parse_xml, text_of

_NSMAP = {"soap": SOAP_NS}


def build_envelope(body: etree._Element, header: etree._Element | None = None) -> etree._Element:
    """``soap:Envelope`` with an optional ``soap:Header`` child (e.g. WS-Security) and the body."""
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap=_NSMAP)
    if header is not None:
        etree.SubElement(envelope, f"{{{SOAP_NS}}}Header").append(header)
    etree.SubElement(envelope, f"{{{SOAP_NS}}}Body").append(body)
    return envelope


def build_fault(faultcode: str, faultstring: str) -> etree._Element:
    """An envelope carrying a Fault, for answering what we cannot even read."""
    fault = etree.Element(f"{{{SOAP_NS}}}Fault", nsmap=_NSMAP)
    etree.SubElement(fault, "faultcode").text = faultcode
    etree.SubElement(fault, "faultstring").text = faultstring
    return build_envelope(fault)


def parse_envelope(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, http_status: int | None = None
) -> etree._Element:
    """The first element of the body; raises :class:`PhobsSoapFault` when that is a Fault."""
    return _payload(parse_xml(data, max_bytes=max_bytes), http_status)


def parse_message(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES,
                  http_status: int | None = None) -> etree._Element:
    """The OTA message of what a peer sent us: inside a SOAP 1.1 envelope, or bare.

    Peers differ: most wrap ``OTA_HotelResNotifRQ`` (a push) or ``OTA_ResRetrieveRS`` (a pull
    reply) in an envelope, some send the bare message. Both carry the same message, so both are
    read; a bare root must be an OTA message
    (``OTA_...`` in the OTA namespace, or in none), anything else is still refused.
    """
    root = parse_xml(data, max_bytes=max_bytes)
    if etree.QName(root).namespace in (OTA_NS, None) and local_name(root).startswith("OTA_"):
        return root
    return _payload(root, http_status)


def _payload(root: etree._Element, http_status: int | None) -> etree._Element:
    if root.tag != f"{{{SOAP_NS}}}Envelope":
        raise PhobsProtocolError(f"expected a SOAP 1.1 Envelope, got {root.tag!r}")
    body = root.find(f"{{{SOAP_NS}}}Body")
    if body is None:
        raise PhobsProtocolError("SOAP Envelope without Body")
    payload = next(body.iterchildren(tag=etree.Element), None)
    if payload is None:
        raise PhobsProtocolError("SOAP Body is empty")
    if payload.tag == f"{{{SOAP_NS}}}Fault":
        raise PhobsSoapFault(
            text_of(child(payload, "faultcode")) or "",
            text_of(child(payload, "faultstring")) or "",
            http_status=http_status,
        )
    return payload


"""Safe XML in and out.

Everything we parse comes from the network, so the parser never resolves entities, never
loads a DTD or touches the network, refuses any ``DOCTYPE`` outright (no entity tricks can
hide behind one), caps the size before parsing and accepts UTF-8 only. Reading helpers
match children by local name, so a peer that drifts in namespaces is still understood.
"""
from __future__ import annotations

import re
from typing import Iterator, Mapping

from lxml import etree

from .errors import PhobsProtocolError

OTA_NS = "http://www.opentravel.org/OTA/2003/05"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"

DEFAULT_MAX_BYTES = 2 * 1024 * 1024

_UTF8_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF8_NAMES = {b"utf-8", b"utf8"}


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """Parse untrusted bytes into an element, or raise :class:`PhobsProtocolError` saying why."""
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError("parse_xml takes bytes; decoding is part of what it checks")
    if len(data) > max_bytes:
        raise PhobsProtocolError(f"XML of {len(data)} bytes exceeds the {max_bytes} byte cap")
    data = bytes(data)
    if data.startswith(_WIDE_BOMS):
        raise PhobsProtocolError("XML must be UTF-8; got a UTF-16/32 byte order mark")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    declared = _DECLARED_ENCODING.match(data)
    if declared and declared.group(1).lower() not in _UTF8_NAMES:
        raise PhobsProtocolError(
            f"XML must be UTF-8; declared encoding is {declared.group(1).decode('ascii')!r}"
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise PhobsProtocolError(f"XML is not valid UTF-8 (byte {err.start})") from err
    if b"<!DOCTYPE" in data:
        raise PhobsProtocolError("XML with a DOCTYPE is refused")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as err:
        raise PhobsProtocolError(f"malformed XML: {err}") from err
    if root is None:
        raise PhobsProtocolError("empty XML document")
    return root


def to_bytes(element: etree._Element, *, pretty: bool = False) -> bytes:
    """Serialise with an XML declaration, always UTF-8."""
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


def ota(tag: str) -> str:
    return f"{{{OTA_NS}}}{tag}"


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # a comment or processing instruction
        return etree.QName(element).localname
    return tag.rpartition("}")[2]


def element(tag: str, attrs: Mapping[str, object] | None = None, text: str | None = None,
            *, nsmap: Mapping[str | None, str] | None = None) -> etree._Element:
    """An OTA element; attributes whose value is ``None`` are left out."""
    el = etree.Element(ota(tag), nsmap=nsmap)
    _fill(el, attrs, text)
    return el


def sub(parent: etree._Element, tag: str, attrs: Mapping[str, object] | None = None,
        text: str | None = None) -> etree._Element:
    """An OTA child element; attributes whose value is ``None`` are left out."""
    el = etree.SubElement(parent, ota(tag))
    _fill(el, attrs, text)
    return el


def _fill(el: etree._Element, attrs: Mapping[str, object] | None, text: str | None) -> None:
    for key, value in (attrs or {}).items():
        if value is not None:
            el.set(key, str(value))
    if text is not None:
        el.text = text


def children(parent: etree._Element | None, name: str) -> Iterator[etree._Element]:
    """Child elements called ``name`` in any namespace, in document order."""
    if parent is None:
        return iter(())
    # "{*}" matches in any namespace or none, and lxml filters in C: a push's parse walks
    # these a few hundred times, in the request Phobs waits on.
    return parent.iterchildren("{*}" + name)


def child(parent: etree._Element | None, path: str) -> etree._Element | None:
    """The first element along a ``/``-separated path of local names, or ``None``."""
    node = parent
    for name in path.split("/"):
        node = next(children(node, name), None)
        if node is None:
            return None
    return node


def descendants(parent: etree._Element | None, path: str) -> Iterator[etree._Element]:
    """Every element matching a ``/``-separated path of local names (all branches)."""
    nodes = [parent] if parent is not None else []
    for name in path.split("/"):
        nodes = [c for node in nodes for c in children(node, name)]
    return iter(nodes)


def text_of(element: etree._Element | None) -> str | None:
    """Stripped text, or ``None`` when absent or blank."""
    if element is None or element.text is None:
        return None
    return element.text.strip() or None

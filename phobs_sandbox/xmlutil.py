"""Safe parsing and small element helpers shared by every XML module of the sandbox.

Received XML is parsed with entities, DTDs and network access disabled and a size cap, because a
channel-manager endpoint is exposed to whatever the PMS (or an attacker) posts. Lookups go by local
name so a peer that uses another prefix, or none, is still understood.
"""
from lxml import etree

from .errors import SoapFault

OTA_NS = "http://www.opentravel.org/OTA/2003/05"
MAX_BODY_BYTES = 2 * 1024 * 1024


def parse(body):
    """Parse untrusted bytes into an element; any problem is a client SOAP Fault."""
    if len(body) > MAX_BODY_BYTES:
        raise SoapFault("request exceeds %d bytes" % MAX_BODY_BYTES)
    if not body.strip():
        raise SoapFault("empty request body")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_blank_text=True,
    )
    try:
        tree = etree.ElementTree(etree.fromstring(body, parser))
    except etree.XMLSyntaxError as err:
        raise SoapFault("malformed XML: %s" % err) from err
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise SoapFault("DTDs and entities are not accepted")
    return tree.getroot()


def local(element):
    """Local name of an element, whatever its namespace."""
    return etree.QName(element).localname


def child(element, name):
    """First direct child with this local name, or None."""
    if element is None:
        return None
    return element.find("{*}" + name)


def children(element, name):
    if element is None:
        return []
    return element.findall("{*}" + name)


def descendants(element, name):
    if element is None:
        return []
    return list(element.iter("{*}" + name))


def path(element, *names):
    """Follow a chain of child local names; None as soon as one is missing."""
    for name in names:
        element = child(element, name)
        if element is None:
            return None
    return element


def text(element):
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def ota(tag, parent=None, attrs=None, text_value=None):
    """Create an OTA element (optionally under a parent), skipping attributes that are None."""
    qname = "{%s}%s" % (OTA_NS, tag)
    if parent is None:
        element = etree.Element(qname, nsmap={None: OTA_NS})
    else:
        element = etree.SubElement(parent, qname)
    for key, value in (attrs or {}).items():
        if value is not None:
            element.set(key, str(value))
    if text_value is not None:
        element.text = str(text_value)
    return element


def serialize(element):
    return etree.tostring(element, encoding="utf-8", xml_declaration=True)


def fragment(xml_text):
    """Re-create an element from XML the sandbox itself stored (trusted, so no safety checks)."""
    return etree.fromstring(xml_text.encode("utf-8") if isinstance(xml_text, str) else xml_text)

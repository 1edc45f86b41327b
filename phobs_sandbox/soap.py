"""SOAP 1.1 envelopes in and out, WS-Security credentials, and Faults."""
from lxml import etree

from .errors import SoapFault
from .xmlutil import child, local, path, serialize, text

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
PASSWORD_TEXT = ("http://docs.oasis-open.org/wss/2004/01/"
                 "oasis-200401-wss-username-token-profile-1.0#PasswordText")


def open_envelope(root):
    """Return (header, payload) of a request; a bare OTA element is accepted as its own payload."""
    if local(root) != "Envelope":
        return None, root
    body = child(root, "Body")
    payload = None if body is None else next(iter(body), None)
    if payload is None:
        raise SoapFault("SOAP Body has no message")
    if local(payload) == "Fault":
        raise SoapFault("a Fault is not a request")
    return child(root, "Header"), payload


def wsse_credentials(header):
    """(username, password) of a UsernameToken, or None when the header carries none."""
    token = path(header, "Security", "UsernameToken")
    if token is None:
        return None
    password = child(token, "Password")
    password_type = password.get("Type") if password is not None else None
    if password_type not in (None, PASSWORD_TEXT):
        raise SoapFault("only #PasswordText UsernameTokens are supported")
    return text(child(token, "Username")) or "", text(password) or ""


def envelope(payload):
    root = etree.Element("{%s}Envelope" % SOAP_NS, nsmap={"soap": SOAP_NS})
    etree.SubElement(root, "{%s}Body" % SOAP_NS).append(payload)
    return serialize(root)


def fault_body(faultstring, faultcode="soap:Client"):
    root = etree.Element("{%s}Envelope" % SOAP_NS, nsmap={"soap": SOAP_NS})
    fault = etree.SubElement(etree.SubElement(root, "{%s}Body" % SOAP_NS), "{%s}Fault" % SOAP_NS)
    etree.SubElement(fault, "faultcode").text = faultcode
    etree.SubElement(fault, "faultstring").text = faultstring
    return serialize(root)

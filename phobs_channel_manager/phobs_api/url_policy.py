"""Which addresses a Production connection may use: framework-free, so it is unit-tested.

Production refuses plain ``http://`` (credentials and guest data must not travel in clear
text) and loopback hosts (Phobs cannot reach ``127.0.0.1`` of this server, and a loopback
"Phobs" is a test stand-in, not Phobs).
"""
import ipaddress
from urllib.parse import urlsplit

SANDBOX_URL = "http://127.0.0.1:8099"
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "0.0.0.0"}


def is_loopback(host):
    host = (host or "").lower().strip("[]")
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def production_url_problem(url, what):
    """Why ``url`` cannot serve a Production backend, in words, or ``None`` when it can.

    ``what`` names the address for the person reading ("The Phobs base URL").
    """
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme != "https":
        return ("%s must start with https:// in Production (it is %s): guest data and "
                "credentials must not travel unencrypted." % (what, url))
    if is_loopback(parts.hostname):
        return ("%s points at this machine (%s) in Production: Phobs cannot reach it there. "
                "Use the public address." % (what, parts.hostname))
    return None

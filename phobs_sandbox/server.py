"""HTTP routing: each request goes to its endpoint, through the fault phases, and gets counted.

The order for a SOAP request is fixed so tests can rely on it: read and parse (malformed -> Fault),
count it and log its EchoToken, draw "before" faults, authenticate, run the operation, then draw
"after" faults on the reply. A retried request therefore always leaves its EchoToken in the log,
even when a fault ate the first attempt.
"""
import ipaddress
import json
import logging
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import ota, soap, webhooks, xmlutil
from .auth import parse_authorization
from .errors import Conflict, ControlError, OtaError, SoapFault
from .faults import AFTER, BEFORE
from .operations import ENDPOINTS

log = logging.getLogger(__name__)
XML = "text/xml; charset=utf-8"
JSON = "application/json"
INJECTED_STATUS = {"http_500": 500, "http_503": 503, "http_429": 429}
ITEM_ELEMENTS = ("AvailStatusMessage", "RateAmountMessage", "HotelReservation")


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, sandbox):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.sandbox = sandbox


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "phobs-sandbox"
    #: The protocol endpoint being served, for the traffic counters (None for control calls).
    _endpoint = None

    def do_GET(self):
        self._route()

    def do_POST(self):
        self._route()

    def do_PUT(self):
        self._route()

    def do_DELETE(self):
        self._route()

    def log_message(self, format, *args):
        log.info("%s %s", self.address_string(), format % args)

    @property
    def sandbox(self):
        return self.server.sandbox

    def _route(self):
        url = urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        self._endpoint = None
        self._caller = None  # the hotel the request comes from, for hotel-filtered fault rules
        try:
            if path == "/_control" or path.startswith("/_control/"):
                self._control(path[len("/_control"):], url.query)
            elif path in ENDPOINTS:
                self._endpoint = path
                self._soap(path)
            elif path == "/auth/token":
                self._endpoint = path
                self._token()
            elif path == "/webhooks":
                self._endpoint = path
                self._webhooks()
            else:
                self._send(404, _json({"error": "not found"}), JSON)
        except Exception:
            log.exception("unhandled error on %s %s", self.command, self.path)
            self.close_connection = True
            if path in ENDPOINTS:
                self._send(500, soap.fault_body("internal error", "soap:Server"), XML)
            else:
                self._send(500, _json({"error": "internal error"}), JSON)

    # plumbing ---------------------------------------------------------------------------------

    def _body(self):
        """The request body, or None when it is over the size cap: then it is discarded unparsed
        (or not read at all when absurdly large) so the client still gets to read the refusal."""
        length = int(self.headers.get("Content-Length") or 0)
        if length > xmlutil.MAX_BODY_BYTES:
            self.close_connection = True
            if length <= 4 * xmlutil.MAX_BODY_BYTES:
                self._discard(length)
            return None
        body = self.rfile.read(length) if length > 0 else b""
        if self._endpoint:
            self.sandbox.store.count("endpoint", self._endpoint, requests=1, bytes_in=len(body))
        return body

    def _discard(self, length):
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                return
            length -= len(chunk)

    def _send(self, status, body, content_type, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        if self._endpoint:
            self.sandbox.store.count("endpoint", self._endpoint, bytes_out=len(body))
            self.sandbox.store.count("status", self._endpoint, **{str(status): 1})

    def _reply(self, status, body, content_type, operation, is_soap, headers=None):
        """Send a processed reply unless an "after" fault garbles it or drops the connection."""
        fired = self.sandbox.faults.draw(AFTER, self._endpoint, operation, is_soap,
                                         hotel=self._caller)
        if fired and fired[0]["kind"] == "drop_connection":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if fired:
            body = body[: len(body) // 2]
        self._send(status, body, content_type, headers)

    def _before(self, operation, is_soap, bearer=None, request=None, caller=None):
        """Carry out a "before" fault if one fires; True when it answered the request.

        ``caller``: the hotel the request claims to come from, or None."""
        faults = self.sandbox.faults
        self._caller = caller
        for rule in faults.draw(("latency",), self._endpoint, operation, is_soap, first_only=False,
                                hotel=caller):
            time.sleep(rule["latency_ms"] / 1000)
        kinds = tuple(k for k in BEFORE if k != "latency" and (k != "token_expiry" or bearer))
        fired = faults.draw(kinds, self._endpoint, operation, is_soap, hotel=caller)
        if not fired:
            return False
        rule = fired[0]
        kind = rule["kind"]
        if kind in INJECTED_STATUS:
            headers = ({} if rule["retry_after"] is None
                       else {"Retry-After": str(rule["retry_after"])})
            self._send(INJECTED_STATUS[kind], b"injected %s\n" % kind.encode(), "text/plain",
                       headers)
        elif kind == "soap_fault":
            self._send(500, soap.fault_body("injected fault", "soap:Server"), XML)
        elif kind == "token_expiry":
            self.sandbox.auth.revoke(bearer)
            self._unauthorized(is_soap)
        elif kind == "auth_timeout":
            if bearer:
                self.sandbox.auth.revoke(bearer)
            error = ota.auth_error("authentication timed out", timeout=True)
            self._send(200, soap.envelope(ota.rs(operation, request, errors=[error])), XML)
        else:
            error = ota.error(rule["code"], "injected", rule["error_type"])
            self._send(200, soap.envelope(ota.rs(operation, request, errors=[error])), XML)
        return True

    def _unauthorized(self, is_soap, reason="invalid or expired token"):
        headers = {"WWW-Authenticate": 'Bearer realm="phobs"'}
        if is_soap:
            self._send(401, soap.fault_body(reason), XML, headers)
        else:
            self._send(401, _json({"error": "invalid_token"}), JSON, headers)

    # SOAP endpoints ---------------------------------------------------------------------------

    def _soap(self, path):
        if self.command != "POST":
            self._send(405, soap.fault_body("use POST"), XML, {"Allow": "POST"})
            return
        body = self._body()
        try:
            if body is None:
                raise SoapFault("request exceeds %d bytes" % xmlutil.MAX_BODY_BYTES)
            header, payload = soap.open_envelope(xmlutil.parse(body))
        except SoapFault as fault:
            self._send(fault.status, soap.fault_body(fault.faultstring, fault.faultcode), XML)
            return
        operation = xmlutil.local(payload)
        items = sum(len(xmlutil.descendants(payload, name)) for name in ITEM_ELEMENTS)
        store = self.sandbox.store
        store.count("endpoint", path, elements=items)
        store.count("operation", operation, requests=1, elements=items)
        if payload.get("EchoToken"):
            store.log_echo_token(path, operation, payload.get("EchoToken"))
        if not self.sandbox.operations.supports(path, operation):
            self._send(500, soap.fault_body("%s is not served on %s" % (operation, path)), XML)
            return
        credentials = parse_authorization(self.headers.get("Authorization"))
        bearer = credentials[1] if credentials and credentials[0] == "bearer" else None
        if self._before(operation, True, bearer, payload,
                        self._claimed_hotel(bearer, self._wsse_username(header))):
            return
        try:
            principal = self._principal(bearer, header)
        except SoapFault as fault:
            if fault.status == 401:
                self._unauthorized(True, fault.faultstring)
            else:
                self._send(fault.status, soap.fault_body(fault.faultstring, fault.faultcode), XML)
            return
        except OtaError as err:
            reply = soap.envelope(ota.rs(operation, payload, errors=[err]))
            self._reply(200, reply, XML, operation, True)
            return
        reply = self.sandbox.operations.handle(principal, payload, path)
        self._reply(200, soap.envelope(reply), XML, operation, True)

    def _claimed_hotel(self, bearer=None, username=None, client_id=None):
        """The hotel whose credentials the request names, checked or not (fault rules filter
        on it before any authentication happens); None when it names none we know."""
        if bearer:
            return self.sandbox.auth.token_hotel(bearer)
        column, value = ("username", username) if username else ("client_id", client_id)
        hotel = self.sandbox.store.hotel_by_credential(column, value) if value else None
        return hotel["code"] if hotel else None

    @staticmethod
    def _wsse_username(header):
        try:
            return (soap.wsse_credentials(header) or (None,))[0]
        except SoapFault:
            return None  # refused by _principal, after the faults had their chance

    def _principal(self, bearer, header):
        """The hotel the caller may act for: bearer token first, else the WS-Security password."""
        if bearer:
            hotel = self.sandbox.auth.token_hotel(bearer)
            if hotel is None:
                raise SoapFault("invalid or expired token", status=401)
            return hotel
        credentials = soap.wsse_credentials(header)
        if credentials is None:
            raise SoapFault("authentication required", status=401)
        hotel = self.sandbox.auth.password_hotel(*credentials)
        if hotel is None:
            raise ota.auth_error("invalid username or password")
        return hotel

    # JSON endpoints of the protocol -----------------------------------------------------------

    def _json_body(self):
        raw = self._body()
        if raw is None:
            raise ControlError(413, "request exceeds %d bytes" % xmlutil.MAX_BODY_BYTES)
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as err:
            raise ControlError(400, "body is not JSON") from err

    def _token(self):
        """OAuth2 client credentials: HTTP Basic (or form fields) in, a bearer token out."""
        if self.command != "POST":
            self._send(405, _json({"error": "invalid_request"}), JSON, {"Allow": "POST"})
            return
        raw = self._body()
        if raw is None:
            self._send(413, _json({"error": "invalid_request"}), JSON)
            return
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        credentials = parse_authorization(self.headers.get("Authorization"))
        if credentials and credentials[0] == "basic":
            client_id, client_secret = credentials[1]
        else:
            client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
        if self._before(None, False, caller=self._claimed_hotel(client_id=client_id)):
            return
        if form.get("grant_type") != "client_credentials":
            self._reply(400, _json({"error": "unsupported_grant_type"}), JSON, None, False)
            return
        token = self.sandbox.auth.issue_token(client_id, client_secret)
        if token is None:
            self._reply(401, _json({"error": "invalid_client"}), JSON, None, False,
                        {"WWW-Authenticate": 'Basic realm="phobs"'})
            return
        self._reply(200, _json(token), JSON, None, False, {"Cache-Control": "no-store"})

    def _webhooks(self):
        if self.command not in ("GET", "PUT"):
            self._send(405, _json({"error": "method not allowed"}), JSON, {"Allow": "GET, PUT"})
            return
        try:
            body = self._json_body()
        except ControlError as err:
            self._send(err.status, _json({"error": err.message}), JSON)
            return
        credentials = parse_authorization(self.headers.get("Authorization"))
        bearer = credentials[1] if credentials and credentials[0] == "bearer" else None
        username = credentials[1][0] if credentials and credentials[0] == "basic" else None
        if self._before(None, False, bearer, caller=self._claimed_hotel(bearer, username)):
            return
        hotel = None
        if bearer:
            hotel = self.sandbox.auth.token_hotel(bearer)
        elif credentials:
            hotel = self.sandbox.auth.password_hotel(*credentials[1])
        if hotel is None:
            if credentials and credentials[0] == "basic":
                self._send(401, _json({"error": "invalid_client"}), JSON,
                           {"WWW-Authenticate": 'Basic realm="phobs"'})
            else:
                self._unauthorized(False)
            return
        if self.command == "GET":
            view = webhooks.view(self.sandbox.store.hotel(hotel))
            self._reply(200, _json(view), JSON, None, False)
            return
        try:
            view = webhooks.register(self.sandbox.store, hotel, body)
        except ValueError as err:
            self._send(400, _json({"error": str(err)}), JSON)
            return
        self._reply(200, _json(view), JSON, None, False)

    # control API ------------------------------------------------------------------------------

    def _control(self, path, query):
        if not ipaddress.ip_address(self.client_address[0].split("%")[0]).is_loopback:
            self._send(403, _json({"error": "the control API is loopback only"}), JSON)
            return
        try:
            body = self._json_body()
            params = {k: v[-1] for k, v in parse_qs(query).items()}
            status, reply = self.sandbox.control.dispatch(self.command, path, params, body)
        except ControlError as err:
            status, reply = err.status, dict(err.extra, error=err.message)
        except Conflict as err:
            status, reply = 409, {"error": "conflict", "reason": err.reason}
        except OtaError as err:
            status, reply = 400, {"error": err.text, "code": err.code}
        self._send(status, _json(reply), JSON)


def _json(value):
    return json.dumps(value, indent=1, sort_keys=True).encode("utf-8")

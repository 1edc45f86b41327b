"""A tiny PMS-side webhook: verifies the push signature on its own and answers as told."""
import hashlib
import hmac
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import ota_builders as ob


def expected_signature(secret, timestamp, body):
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return "sha256=" + digest


class Receiver:
    """Records each push as (verified, payload); ``replies`` is a queue of modes, then ``default``.

    Modes: "ok" (Success naming each reservation by Type 14 and 16, with a PMS id), "ok-unnamed"
    (bare Success), "errors" (an Errors RS), "http-500".
    """

    def __init__(self, secret="hook-secret"):
        self.secret = secret
        self.pushes = []
        self.replies = []
        self.default = "ok"
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                timestamp = self.headers.get("X-Phobs-Timestamp", "")
                verified = (hmac.compare_digest(self.headers.get("X-Phobs-Signature", ""),
                                                expected_signature(receiver.secret, timestamp, body))
                            and abs(time.time() - int(timestamp or 0)) < 300)
                payload = ob.payload_of(body)
                receiver.pushes.append((verified, payload))
                mode = receiver.replies.pop(0) if receiver.replies else receiver.default
                status, reply = receiver.answer(mode, payload)
                self.send_response(status)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/phobs/push" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    @staticmethod
    def answer(mode, request):
        if mode == "http-500":
            return 500, b"boom"
        rs = ob.el("OTA_HotelResNotifRS", EchoToken=request.get("EchoToken"), Version="1.0")
        if mode == "errors":
            ob.el("Error", ob.el("Errors", rs), "cannot store", Type="3", Code="450")
        else:
            ob.el("Success", rs)
            if mode == "ok":
                container = ob.el("HotelReservations", rs)
                for reservation in ob.findall(request, "HotelReservations/HotelReservation"):
                    ids = ob.unique_ids(reservation)
                    answered = ob.el("HotelReservation", container)
                    ob.el("UniqueID", answered, Type="14", ID=ids["14"])
                    ob.el("UniqueID", answered, Type="16", ID=ids["16"])
                    info = ob.el("ResGlobalInfo", answered)
                    ob.el("HotelReservationID", ob.el("HotelReservationIDs", info), ResID_Type="10",
                          ResID_Value="ODOO-" + ids["16"])
                    ob.el("BasicPropertyInfo", info, HotelCode="HTL1")
        return 200, ob.envelope(rs)

    def message_ids(self):
        return [ob.unique_ids(r)["16"] for _, payload in self.pushes
                for r in ob.findall(payload, "HotelReservations/HotelReservation")]

    def wait_for(self, count, timeout=5.0):
        deadline = time.monotonic() + timeout
        while len(self.pushes) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return len(self.pushes) >= count

    def close(self):
        self.server.shutdown()
        self.server.server_close()

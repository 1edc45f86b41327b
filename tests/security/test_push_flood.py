"""Flood: 100 forged pushes per second at one backend, from the same address Phobs uses, never
make a valid signed push fail. The server checks every signature first and throttles only the
sources that fail it (per backend and client address), so the forged requests are answered
401, then 429, while each correctly signed push is stored and answered 200 with Success.

Measured against the real server (threaded, as `make demo` runs it) with real threads; the
test asserts outcomes and overlaps, never durations. The achieved flood rate is printed and kept
in var/artifacts/push-flood.json."""
import json
import re
import threading
import time
import uuid

import httpx

from odoo.addons.phobs_channel_manager.controllers.main import AUTH_FAILURE_LIMIT
from odoo.addons.phobs_channel_manager.phobs_api.webhook import sign

from harness.processes import ARTIFACTS
from harness.sandbox import shared_sandbox

FLOOD_RATE = 100          # forged requests per second offered
FLOOD_THREADS = 16
VALID_PUSHES = 3


def envelope(reservation_xml):
    return (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<OTA_HotelResNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="1.0" '
        'EchoToken="%s" TimeStamp="2026-11-24T10:00:00Z"><HotelReservations>%s'
        '</HotelReservations></OTA_HotelResNotifRQ></soap:Body></soap:Envelope>'
        % (uuid.uuid4().hex[:8], re.sub(r"^<\?xml[^>]*\?>", "", reservation_xml))).encode()


def signed_headers(secret, body):
    timestamp = str(int(time.time()))
    return {"Content-Type": "text/xml; charset=utf-8", "X-Phobs-Timestamp": timestamp,
            "X-Phobs-Signature": sign(secret, timestamp, body)}


class Flood:
    """Threads offering ``FLOOD_RATE`` forged pushes per second until stopped; every answer is
    kept with its start and end time."""

    def __init__(self, url):
        self.url = url
        self.results = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._next = 0
        self._threads = [threading.Thread(target=self._run, daemon=True)
                         for _ in range(FLOOD_THREADS)]

    def start(self):
        self.started = time.monotonic()
        for thread in self._threads:
            thread.start()
        return self

    def _slot(self):
        """The time this thread's next request is due at, on one schedule shared by all."""
        with self._lock:
            due = self.started + self._next / FLOOD_RATE
            self._next += 1
        return due

    def _run(self):
        body = b"<soap:Envelope>forged</soap:Envelope>"
        with httpx.Client(timeout=60) as client:
            while not self._stop.is_set():
                delay = self._slot() - time.monotonic()
                if delay > 0 and self._stop.wait(delay):
                    return
                begun = time.monotonic()
                status = client.post(self.url, content=body,
                                     headers=signed_headers("guessed-" + uuid.uuid4().hex,
                                                            body)).status_code
                with self._lock:
                    self.results.append((begun, time.monotonic(), status))

    def count(self, status=None):
        with self._lock:
            return sum(1 for _b, _e, s in self.results if status in (None, s))

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(60)
        self.stopped = time.monotonic()


def test_valid_pushes_pass_while_forged_ones_flood_the_same_backend(admin, odoo_server):
    sandbox = shared_sandbox()
    hotel = sandbox.new_hotel({"DBL": 5})
    secret = "whsec-" + uuid.uuid4().hex
    backend_id = admin.call("phobs.backend", "create", {
        "name": "Flood %s" % hotel["code"], "hotel_code": hotel["code"], "base_url": sandbox.url,
        "push_mode": "scheduled", "client_id": hotel["credentials"]["client_id"],
        "client_secret": hotel["credentials"]["client_secret"], "webhook_secret": secret})
    room_type = admin.call("hotel.room.type", "create", {
        "name": "DBL %s" % hotel["code"], "phobs_code": "DBL", "phobs_backend_id": backend_id})
    for number in range(1, 6):
        admin.call("hotel.room", "create", {"name": "%s-%d" % (hotel["code"], number),
                                            "room_categ_id": room_type, "capacity": 2,
                                            "list_price": 90})
    bodies = []
    for offset in range(VALID_PUSHES):
        arrival = time.strftime("%Y-%m-%d", time.gmtime(time.time() + (30 + 3 * offset) * 86400))
        departure = time.strftime("%Y-%m-%d", time.gmtime(time.time() + (32 + 3 * offset) * 86400))
        sandbox.book(hotel["code"], channel="BDC", room_type="DBL", rate_plan="BAR",
                     arrival=arrival, departure=departure)
    for message in sandbox.call("GET", "/messages", params={
            "hotel": hotel["code"], "include_xml": "1"})["messages"]:
        bodies.append(envelope(message["xml"]))
    assert len(bodies) == VALID_PUSHES

    url = "%s/phobs/webhook/%d" % (odoo_server.url, backend_id)
    flood = Flood(url).start()
    valid = []
    try:
        # The flood's source is throttled, and a full second's worth of forged requests was
        # answered, before the first valid push leaves.
        deadline = time.monotonic() + 120
        while flood.count() < FLOOD_RATE and time.monotonic() < deadline:
            time.sleep(0.05)
        assert flood.count(429), "the forged requests were never throttled"
        with httpx.Client(timeout=60) as client:
            for body in bodies:
                begun = time.monotonic()
                response = client.post(url, content=body, headers=signed_headers(secret, body))
                valid.append((begun, time.monotonic(), response.status_code, response.text))
    finally:
        flood.stop()

    for _begun, _ended, status, text in valid:
        assert status == 200, text[:500]
        assert "<Success" in text and "<Errors" not in text, text[:500]
    statuses = {status for _b, _e, status in flood.results}
    assert statuses <= {401, 429}, statuses
    # 401 until the limit, then 429 only (requests already past the check when the limit was
    # reached may still be answered 401: at most one per flood thread).
    assert AUTH_FAILURE_LIMIT <= flood.count(401) <= AUTH_FAILURE_LIMIT + FLOOD_THREADS
    first_valid, last_valid = valid[0][0], valid[-1][1]
    during = [r for r in flood.results if r[0] < last_valid and r[1] > first_valid]
    assert during, "no forged request overlapped the valid pushes"
    stored = admin.call("phobs.message", "search_read", [("backend_id", "=", backend_id)],
                        fields=["state", "source"])
    assert len(stored) == VALID_PUSHES, "forged requests wrote nothing, valid ones one each"
    assert {row["source"] for row in stored} == {"push"}

    figures = {
        "offered_rate_per_s": FLOOD_RATE,
        "forged_requests": len(flood.results),
        "achieved_rate_per_s": round(len(flood.results) / (flood.stopped - flood.started), 1),
        "answered_401": flood.count(401), "answered_429": flood.count(429),
        "forged_during_valid_pushes": len(during),
        "forged_rate_during_valid_pushes_per_s": round(len(during) / (last_valid - first_valid), 1),
        "valid_pushes": len(valid),
        "valid_push_seconds": [round(ended - begun, 3) for begun, ended, _s, _t in valid],
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "push-flood.json").write_text(json.dumps(figures, indent=2))
    print("push flood:", json.dumps(figures, sort_keys=True))
    admin.call("phobs.backend", "write", [backend_id], {"active": False})

"""The Phobs sandbox as a real process on loopback, and a client for its control API."""
import atexit
import re
import sys
import time
import uuid

import httpx

from .processes import VAR, ManagedProcess, free_port, wait_http

_shared = None


class Sandbox(ManagedProcess):
    def __init__(self, *extra_args):
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        argv = [sys.executable, "-m", "phobs_sandbox", "--port", str(self.port),
                "--log-level", "WARNING", *extra_args]
        super().__init__("sandbox", argv, VAR / "log" / ("sandbox-%d.log" % self.port))
        self.control = httpx.Client(base_url=self.url + "/_control", timeout=30)

    def wait_ready(self, timeout=30):
        wait_http(self.url + "/_control/hotels", timeout, self.process)
        return self

    def stop(self, *args, **kwargs):
        self.control.close()
        super().stop(*args, **kwargs)

    def call(self, method, path, **kwargs):
        response = self.control.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise AssertionError("sandbox %s %s -> %s %s" % (
                method, path, response.status_code, response.text))
        return response.json()

    def new_hotel(self, room_types, rate_plans=None, currency="EUR", timezone="UTC"):
        """A hotel of its own for one test: unique code and credentials."""
        code = "T" + uuid.uuid4().hex[:10].upper()
        secret = uuid.uuid4().hex
        hotel = {
            "name": "Test hotel %s" % code, "currency": currency, "timezone": timezone,
            "credentials": {"client_id": code.lower(), "client_secret": secret,
                            "username": code.lower(), "password": secret},
            "room_types": [{"code": c, "name": c, "units": n} for c, n in room_types.items()],
            "rate_plans": rate_plans or [{"code": "BAR", "name": "Best Available Rate",
                                          "room_types": list(room_types)}],
        }
        self.call("PUT", "/hotels/%s" % code, json=hotel)
        return dict(hotel, code=code)

    def book(self, hotel_code, **booking):
        return self.call("POST", "/bookings", json=dict(booking, hotel=hotel_code))

    def messages(self, hotel_code, state=None):
        params = {"hotel": hotel_code}
        if state:
            params["state"] = state
        return self.call("GET", "/messages", params=params)["messages"]

    def availability(self, hotel_code, room_type, date_from, date_to):
        reply = self.call("GET", "/hotels/%s/availability" % hotel_code, params={
            "room_type": room_type, "from": str(date_from), "to": str(date_to)})
        return reply["availability"][room_type]


def shared_sandbox():
    """One sandbox for the whole test session (hotels keep tests apart), stopped at exit."""
    global _shared
    if _shared is None:
        _shared = Sandbox("--seed", "7").wait_ready()
        atexit.register(_shared.stop)
    return _shared

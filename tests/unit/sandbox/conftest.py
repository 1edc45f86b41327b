"""A real sandbox process on a free loopback port, the 2016B schemas, and a clean world per test.

The sandbox is exercised only over HTTP (raw httpx + lxml), the way the addon will meet it.
"""
import pathlib
import select
import signal
import subprocess
import sys
import tempfile
from datetime import date, timedelta

import httpx
import pytest
from lxml import etree

from harness.ota_schemas import ota_xsd_dir

from . import ota_builders as ob
from .webhook_receiver import Receiver

REPO = pathlib.Path(__file__).resolve().parents[3]
XSD_DIR = ota_xsd_dir()

HOTEL_1 = {
    "code": "HTL1", "name": "Hotel Lungomare", "currency": "EUR", "timezone": "Europe/Zagreb",
    "default_rate": "100.00",
    "credentials": {"client_id": "htl1-client", "client_secret": "htl1-secret",
                    "username": "htl1", "password": "htl1-pass"},
    "room_types": [{"code": "SGL", "name": "Single", "units": 2},
                   {"code": "DBL", "name": "Double", "units": 5},
                   {"code": "APT", "name": "Apartment", "units": 1}],
    "rate_plans": [{"code": "BAR", "name": "Best Available Rate"},
                   {"code": "NRF", "name": "Non-refundable", "room_types": ["DBL"],
                    "default_rate": "80.00"}],
}
HOTEL_2 = {
    "code": "HTL2", "name": "Pension Tramontana", "currency": "EUR", "timezone": "Europe/Zagreb",
    "credentials": {"client_id": "htl2-client", "client_secret": "htl2-secret",
                    "username": "htl2", "password": "htl2-pass"},
    "room_types": [{"code": "DBL", "name": "Double", "units": 3}],
    "rate_plans": [{"code": "BAR", "name": "Best Available Rate"}],
}


def day(offset):
    """An ISO date ``offset`` days from today (tests keep clear of hotel-local 'today')."""
    return (date.today() + timedelta(days=offset)).isoformat()


class SandboxProcess:
    """``python -m phobs_sandbox`` as a child process; ``url`` once it printed its listening line."""

    def __init__(self, *args, timeout=30):
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "phobs_sandbox", "--port", "0", *args], cwd=REPO,
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        self.line = self.proc.stdout.readline() if ready else ""
        if not self.line.startswith("phobs-sandbox listening on http://"):
            self.stop(signal.SIGKILL)
            raise RuntimeError("sandbox did not start: %r\n%s" % (self.line, self.stderr()))
        self.url = self.line.split()[-1]

    def stderr(self):
        self.log.seek(0)
        return self.log.read()

    def stop(self, signum=signal.SIGTERM, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
        try:
            return self.proc.wait(timeout)
        finally:
            self.proc.stdout.close()
            self.log.close()


class Schemas:
    """2016B validation of any OTA message by its root name; each schema loaded once."""

    def __init__(self, directory):
        self.directory = directory
        self._cache = {}

    def assert_valid(self, element):
        name = etree.QName(element).localname
        if name not in self._cache:
            self._cache[name] = etree.XMLSchema(etree.parse(str(self.directory / (name + ".xsd"))))
        schema = self._cache[name]
        assert schema.validate(element), "%s invalid: %s" % (name, schema.error_log)


class World:
    """One test's view of the sandbox: control calls, tokens, and authenticated SOAP exchanges."""

    def __init__(self, url, schemas):
        self.url = url
        self.schemas = schemas
        self.http = httpx.Client(base_url=url, timeout=30)
        self._tokens = {}

    def control(self, method, path, expect=200, **kwargs):
        response = self.http.request(method, "/_control" + path, **kwargs)
        assert response.status_code == expect, response.text
        return response.json()

    def token(self, hotel=HOTEL_1):
        if hotel["code"] not in self._tokens:
            creds = hotel["credentials"]
            response = self.http.post("/auth/token", data={"grant_type": "client_credentials"},
                                      auth=(creds["client_id"], creds["client_secret"]))
            assert response.status_code == 200, response.text
            self._tokens[hotel["code"]] = response.json()["access_token"]
        return self._tokens[hotel["code"]]

    def post(self, path, payload, auth="bearer", hotel=HOTEL_1, validate=True):
        """POST an OTA payload in SOAP; returns the response. Valid RQs are checked against 2016B."""
        if validate:
            self.schemas.assert_valid(payload)
        headers = {"Content-Type": "text/xml; charset=utf-8",
                   "SOAPAction": '"%s"' % etree.QName(payload).localname}
        if auth == "bearer":
            headers["Authorization"] = "Bearer " + self.token(hotel)
            body = ob.envelope(payload)
        elif auth == "wsse":
            creds = hotel["credentials"]
            body = ob.envelope(payload, creds["username"], creds["password"])
        else:
            body = ob.envelope(payload)
        return self.http.post(path, content=body, headers=headers)

    def soap(self, path, payload, **kwargs):
        """POST and return the RS, asserting HTTP 200 and a 2016B-valid reply."""
        response = self.post(path, payload, **kwargs)
        assert response.status_code == 200, response.text
        rs = ob.payload_of(response.content)
        self.schemas.assert_valid(rs)
        return rs

    def ok(self, path, payload, **kwargs):
        rs = self.soap(path, payload, **kwargs)
        assert ob.is_success(rs), etree.tostring(rs)
        return rs

    def book(self, expect=201, **booking):
        return self.control("POST", "/bookings", expect=expect, json=dict({"hotel": "HTL1"}, **booking))

    def availability(self, room_type, start, end, hotel="HTL1"):
        found = self.control("GET", "/hotels/%s/availability" % hotel,
                             params={"room_type": room_type, "from": start, "to": end})
        return found["availability"][room_type]

    def pull(self, hotel=HOTEL_1, **kwargs):
        return ob.reservations_of(self.ok("/reservations", ob.read_rq(hotel["code"], **kwargs), hotel=hotel))


@pytest.fixture(scope="session")
def schemas():
    if not (XSD_DIR / "OTA_ResRetrieveRS.xsd").is_file():
        pytest.fail("OTA 2016B schemas not found in %s (set PHOBS_OTA_XSD_DIR)" % XSD_DIR)
    return Schemas(XSD_DIR)


@pytest.fixture(scope="session")
def sandbox_process():
    process = SandboxProcess("--seed", "11", "--push-retry-base", "0.2")
    yield process
    assert process.stop() == 0, process.stderr()


@pytest.fixture
def world(sandbox_process, schemas):
    """A reset sandbox holding HOTEL_1 and HOTEL_2, no faults, push off."""
    world = World(sandbox_process.url, schemas)
    world.control("POST", "/reset")
    for hotel in (HOTEL_1, HOTEL_2):
        world.control("PUT", "/hotels/" + hotel["code"], json=hotel)
    yield world
    world.http.close()


@pytest.fixture
def receiver(world):
    """A webhook receiver registered for HOTEL_1 through ``PUT /webhooks``."""
    receiver = Receiver()
    response = world.http.put("/webhooks", headers={"Authorization": "Bearer " + world.token()},
                              json={"url": receiver.url, "secret": receiver.secret})
    assert response.status_code == 200, response.text
    yield receiver
    receiver.close()

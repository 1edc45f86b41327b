"""``python -m phobs_sandbox``: startup line, config file, signals, options, persistence."""
import json
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from lxml import etree

from . import ota_builders as ob
from .conftest import HOTEL_2, REPO, SandboxProcess, World


def _control(process, method, path, **kwargs):
    response = httpx.request(method, process.url + "/_control" + path, timeout=30, **kwargs)
    assert response.status_code < 300, response.text
    return response.json()


def test_a_config_file_defines_the_hotels(tmp_path):
    config = tmp_path / "hotel.json"
    config.write_text(json.dumps({"hotels": [HOTEL_2]}), encoding="utf-8")
    process = SandboxProcess("--config", str(config))
    try:
        assert process.line.strip() == "phobs-sandbox listening on %s" % process.url
        hotels = _control(process, "GET", "/hotels")["hotels"]
        assert [(h["code"], h["has_client_secret"], "client_secret" in h) for h in hotels] == [
            ("HTL2", True, False)]
    finally:
        assert process.stop(signal.SIGINT) == 0


@pytest.mark.parametrize("content, message", [
    ("{", "Expecting"), (json.dumps({"hotels": [{"code": "X"}]}), "credentials"),
    (json.dumps({"rooms": []}), "hotels"),
])
def test_a_bad_config_file_stops_the_start_with_a_message(tmp_path, content, message):
    config = tmp_path / "hotel.json"
    config.write_text(content, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "phobs_sandbox", "--port", "0", "--config", str(config)],
                          cwd=REPO, capture_output=True, text=True, timeout=20)
    assert done.returncode == 2
    assert message in done.stderr


def test_the_background_simulator_books_on_its_own(schemas):
    process = SandboxProcess("--simulate-every", "0.05", "--seed", "5")
    try:
        deadline = time.monotonic() + 15
        while not _control(process, "GET", "/messages")["messages"] and time.monotonic() < deadline:
            time.sleep(0.05)
        message = _control(process, "GET", "/messages", params={"include_xml": "1"})["messages"][0]
        assert message["res_status"] == "Commit"
        notification = ob.rq("OTA_HotelResNotifRQ")
        ob.el("HotelReservations", notification).append(etree.fromstring(message["xml"].encode()))
        schemas.assert_valid(notification)
    finally:
        assert process.stop() == 0


def test_a_database_file_keeps_state_and_ids_across_restarts(tmp_path):
    db = str(tmp_path / "sandbox.sqlite")
    booking = {"hotel": "DEMO01", "room_type": "DBL", "rate_plan": "BAR", "arrival": "2030-05-01",
               "departure": "2030-05-03"}
    first = SandboxProcess("--db", db)
    try:
        made = _control(first, "POST", "/bookings", json=booking)
    finally:
        assert first.stop() == 0
    second = SandboxProcess("--db", db)
    try:
        assert _control(second, "GET", "/bookings/" + made["reservation_id"])["status"] == "Commit"
        again = _control(second, "POST", "/bookings", json=booking)
        assert again["message_id"] != made["message_id"]
        assert _control(second, "GET", "/hotels/DEMO01/availability",
                        params={"room_type": "DBL", "from": "2030-05-01", "to": "2030-05-01"}
                        )["availability"]["DBL"] == {"2030-05-01": 8}
    finally:
        assert second.stop() == 0


def test_push_and_page_size_options(schemas):
    process = SandboxProcess("--push", "--page-size", "2")
    try:
        assert _control(process, "GET", "/webhook")["push"] is True
        for offset in range(3):
            _control(process, "POST", "/bookings", json={
                "hotel": "DEMO01", "room_type": "SGL", "rate_plan": "BAR",
                "arrival": "2030-06-%02d" % (offset + 1), "departure": "2030-06-%02d" % (offset + 2)})
        world = World(process.url, schemas)
        demo = {"code": "DEMO01", "credentials": {"username": "demo01", "password": "demo01-password"}}
        rs = world.soap("/reservations", ob.read_rq("DEMO01"), auth="wsse", hotel=demo)
        assert len(ob.reservations_of(rs)) == 2 and rs.get("MoreIndicator") == "true"
        world.http.close()
    finally:
        assert process.stop() == 0


def _non_loopback_address():
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.254.254.254", 9))
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address


def test_the_control_api_answers_loopback_only():
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this host has no non-loopback IPv4 address to call from")
    process = SandboxProcess("--host", "0.0.0.0")
    try:
        port = process.url.rsplit(":", 1)[1]
        response = httpx.get("http://%s:%s/_control/stats" % (address, port), timeout=10)
        assert response.status_code == 403
        assert httpx.post("http://%s:%s/auth/token" % (address, port), timeout=10).status_code == 400
    finally:
        assert process.stop() == 0

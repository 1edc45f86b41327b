"""Killing the Odoo worker between storing and acknowledging loses nothing.

A pull stores a page (``received`` messages), commits, acknowledges, and only then applies the
stored messages to the front desk; the kill lands after the commit, before the acknowledgement.

The worker is a real separate process committing to the real database; the sandbox holds its
acknowledgement request (injected latency) so the kill lands exactly in that window.
"""
import json
import subprocess
import time
from datetime import date, timedelta

import odoo

from committed_setup import committed_hotel, worker_argv
from harness.processes import ROOT


def _worker(database, *args, **popen):
    return subprocess.Popen(worker_argv(database, *args), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **popen)


def _committed(database, backend_id):
    with odoo.api.Environment.manage(), odoo.registry(database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        domain = [("backend_id", "=", backend_id)]
        return (env["phobs.message"].search_count(domain),
                env["phobs.message"].search_count(domain + [("state", "=", "processed")]),
                env["phobs.reservation"].search_count(domain),
                env["hotel.reservation"].search_count(
                    [("phobs_reservation_id.backend_id", "=", backend_id)]))


def _committed_hotel_with_bookings(database, prefix, bookings, channel, nights):
    """A sandbox hotel, its backend and rooms committed by a worker, and channel bookings."""
    sandbox, hotel, room, backend_id = committed_hotel(database, prefix, 5)
    for n in range(bookings):
        arrival = date.today() + timedelta(days=2 + n)
        sandbox.book(hotel["code"], room_type=room, rate_plan="BAR", channel=channel,
                     arrival=str(arrival), departure=str(arrival + timedelta(days=nights)))
    return sandbox, hotel, backend_id


def test_kill_between_store_and_acknowledge_loses_nothing(database):
    sandbox, hotel, backend_id = _committed_hotel_with_bookings(database, "K", 4, "BDC", nights=2)
    sandbox.call("POST", "/faults", json={"rules": [
        {"kind": "latency", "operation": "OTA_NotifReportRQ", "latency_ms": 120000, "count": 1}]})
    try:
        worker = _worker(database, "pull", str(backend_id))
        deadline = time.monotonic() + 120
        while _committed(database, backend_id)[0] < 4:  # stored and committed
            assert worker.poll() is None, worker.stderr.read()
            assert time.monotonic() < deadline, "the worker never stored the reservations"
            time.sleep(0.2)
        time.sleep(0.5)  # the worker is now waiting for Phobs to answer its acknowledgement
        worker.kill()
        worker.wait(30)
    finally:
        sandbox.call("DELETE", "/faults")

    # Stored, not yet applied: the worker died before it could even acknowledge.
    assert _committed(database, backend_id) == (4, 0, 0, 0)
    assert len(sandbox.messages(hotel["code"], "pending")) == 4  # Phobs never got the ack

    rerun = _worker(database, "pull", str(backend_id))
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert (result["received"], result["duplicates"], result["acknowledged"]) == (4, 4, 4)
    assert result["applied"] == 4
    assert sandbox.messages(hotel["code"], "pending") == []
    assert len(sandbox.messages(hotel["code"], "acked")) == 4
    assert _committed(database, backend_id) == (4, 4, 4, 4)


def test_two_workers_pulling_at_once_store_each_reservation_once(database):
    sandbox, hotel, backend_id = _committed_hotel_with_bookings(database, "W", 5, "EXP", nights=1)
    # Slow replies keep the first pull inside its lock while the second one starts.
    sandbox.call("POST", "/faults", json={"rules": [
        {"kind": "latency", "operation": "OTA_ReadRQ", "latency_ms": 1500, "count": 2}]})
    try:
        workers = [_worker(database, "pull", str(backend_id)) for _ in range(2)]
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        sandbox.call("DELETE", "/faults")

    assert sorted(r["skipped"] for r in results) == [False, True]  # the advisory lock held
    assert sum(r["stored"] for r in results) == 5
    assert _committed(database, backend_id) == (5, 5, 5, 5)
    assert sandbox.messages(hotel["code"], "pending") == []

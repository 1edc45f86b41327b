"""A property whose Phobs hangs does not hold up the others' turn in the crons: they serve the
properties in parallel, each in a transaction of its own, and return after a bounded wait.
Everything here commits for real (the crons' threads open their own cursors)."""
import threading
import time
from datetime import date, timedelta

import odoo

from committed_setup import committed_hotel

HANG_MS = 15000


def outbox_states(database, backend_id):
    with odoo.api.Environment.manage(), odoo.registry(database).cursor() as cr:
        cr.execute("SELECT state, count(*) FROM phobs_outbox WHERE backend_id = %s "
                   "GROUP BY state", (backend_id,))
        return dict(cr.fetchall())


def mark_dirty(database, backend_id, room):
    with odoo.api.Environment.manage(), odoo.registry(database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"phobs_no_flush_trigger": True})
        first = date.today() + timedelta(days=3)
        env["phobs.backend"].browse(backend_id)._phobs_mark_dirty(
            "availability", [room], str(first), str(first + timedelta(days=4)), force=True)


def run_cron_runner(database, backend_ids, finished, wait):
    """``run_per_backend_in_parallel`` as the cron worker calls it: from a thread that is not
    pytest's (which Odoo marks as testing), on a cursor of its own."""
    from odoo.addons.phobs_channel_manager.services.cron import run_per_backend_in_parallel
    from odoo.addons.phobs_channel_manager.services.inventory import PhobsInventoryService
    left = []

    def flush(env, backend):
        PhobsInventoryService(env, backend).flush()
        finished.append(backend.id)

    def run():
        with odoo.api.Environment.manage(), odoo.registry(database).cursor() as cr:
            backends = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["phobs.backend"].browse(
                backend_ids)
            left.extend(run_per_backend_in_parallel(backends, flush, "outbox flush", wait=wait))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    return left


def test_a_hanging_property_does_not_hold_up_the_others(database):
    sandbox, hanging_hotel, hanging_room, hanging = committed_hotel(database, "H", 2)
    _sandbox, _hotel, healthy_room, healthy = committed_hotel(database, "K", 2)
    mark_dirty(database, hanging, hanging_room)
    mark_dirty(database, healthy, healthy_room)
    sandbox.call("POST", "/faults", json={"rules": [
        {"kind": "latency", "latency_ms": HANG_MS, "hotel": hanging_hotel["code"]}]})
    finished = []
    try:
        # The hanging property comes first, as the lower id; the runner returns before its
        # answer came and leaves it to finish in its thread.
        left = run_cron_runner(database, [hanging, healthy], finished, wait=3)
        assert hanging in left
        deadline = time.monotonic() + 120
        while len(finished) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        sandbox.call("DELETE", "/faults")
    assert finished == [healthy, hanging]
    assert outbox_states(database, healthy).get("pending", 0) == 0

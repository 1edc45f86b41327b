"""On a real server, threaded or prefork, a push is answered once stored and reaches the front
desk by itself right after, in the background: no pull, no cron (the harness server runs none)."""
import time
from datetime import date, timedelta

import odoo
import pytest

from committed_setup import committed_hotel, run_worker
from harness.processes import OdooServer


def _states(database, backend_id):
    with odoo.api.Environment.manage(), odoo.registry(database).cursor() as cr:
        cr.execute("SELECT state, count(*) FROM phobs_message WHERE backend_id = %s "
                   "GROUP BY state", (backend_id,))
        messages = dict(cr.fetchall())
        cr.execute("SELECT count(*) FROM hotel_reservation r JOIN phobs_reservation p "
                   "ON p.id = r.phobs_reservation_id WHERE p.backend_id = %s AND r.state = "
                   "'confirm'", (backend_id,))
        return messages, cr.fetchone()[0]


@pytest.mark.parametrize("workers", [0, 2], ids=["threaded", "prefork"])
def test_pushed_bookings_reach_the_front_desk_without_pull_or_cron(database, workers):
    sandbox, hotel, room, backend_id = committed_hotel(database, "B", 10)
    server = OdooServer(database, workers=workers).wait_ready()
    try:
        run_worker(database, "register", str(backend_id), server.url)
        for n in range(3):
            arrival = date.today() + timedelta(days=3 + n)
            sandbox.book(hotel["code"], room_type=room, rate_plan="BAR", channel="EXP",
                         arrival=str(arrival), departure=str(arrival + timedelta(days=1)))
        summary = sandbox.call("POST", "/webhook/push-now")
        assert summary["acknowledged"] == 3
        deadline = time.monotonic() + 60
        while _states(database, backend_id) != ({"processed": 3}, 3):
            assert time.monotonic() < deadline, _states(database, backend_id)
            time.sleep(0.2)
    finally:
        server.stop()
    assert sandbox.messages(hotel["code"], "pending") == []

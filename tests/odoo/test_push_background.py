"""On a real server, threaded or prefork, a push is answered once stored and reaches the front
desk by itself right after, in the background: no pull, no cron (the harness server runs none)."""
import time
import xmlrpc.client
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


def _folios_pending(database, backend_id):
    with odoo.api.Environment.manage(), odoo.registry(database).cursor() as cr:
        cr.execute("SELECT count(*) FILTER (WHERE m.state = 'processed'), "
                   "count(*) FILTER (WHERE r.folio_state = 'pending') FROM phobs_message m "
                   "LEFT JOIN phobs_reservation r ON r.id = m.phobs_reservation_id "
                   "WHERE m.backend_id = %s", (backend_id,))
        return cr.fetchone()


def _front_desk_booking(server, database, room_code, night):
    """A receptionist's booking of one night, created and confirmed over RPC on the server."""
    common = xmlrpc.client.ServerProxy(server.url + "/xmlrpc/2/common")
    uid = common.authenticate(database, "admin", "admin", {})
    rpc = xmlrpc.client.ServerProxy(server.url + "/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args):
        return rpc.execute_kw(database, uid, "admin", model, method, list(args))
    room_type = call("hotel.room.type", "search", [("phobs_code", "=", room_code)])[0]
    room = call("hotel.room", "search", [("room_categ_id", "=", room_type)])[0]
    partner = call("res.partner", "create", {"name": "Walk-in guest"})
    reservation = call("hotel.reservation", "create", {
        "partner_id": partner, "partner_invoice_id": partner, "partner_order_id": partner,
        "partner_shipping_id": partner, "adults": 1,
        "pricelist_id": call("product.pricelist", "search", [])[0],
        "checkin": "%s 14:00:00" % night, "checkout": "%s 11:00:00" % (night + timedelta(1)),
        "reservation_line": [(0, 0, {"categ_id": room_type, "reserve": [(6, 0, [room])]})]})
    call("hotel.reservation", "confirmed_reservation", [reservation])


def test_a_front_desk_booking_reaches_phobs_while_a_burst_is_still_being_billed(database):
    """The server's background thread builds a burst's folios (tens of milliseconds each); the
    availability a receptionist's booking moved goes out between two of them, not after all."""
    sandbox, hotel, room, backend_id = committed_hotel(database, "W", 5)
    server = OdooServer(database).wait_ready()
    try:
        run_worker(database, "register", str(backend_id), server.url)
        first = date.today() + timedelta(days=10)
        for n in range(60):
            arrival = first + timedelta(days=n)
            sandbox.book(hotel["code"], room_type=room, rate_plan="BAR", channel="BDC",
                         arrival=str(arrival), departure=str(arrival + timedelta(days=1)))
        assert sandbox.call("POST", "/webhook/push-now")["acknowledged"] == 60
        deadline = time.monotonic() + 120
        while _folios_pending(database, backend_id)[0] < 60:  # all placed; folios being built
            assert time.monotonic() < deadline
            time.sleep(0.05)
        night = first + timedelta(days=100)
        assert sandbox.availability(hotel["code"], room, night, night)[str(night)] == 5

        _front_desk_booking(server, database, room, night)
        pending_at_confirm = _folios_pending(database, backend_id)[1]
        while sandbox.availability(hotel["code"], room, night, night)[str(night)] != 4:
            assert time.monotonic() < deadline, "the availability never reached Phobs"
            time.sleep(0.02)
        pending_when_sent = _folios_pending(database, backend_id)[1]
    finally:
        server.stop()
    assert pending_at_confirm > 10, "the burst's folios were still to build at the booking"
    assert pending_when_sent > 0, "the availability waited for every folio of the burst"

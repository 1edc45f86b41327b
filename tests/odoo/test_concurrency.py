"""Two Odoo HTTP workers taking pushes while two cron-like processes pull and flush at once:
no reservation twice, no outbox row lost. Everything here commits for real."""
import threading
from datetime import date, timedelta

import odoo
import psycopg2
from odoo.addons.phobs_channel_manager.services.inventory import PhobsInventoryService

from committed_setup import committed_hotel, run_worker
from harness.processes import OdooServer


def db_state(database, backend_id):
    with odoo.api.Environment.manage(), odoo.registry(database).cursor() as cr:
        cr.execute("SELECT external_id, count(*) FROM phobs_reservation WHERE backend_id = %s "
                   "GROUP BY external_id", (backend_id,))
        bindings = dict(cr.fetchall())
        cr.execute("SELECT state, count(*) FROM phobs_outbox WHERE backend_id = %s GROUP BY state",
                   (backend_id,))
        outbox = dict(cr.fetchall())
        cr.execute("SELECT count(*) FROM hotel_reservation r JOIN phobs_reservation p "
                   "ON p.id = r.phobs_reservation_id WHERE p.backend_id = %s", (backend_id,))
        front_desk = cr.fetchone()[0]
    return bindings, outbox, front_desk


def test_workers_pulling_pushing_and_flushing_at_once(database):
    sandbox, hotel, room, backend_id = committed_hotel(database, "C", 40)
    server = OdooServer(database, workers=2).wait_ready()
    try:
        run_worker(database, "register", str(backend_id), server.url)
        for n in range(30):
            arrival = date.today() + timedelta(days=1 + n % 20)
            sandbox.book(hotel["code"], room_type=room, rate_plan="BAR", channel="BDC",
                         arrival=str(arrival), departure=str(arrival + timedelta(days=2)))
        errors = []

        def in_thread(target):
            def run():
                try:
                    target()
                except Exception as err:  # surfaced by the assertion below
                    errors.append(repr(err))
            thread = threading.Thread(target=run)
            thread.start()
            return thread

        threads = [
            in_thread(lambda: [sandbox.call("POST", "/webhook/push-now") for _ in range(3)]),
            in_thread(lambda: [run_worker(database, "pull", str(backend_id)) for _ in range(2)]),
            in_thread(lambda: [run_worker(database, "pull", str(backend_id)) for _ in range(2)]),
            in_thread(lambda: [run_worker(database, "flush", str(backend_id)) for _ in range(2)]),
        ]
        for thread in threads:
            thread.join(300)
        assert not errors, "\n".join(errors)
    finally:
        server.stop()
    # Stopping the server may cut a background apply short; the next cron run finishes it.
    run_worker(database, "pull", str(backend_id))
    run_worker(database, "flush", str(backend_id))

    bindings, outbox, front_desk = db_state(database, backend_id)
    assert len(bindings) == 30
    assert set(bindings.values()) == {1}
    assert front_desk == 30
    assert sandbox.messages(hotel["code"], "pending") == []
    assert outbox.get("pending", 0) == 0 and outbox.get("dead", 0) == 0
    assert outbox.get("done", 0) >= 30  # every booking marked its nights, every row was sent


def test_a_flush_skips_a_row_changed_after_its_snapshot_instead_of_failing(database):
    """Odoo's transactions are REPEATABLE READ: locking a row another worker changed after this
    transaction's snapshot fails to serialize. The row is that worker's; this flush leaves it
    to the next run and goes on with the rest of its transaction."""
    _sandbox, _hotel, room, backend_id = committed_hotel(database, "S", 2)
    registry = odoo.registry(database)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["phobs.outbox"].search([("backend_id", "=", backend_id)]).unlink()
        row_id = env["phobs.outbox"].create({
            "backend_id": backend_id, "kind": "availability", "room_type_code": room,
            "date_from": str(date.today()), "date_to": str(date.today())}).id
    with odoo.api.Environment.manage(), registry.cursor() as late, registry.cursor() as other:
        env = odoo.api.Environment(late, odoo.SUPERUSER_ID, {})
        backend = env["phobs.backend"].browse(backend_id)
        late.execute("SELECT count(*) FROM phobs_outbox")  # this transaction's snapshot
        other.execute("UPDATE phobs_outbox SET attempts = 1 WHERE id = %s", (row_id,))
        other.commit()
        assert not env["phobs.outbox"]._claim(backend, ["availability"])
        late.execute("SELECT count(*) FROM phobs_outbox WHERE id = %s", (row_id,))
        assert late.fetchone() == (1,)  # the transaction goes on
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        claimed = env["phobs.outbox"]._claim(env["phobs.backend"].browse(backend_id),
                                             ["availability"])
        assert claimed.ids == [row_id]
        claimed.unlink()


def test_a_flush_older_than_another_flush_sends_nothing(database):
    """Odoo's transactions are REPEATABLE READ and a flush takes its snapshot before its lock.
    A flush whose snapshot predates another flush's commit works from front-desk figures that
    flush already dealt with: it put an older figure back at Phobs and recorded it as
    accepted, leaving nothing pending to correct it (the soak's nights one room short). Such a
    flush sends nothing; the next run, with a fresh snapshot, takes its rows."""
    sandbox, hotel, room, backend_id = committed_hotel(database, "O", 5)
    run_worker(database, "flush", str(backend_id))  # Phobs and Odoo agree: 5 rooms
    registry = odoo.registry(database)
    night = date.today() + timedelta(days=5)

    def set_out_of_service(cr, flag):
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"phobs_no_flush_trigger": True})
        env["hotel.room"].search([("name", "=", "%s-1" % room)]).phobs_out_of_service = flag

    def flush(cr):
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"phobs_no_flush_trigger": True})
        try:  # as the crons run it: a flush that fails is rolled back
            PhobsInventoryService(env, env["phobs.backend"].browse(backend_id)).flush()
            cr.commit()
        except psycopg2.Error:
            cr.rollback()

    with odoo.api.Environment.manage():
        with registry.cursor() as cr:
            set_out_of_service(cr, True)  # 4 rooms; its rows are not taken by the first flush
        with registry.cursor() as holder, registry.cursor() as older, \
                registry.cursor() as newer:
            # Rows a flush does not take: due only later (retry backoff) or held by another
            # transaction at that moment.
            holder.execute("SELECT id FROM phobs_outbox WHERE backend_id = %s AND state = "
                           "'pending' FOR UPDATE", (backend_id,))
            older.execute("SELECT count(*) FROM phobs_outbox")  # this snapshot: 4 rooms
            with registry.cursor() as cr:
                set_out_of_service(cr, False)  # 5 rooms again
            flush(newer)  # sends 5
            holder.rollback()
            flush(older)
    run_worker(database, "flush", str(backend_id))

    with odoo.api.Environment.manage(), registry.cursor() as cr:
        cr.execute("SELECT count(*) FROM phobs_outbox WHERE backend_id = %s AND state = "
                   "'pending'", (backend_id,))
        assert cr.fetchone() == (0,)
    assert sandbox.availability(hotel["code"], room, night, night) == {str(night): 5}


def test_a_flush_with_nothing_to_send_does_not_make_a_concurrent_one_stale(database):
    """The minute cron flushing while a manager's change (a full resync, a room out of service)
    is still in its transaction finds none of that change's rows: it sends nothing and must
    leave the change's own flush its turn (the chain's resync once left two properties' whole
    horizon to the next run this way)."""
    sandbox, hotel, room, backend_id = committed_hotel(database, "N", 5)
    run_worker(database, "flush", str(backend_id))  # Phobs and Odoo agree: 5 rooms
    registry = odoo.registry(database)
    night = date.today() + timedelta(days=5)
    with odoo.api.Environment.manage(), registry.cursor() as change, \
            registry.cursor() as cron:
        env = odoo.api.Environment(change, odoo.SUPERUSER_ID, {"phobs_no_flush_trigger": True})
        env["hotel.room"].search([("name", "=", "%s-1" % room)]).phobs_out_of_service = True
        cron_env = odoo.api.Environment(cron, odoo.SUPERUSER_ID, {})
        idle = PhobsInventoryService(cron_env, cron_env["phobs.backend"].browse(backend_id))
        assert idle.flush().rows == 0
        cron.commit()

        result = PhobsInventoryService(env, env["phobs.backend"].browse(backend_id)).flush()
        change.commit()

    assert not result.stale and result.rows > 0
    assert sandbox.availability(hotel["code"], room, night, night) == {str(night): 4}

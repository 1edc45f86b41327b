"""Benchmarks (b)-(d) of the reservation flows, through real processes on loopback.

(b) webhook ingestion through the real Odoo server: throughput and p50/p95 latency of signed
    OTA_HotelResNotifRQ pushes (answered once stored; applied to the front desk in the
    background meanwhile), next to a trivial Odoo route measured in the same run, and the time
    until every pushed booking is in the front desk;
(c) latency from a front-desk booking (XML-RPC, as the web client does) to the new availability
    at the sandbox (after-commit trigger, no cron);
(d) a pull of 1,000 reservations: pages stored and acknowledged, then applied; wall time of
    each step, time and SQL statements per booking applied, peak memory of the pulling process.

Usage (make bench does it): python bench/reservation_flows.py DATABASE [webhook] [frontdesk] [pull]
The database must have both addons installed (devenv/testdb.sh); the bench commits into it.
"""
import os
import re
import resource
import statistics
import sys
import time
import uuid
import xmlrpc.client
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from harness.processes import VAR, OdooServer  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402

PUSHES = 60
#: The push burst against the trivial route is measured this many times (median printed).
RUNS = 5
#: Pushes and trivial requests alternate in batches of this many.
BATCH = 20
PULLED = int(os.environ.get("PHOBS_BENCH_PULLED", "1000"))  # fewer on a machine too busy for 1000


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def odoo_env(database):
    import odoo
    odoo.tools.config.parse_config(["-c", str(VAR / "odoo.conf"), "-d", database,
                                    "--log-level", "warn"])
    return odoo


def setup_backend(odoo, database, sandbox, room_units):
    hotel = sandbox.new_hotel(room_units)
    with odoo.api.Environment.manage(), odoo.registry(database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.user.company_id.partner_id.tz = "UTC"
        backend = env["phobs.backend"].create({
            "name": "Bench %s" % hotel["code"], "hotel_code": hotel["code"],
            "environment": "demo", "base_url": sandbox.url, "auth_mode": "oauth2",
            "client_id": hotel["credentials"]["client_id"],
            "client_secret": hotel["credentials"]["client_secret"],
            "webhook_secret": "bench-" + hotel["code"]})
        for code, units in room_units.items():
            room_type = env["hotel.room.type"].create({
                "name": "%s %s" % (code, hotel["code"]), "phobs_code": code,
                "phobs_backend_id": backend.id})
            for number in range(units):
                env["hotel.room"].create({"name": "%s-%d" % (room_type.name, number),
                                          "room_categ_id": room_type.id, "capacity": 3})
        return hotel, backend.id


def book_many(sandbox, hotel, room, count):
    for n in range(count):
        arrival = date.today() + timedelta(days=1 + n % 300)
        sandbox.book(hotel["code"], room_type=room, rate_plan="BAR", channel="BDC",
                     arrival=str(arrival), departure=str(arrival + timedelta(days=1)))


def push_bodies(sandbox, hotel):
    bodies = []
    for message in sandbox.call("GET", "/messages", params={
            "hotel": hotel["code"], "include_xml": "1", "state": "pending"})["messages"]:
        fragment = re.sub(r"^<\?xml[^>]*\?>", "", message["xml"])
        bodies.append((
            '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
            '<OTA_HotelResNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="1.0" '
            'EchoToken="%s" TimeStamp="2026-11-24T10:00:00Z"><HotelReservations>%s'
            '</HotelReservations></OTA_HotelResNotifRQ></soap:Body></soap:Envelope>'
            % (uuid.uuid4().hex, fragment)).encode())
    return bodies


def bench_webhook(odoo, database, sandbox, server):
    """The push burst against the trivial route, RUNS times with fresh bookings each run; the
    pushes and the trivial requests of a run alternate in batches, so that whatever else the
    machine does meanwhile slows both alike. Every run's bookings are applied before the next
    run starts (applying shares the server process with the pushes)."""
    hotel, backend_id = setup_backend(odoo, database, sandbox, {"PUSH": 200})
    book_many(sandbox, hotel, "PUSH", 10 + RUNS * PUSHES + PUSHES)
    bodies = push_bodies(sandbox, hotel)
    url = "%s/phobs/webhook/%d" % (server.url, backend_id)
    health = server.url + "/phobs/health"
    runs, load_before = [], _load_average()
    with httpx.Client(timeout=60) as http:
        for _ in range(20):  # warm the worker: registry, caches, connections
            http.get(health)
        send_pushes(http, url, hotel, bodies[:10])
        applied = 10
        wait_applied(odoo, database, backend_id, applied, time.perf_counter())
        wait_flushed(odoo, database, backend_id)
        bodies = bodies[10:]
        for run in range(RUNS):
            burst, bodies = bodies[:PUSHES], bodies[PUSHES:]
            first_push_at = time.perf_counter()
            pushes, trivial = _alternating(http, url, health, hotel, burst)
            last_reply_at = time.perf_counter()
            applied += len(burst)
            drained = wait_applied(odoo, database, backend_id, applied, last_reply_at)
            wait_flushed(odoo, database, backend_id)
            runs.append((pushes, trivial, last_reply_at + drained - first_push_at, drained))
        # Pushes that arrive while the server is busy applying earlier ones.
        sustained = bodies[:PUSHES]
        sustained_pushes = send_pushes(http, url, hotel, sustained[:PUSHES // 3])
        time.sleep(0.5)  # let applying start
        sustained_pushes += send_pushes(http, url, hotel, sustained[PUSHES // 3:])
        wait_applied(odoo, database, backend_id, applied + len(sustained), time.perf_counter())
    ratios = [100 * _rate(pushes) / _rate(trivial) for pushes, trivial, _, _ in runs]
    median_run = runs[sorted(range(RUNS), key=ratios.__getitem__)[RUNS // 2]]
    pushes, trivial, front_desk_s, drained = median_run
    print("webhook.ratio_median_of_5: %.1f %% (runs: %s; pushes p50 %.1f ms, trivial p50 %.1f ms)"
          % (statistics.median(ratios), ", ".join("%.1f" % ratio for ratio in ratios),
             1000 * percentile(pushes, 0.5), 1000 * percentile(trivial, 0.5)))
    print("webhook.load_average: %s before the runs, %s after (1/5/15 min, %d cores)"
          % (load_before, _load_average(), os.cpu_count()))
    print("webhook.throughput: %.1f pushes/s sequential (trivial route %.1f req/s, ratio %.1f%%), "
          "the median run" % (_rate(pushes), _rate(trivial), statistics.median(ratios)))
    print("webhook.latency_ms: p50 %.1f, p95 %.1f (trivial route p50 %.1f, p95 %.1f), %d pushes, "
          "the median run"
          % (1000 * percentile(pushes, 0.5), 1000 * percentile(pushes, 0.95),
             1000 * percentile(trivial, 0.5), 1000 * percentile(trivial, 0.95), len(pushes)))
    print("webhook.front_desk_s: all %d pushed bookings in the front desk %.1f s after the first "
          "push (%.1f s after the last reply), the median run" % (len(pushes), front_desk_s, drained))
    busy_rate = _rate(sustained_pushes)
    print("webhook.while_applying: %.1f pushes/s (ratio %.1f%%), p50 %.1f ms, p95 %.1f ms, %d "
          "pushes arriving while the same server applies earlier ones"
          % (busy_rate, 100 * busy_rate / _rate(trivial), 1000 * percentile(sustained_pushes, 0.5),
             1000 * percentile(sustained_pushes, 0.95), len(sustained_pushes)))


def _alternating(http, url, health, hotel, bodies):
    """The latencies of the pushes of ``bodies`` and of as many trivial requests, sent in
    alternating batches."""
    pushes, trivial = [], []
    for start in range(0, len(bodies), BATCH):
        for _ in range(min(BATCH, len(bodies) - start)):
            started = time.perf_counter()
            assert http.get(health).status_code == 200
            trivial.append(time.perf_counter() - started)
        pushes += send_pushes(http, url, hotel, bodies[start:start + BATCH])
    return pushes, trivial


def _rate(latencies):
    return len(latencies) / sum(latencies)


def _load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def send_pushes(http, url, hotel, bodies):
    """Signed pushes one after the other; the latency of each."""
    from odoo.addons.phobs_channel_manager.phobs_api.webhook import sign
    latencies = []
    for body in bodies:
        stamp = str(int(time.time()))
        signature = sign("bench-" + hotel["code"], stamp, body)
        started = time.perf_counter()
        response = http.post(url, content=body, headers={
            "Content-Type": "text/xml; charset=utf-8", "X-Phobs-Timestamp": stamp,
            "X-Phobs-Signature": signature})
        latencies.append(time.perf_counter() - started)
        assert response.status_code == 200 and b"Success" in response.content, response.text
    return latencies


def wait_applied(odoo, database, backend_id, expected, since):
    """Seconds from ``since`` until ``expected`` messages of the backend are applied."""
    while True:
        with odoo.api.Environment.manage(), odoo.registry(database).cursor() as cr:
            cr.execute("SELECT count(*) FROM phobs_message WHERE backend_id = %s "
                       "AND state = 'processed'", (backend_id,))
            if cr.fetchone()[0] >= expected:
                return time.perf_counter() - since
        if time.perf_counter() - since > 600:
            raise TimeoutError("pushed bookings were never applied")
        time.sleep(0.1)


def wait_flushed(odoo, database, backend_id):
    """Until the availability that applying moved is sent: the background thread sends it
    after the last booking is committed, and would otherwise share the CPU with the next run."""
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline:
        with odoo.api.Environment.manage(), odoo.registry(database).cursor() as cr:
            cr.execute("SELECT count(*) FROM phobs_outbox WHERE backend_id = %s AND state = "
                       "'pending' AND next_attempt_at <= now() at time zone 'UTC'", (backend_id,))
            if not cr.fetchone()[0]:
                return
        time.sleep(0.1)


def bench_frontdesk_latency(odoo, database, sandbox, server):
    hotel, backend_id = setup_backend(odoo, database, sandbox, {"FD": 10})
    rpc = xmlrpc.client.ServerProxy(server.url + "/xmlrpc/2/object", allow_none=True)
    uid = xmlrpc.client.ServerProxy(server.url + "/xmlrpc/2/common").authenticate(
        database, "admin", "admin", {})
    call = lambda model, method, *args: rpc.execute_kw(database, uid, "admin", model, method, list(args))  # noqa: E731
    room_type = call("hotel.room.type", "search", [("phobs_code", "=", "FD"),
                                                    ("phobs_backend_id", "=", backend_id)])[0]
    rooms = call("hotel.room", "search", [("room_categ_id", "=", room_type)])
    partner = call("res.partner", "create", {"name": "Bench guest"})
    pricelist = call("product.pricelist", "search", [])[0]
    latencies = []
    for n, room in enumerate(rooms[:5]):
        arrival = date.today() + timedelta(days=40 + 3 * n)
        reservation = call("hotel.reservation", "create", {
            "partner_id": partner, "partner_invoice_id": partner, "partner_order_id": partner,
            "partner_shipping_id": partner, "pricelist_id": pricelist, "adults": 1,
            "checkin": "%s 14:00:00" % arrival, "checkout": "%s 11:00:00" % (arrival + timedelta(days=1)),
            "reservation_line": [(0, 0, {"categ_id": room_type, "reserve": [(6, 0, [room])]})]})
        before = sandbox.availability(hotel["code"], "FD", arrival, arrival)[str(arrival)]
        started = time.perf_counter()
        call("hotel.reservation", "confirmed_reservation", [reservation])
        while sandbox.availability(hotel["code"], "FD", arrival, arrival)[str(arrival)] == before:
            if time.perf_counter() - started > 60:
                raise TimeoutError("availability never reached the sandbox")
            time.sleep(0.01)
        latencies.append(time.perf_counter() - started)
    print("frontdesk_to_sandbox.latency_ms: median %.0f, max %.0f over %d bookings "
          "(confirm RPC included)" % (1000 * statistics.median(latencies), 1000 * max(latencies),
                                      len(latencies)))


def book_pulled(sandbox, hotel, room, count):
    """Bookings as a pull brings them: each its own new guest, 1-3 nights, every fifth for two
    rooms, every tenth with two room stays (two parties), some with children."""
    for n in range(count):
        arrival = date.today() + timedelta(days=1 + n % 300)
        stay = {"room_type": room, "rate_plan": "BAR", "arrival": str(arrival),
                "departure": str(arrival + timedelta(days=1 + n % 3)),
                "units": 2 if n % 5 == 0 else 1, "adults": 2,
                "children": [4, 9] if n % 4 == 1 else []}
        stays = [stay, dict(stay, units=1, adults=1, children=[])] if n % 10 == 3 else [stay]
        sandbox.book(hotel["code"], channel="BDC", room_stays=stays, seed=n, guest={
            "email": "guest%d.%s@bench.example" % (n, hotel["code"].lower())})


class QueryCounter:
    """Counts the SQL statements a cursor runs, by kind (SELECT, INSERT, UPDATE, ...)."""

    def __init__(self, cr):
        self.kinds = {}
        execute = cr.execute

        def counted(query, params=None, log_exceptions=None):
            kind = str(query).lstrip().split(None, 1)[0].upper()
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
            return execute(query, params, log_exceptions)
        cr.execute = counted

    @property
    def total(self):
        return sum(self.kinds.values())


def bench_pull(odoo, database, sandbox):
    from odoo.addons.phobs_channel_manager.services.reservation_sync import (
        PhobsReservationSyncService)
    hotel, backend_id = setup_backend(odoo, database, sandbox, {"BIG": 60})
    book_pulled(sandbox, hotel, "BIG", PULLED)
    rss_before = peak_rss_mb()
    load_before = load_average()
    started = time.perf_counter()
    with odoo.api.Environment.manage(), odoo.registry(database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        backend = env["phobs.backend"].browse(backend_id).with_context(phobs_no_flush_trigger=True)
        service = PhobsReservationSyncService(env, backend)
        received = service.receive_pulled().received
        stored_at = time.perf_counter()
        queries = QueryCounter(cr)
        placed = mark_folio_stage(service.applier, queries)
        cpu_before = process_cpu_s()
        applied = service.apply_pending()
        finished = time.perf_counter()
        cpu = process_cpu_s() - cpu_before
        cr.execute("SELECT count(*) FROM hotel_reservation r JOIN phobs_reservation b "
                   "ON b.id = r.phobs_reservation_id WHERE b.backend_id = %s", (backend_id,))
        front_desk = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM hotel_folio f JOIN phobs_reservation b "
                   "ON b.id = f.phobs_reservation_id WHERE b.backend_id = %s", (backend_id,))
        folios = cr.fetchone()[0]
    assert not sandbox.messages(hotel["code"], "pending")
    assert received == applied == PULLED, (received, applied)
    assert front_desk == PULLED, front_desk  # two room stays of equal dates share one
    assert folios == PULLED, folios
    load = "%s at the start, %s at the end" % (load_before, load_average())
    place_s, folio_s = placed["at"] - stored_at, finished - placed["at"]
    place_cpu = placed["cpu"] - cpu_before
    folio_kinds = {kind: count - placed["kinds"].get(kind, 0)
                   for kind, count in queries.kinds.items()}
    print("pull_1000.time_s: %.1f for %d reservations (%.1f ms each): stored and acknowledged "
          "in %.1f s, placed in the front desk in %.1f s, every folio built %.1f s later "
          "(load average %s)"
          % (finished - started, received, 1000 * (finished - started) / received,
             stored_at - started, place_s, folio_s, load))
    print("pull_1000.apply_ms_per_booking: %.1f ms per booking placed (rooms held, reservation "
          "in the front desk, availability marked; the folio follows), %.1f ms of it this "
          "process's CPU (%d bookings, new guest each, 1-3 nights, a fifth for two rooms; load "
          "average %s)" % (1000 * place_s / applied, 1000 * place_cpu / applied, applied, load))
    print("pull_1000.queries_per_booking: %.0f SQL queries per booking placed (%s)"
          % (sum(placed["kinds"].values()) / applied, per_booking(placed["kinds"], applied)))
    print("pull_1000.folio_ms_per_booking: %.1f ms per booking for its folio (the second stage: "
          "the version note, then the folio's lines at the nightly prices, confirmed), %.1f ms "
          "of it this process's CPU (load average %s)"
          % (1000 * folio_s / applied, 1000 * (cpu - place_cpu) / applied, load))
    print("pull_1000.folio_queries_per_booking: %.0f SQL queries per booking for its folio (%s)"
          % (sum(folio_kinds.values()) / applied, per_booking(folio_kinds, applied)))
    print("pull_1000.total_ms_per_booking: %.1f ms per booking until every folio is built "
          "(placement and folio, %.0f queries; load average %s)"
          % (1000 * (finished - stored_at) / applied, queries.total / applied, load))
    print("pull_1000.peak_memory_mb: %.0f peak RSS of the pulling process (%.0f before the pull)"
          % (peak_rss_mb(), rss_before))


def mark_folio_stage(applier, queries):
    """``{"at", "cpu", "kinds"}`` as the applier starts its folio stage (filled in then): what
    comes before is placement, what comes after the folios."""
    placed = {}
    build_folios = applier.build_folios

    def marked(**kwargs):
        placed.update(at=time.perf_counter(), cpu=process_cpu_s(), kinds=dict(queries.kinds))
        return build_folios(**kwargs)
    applier.build_folios = marked
    return placed


def per_booking(kinds, bookings):
    return ", ".join("%s %.1f" % (kind, count / bookings)
                     for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1]) if count)


def load_average():
    with open("/proc/loadavg") as loadavg:
        return loadavg.read().split()[0]


def process_cpu_s():
    """CPU seconds of this process (user and system): less swayed by a busy machine than the
    wall clock, though PostgreSQL's share is not in it."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(database, *only):
    odoo = odoo_env(database)
    sandbox = Sandbox("--page-size", "100").wait_ready()
    server = OdooServer(database).wait_ready()
    try:
        try:
            if not only or "webhook" in only:
                bench_webhook(odoo, database, sandbox, server)
            if not only or "frontdesk" in only:
                bench_frontdesk_latency(odoo, database, sandbox, server)
        finally:
            server.stop()  # its crons would apply the pull's messages alongside the bench
        if not only or "pull" in only:
            bench_pull(odoo, database, sandbox)
    finally:
        sandbox.stop()


if __name__ == "__main__":
    main(*sys.argv[1:])

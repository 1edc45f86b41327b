"""A hotel chain in one database: N properties x room types x rate plans, a year of bookings,
one real Odoo server with ``--workers 4`` (and one cron worker) behind one PostgreSQL, and the
Phobs sandbox on loopback. By default 50 properties of 20 room types with 3 rooms each (60 rooms,
a mid-size hotel) and 3 rate plans, booked at ~40 % for the coming year: about 146,000 front-desk
bookings of 1-5 nights. Figures, one summary line each (``chain.<figure>: ...``):

- full resync of every property: requests, bytes, wall time. Staff press *Full resync* on each
  property (RPC ``action_full_resync``), four at a time, one per HTTP worker; the sum of the
  per-property times is what the nightly cron, which takes the properties one after another,
  spends;
- drift audit of every property (``phobs.ari.audit``, as the *Audit* button), four at a time;
- a burst of signed webhook pushes (default 2,000) spread over the properties, sent by several
  client threads: throughput, p50/p95 latency, and the time until every pushed booking is
  applied in the front desk;
- an outage of Phobs (the sandbox answers HTTP 503 to everything) during which every property
  makes 30 minutes' worth of front-desk changes through RPC (by default 3 new bookings,
  1 cancellation and 2 price edits per property, a busy afternoon's half hour for a 60-room
  hotel); then Phobs answers again and the outbox drains by the product's own means (the
  retries' backoff and the minute flush cron in the cron worker): rows queued, time to drain,
  requests. Run twice: all properties healthy, then with one property failing for good (its
  credentials revoked at Phobs) and another hanging (its Phobs answers nothing for longer than
  the client's read timeout: a latency rule of the sandbox naming that hotel), to show the
  others drain as fast as without them and that each costs no more than its own timeouts.

The pull cron, the daily resync and the nightly purges are switched off in the bench database
(the bench runs their work itself, and a pull would fetch the pushed bookings a second time);
the flush cron runs as in production. The database is copied from a template seeded once per
set of parameters (see bench/chain_seed.py for what is seeded by SQL and why).

Usage (make bench-chain does it): python bench/chain.py [--properties 50] [--pushes 2000] ...
"""
import argparse
import concurrent.futures
import logging
import random
import shutil
import statistics
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import psycopg2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import chain_seed  # noqa: E402
from harness.odoo_rpc import OdooRpc  # noqa: E402
from harness.processes import OdooServer  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402
from reservation_flows import odoo_env, percentile, push_bodies  # noqa: E402

DATABASE = "chain_bench"
#: The crons the bench switches off (see the module docstring); the flush cron stays on.
CRONS_OFF = ("cron_pull_reservations", "cron_full_resync", "cron_purge_logs")
DRAIN_TIMEOUT = 900
#: The hanging property's Phobs answers after this long, past the client's 60 s read timeout.
HANG_MS = 90000


def log(message):
    print("[chain %s] %s" % (time.strftime("%H:%M:%S"), message), flush=True)


def load():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class Chain:
    def __init__(self, args):
        self.args = args
        self.odoo = odoo_env(DATABASE)
        config = self.odoo.tools.config
        self.dsn = {"host": config["db_host"], "port": config["db_port"] or 5432,
                    "user": config["db_user"], "password": config["db_password"] or None}
        self.params = {"properties": args.properties, "types": args.types, "rooms": args.rooms,
                       "plans": args.plans, "occupancy": args.occupancy, "seed": args.seed}
        self.sandbox = self.server = None

    # -- databases ------------------------------------------------------------------------

    def psql(self, sql, params=None, database="postgres", fetch=False):
        connection = psycopg2.connect(dbname=database, **self.dsn)
        connection.autocommit = True
        try:
            with connection.cursor() as cr:
                cr.execute(sql, params)
                return cr.fetchall() if fetch else None
        finally:
            connection.close()

    def exists(self, name):
        return bool(self.psql("SELECT 1 FROM pg_database WHERE datname = %s", (name,),
                              fetch=True))

    def forget(self, name):
        """Closes this process's connections to ``name`` (a template must have none)."""
        self.odoo.modules.registry.Registry.delete(name)
        self.odoo.sql_db.close_db(name)

    def drop(self, name):
        self.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                  "AND usename = current_user AND pid <> pg_backend_pid()", (name,), fetch=True)
        self.psql('DROP DATABASE IF EXISTS "%s"' % name)

    def prepare_database(self):
        template = "chain_tmpl_" + chain_seed.seed_key(self.params)
        if self.exists(template):
            log("seed: template %s exists, seeding skipped" % template)
        else:
            building = template + "_wip"  # renamed once complete: a killed seed leaves no template
            self.drop(building)
            chain_seed.build_template(self.odoo, self.psql, building, self.params, log)
            self.forget(building)
            self.drop_stale_templates(template)
            self.psql('ALTER DATABASE "%s" RENAME TO "%s"' % (building, template))
            self._copy_filestore(building, template)
        started = time.perf_counter()
        self.drop(DATABASE)
        self.psql('CREATE DATABASE "%s" TEMPLATE "%s"' % (DATABASE, template))
        self._copy_filestore(template, DATABASE)
        log("database %s copied from the template in %.1f s"
            % (DATABASE, time.perf_counter() - started))

    def drop_stale_templates(self, template):
        """Templates of the same parameters for an older schema: a few GB each would pile up."""
        same_parameters = template.rsplit("_", 1)[0] + "\\_%%"
        for (name,) in self.psql("SELECT datname FROM pg_database WHERE datname LIKE %s "
                                 "AND datname NOT LIKE '%%\\_wip'", (same_parameters,),
                                 fetch=True):
            self.drop(name)

    def _copy_filestore(self, source, target):
        filestore = Path(self.odoo.tools.config.filestore(source))
        destination = Path(self.odoo.tools.config.filestore(target))
        shutil.rmtree(destination, ignore_errors=True)
        if filestore.exists():
            shutil.copytree(filestore, destination)

    def sql(self, query, params=None):
        return self.psql(query, params, database=DATABASE, fetch=True)

    def scalar(self, query, params=None):
        return self.sql(query, params)[0][0]

    # -- processes -----------------------------------------------------------------------

    def start(self):
        self.sandbox = Sandbox("--page-size", "100").wait_ready()
        self.hotels = {}
        for index in range(self.args.properties):
            code = chain_seed.property_code(index)
            self.sandbox.call("PUT", "/hotels/%s" % code,
                              json=chain_seed.sandbox_hotel(code, self.params))
        self.psql("UPDATE phobs_backend SET base_url = %s", (self.sandbox.url,),
                  database=DATABASE)
        self.psql("""UPDATE ir_cron SET active = false WHERE id IN (
                       SELECT res_id FROM ir_model_data WHERE module = 'phobs_channel_manager'
                          AND model = 'ir.cron' AND name IN %s)""", (CRONS_OFF,),
                  database=DATABASE)
        self.backends = dict(self.sql("SELECT hotel_code, id FROM phobs_backend ORDER BY id"))
        self.server = OdooServer(DATABASE, workers=self.args.workers, extra_args=(
            "--max-cron-threads", "1", "--limit-time-real", "1800",
            "--limit-time-cpu", "1800")).wait_ready(timeout=300)
        log("Odoo with %d workers and 1 cron worker on %s, sandbox on %s"
            % (self.args.workers, self.server.url, self.sandbox.url))

    def stop(self):
        for process in (self.server, self.sandbox):
            if process is not None:
                process.stop()
        self.forget(DATABASE)

    def rpc(self):
        """One XML-RPC client per thread (ServerProxy is not thread-safe)."""
        local = self._rpc_local = getattr(self, "_rpc_local", threading.local())
        if not hasattr(local, "client"):
            local.client = OdooRpc(self.server.url, DATABASE)
        return local.client

    def parallel(self, func, items, threads=None):
        with concurrent.futures.ThreadPoolExecutor(threads or self.args.workers) as pool:
            return list(pool.map(func, items))

    def last_call_id(self):
        return self.scalar("SELECT COALESCE(max(id), 0) FROM phobs_api_call")

    # -- full resync and audit --------------------------------------------------------------

    def bench_resync(self):
        mark = self.last_call_id()

        def resync(backend_id):
            started = time.perf_counter()
            self.rpc().call("phobs.backend", "action_full_resync", [backend_id])
            return time.perf_counter() - started

        started = time.perf_counter()
        times = self.parallel(resync, list(self.backends.values()))
        wall = time.perf_counter() - started
        requests, failed, sent = self.sql(
            "SELECT count(*), count(*) FILTER (WHERE NOT success), COALESCE(sum(bytes_sent), 0) "
            "FROM phobs_api_call WHERE id > %s", (mark,))[0]
        per_property = [row[0] for row in self.sql(
            "SELECT count(*) FROM phobs_api_call WHERE id > %s GROUP BY backend_id", (mark,))]
        days, pending = self.sql(
            "SELECT count(*), (SELECT count(*) FROM phobs_outbox WHERE state = 'pending') "
            "FROM phobs_ari_state")[0]
        count = len(times)
        print("chain.resync_time_s: %.1f wall for %d properties, %d at a time (per property "
              "median %.1f, p95 %.1f, max %.1f; their sum, %.1f s, bounds the nightly cron, "
              "which takes one property after another); load %s"
              % (wall, count, self.args.workers, statistics.median(times),
                 percentile(times, 0.95), max(times), sum(times), load()))
        print("chain.resync_requests: %d to Phobs (%d failed), %.0f per property (max %d), "
              "%.1f MB sent; %d (type, plan, day) values held as accepted, %d outbox rows left"
              % (requests, failed, requests / count, max(per_property or [0]), sent / 1e6,
                 days, pending))

    def bench_audit(self):
        def audit(backend_id):
            started = time.perf_counter()
            rpc = self.rpc()
            audit_id = rpc.call("phobs.ari.audit", "create", {"backend_id": backend_id})
            rpc.call("phobs.ari.audit", "action_run", [audit_id])
            drift = rpc.call("phobs.ari.audit", "read", [audit_id], ["drift_days"])[0]
            return time.perf_counter() - started, drift["drift_days"]

        started = time.perf_counter()
        results = self.parallel(audit, list(self.backends.values()))
        wall = time.perf_counter() - started
        times = [seconds for seconds, _drift in results]
        print("chain.audit_time_s: %.1f wall for %d properties, %d at a time (per property "
              "median %.1f, max %.1f); %d drifting days found; load %s"
              % (wall, len(times), self.args.workers, statistics.median(times), max(times),
                 sum(drift for _s, drift in results), load()))

    # -- webhook burst ------------------------------------------------------------------------

    def bench_burst(self):
        codes = list(self.backends)
        plans = chain_seed.PLANS[:self.args.plans]
        types = chain_seed.type_codes(self.params)
        rng = random.Random(self.args.seed + 1)
        orders = [(codes[n % len(codes)], rng.choice(types), rng.choice(plans),
                   rng.randint(1, 330), rng.randint(1, 3), rng.random())
                  for n in range(self.args.pushes)]

        def book(order):
            code, room_type, plan, offset, nights, seed = order
            for attempt in range(20):  # the sandbox sells only what the front desk has free
                arrival = date.today() + timedelta(days=(offset + 17 * attempt) % 360 + 1)
                try:
                    return self.sandbox.book(code, room_type=room_type, rate_plan=plan,
                                             channel="BDC", seed=int(seed * 1e9),
                                             arrival=str(arrival),
                                             departure=str(arrival + timedelta(days=nights)))
                except AssertionError:
                    continue
            raise RuntimeError("no room of %s free at %s for a burst booking" % (room_type, code))

        started = time.perf_counter()
        self.parallel(book, orders, threads=8)
        pushes = [(code, body) for code in codes for body in push_bodies(self.sandbox,
                                                                         {"code": code})]
        random.Random(self.args.seed + 2).shuffle(pushes)
        log("burst: %d bookings made at the sandbox in %.0f s"
            % (len(pushes), time.perf_counter() - started))
        mark = self.scalar("SELECT COALESCE(max(id), 0) FROM phobs_message")
        conflict_mark = self.scalar("SELECT COALESCE(max(id), 0) FROM phobs_conflict")
        from odoo.addons.phobs_channel_manager.phobs_api.webhook import sign
        queue = list(pushes)
        lock = threading.Lock()
        latencies, failures = [], []

        def client():
            with httpx.Client(timeout=120) as http:
                while True:
                    with lock:
                        if not queue:
                            return
                        code, body = queue.pop()
                    stamp = str(int(time.time()))
                    sent = time.perf_counter()
                    response = http.post(
                        "%s/phobs/webhook/%d" % (self.server.url, self.backends[code]),
                        content=body, headers={
                            "Content-Type": "text/xml; charset=utf-8",
                            "X-Phobs-Timestamp": stamp,
                            "X-Phobs-Signature": sign("bench-" + code, stamp, body)})
                    with lock:
                        latencies.append(time.perf_counter() - sent)
                        if response.status_code != 200 or b"Success" not in response.content:
                            failures.append(response.status_code)

        first = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(self.args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        last_reply = time.perf_counter()
        while True:
            stored, waiting = self.sql(
                "SELECT count(*), count(*) FILTER (WHERE state = 'received') FROM phobs_message "
                "WHERE id > %s AND direction = 'in'", (mark,))[0]
            if stored >= len(pushes) - len(failures) and not waiting:
                break
            if time.perf_counter() - last_reply > DRAIN_TIMEOUT:
                raise TimeoutError("%d pushed bookings never applied" % waiting)
            time.sleep(0.2)
        applied = time.perf_counter()
        states = dict(self.sql("SELECT state, count(*) FROM phobs_message WHERE id > %s "
                               "AND direction = 'in' GROUP BY state", (mark,)))
        conflicts = self.scalar("SELECT count(*) FROM phobs_conflict WHERE id > %s",
                                (conflict_mark,))
        wall = last_reply - first
        print("chain.burst_throughput: %.1f pushes/s (%d pushes over %d properties from %d "
              "client threads in %.1f s, %d refused); load %s"
              % (len(latencies) / wall, len(latencies), len(codes), self.args.clients, wall,
                 len(failures), load()))
        print("chain.burst_latency_ms: p50 %.0f, p95 %.0f, max %.0f"
              % (1000 * percentile(latencies, 0.5), 1000 * percentile(latencies, 0.95),
                 1000 * max(latencies)))
        print("chain.burst_front_desk_s: all %d in the front desk %.1f s after the first push "
              "(%.1f s after the last reply); messages %s, %d conflicts"
              % (len(latencies), applied - first, applied - last_reply,
                 ", ".join("%s %d" % item for item in sorted(states.items())), conflicts))

    # -- outage and drain -------------------------------------------------------------------

    def bench_outage(self, label, failing=None, hanging=None):
        """Phobs down while every property changes things; then the drain, timed per property.
        ``failing``: a property code whose credentials Phobs revokes for good before it;
        ``hanging``: one whose Phobs answers nothing in time once it is back."""
        if failing:
            hotel = chain_seed.sandbox_hotel(failing, self.params)
            hotel["credentials"] = dict(hotel["credentials"], client_secret="revoked",
                                        password="revoked")
            self.sandbox.call("PUT", "/hotels/%s" % failing, json=hotel)
        outbox_mark = self.scalar("SELECT COALESCE(max(id), 0) FROM phobs_outbox")
        self.sandbox.call("POST", "/faults", json={"rules": [{"kind": "http_503"}]})
        changes = self.plan_changes(label)
        started = time.perf_counter()
        self.parallel(self.make_change, changes)
        made = time.perf_counter() - started
        time.sleep(5)  # the immediate flushes those changes triggered fail meanwhile
        queued = dict(self.sql("SELECT backend_id, count(*) FROM phobs_outbox WHERE id > %s "
                               "AND state = 'pending' GROUP BY backend_id", (outbox_mark,)))
        attempts = self.scalar("SELECT COALESCE(max(attempts), 0) FROM phobs_outbox "
                               "WHERE id > %s", (outbox_mark,))
        call_mark = self.last_call_id()
        self.sandbox.call("DELETE", "/faults")
        if hanging:
            self.sandbox.call("POST", "/faults", json={"rules": [
                {"kind": "latency", "latency_ms": HANG_MS, "hotel": hanging}]})
        restored = time.perf_counter()
        others = {backend_id for code, backend_id in self.backends.items()
                  if code not in (failing, hanging)}
        drained_at = {}
        while set(drained_at) < others:
            pending = {row[0] for row in self.sql(
                "SELECT DISTINCT backend_id FROM phobs_outbox WHERE id > %s AND state = 'pending'",
                (outbox_mark,))}
            now = time.perf_counter() - restored
            for backend_id in others - pending - set(drained_at):
                drained_at[backend_id] = now
            if now > DRAIN_TIMEOUT:
                raise TimeoutError("the outbox never drained: %s" % sorted(pending))
            time.sleep(0.5)
        requests = dict(self.sql(
            "SELECT backend_id, count(*) FROM phobs_api_call WHERE id > %s GROUP BY backend_id",
            (call_mark,)))
        dead = self.scalar("SELECT count(*) FROM phobs_outbox WHERE id > %s AND state = 'dead'",
                           (outbox_mark,))
        times = sorted(drained_at.values())
        print("chain.outage_%s_queued: %d outbox rows from %d front-desk changes over %d "
              "properties made in %.0f s while Phobs answered 503 (highest attempt %d)"
              % (label, sum(queued.values()), len(changes), len(self.backends), made, attempts))
        print("chain.outage_%s_drain_s: all %d%s properties drained %.1f s after Phobs came "
              "back (per property median %.1f, p95 %.1f); %d requests (%d per property), "
              "%d rows in the dead letter; load %s"
              % (label, len(others), " healthy" if failing or hanging else "", times[-1],
                 statistics.median(times), percentile(times, 0.95),
                 sum(requests.get(b, 0) for b in others), max(requests.get(b, 0) for b in others),
                 dead, load()))
        if failing:
            failing_id = self.backends[failing]
            row = self.sql("SELECT count(*), COALESCE(max(attempts), 0), "
                           "COALESCE(min(next_attempt_at)::text, '-') FROM phobs_outbox "
                           "WHERE backend_id = %s AND state = 'pending'", (failing_id,))[0]
            spent = self.scalar("SELECT COALESCE(sum(duration_ms), 0) FROM phobs_api_call "
                                "WHERE backend_id = %s AND id > %s", (failing_id, call_mark))
            print("chain.outage_failing_property: %s (credentials revoked) still holds %d rows "
                  "after %d attempt(s), next try %s UTC; its %d requests since Phobs came back "
                  "took %.0f ms in all"
                  % (failing, row[0], row[1], row[2], requests.get(failing_id, 0), spent))
        if hanging:
            self.report_hanging(hanging, call_mark, time.perf_counter() - restored)
            self.sandbox.call("DELETE", "/faults")
        return times[-1]

    def report_hanging(self, code, call_mark, window):
        """What the hanging property cost: its attempts all timed out; per flush session the
        client stops after one request's attempts, so no more than that was spent waiting."""
        backend_id = self.backends[code]
        attempts, sessions, timeouts, spent, longest = self.sql(
            "SELECT count(*), count(DISTINCT echo_token), "
            "count(*) FILTER (WHERE error = 'PhobsTimeoutError'), "
            "COALESCE(sum(duration_ms), 0) / 1000, COALESCE(max(attempt), 0) "
            "FROM phobs_api_call WHERE backend_id = %s AND id > %s", (backend_id, call_mark))[0]
        pending = self.scalar("SELECT count(*) FROM phobs_outbox WHERE backend_id = %s "
                              "AND state = 'pending'", (backend_id,))
        print("chain.outage_hanging_property: %s (Phobs answers after %d s, past the 60 s read "
              "timeout) made %d attempts for %d requests in the %.0f s of the drain (%d timed "
              "out, at most %d attempts per request), %.0f s spent waiting on them in all, "
              "in its own thread; %d rows still pending"
              % (code, HANG_MS // 1000, attempts, sessions, window, timeouts, longest, spent,
                 pending))

    def plan_changes(self, label):
        """Per property: new bookings in free rooms, cancellations of seeded bookings, price
        edits; found with SQL up front so the RPC threads only make the changes."""
        rng = random.Random("%s-%s" % (self.args.seed, label))
        plans = chain_seed.PLANS[:self.args.plans]
        changes = []
        for code, backend_id in self.backends.items():
            rooms = self.sql(
                "SELECT r.id, t.id, t.phobs_code FROM hotel_room r JOIN hotel_room_type t "
                "ON t.id = r.room_categ_id WHERE t.phobs_backend_id = %s", (backend_id,))
            taken = set()
            for _ in range(self.args.new_bookings):
                changes.append(("book", self.free_stay(rng, rooms, taken)))
            cancels = self.sql(
                "SELECT r.id FROM hotel_reservation r JOIN hotel_reservation_line l "
                "ON l.line_id = r.id JOIN hotel_room_type t ON t.id = l.categ_id "
                "WHERE t.phobs_backend_id = %s AND r.state = 'confirm' AND r.checkin > now() "
                "AND r.phobs_reservation_id IS NULL ORDER BY random() LIMIT %s",
                (backend_id, self.args.cancellations))
            changes.extend(("cancel", row[0]) for row in cancels)
            plan_ids = dict(self.sql("SELECT code, id FROM phobs_rate_plan WHERE backend_id = %s",
                                     (backend_id,)))
            for _ in range(self.args.price_edits):
                first = date.today() + timedelta(days=rng.randint(1, 300))
                changes.append(("price", {
                    "rate_plan_id": plan_ids[rng.choice(plans)],
                    "room_type_code": rng.choice(rooms)[2], "date_from": str(first),
                    "date_to": str(first + timedelta(days=6)),
                    "amount": rng.randint(80, 300)}))
        rng.shuffle(changes)
        return changes

    def free_stay(self, rng, rooms, taken):
        """A room and nights no confirmed booking holds (nor a change planned before)."""
        for _ in range(200):
            room_id, type_id, _code = rng.choice(rooms)
            arrival = date.today() + timedelta(days=rng.randint(1, 330))
            nights = rng.randint(1, 3)
            checkin = "%s 14:00:00" % arrival
            checkout = "%s 11:00:00" % (arrival + timedelta(days=nights))
            busy = self.scalar(
                "SELECT count(*) FROM hotel_room_reservation_line l JOIN hotel_reservation r "
                "ON r.id = l.reservation_id WHERE l.room_id = %s AND r.state IN "
                "('confirm', 'done') AND l.check_in <= %s AND l.check_out >= %s",
                (room_id, checkout, checkin))
            nights_held = {(room_id, arrival + timedelta(days=n)) for n in range(-1, nights + 1)}
            if not busy and not nights_held & taken:
                taken.update(nights_held)
                return {"room": room_id, "type": type_id, "checkin": checkin,
                        "checkout": checkout}
        raise RuntimeError("no free room found for a front-desk booking")

    def make_change(self, change):
        kind, what = change
        rpc = self.rpc()
        if kind == "book":
            partner = self._partner(rpc)
            reservation = rpc.call("hotel.reservation", "create", {
                "partner_id": partner, "partner_invoice_id": partner,
                "partner_order_id": partner, "partner_shipping_id": partner,
                "pricelist_id": self._pricelist(rpc), "adults": 1,
                "checkin": what["checkin"], "checkout": what["checkout"],
                "reservation_line": [(0, 0, {"categ_id": what["type"],
                                             "reserve": [(6, 0, [what["room"]])]})]})
            rpc.call("hotel.reservation", "confirmed_reservation", [reservation])
        elif kind == "cancel":
            rpc.call("hotel.reservation", "cancel_reservation", [what])
        else:
            rpc.call("phobs.rate.price", "create", what)

    def _partner(self, rpc):
        if not hasattr(self, "_partner_id"):
            self._partner_id = rpc.call("res.partner", "create", {"name": "Chain walk-in"})
        return self._partner_id

    def _pricelist(self, rpc):
        if not hasattr(self, "_pricelist_id"):
            self._pricelist_id = rpc.ref("product.list0")
        return self._pricelist_id


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--properties", type=int, default=50)
    add("--types", type=int, default=20, help="room types per property")
    add("--rooms", type=int, default=3, help="rooms per room type")
    add("--plans", type=int, default=3, help="rate plans per property (at most 3)")
    add("--occupancy", type=float, default=0.4, help="share of the year's room nights booked")
    add("--seed", type=int, default=2026)
    add("--workers", type=int, default=4, help="Odoo HTTP workers")
    add("--pushes", type=int, default=2000)
    add("--clients", type=int, default=8, help="threads sending the pushes")
    add("--new-bookings", type=int, default=3, help="per property during the outage")
    add("--cancellations", type=int, default=1, help="per property during the outage")
    add("--price-edits", type=int, default=2, help="per property during the outage")
    add("--seed-only", action="store_true", help="build the seeded template and stop")
    add("--only", nargs="*", default=["resync", "audit", "burst", "outage"],
        help="phases to run (resync always runs first when any later phase does)")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    started = time.perf_counter()
    chain = Chain(args)
    chain.prepare_database()
    if args.seed_only:
        return
    print("chain.scope: %d properties x %d room types (%d rooms each) x %d rate plans, a year "
          "of bookings at %.0f %% occupancy, Odoo --workers %d"
          % (args.properties, args.types, args.rooms, args.plans, 100 * args.occupancy,
             args.workers))
    chain.start()
    try:
        chain.bench_resync()
        if "audit" in args.only:
            chain.bench_audit()
        if "burst" in args.only:
            chain.bench_burst()
        if "outage" in args.only:
            alone = chain.bench_outage("all_healthy")
            failing, hanging = chain_seed.property_code(0), chain_seed.property_code(1)
            with_faults = chain.bench_outage("one_failing_one_hanging", failing=failing,
                                             hanging=hanging)
            print("chain.isolation: the %d healthy properties drained in %.1f s with %s failing "
                  "for good and %s hanging, %.1f s with every property healthy"
                  % (args.properties - 2, with_faults, failing, hanging, alone))
    finally:
        chain.stop()
    print("chain.total_s: %.0f for the whole bench; load %s"
          % (time.perf_counter() - started, load()))


if __name__ == "__main__":
    main(sys.argv[1:])

"""Endurance soak (`make soak`, not part of `make test`): thousands of OTA actions under faults
and crashes, then an audit that nothing was lost, duplicated or left wrong.

A real Odoo server in prefork mode (several workers) and a real sandbox with fault injection.
Round after round the sandbox's channels book (1-3 rooms), modify (dates, length, room type,
number of rooms) and cancel; front-desk staff book and cancel too. Reservations reach Odoo by
every path at once: the sandbox's own webhook pushes, the soak's signed pushes (repeated and
out of order), and the pull and outbox crons, triggered over RPC as the cron thread runs them.
Meanwhile the sandbox fails a share of Odoo's requests (5xx, 429, SOAP faults, expired tokens,
lost replies, a read timeout) and delivers twice or out of order; an Odoo worker is killed with
SIGKILL mid-burst, three times, and PostgreSQL is restarted once.

Then the faults stop, everything settles (pulled until Phobs has nothing pending, the outbox
drained) and tests/soak/audit.py compares both sides. Figures are printed as summary lines and
written to var/artifacts/soak.json; the exit status is non-zero unless the audit is clean.

Usage: python tests/soak/soak.py DATABASE [--actions N] [--workers N] [--seed N]
The database must have both addons installed (devenv/soak.sh makes a fresh one).
"""
import argparse
import contextlib
import json
import logging
import os
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from harness.processes import ARTIFACTS, OdooServer  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402
from reservation_flows import odoo_env, setup_backend  # noqa: E402

ROOM_UNITS = {"SGL": 24, "DBL": 24, "STE": 12}
BATCH = 40  # channel actions per round
MIX = {"book": 5, "modify": 3, "cancel": 2}
#: Backlog (unacknowledged at Phobs, or stored but not applied in Odoo) above which a round
#: waits for Odoo to catch up, so that the soak measures a system keeping up, not a queue.
MAX_BACKLOG = 150
#: Channel actions per simulate call: each call wakes the sandbox's pusher once.
CHUNK = 4
FAULTS = [
    {"kind": "http_500", "probability": 0.12},
    {"kind": "http_503", "probability": 0.07},
    {"kind": "http_429", "probability": 0.08, "retry_after": 0},
    {"kind": "soap_fault", "probability": 0.08},
    {"kind": "token_expiry", "probability": 0.06},
    {"kind": "auth_timeout", "probability": 0.04},
    # The request takes effect, the reply is lost: what a client sees as a timeout.
    {"kind": "drop_connection", "probability": 0.06},
    # Real read timeouts of the client (60 s), a few only: each holds a worker that long. On
    # reads: a write held back this long and applied after the client's retry would overwrite
    # newer availability (last writer wins; the daily full resync repairs that, not a soak).
    {"kind": "latency", "count": 2, "latency_ms": 61000, "operation": "OTA_ReadRQ"},
    {"kind": "duplicate_delivery", "probability": 0.45},
    {"kind": "out_of_order_delivery", "probability": 0.45},
]
FAULT_GROUPS = [
    ("5xx", ("http_500", "http_503")), ("timeouts", ("drop_connection", "auth_timeout", "latency")),
    ("429", ("http_429",)), ("soap_faults", ("soap_fault",)), ("token_expiry", ("token_expiry",)),
    ("duplicates", ("duplicate_delivery",)), ("out_of_order", ("out_of_order_delivery",)),
]
#: The soak injects at least one fault per ten requested OTA actions (200 for 2,000), running
#: extra rounds (up to this multiple of the requested actions) when Odoo's requests met fewer.
FAULTS_PER_ACTION = 0.1
MAX_EXTRA_ACTIONS = 1.5
#: How each round's messages reach Odoo besides the crons' pulls: the sandbox pushing each as it
#: comes (Phobs's usual way), the soak's own bursts, a forced push of everything pending, or
#: nothing (left to the pulls).
MODES = ("auto", "burst", "auto", "push_now", "pull")
#: When, as a share of the actions, a worker is killed and when PostgreSQL restarts.
KILLS_AT = (0.2, 0.5, 0.8)
PG_RESTART_AT = 0.65
SETTLE_TIMEOUT = 480
#: Server log lines counted for diagnostics (soak.json "server_log").
LOG_NEEDLES = {"claim_skipped": "changed by another worker since this transaction began",
               "stale_flush": "flushed after this transaction began",
               "serialization_failures": "could not serialize access"}


def figure(name, value):
    print("soak.%s: %s" % (name, value), flush=True)


class CronThread(threading.Thread):
    """Runs the pull and outbox crons every couple of seconds over RPC, and now and then a
    manager's Pull now, as a server's cron thread and staff would."""

    def __init__(self, rpc_factory, crons, backend_id):
        super().__init__(name="soak-crons", daemon=True)
        self.rpc_factory, self.crons, self.backend_id = rpc_factory, crons, backend_id
        self.stop_event = threading.Event()
        self.counts = {"cron_runs": 0, "pulls_now": 0, "rpc_errors": 0}

    def run(self):
        rpc, tick = None, 0
        while not self.stop_event.wait(1.5):
            tick += 1
            try:
                rpc = rpc or self.rpc_factory()
                rpc.run_cron(self.crons["pull"])
                rpc.run_cron(self.crons["flush"])
                self.counts["cron_runs"] += 2
                if tick % 2 == 0:
                    rpc.press(self.backend_id, "action_pull_now")
                    self.counts["pulls_now"] += 1
            except Exception:  # noqa: BLE001 - a killed worker or a restarting database
                self.counts["rpc_errors"] += 1
                rpc = None

    def stop(self):
        self.stop_event.set()
        self.join(timeout=300)


class Soak:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.counts = {"book": 0, "modify": 0, "cancel": 0, "skipped": 0, "room_changes": 0,
                       "room_changes_refused": 0}
        self.live = set()
        self.seen = []  # messages already delivered, replayed later as stale versions
        self.crashes = {"workers_killed": [], "postgres_restart_s": []}
        self.started = time.monotonic()

    # setup --------------------------------------------------------------------------------

    def start(self):
        from front_desk import FrontDeskStaff, OdooRpc
        self.odoo = odoo_env(self.args.database)
        # Small pages and short-lived tokens: more requests, so more chances for faults.
        self.sandbox = Sandbox("--seed", str(self.args.seed), "--page-size", "10",
                               "--token-ttl", "30", "--push-retry-base", "0.5",
                               "--log-availability").wait_ready()
        self.server = OdooServer(self.args.database, workers=self.args.workers, extra_args=(
            "--limit-time-real", "1800", "--limit-time-cpu", "1800")).wait_ready()
        self.hotel, self.backend_id = setup_backend(self.odoo, self.args.database, self.sandbox,
                                                    ROOM_UNITS)
        self.rpc_factory = lambda: OdooRpc(self.server.url, self.args.database, timeout=600)
        with self.env() as env:
            backend = env["phobs.backend"].browse(self.backend_id)
            # Retries due within seconds, not the production default of minutes: a soak of
            # minutes must see failed updates retried and settled.
            backend.write({"public_url": self.server.url, "retry_base_seconds": 1,
                           "retry_max_seconds": 15, "pull_interval_minutes": 1})
            self.crons = {"pull": env.ref("phobs_channel_manager.cron_pull_reservations").id,
                          "flush": env.ref("phobs_channel_manager.cron_flush_outbox").id}
            partner = env["res.partner"].create({"name": "Soak walk-in guest"})
            pricelist = env["product.pricelist"].search([], limit=1)
            room_types = {t.phobs_code: t.id for t in backend._phobs_room_types()}
            rooms = {code: env["hotel.room"].search([("room_categ_id", "=", type_id)]).ids
                     for code, type_id in room_types.items()}
            self.webhook_url = backend.webhook_url
            self.horizon_days = backend.horizon_days
            env.cr.commit()
        rpc = self.rpc_factory()
        rpc.press(self.backend_id, "action_register_webhook")
        rpc.press(self.backend_id, "action_full_resync")  # Phobs starts from the front desk's truth
        self.staff = FrontDeskStaff(rpc, random.Random(self.args.seed + 1), partner.id,
                                    pricelist.id, room_types, rooms)

    @contextlib.contextmanager
    def env(self):
        """A superuser environment in a transaction of its own (committed on exit)."""
        odoo = self.odoo
        with odoo.api.Environment.manage(), odoo.registry(self.args.database).cursor() as cr:
            yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})

    def server_log_counts(self):
        """How often the server's log told of flushes that met another's work (diagnostics)."""
        text = self.server.log_path.read_bytes()[self.server._log_start:].decode("utf-8", "replace")
        return {name: text.count(needle) for name, needle in LOG_NEEDLES.items()}

    def stop(self):
        for part in ("server", "sandbox"):
            if hasattr(self, part):
                getattr(self, part).stop()

    # traffic ------------------------------------------------------------------------------

    @property
    def actions(self):
        return self.counts["book"] + self.counts["modify"] + self.counts["cancel"] + self.counts[
            "room_changes"]

    def traffic(self):
        from deliveries import SoakPusher
        code = self.hotel["code"]
        self.pusher = SoakPusher(self.webhook_url, "bench-" + code, random.Random(self.args.seed))
        self.sandbox.call("POST", "/faults", json={"rules": FAULTS, "seed": self.args.seed})
        crons = CronThread(self.rpc_factory, self.crons, self.backend_id)
        crons.start()
        kills, restarted, round_number = list(KILLS_AT), False, 0
        try:
            while self._more_traffic():
                round_number += 1
                share = self.actions / self.args.actions
                disruption = None
                if not restarted and share >= PG_RESTART_AT:
                    restarted = True
                    disruption = self._restart_postgres
                elif kills and share >= kills[0]:
                    kills.pop(0)
                    disruption = self._kill_worker
                self._round(round_number, disruption)
                if round_number % 5 == 0:
                    print("[soak] round %d: %d actions, %.0f s" % (
                        round_number, self.actions, time.monotonic() - self.started), flush=True)
        finally:
            crons.stop()
            self.cron_counts = crons.counts
            self.sandbox.call("PUT", "/webhook", json={"push": False})
            self.fault_rules = self.sandbox.call("GET", "/faults")["rules"]
            self.sandbox.call("DELETE", "/faults")

    def _more_traffic(self):
        """Until the actions are done and the sandbox has injected one fault per ten requested.
        Faults strike Odoo's requests, and a faster Odoo makes fewer requests per action, so a
        fixed number of actions may fall short of the floor; a few more rounds make it up
        (bounded, so a sandbox that stopped faulting cannot keep the soak going)."""
        if self.actions < self.args.actions:
            return True
        if self.actions >= self.args.actions * MAX_EXTRA_ACTIONS:
            return False
        rules = self.sandbox.call("GET", "/faults")["rules"]
        return faults_fired(rules) < fault_floor(self.args.actions)

    def _round(self, number, disruption):
        mode = "burst" if disruption else MODES[number % len(MODES)]
        self.sandbox.call("PUT", "/webhook", json={"push": mode == "auto"})
        self._channel_actions(number)
        self._room_changes(2)
        self.staff.act()
        timer = None
        if disruption:  # strikes a moment into the burst, while pushes are being stored
            timer = threading.Thread(target=disruption, name="disruption")
            timer.start()
        if mode == "burst":
            pending = self.sandbox.call("GET", "/messages", params={
                "hotel": self.hotel["code"], "state": "pending", "include_xml": "1"})["messages"]
            self.pusher.burst(pending, self.seen)
            self.seen.extend(self.rng.sample(pending, min(len(pending), 5)))
        if mode in ("burst", "push_now"):
            self.sandbox.call("POST", "/webhook/push-now")
        if timer:
            timer.join()
        self._wait_for_backlog()

    def _channel_actions(self, number):
        outcomes = []
        for chunk in range(BATCH // CHUNK):
            outcomes += self.sandbox.call("POST", "/simulate", json={
                "count": CHUNK, "seed": (self.args.seed * 1000 + number) * 100 + chunk,
                "hotel": self.hotel["code"], "mix": MIX})["outcomes"]
        for outcome in outcomes:
            if "skipped" in outcome:
                self.counts["skipped"] += 1
                continue
            self.counts[outcome["action"]] += 1
            if outcome["action"] == "cancel":
                self.live.discard(outcome["reservation_id"])
            else:
                self.live.add(outcome["reservation_id"])

    def _room_changes(self, count):
        """Modifications the simulator does not make: a room added to or taken off a booking."""
        for _ in range(count):
            if not self.live:
                return
            booking = self.sandbox.call("GET", "/bookings/%s" % self.rng.choice(sorted(self.live)))
            stays = [dict(stay) for stay in booking["room_stays"]]
            if len(stays) > 1 and self.rng.random() < 0.5:
                stays.pop(self.rng.randrange(len(stays)))
            else:
                other = [c for c in ROOM_UNITS if c != stays[0]["room_type"]]
                stays.append(dict(stays[0], room_type=self.rng.choice(other), units=1))
            try:
                self.sandbox.call("POST", "/bookings/%s/modify" % booking["id"],
                                  json={"room_stays": stays})
                self.counts["room_changes"] += 1
            except AssertionError:  # 409: the channel may not sell the new rooms
                self.counts["room_changes_refused"] += 1

    def _wait_for_backlog(self, limit=120):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                left = self._left()
            except Exception:  # noqa: BLE001 - the database restarting
                left = {}
            if left.get("pending_at_phobs", 0) + left.get("unapplied", 0) <= MAX_BACKLOG:
                return
            time.sleep(1)

    def _kill_worker(self):
        from disruptions import kill_worker
        time.sleep(0.3)  # into the burst
        self.crashes["workers_killed"].append(kill_worker(self.server, self.rng,
                                                          self.args.workers))

    def _restart_postgres(self):
        from disruptions import restart_postgres
        time.sleep(0.3)
        self.crashes["postgres_restart_s"].append(round(restart_postgres(), 1))

    # settle and audit ---------------------------------------------------------------------

    def settle(self):
        """Without faults: push, pull and flush until Phobs has nothing pending, every stored
        message is applied, every folio built and the outbox is empty."""
        rpc = self.rpc_factory()
        deadline = time.monotonic() + SETTLE_TIMEOUT
        rounds = 0
        while True:
            rounds += 1
            self.sandbox.call("POST", "/webhook/push-now")
            rpc.press(self.backend_id, "action_pull_now")
            rpc.run_cron(self.crons["pull"])
            rpc.run_cron(self.crons["flush"])
            left = self._left()
            if not any(left.values()):
                return rounds
            if time.monotonic() > deadline:
                print("[soak] did not settle: %s" % left)
                return rounds
            time.sleep(1)

    def _left(self):
        with self.env() as env:
            return {
                "pending_at_phobs": len(self.sandbox.messages(self.hotel["code"], "pending")),
                "unapplied": env["phobs.message"].search_count([
                    ("backend_id", "=", self.backend_id), ("direction", "=", "in"),
                    ("state", "=", "received")]),
                "outbox": env["phobs.outbox"].search_count([
                    ("backend_id", "=", self.backend_id), ("state", "=", "pending")]),
                # The folio stage follows placement and may lag behind a burst: the audit
                # compares folio totals, so it waits for the folios the pull cron builds.
                "folios_pending": env["phobs.reservation"].search_count([
                    ("backend_id", "=", self.backend_id), ("folio_state", "=", "pending")]),
            }

    def audit(self):
        from audit import audit
        from overbookings import classify
        with self.env() as env:
            backend = env["phobs.backend"].browse(self.backend_id)
            report = audit(env, backend, self.sandbox, self.hotel["code"], self.horizon_days)
            report["dead_letters"] = env["phobs.outbox"].search_count([
                ("backend_id", "=", self.backend_id), ("state", "=", "dead")])
            report["failed_messages"] = env["phobs.message"].search_count([
                ("backend_id", "=", self.backend_id), ("state", "=", "failed")])
            try:
                report["overbookings_by_cause"], report["overbooking_causes"] = classify(
                    env, backend, self.sandbox, self.hotel["code"], report["overbooked"],
                    ROOM_UNITS)
            except Exception as err:  # noqa: BLE001 - a diagnosis, never the audit's verdict
                report["overbookings_by_cause"] = {"unclassified (%s)" % err: 0}
        return report


def faults_fired(rules):
    counted = {kind for _, kinds in FAULT_GROUPS for kind in kinds}
    return sum(rule["fired"] for rule in rules if rule["kind"] in counted)


def fault_floor(actions):
    return int(actions * FAULTS_PER_ACTION + 0.999)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database")
    parser.add_argument("--actions", type=int, default=2000, help="OTA actions (default 2000)")
    parser.add_argument("--workers", type=int, default=3, help="Odoo HTTP workers (default 3)")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per control call otherwise
    soak = Soak(args)
    started = time.monotonic()
    try:
        soak.start()
        traffic_started = time.monotonic()
        soak.traffic()
        settle_started = time.monotonic()
        settle_rounds = soak.settle()
        audit_started = time.monotonic()
        report = soak.audit()
        finished = time.monotonic()
        server_log = soak.server_log_counts()
    finally:
        soak.stop()
    faults = {group: sum(r["fired"] for r in soak.fault_rules if r["kind"] in kinds)
              for group, kinds in FAULT_GROUPS}
    counts = soak.counts
    figure("actions", "%d OTA actions (book %d, modify %d, cancel %d, rooms added/removed %d; "
           "%d not sellable), front desk: %s" % (
               soak.actions, counts["book"], counts["modify"], counts["cancel"],
               counts["room_changes"], counts["skipped"] + counts["room_changes_refused"],
               ", ".join("%s %d" % item for item in soak.staff.counts.items())))
    figure("deliveries", "soak pushes %s; crons %s" % (
        ", ".join("%s %d" % item for item in soak.pusher.counts.items()),
        ", ".join("%s %d" % item for item in soak.cron_counts.items())))
    figure("faults", "%d injected by the sandbox (%s)" % (
        sum(faults.values()), ", ".join("%s %d" % item for item in faults.items())))
    figure("crashes", "%d worker(s) killed with SIGKILL mid-burst (pids %s), postgres restarted "
           "%d time(s) (%s s)" % (len(soak.crashes["workers_killed"]),
                                  soak.crashes["workers_killed"],
                                  len(soak.crashes["postgres_restart_s"]),
                                  soak.crashes["postgres_restart_s"]))
    figure("bookings", "%d channel bookings audited, %d messages acknowledged, %d dead letters, "
           "%d failed messages" % (report["bookings"], report["messages_acked"],
                                   report["dead_letters"], report["failed_messages"]))
    figure("overbooked", "%d channel bookings sold beyond the rooms, in the front desk as "
           "overbooking conflicts for staff (%d of them still oversold at the end)" % (
               len(report["overbooked"]),
               sum(1 for o in report["overbooked"] if o["still_oversold"])))
    figure("overbookings_by_cause", ", ".join(
        "%s %d" % item for item in report["overbookings_by_cause"].items()))
    verdict = {
        "lost": len(report["lost"]), "duplicated": len(report["duplicated"]),
        "wrong_bookings": len(report["wrong"]), "wrong_nights": len(report["wrong_nights"]),
        "acked_not_stored": len(report["acked_not_stored"]),
        "acked_not_applied": len(report["acked_not_applied"]),
        "pending_at_phobs": report["pending_at_phobs"],
    }
    for name, value in verdict.items():
        figure(name, value)
    figure("server_log", ", ".join("%s %d" % item for item in server_log.items()))
    figure("duration_s", "%.0f (setup %.0f, traffic %.0f, settle %.0f in %d rounds, audit %.0f), "
           "load average %s" % (finished - started, traffic_started - started,
                                settle_started - traffic_started, audit_started - settle_started,
                                settle_rounds, finished - audit_started,
                                "%.2f %.2f %.2f" % os.getloadavg()))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Named after a database of its own when soaks run side by side.
    name = "soak.json" if args.database == "phobs_soak" else "soak-%s.json" % args.database
    (ARTIFACTS / name).write_text(json.dumps({
        "actions": soak.actions, "counts": counts, "front_desk": soak.staff.counts,
        "soak_pushes": soak.pusher.counts, "crons": soak.cron_counts, "faults": faults,
        "fault_rules": soak.fault_rules, "crashes": soak.crashes, "verdict": verdict,
        "report": report, "server_log": server_log, "duration_s": round(finished - started, 1),
        "loadavg": os.getloadavg()}, indent=2, default=str))
    enough_faults = sum(faults.values()) >= fault_floor(args.actions)
    if not enough_faults:
        print("[soak] fewer than %d faults: the soak did not test enough" % fault_floor(args.actions))
    return 0 if enough_faults and not any(verdict.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

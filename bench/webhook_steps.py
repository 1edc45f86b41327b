"""Where the milliseconds of a webhook push go, step by step, next to the trivial route.

Both requests go through Odoo's whole WSGI application in this process (session, database
routing, registry signaling check, our controller), without sockets or threads, so the steps add
up to what the server spends on a push; the network and the client add the same to both routes.
The pushed bookings are not applied (that happens after the reply, in the background).
Each step is timed by wrapping the function that does it; the figures are the median and the
minimum over the pushes (the minimum is the cost without the noise of a shared machine).

Usage (make bench does it): python bench/webhook_steps.py DATABASE
"""
import collections
import statistics
import sys
import time
from pathlib import Path

from reservation_flows import book_many, odoo_env, push_bodies, setup_backend

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from harness.sandbox import Sandbox  # noqa: E402

PUSHES = 200
OUTERMOST = "timed steps, not counting a step inside another"
_active = []  # the timed steps under way
#: (label, module, owner attribute path, function name): the steps of a push, in order.
STEPS = [
    ("signaling_check", "odoo.modules.registry", "Registry", "check_signaling"),
    # Every cursor: the signaling check's (both routes) and the push's own.
    ("cursor_borrow", "odoo.sql_db", "ConnectionPool", "borrow"),
    ("backend_facts", "odoo.addons.phobs_channel_manager.services.reservation_inbound",
     "ReservationReceiver", "facts"),
    ("hmac", "odoo.addons.phobs_channel_manager.phobs_api.webhook", None, "verify"),
    ("parse", "odoo.addons.phobs_channel_manager.services.reservation_inbound", None,
     "parse_hotel_res_notif_rq"),
    ("dedup_and_told_number", "odoo.addons.phobs_channel_manager.services.reservation_inbound",
     "ReservationReceiver", "_known"),
    ("bounds", "odoo.addons.phobs_channel_manager.services.reservation_inbound",
     "ReservationReceiver", "_out_of_bounds"),
    ("number_draw", "odoo.addons.phobs_channel_manager.services.reservation_inbound",
     "ReservationReceiver", "_new_pms_ref"),
    ("insert", "odoo.addons.phobs_channel_manager.services.reservation_inbound",
     "ReservationReceiver", "_store_received"),
    ("commit", "odoo.addons.phobs_channel_manager.services.reservation_inbound",
     "ReservationReceiver", "commit_before_acknowledging"),
    ("reply", "odoo.addons.phobs_channel_manager.services.reservation_inbound",
     "ReservationReceiver", "_push_reply"),
]


def main(database):
    odoo = odoo_env(database)
    odoo.tools.config["dbfilter"] = "^%s$" % database
    sandbox = Sandbox().wait_ready()
    try:
        hotel, backend_id = setup_backend(odoo, database, sandbox, {"STEP": 200})
        book_many(sandbox, hotel, "STEP", PUSHES + 10)
        bodies = push_bodies(sandbox, hotel)
    finally:
        sandbox.stop()
    from werkzeug.test import EnvironBuilder

    import odoo.service.wsgi_server
    from odoo.addons.phobs_channel_manager.phobs_api.webhook import sign

    from odoo.addons.phobs_channel_manager.services import background

    odoo.service.server.load_server_wide_modules()
    app = odoo.service.wsgi_server.application
    # Applying the pushed bookings would run in a thread of this very process and share the
    # CPU with the pushes measured: the jobs are queued (the after-commit hook is still
    # registered by every push) but never run.
    background.run_soon = lambda *args: None
    secret, cookie = "bench-" + hotel["code"], {}

    def call(builder):
        reply = {}
        body = b"".join(app(builder.get_environ(),
                            lambda status, headers, exc_info=None: reply.update(
                                status=status, headers=headers)))
        return reply, body

    def trivial():
        return call(EnvironBuilder(path="/phobs/health", headers=cookie))

    def push(body):
        stamp = str(int(time.time()))
        reply, answer = call(EnvironBuilder(
            path="/phobs/webhook/%d" % backend_id, method="POST", data=body, headers=dict(
                cookie, **{"Content-Type": "text/xml; charset=utf-8",
                           "X-Phobs-Timestamp": stamp,
                           "X-Phobs-Signature": sign(secret, stamp, body)})))
        assert reply["status"].startswith("200") and b"Success" in answer, answer[:300]

    reply, _body = trivial()  # a session, kept like a browser (and the throughput bench) would
    cookie["Cookie"] = dict(reply["headers"])["Set-Cookie"].split(";")[0]
    for _ in range(20):
        trivial()
    for body in bodies[:10]:
        push(body)
    spent = collections.defaultdict(float)
    for label, module, owner, name in STEPS:
        _time_calls(spent, label, module, owner, name)
    steps, trivial_ms, push_ms = collections.defaultdict(list), [], []
    for body in bodies[10:]:
        started = time.perf_counter()
        trivial()
        trivial_ms.append(1000 * (time.perf_counter() - started))
        spent.clear()
        started = time.perf_counter()
        push(body)
        push_ms.append(1000 * (time.perf_counter() - started))
        for label, seconds in spent.items():
            steps[label].append(1000 * seconds)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print("webhook_steps.trivial_ms: p50 %.2f, min %.2f (whole WSGI request, in process; "
          "load %s)" % (statistics.median(trivial_ms), min(trivial_ms), load))
    print("webhook_steps.push_ms: p50 %.2f, min %.2f (whole WSGI request, in process, %d pushes)"
          % (statistics.median(push_ms), min(push_ms), len(push_ms)))
    for label, _module, _owner, _name in STEPS:
        values = steps[label]
        print("webhook_steps.%s_ms: p50 %.3f, min %.3f" % (
            label, statistics.median(values), min(values)))
    print("webhook_steps.rest_ms: p50 %.3f (Odoo's HTTP layer and our glue: the push minus "
          "its timed steps)" % statistics.median(
              total - part for total, part in zip(push_ms, steps[OUTERMOST])))


def _time_calls(spent, label, module, owner, name):
    """Wraps ``module[.owner].name`` so that each call adds its wall time to ``spent``, and to
    ``spent[OUTERMOST]`` unless another timed step called it (the signaling check borrows a
    cursor too)."""
    target = sys.modules[module]
    if owner:
        target = getattr(target, owner)
    function = getattr(target, name)

    def timed(*args, **kwargs):
        started = time.perf_counter()
        _active.append(label)
        try:
            return function(*args, **kwargs)
        finally:
            _active.pop()
            spent[label] += time.perf_counter() - started
            if not _active:
                spent[OUTERMOST] += time.perf_counter() - started

    setattr(target, name, timed)


if __name__ == "__main__":
    main(*sys.argv[1:])

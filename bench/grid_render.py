"""Benchmark: the Rates & Availability grid for 20 room types x 3 rate plans x 31 days.

Through a real Odoo server and a real Chromium, on a property set up over RPC (60 rooms, a few
front-desk bookings, one plan priced by a pricelist, everything sent to a sandbox once):
- the JSON-RPC read of one window (phobs.ari.grid.read_window, what the grid asks per window),
  timed from outside as the browser does;
- in the browser, the time from a click on "next period" until the new window is on screen,
  and from the menu click until the first window is on screen (the web client already loaded),
  with the widget's own split into server read and rendering.
Target: under 1 s. Prints figures, asserts nothing.

Usage (make bench does it): python bench/grid_render.py DATABASE
Other active properties of the database are archived while it runs (they would be drawn too)
and restored afterwards; the bench's own property is archived at the end.
"""
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from harness.grid_hotel import archive_grid_hotel, create_grid_hotel  # noqa: E402
from harness.odoo_rpc import OdooRpc  # noqa: E402
from harness.processes import OdooServer  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402

ROOM_TYPES = 20
PLANS = ("BAR", "NRF", "FLEX")
DAYS = 31
REPEAT = 5


def json_rpc_read(server, date_from):
    """Median and worst time of read_window over JSON-RPC, logged in as the administrator."""
    with httpx.Client(base_url=server.url, timeout=60) as http:
        http.post("/web/session/authenticate", json={"jsonrpc": "2.0", "params": {
            "db": server.database, "login": "admin", "password": "admin"}}).raise_for_status()
        timings, size = [], 0
        for _ in range(REPEAT + 1):
            started = time.perf_counter()
            reply = http.post("/web/dataset/call_kw", json={"jsonrpc": "2.0", "params": {
                "model": "phobs.ari.grid", "method": "read_window", "args": [],
                "kwargs": {"date_from": str(date_from), "size": DAYS}}})
            timings.append(time.perf_counter() - started)
            reply.raise_for_status()
            size = len(reply.content)
            rooms = reply.json()["result"]["backends"][0]["room_types"]
        return timings[0], timings[1:], size, rooms


def browser_render(server, login, password):
    from conftest import CHROMIUM, CHROMIUM_ARGS
    from odoo_ui import log_in, open_app, open_sidebar_menu
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 860})
        page.set_default_timeout(120000)
        log_in(page, server.url, login, password)
        open_app(page, "Hotel Management")
        started = time.perf_counter()
        open_sidebar_menu(page, "Channel Manager", "Rates & Availability")
        page.wait_for_selector(".o_phobs_ari_table[data-from]")
        first_open = time.perf_counter() - started
        page.click(".o_phobs_ari_size[data-size='%d']" % DAYS)
        page.wait_for_selector(".o_phobs_ari_table[data-size='%d']" % DAYS)
        clicks, splits = [], []
        for _ in range(REPEAT):
            current = page.get_attribute(".o_phobs_ari_table", "data-from")
            expected = str(date.fromisoformat(current) + timedelta(days=DAYS))
            started = time.perf_counter()
            page.click(".o_phobs_ari_next")
            page.wait_for_selector(".o_phobs_ari_table[data-from='%s']" % expected)
            clicks.append(time.perf_counter() - started)
            table = page.locator(".o_phobs_ari_table")
            splits.append((int(table.get_attribute("data-read-ms")),
                           int(table.get_attribute("data-render-ms"))))
        cells = page.locator("td.o_phobs_ari_cell").count()
        browser.close()
    return first_open, clicks, splits, cells


def revenue_manager(rpc):
    """The person the grid is for: a hotel manager who manages the channel manager."""
    from conftest import MANAGER_LOGIN, MANAGER_PASSWORD
    rpc.ensure_user(MANAGER_LOGIN, MANAGER_PASSWORD, name="Front Desk Manager",
                    email=MANAGER_LOGIN,
                    group_xmlids=["base.group_user", "hotel.group_hotel_manager",
                                  "phobs_channel_manager.group_phobs_manager"])
    return MANAGER_LOGIN, MANAGER_PASSWORD


def main(database):
    sandbox = Sandbox().wait_ready()
    server = OdooServer(database).wait_ready()
    rpc = OdooRpc(server.url, database)
    others = rpc.call("phobs.backend", "search", [])
    hotel = None
    try:
        if others:
            rpc.call("phobs.backend", "write", others, {"active": False})
        units = {"RT%02d" % n: 2 + n % 3 for n in range(ROOM_TYPES)}
        started = time.perf_counter()
        hotel = create_grid_hotel(rpc, sandbox, units, name="Bench grid", plans=PLANS,
                                  bookings=20)
        print("grid_render.setup_s: %.1f to create %d room types, %d rooms, %d plans and "
              "send them" % (time.perf_counter() - started, ROOM_TYPES, sum(units.values()),
                             len(PLANS)))
        print("grid_render.load_average_rpc: %.1f (1-minute load before the reads, %d cores)"
              % (os.getloadavg()[0], os.cpu_count()))
        cold, warm, size, rooms = json_rpc_read(server, date.today())
        print("grid_render.scope: %d room types x %d rate plans x %d days (%d plan cells)"
              % (len(rooms), len(PLANS), DAYS, sum(len(r["plans"]) for r in rooms) * DAYS))
        print("grid_render.rpc_read_s: median %.3f, max %.3f over %d reads (first read %.3f); "
              "%d KB of JSON" % (statistics.median(warm), max(warm), len(warm), cold,
                                size / 1024))
        load_before = os.getloadavg()[0]
        first_open, clicks, splits, cells = browser_render(server, *revenue_manager(rpc))
        print("grid_render.browser_next_window_s: median %.3f, max %.3f over %d clicks until "
              "drawn (of which server read %d ms, drawing %d ms, medians); %d cells on screen"
              % (statistics.median(clicks), max(clicks), len(clicks),
                 statistics.median(s[0] for s in splits), statistics.median(s[1] for s in splits),
                 cells))
        print("grid_render.browser_menu_open_s: %.3f from the menu click until the first window "
              "is drawn (the default 31-day window)" % first_open)
        # The figures scale with what else runs: on a shared machine, say how busy it was.
        print("grid_render.load_average: %.1f before the browser runs, %.1f after, on %d cores"
              % (load_before, os.getloadavg()[0], os.cpu_count()))
    finally:
        if hotel:
            archive_grid_hotel(rpc, hotel)
        if others:
            rpc.call("phobs.backend", "write", others, {"active": True})
        server.stop()
        sandbox.stop()


if __name__ == "__main__":
    main(*sys.argv[1:])

"""Browser tests: Playwright (Python) driving Debian's Chromium against the real Odoo server."""
import os
import uuid

import pytest
from playwright.sync_api import sync_playwright

from harness.odoo_rpc import OdooRpc
from harness.processes import ARTIFACTS, OdooServer
from harness.sandbox import Sandbox

CHROMIUM = os.environ.get("PHOBS_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google services this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = ARTIFACTS / "screenshots"
MANAGER_LOGIN = "frontdesk.manager@example.com"
MANAGER_PASSWORD = "frontdesk-e2e"
USER_LOGIN = "frontdesk.clerk@example.com"
USER_PASSWORD = "frontdesk-clerk-e2e"


@pytest.fixture(scope="session")
def odoo_server():
    server = OdooServer(os.environ.get("PHOBS_TEST_DB", "phobs_test")).wait_ready()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def rpc(odoo_server):
    return OdooRpc(odoo_server.url, odoo_server.database)


@pytest.fixture(scope="session")
def channel_manager_manager(rpc):
    """A hotel manager who runs the channel manager: the person these screens are for."""
    rpc.ensure_user(
        MANAGER_LOGIN, MANAGER_PASSWORD, name="Front Desk Manager", email=MANAGER_LOGIN,
        group_xmlids=["base.group_user", "hotel.group_hotel_manager",
                      "phobs_channel_manager.group_phobs_manager"])
    return MANAGER_LOGIN, MANAGER_PASSWORD


@pytest.fixture(scope="session")
def channel_manager_user(rpc):
    """A receptionist who watches the channel manager and resolves conflicts."""
    rpc.ensure_user(
        USER_LOGIN, USER_PASSWORD, name="Front Desk Clerk", email=USER_LOGIN,
        group_xmlids=["base.group_user", "hotel.group_hotel_user",
                      "phobs_channel_manager.group_phobs_user"])
    return USER_LOGIN, USER_PASSWORD


@pytest.fixture(scope="session")
def sandbox():
    """The Phobs stand-in as a real process for the browser tests."""
    sandbox = Sandbox("--seed", "17").wait_ready()
    yield sandbox
    sandbox.stop()


@pytest.fixture(scope="session")
def sandbox_hotel(sandbox, rpc):
    """A sandbox hotel with a single and two doubles, and the same rooms in the front desk.

    Room type codes are new for every run; codes other runs or tests mapped are unmapped. The
    types get their codes when the manager has created the backend (their Phobs property):
    ``hotel["map_room_types"](backend_id)``."""
    suffix = uuid.uuid4().hex[:4].upper()
    codes = {"SGL" + suffix: 1, "DBL" + suffix: 2}
    hotel = sandbox.new_hotel(codes)
    # Backends earlier test layers left behind point at sandboxes that are gone: archived, so
    # the dashboard shows the hotel of this run and nothing tries to reach them.
    leftovers = rpc.call("phobs.backend", "search", [])
    if leftovers:
        rpc.call("phobs.backend", "write", leftovers, {"active": False})
    stale = rpc.call("hotel.room.type", "search", [("phobs_code", "!=", False)])
    if stale:
        rpc.call("hotel.room.type", "write", stale, {"phobs_code": False})
    type_ids = {}
    for code, units in codes.items():
        kind = "Single" if code.startswith("SGL") else "Double"
        type_ids[code] = rpc.call("hotel.room.type", "create",
                                  {"name": "E2E %s %s" % (kind, suffix)})
        for number in range(1, units + 1):
            rpc.call("hotel.room", "create", {
                "name": "E2E-%s-%s-%d" % (suffix, code[:3], number),
                "room_categ_id": type_ids[code], "capacity": 3, "list_price": 120})

    def map_room_types(backend_id):
        for code, type_id in type_ids.items():
            rpc.call("hotel.room.type", "write", [type_id],
                     {"phobs_backend_id": backend_id, "phobs_code": code})

    hotel["room_codes"] = codes
    hotel["map_room_types"] = map_room_types
    return hotel


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 860}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(30000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(label):
        page.wait_for_selector(".o_loading", state="hidden")
        path = SCREENSHOTS / ("%s-%s.png" % (request.node.name, label))
        page.screenshot(path=str(path), full_page=True)
        return path
    return take

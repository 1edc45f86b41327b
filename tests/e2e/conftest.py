"""Browser tests: Playwright (Python) driving Debian's Chromium against the real Odoo server."""
import os

import pytest
from playwright.sync_api import sync_playwright

from harness.odoo_rpc import OdooRpc
from harness.processes import ARTIFACTS, OdooServer

CHROMIUM = os.environ.get("PHOBS_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google services this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = ARTIFACTS / "screenshots"
MANAGER_LOGIN = "frontdesk.manager@example.com"
MANAGER_PASSWORD = "frontdesk-e2e"


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
        MANAGER_LOGIN, MANAGER_PASSWORD, name="Front Desk Manager",
        group_xmlids=["base.group_user", "hotel.group_hotel_manager",
                      "phobs_channel_manager.group_phobs_manager"])
    return MANAGER_LOGIN, MANAGER_PASSWORD


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

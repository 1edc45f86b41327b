"""The security layer: one test per attack class, each against the real server over HTTP and
asserting the status and that nothing was written or sent. Runs like the Odoo layer
(pytest-odoo, the same test database) and reuses that layer's helpers."""
import sys
from pathlib import Path

import pytest

# The Odoo layer's helpers (phobs_case, committed_setup) are plain modules of tests/odoo.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "odoo"))

from harness.odoo_rpc import OdooRpc  # noqa: E402
from harness.processes import OdooServer  # noqa: E402


@pytest.fixture(scope="session")
def odoo_server(request):
    """The real Odoo server on loopback, over the database pytest-odoo was given."""
    server = OdooServer(request.config.getoption("--odoo-database")).wait_ready()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def admin(odoo_server):
    return OdooRpc(odoo_server.url, odoo_server.database)

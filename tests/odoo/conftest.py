import pytest

from harness.processes import OdooServer


@pytest.fixture(scope="session")
def odoo_server(request):
    """The real Odoo server on loopback, over the database pytest-odoo was given."""
    server = OdooServer(request.config.getoption("--odoo-database")).wait_ready()
    yield server
    server.stop()


@pytest.fixture
def database(request):
    """The name of the database pytest-odoo was given, for tests that commit into it."""
    return request.config.getoption("--odoo-database")

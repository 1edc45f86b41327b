"""Secret fields and configuration seen from outside: XML-RPC to the real server through every
ORM path (read, search_read, fields_get, search/search_count domains, order, read_group,
export_data, write), and the push endpoint's limit on failed authentications. Data is created
through RPC (committed) and removed afterwards."""
import time
import uuid
import xmlrpc.client

import httpx
import pytest

from odoo.addons.phobs_channel_manager.controllers.main import AUTH_FAILURE_LIMIT
from odoo.addons.phobs_channel_manager.phobs_api.webhook import sign

from harness.odoo_rpc import OdooRpc

CREDENTIAL_FIELDS = ["client_id", "client_secret", "client_secret_encrypted", "username",
                     "password", "password_encrypted", "webhook_secret",
                     "webhook_secret_encrypted"]
ACCESS_ERROR = 4  # odoo.service.wsgi_server.RPC_FAULT_CODE_ACCESS_ERROR


@pytest.fixture(scope="module")
def admin(odoo_server):
    return OdooRpc(odoo_server.url, odoo_server.database)


@pytest.fixture(scope="module")
def secrets_in_use():
    return {"client_secret": "rpc-secret-" + uuid.uuid4().hex,
            "webhook_secret": "rpc-whsec-" + uuid.uuid4().hex}


def _create_backend(admin, **values):
    code = "RPC" + uuid.uuid4().hex[:8].upper()
    return admin.call("phobs.backend", "create", dict({
        "name": "RPC %s" % code, "hotel_code": code, "base_url": "http://127.0.0.1:9",
        "client_id": "rpc-client-%s" % code.lower()}, **values))


@pytest.fixture(scope="module")
def backend_id(admin, secrets_in_use):
    backend_id = _create_backend(admin, **secrets_in_use)
    yield backend_id
    admin.call("phobs.backend", "unlink", [backend_id])


@pytest.fixture(scope="module")
def cm_user(admin, odoo_server):
    login, password = "rpc.cm.user@example.com", "rpc-user-" + uuid.uuid4().hex[:8]
    admin.ensure_user(login, password, name="RPC Channel Manager User",
                      group_xmlids=["base.group_user", "phobs_channel_manager.group_phobs_user"])
    return OdooRpc(odoo_server.url, odoo_server.database, login, password)


@pytest.fixture(scope="module")
def cm_manager(admin, odoo_server):
    login, password = "rpc.cm.manager@example.com", "rpc-manager-" + uuid.uuid4().hex[:8]
    admin.ensure_user(login, password, name="RPC Channel Manager Manager",
                      group_xmlids=["base.group_user",
                                    "phobs_channel_manager.group_phobs_manager"])
    return OdooRpc(odoo_server.url, odoo_server.database, login, password)


def _refused(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as raised:
        call(*args, **kwargs)
    assert raised.value.faultCode == ACCESS_ERROR, raised.value.faultString[-500:]
    return raised.value


def test_user_reads_the_backend_but_no_credential(cm_user, backend_id, secrets_in_use):
    everything = cm_user.call("phobs.backend", "read", [backend_id])[0]
    assert everything["name"].startswith("RPC ")
    assert not set(CREDENTIAL_FIELDS) & set(everything)
    listed = cm_user.call("phobs.backend", "search_read", [("id", "=", backend_id)])[0]
    assert not set(CREDENTIAL_FIELDS) & set(listed)
    assert not set(CREDENTIAL_FIELDS) & set(cm_user.call("phobs.backend", "fields_get"))
    for field in CREDENTIAL_FIELDS:
        _refused(cm_user.call, "phobs.backend", "read", [backend_id], [field])
    assert not any(secret in repr(everything) for secret in secrets_in_use.values())


def test_user_cannot_probe_credentials_sideways(cm_user, backend_id):
    probes = [
        ("search", [[("client_id", "like", "rpc")]], {}),
        ("search_count", [[("client_secret_encrypted", "like", "g%")]], {}),
        ("search_read", [[("webhook_secret_encrypted", "!=", False)]], {"fields": ["name"]}),
        ("search", [[]], {"order": "client_id"}),
        ("read_group", [[], ["client_id"], ["client_id"]], {}),
        ("export_data", [[backend_id], ["client_secret_encrypted"]], {}),
    ]
    for method, args, kwargs in probes:
        _refused(cm_user.call, "phobs.backend", method, *args, **kwargs)


def test_user_cannot_write_credentials_or_configuration(admin, cm_user, backend_id):
    before = admin.call("phobs.backend", "read", [backend_id], ["client_secret_encrypted",
                                                                "webhook_secret_encrypted"])
    for values in ({"client_secret": "stolen"}, {"webhook_secret": "stolen"},
                   {"name": "Renamed"}, {"base_url": "http://attacker.example"}):
        _refused(cm_user.call, "phobs.backend", "write", [backend_id], values)
    for action in ("action_generate_webhook_secret", "action_register_webhook",
                   "action_test_connection", "action_pull_now"):
        _refused(cm_user.call, "phobs.backend", action, [backend_id])
    after = admin.call("phobs.backend", "read", [backend_id], ["client_secret_encrypted",
                                                               "webhook_secret_encrypted"])
    assert after == before


def test_user_sees_the_dashboard(cm_user, backend_id):
    dashboard = cm_user.call("phobs.backend", "read", [backend_id],
                             ["dashboard_json", "health_status"])[0]
    assert '"reservations_today": 0' in dashboard["dashboard_json"]
    assert dashboard["health_status"] == "none"


def test_manager_sees_only_that_a_secret_is_stored(cm_manager, backend_id, secrets_in_use):
    values = cm_manager.call("phobs.backend", "read", [backend_id],
                             ["client_secret", "client_secret_set", "client_secret_encrypted",
                              "webhook_secret_set"])[0]
    assert values["client_secret"] is False
    assert values["client_secret_set"] and values["webhook_secret_set"]
    assert secrets_in_use["client_secret"] not in values["client_secret_encrypted"]


def _push(odoo_server, backend_id, secret, body=b"<soap:Envelope/>"):
    timestamp = str(int(time.time()))
    return httpx.post(
        "%s/phobs/webhook/%d" % (odoo_server.url, backend_id), content=body, timeout=30,
        headers={"Content-Type": "text/xml; charset=utf-8", "X-Phobs-Timestamp": timestamp,
                 "X-Phobs-Signature": sign(secret, timestamp, body)})


def test_push_endpoint_throttles_failing_sources_but_never_a_valid_push(
        admin, odoo_server, secrets_in_use):
    limited = _create_backend(admin, webhook_secret=secrets_in_use["webhook_secret"])
    other = _create_backend(admin, webhook_secret=secrets_in_use["webhook_secret"])
    try:
        for _attempt in range(AUTH_FAILURE_LIMIT):
            assert _push(odoo_server, limited, "guessed-secret").status_code == 401

        refused = _push(odoo_server, limited, "guessed-secret")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        # A correctly signed push from the same (throttled) address is still authenticated:
        # this body is authentic but no OTA message, so it is refused as malformed, not 429.
        valid = _push(odoo_server, limited, secrets_in_use["webhook_secret"])
        assert valid.status_code == 400, valid.text
        assert "malformed" in valid.text
        assert admin.call("phobs.message", "search_count", [("backend_id", "=", limited)]) == 0
        # The limit is per backend (and client address).
        assert _push(odoo_server, other, "guessed-secret").status_code == 401
    finally:
        admin.call("phobs.backend", "unlink", [limited, other])

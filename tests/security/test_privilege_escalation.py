"""Privilege escalation: a Channel Manager / User, over XML-RPC to the real server, presses every
button that sends to Phobs or changes what is sent. Each is refused with an AccessError BEFORE
any network call: the sandbox (a process of its own for this module, so its request counters are
ours alone) receives nothing, and nothing changes in the database. A manager pressing the same
buttons does reach the sandbox, which shows the counters can tell."""
import datetime
import uuid
import xmlrpc.client

import pytest

from harness.odoo_rpc import OdooRpc
from harness.sandbox import Sandbox

ACCESS_ERROR = 4  # odoo.service.wsgi_server.RPC_FAULT_CODE_ACCESS_ERROR
USER_GROUPS = ["base.group_user", "phobs_channel_manager.group_phobs_user",
               "hotel.group_hotel_user"]


@pytest.fixture(scope="module")
def sandbox():
    own = Sandbox("--seed", "11").wait_ready()
    yield own
    own.stop()


def sandbox_requests(sandbox):
    """Every request the sandbox's Phobs endpoints received (token, reservations, inventory,
    rates, webhooks), from its control API."""
    endpoints = sandbox.call("GET", "/stats")["endpoints"]
    return sum(figures.get("requests", 0) for figures in endpoints.values())


@pytest.fixture(scope="module")
def hotel(sandbox):
    return sandbox.new_hotel({"DBL": 2})


@pytest.fixture(scope="module")
def backend_id(admin, sandbox, hotel):
    """A mapped backend in scheduled push mode, so nothing leaves on its own after a commit."""
    backend_id = admin.call("phobs.backend", "create", {
        "name": "Escalation %s" % hotel["code"], "hotel_code": hotel["code"],
        "base_url": sandbox.url, "auth_mode": "oauth2", "push_mode": "scheduled",
        "client_id": hotel["credentials"]["client_id"],
        "client_secret": hotel["credentials"]["client_secret"],
        "webhook_secret": "whsec-" + uuid.uuid4().hex})
    room_type = admin.call("hotel.room.type", "create", {
        "name": "DBL %s" % hotel["code"], "phobs_code": "DBL", "phobs_backend_id": backend_id})
    rooms = [admin.call("hotel.room", "create", {
        "name": "%s-%d" % (hotel["code"], number), "room_categ_id": room_type,
        "capacity": 2, "list_price": 90}) for number in (1, 2)]
    yield backend_id
    admin.call("hotel.room", "unlink", rooms)
    admin.call("hotel.room.type", "unlink", [room_type])
    for wizard in ("phobs.restriction.wizard", "phobs.ari.audit"):
        admin.call(wizard, "unlink", admin.call(wizard, "search", [("backend_id", "=", backend_id)]))
    admin.call("phobs.backend", "unlink", [backend_id])


@pytest.fixture(scope="module")
def cm_user(admin, odoo_server):
    login, password = "sec.cm.user@example.com", "sec-user-" + uuid.uuid4().hex[:8]
    admin.ensure_user(login, password, USER_GROUPS, name="Escalating Channel Manager User",
                      email=login)
    return OdooRpc(odoo_server.url, odoo_server.database, login, password)


@pytest.fixture(scope="module")
def cm_manager(admin, odoo_server):
    login, password = "sec.cm.manager@example.com", "sec-manager-" + uuid.uuid4().hex[:8]
    admin.ensure_user(login, password, USER_GROUPS + ["phobs_channel_manager.group_phobs_manager"],
                      name="Channel Manager Manager", email=login)
    return OdooRpc(odoo_server.url, odoo_server.database, login, password)


def assert_refused_and_nothing_sent(sandbox, call, *args, **kwargs):
    before = sandbox_requests(sandbox)
    with pytest.raises(xmlrpc.client.Fault) as raised:
        call(*args, **kwargs)
    assert raised.value.faultCode == ACCESS_ERROR, raised.value.faultString[-800:]
    assert sandbox_requests(sandbox) == before, "the sandbox received a request"


def backend_state(admin, backend_id):
    values = admin.call("phobs.backend", "read", [backend_id], [
        "last_pull_at", "last_full_resync_at", "webhook_registered_at", "last_connection_ok",
        "last_connection_message", "webhook_secret_encrypted"])[0]
    values["outbox"] = admin.call("phobs.outbox", "search_read", [("backend_id", "=", backend_id)],
                                  fields=["state", "attempts"], order="id")
    return values


@pytest.mark.parametrize("action", [
    "action_pull_now", "action_flush_now", "action_full_resync", "action_register_webhook",
    "action_test_connection", "action_generate_webhook_secret"])
def test_backend_buttons_are_refused_before_any_network_call(
        admin, sandbox, backend_id, cm_user, action):
    before = backend_state(admin, backend_id)
    assert_refused_and_nothing_sent(sandbox, cm_user.call, "phobs.backend", action, [backend_id])
    assert backend_state(admin, backend_id) == before


def test_replaying_dead_letters_is_refused(admin, sandbox, backend_id, cm_user):
    today = datetime.date.today()
    dead = admin.call("phobs.outbox", "create", {
        "backend_id": backend_id, "kind": "availability", "room_type_code": "DBL",
        "date_from": str(today), "date_to": str(today + datetime.timedelta(days=3)),
        "state": "dead", "attempts": 8, "last_error": "gave up"})
    try:
        assert_refused_and_nothing_sent(sandbox, cm_user.call, "phobs.outbox", "action_replay",
                                        [dead])
        row = admin.call("phobs.outbox", "read", [dead], ["state", "attempts"])[0]
        assert (row["state"], row["attempts"]) == ("dead", 8)
    finally:
        admin.call("phobs.outbox", "unlink", [dead])


def test_applying_a_failed_message_again_is_refused(admin, sandbox, backend_id, cm_user):
    failed = admin.call("phobs.message", "create", {
        "backend_id": backend_id, "direction": "in", "source": "push",
        "operation": "OTA_HotelResNotifRQ",
        "message_id": "sec-" + uuid.uuid4().hex, "state": "failed", "body": "<x/>",
        "error": "room type not mapped"})
    try:
        assert_refused_and_nothing_sent(sandbox, cm_user.call, "phobs.message", "action_retry",
                                        [failed])
        assert admin.call("phobs.message", "read", [failed], ["state"])[0]["state"] == "failed"
    finally:
        admin.call("phobs.message", "unlink", [failed])


def test_bulk_restrictions_are_refused(admin, sandbox, backend_id, cm_user):
    today = datetime.date.today()
    wizard = cm_user.call("phobs.restriction.wizard", "create", {
        "backend_id": backend_id, "date_from": str(today + datetime.timedelta(days=5)),
        "date_to": str(today + datetime.timedelta(days=6)), "stop_sell": "close",
        "room_type_codes": "DBL"})
    outbox_before = admin.call("phobs.outbox", "search_count", [("backend_id", "=", backend_id)])
    assert_refused_and_nothing_sent(sandbox, cm_user.call, "phobs.restriction.wizard",
                                    "action_apply", [wizard])
    assert admin.call("phobs.outbox", "search_count",
                      [("backend_id", "=", backend_id)]) == outbox_before
    assert admin.call("phobs.restriction", "search_count",
                      [("rate_plan_id.backend_id", "=", backend_id)]) == 0


def test_audit_corrections_are_refused_and_lines_cannot_be_forged(
        admin, sandbox, backend_id, cm_user):
    audit = cm_user.call("phobs.ari.audit", "create", {"backend_id": backend_id})
    cm_user.call("phobs.ari.audit", "action_run", [audit])  # looking is allowed
    forged = {"kind": "availability", "room_type_code": "DBL", "date_from": "2030-01-01",
              "date_to": "2030-12-31", "days": 365, "odoo_value": "0"}
    assert_refused_and_nothing_sent(sandbox, cm_user.call, "phobs.ari.audit.line", "create",
                                    dict(forged, audit_id=audit))
    assert_refused_and_nothing_sent(sandbox, cm_user.call, "phobs.ari.audit", "write", [audit],
                                    {"line_ids": [(0, 0, forged)]})
    assert_refused_and_nothing_sent(sandbox, cm_user.call, "phobs.ari.audit",
                                    "action_send_corrections", [audit])
    # A manager cannot forge lines either: corrections come from what the audit computes.
    lines = cm_user.call("phobs.ari.audit", "read", [audit], ["line_ids"])[0]["line_ids"]
    if lines:
        assert_refused_and_nothing_sent(sandbox, cm_user.call, "phobs.ari.audit.line", "write",
                                        lines[:1], {"date_to": "2030-12-31"})


def test_a_manager_pressing_the_same_buttons_reaches_the_sandbox(
        admin, sandbox, backend_id, cm_manager):
    """The control: the counters move when something is sent."""
    before = sandbox_requests(sandbox)
    cm_manager.call("phobs.backend", "action_test_connection", [backend_id])
    after_test = sandbox_requests(sandbox)
    assert after_test > before
    cm_manager.call("phobs.backend", "action_full_resync", [backend_id])
    assert sandbox_requests(sandbox) > after_test
    assert admin.call("phobs.backend", "read", [backend_id],
                      ["last_full_resync_at"])[0]["last_full_resync_at"]

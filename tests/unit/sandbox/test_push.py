"""Signed webhook push: HMAC verified by an independent receiver, acknowledgement, retry with backoff."""
import time

from . import ota_builders as ob
from .conftest import day


def _book(world, offset=20):
    return world.book(room_type="DBL", rate_plan="BAR", arrival=day(offset), departure=day(offset + 1))


def _messages(world):
    return {m["id"]: m for m in world.control("GET", "/messages")["messages"]}


def test_push_now_delivers_signed_valid_messages_that_the_reply_acknowledges(world, receiver):
    made = [_book(world, 20), _book(world, 21)]
    assert world.control("POST", "/webhook/push-now") == {"attempted": 2, "acknowledged": 2, "failed": 0}
    assert all(verified for verified, _ in receiver.pushes)
    for _, payload in receiver.pushes:
        world.schemas.assert_valid(payload)
        assert payload.get("EchoToken")
    assert receiver.message_ids() == [m["message_id"] for m in made]
    messages = _messages(world)
    for m in made:
        assert messages[m["message_id"]]["acked_via"] == "push"
        assert messages[m["message_id"]]["ack_pms_id"] == "ODOO-" + m["message_id"]
    assert world.pull() == []
    assert world.control("POST", "/webhook/push-now")["attempted"] == 0


def test_a_wrong_secret_does_not_verify(world, receiver):
    receiver.secret = "not-the-registered-secret"
    _book(world)
    world.control("POST", "/webhook/push-now")
    assert [verified for verified, _ in receiver.pushes] == [False]


def test_failed_pushes_are_retried_in_the_background_until_acknowledged(world, receiver):
    receiver.replies = ["http-500", "errors"]
    made = _book(world)
    world.control("PUT", "/webhook", json={"push": True})
    assert receiver.wait_for(3, timeout=6)
    deadline = time.monotonic() + 3
    while _messages(world)[made["message_id"]]["acked_at"] is None and time.monotonic() < deadline:
        time.sleep(0.05)
    message = _messages(world)[made["message_id"]]
    assert message["acked_via"] == "push" and message["push_attempts"] == 3
    assert receiver.message_ids() == [made["message_id"]] * 3


def test_an_errors_reply_or_http_error_leaves_the_message_pending(world, receiver):
    made = _book(world)
    for mode, reason in (("errors", "reply without Success"), ("http-500", "HTTP 500")):
        receiver.replies = [mode]
        assert world.control("POST", "/webhook/push-now")["failed"] == 1
        message = _messages(world)[made["message_id"]]
        assert message["acked_at"] is None and message["last_push_error"] == reason
    assert len(world.pull()) == 1


def test_a_success_that_does_not_name_the_message_leaves_it_undelivered(world, receiver):
    receiver.default = "ok-unnamed"
    made = _book(world)
    assert world.control("POST", "/webhook/push-now")["failed"] == 1
    message = _messages(world)[made["message_id"]]
    assert message["acked_at"] is None
    assert message["last_push_error"] == "reply does not name message %s" % made["message_id"]


def test_messages_acknowledged_by_pull_are_not_pushed(world, receiver):
    made = _book(world)
    world.pull()
    world.ok("/reservations", ob.notif_report_rq("HTL1", [(made["message_id"], "P1")]))
    assert world.control("POST", "/webhook/push-now")["attempted"] == 0
    assert receiver.pushes == []


def test_the_control_api_can_register_a_webhook_and_switch_push(world, receiver):
    view = world.control("PUT", "/webhook", json={"hotel": "HTL2", "url": receiver.url, "secret": "x",
                                                  "push": False})
    assert view["push"] is False
    assert view["hotels"]["HTL2"] == {"url": receiver.url, "has_secret": True}
    assert world.control("PUT", "/webhook", json={"push": True})["push"] is True
    world.control("POST", "/reset")
    assert world.control("GET", "/webhook")["push"] is False

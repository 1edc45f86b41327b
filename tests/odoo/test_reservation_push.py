"""Phobs pushes reservations to the webhook over real HTTP; authentic pushes with wrong content
are refused cleanly (attacks on the endpoint: tests/security/test_webhook_attacks.py)."""
import re

from phobs_case import PhobsCase
from webhook_case import WebhookCase


class TestReservationPush(PhobsCase):

    def setUp(self):
        super().setUp()
        self.backend.public_url = self.odoo_url
        self.backend.action_register_webhook()

    def test_registration_tells_phobs_our_url(self):
        webhooks = self.sandbox.call("GET", "/webhook")
        self.assertIn(self.backend.webhook_url, str(webhooks))
        self.assertTrue(self.backend.webhook_registered_at)

    def test_pushed_bookings_land_once_and_are_acknowledged_by_the_reply(self):
        booked = [self.book(channel=code, arrival=3 + n) for n, code in enumerate(["BDC", "HCOM"])]

        summary = self.sandbox.call("POST", "/webhook/push-now")

        self.assertEqual(summary["acknowledged"], 2)
        # The reply came as soon as both were stored; the front desk gets them right after
        # (in the background on a real server; test mode never commits, so we apply here).
        stored = self.env["phobs.message"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(stored.mapped("state"), ["received"] * 2)
        self.assertTrue(all(stored.mapped("acknowledged_at")))
        self.assertFalse(self.bindings())
        self.assertEqual(self.sync_service().apply_pending(), 2)
        self.assertEqual(stored.mapped("state"), ["processed"] * 2)
        self.assertEqual(sorted(self.bindings().mapped("external_id")),
                         sorted(b["reservation_id"] for b in booked))
        self.assertEqual(set(self.bindings().mapped("sync_state")), {"applied"})
        self.assertEqual(len(self.front_desk()), 2)
        self.assertEqual(self.sandbox.messages(self.hotel["code"], "pending"), [])
        # The reply named the front-desk numbers the bookings then received.
        told = {m["ack_pms_id"] for m in self.sandbox.messages(self.hotel["code"], "acked")}
        self.assertEqual(told, set(self.front_desk().mapped("reservation_no")))
        # A pull afterwards finds nothing new: the push reply was the acknowledgement.
        self.assertEqual(self.sync_service().pull().received, 0)

    def test_duplicate_push_delivery_is_recognised(self):
        self.book(arrival=5)
        self.sandbox.call("POST", "/faults", json={"rules": [
            {"kind": "duplicate_delivery", "count": 1}]})
        try:
            self.sandbox.call("POST", "/webhook/push-now")
        finally:
            self.sandbox.call("DELETE", "/faults")
        self.assertEqual(self.sync_service().apply_pending(), 1)
        self.assertEqual(len(self.bindings()), 1)
        self.assertEqual(len(self.front_desk()), 1)
        messages = self.env["phobs.message"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(len(messages), 1)


    def test_a_push_left_unapplied_is_applied_by_the_next_cron_tick_even_if_phobs_is_down(self):
        self.book(arrival=5)
        # Stored and acknowledged; in test mode the after-commit job never runs, as after a
        # restart between the reply and the background apply.
        self.assertEqual(self.sandbox.call("POST", "/webhook/push-now")["acknowledged"], 1)
        self.assertFalse(self.front_desk())
        self.env["phobs.backend"].search([("id", "!=", self.backend.id)]).write({"active": False})
        self.backend.client_secret = "not-the-secret"  # the pull of this tick will fail

        self.env["phobs.backend"]._cron_pull()

        self.assertEqual(len(self.front_desk()), 1)
        self.assertEqual(self.env["phobs.message"].search(
            [("backend_id", "=", self.backend.id)]).state, "processed")


class TestWebhookRefusals(WebhookCase):
    """A well-formed, authentic push whose content is wrong is stored as failed and answered
    with an OTA error. (Unauthenticated, unsafe and oversized pushes: tests/security.)"""

    def test_signed_valid_push_is_accepted(self):
        response = self._post(self._valid_body())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Success", response.text)
        self.assertEqual(self._stored(), self.messages_before + 1)
        self.sync_service().apply_pending()
        self.assertEqual(len(self.bindings()), 1)
        self.assertEqual(len(self.front_desk()), 1)

    def test_reservation_for_another_hotel_is_stored_as_failed_and_reported(self):
        body = self._valid_body().replace(
            ('HotelCode="%s"' % self.hotel["code"]).encode(), b'HotelCode="OTHERHOTEL"')
        response = self._post(body)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Errors", response.text)
        self.assertIn("not this hotel", response.text)
        failed = self.env["phobs.message"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(failed.mapped("state"), ["failed"])
        self.assertFalse(self.bindings())

    def _refused_content(self, body, reason):
        """A well-formed, authentic push whose reservation is wrong: stored as failed, answered
        with an OTA error, and nothing else written."""
        response = self._post(body)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Errors", response.text)
        self.assertIn(reason, response.text)
        messages = self.env["phobs.message"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(messages.mapped("state"), ["failed"])
        self.assertIn(reason, messages.error)
        self.assertFalse(self.bindings())
        self.assertFalse(self.front_desk())

    def test_unknown_room_type_code(self):
        body = self._valid_body().replace(b'RoomTypeCode="DBL"', b'RoomTypeCode="NOPE"')
        self._refused_content(body, "Unknown Phobs room type code")

    def test_departure_before_arrival(self):
        body = re.sub(rb'Start="([0-9-]+)" End="([0-9-]+)"', rb'Start="\2" End="\1"',
                      self._valid_body())
        self._refused_content(body, "departure")

    def test_negative_amount(self):
        body = re.sub(rb'AmountAfterTax="[0-9.]+"', b'AmountAfterTax="-10.00"',
                      self._valid_body(), count=1)
        self._refused_content(body, "negative")

"""After an outage: once Phobs answers again, the updates waiting out their backoff go at once.

During an outage every failed update waits for its own backoff (up to an hour by default). A
session with Phobs whose last request went through says Phobs is back: the rows waiting after a
failure of Phobs (not of the row) become due and the next flush sends them, instead of each
waiting out the rest of its backoff.
"""
import dataclasses
from unittest import mock

from odoo import fields
from odoo.addons.phobs_channel_manager.phobs_api.retry import RetryPolicy
from odoo.addons.phobs_channel_manager.services.channel_manager import (
    PhobsChannelManagerService,
)

from ari_case import BAR_AND_NRF, AriCase


class TestOutboxAfterAnOutage(AriCase):
    room_types = {"SGL": 2, "DBL": 3}
    sandbox_rate_plans = BAR_AND_NRF

    def setUp(self):
        super().setUp()
        self.inventory_service().full_resync()
        self.drain()
        # Backoffs of up to ten hours (full jitter: anywhere between now and then).
        self.backend.write({"retry_base_seconds": 36000, "retry_max_seconds": 36000,
                            "retry_max_attempts": 8})
        original = PhobsChannelManagerService.client_config

        def impatient(service):  # one attempt per request: each fault reaches the outbox
            return dataclasses.replace(original(service), retry=RetryPolicy(max_attempts=1))
        patcher = mock.patch.object(PhobsChannelManagerService, "client_config", impatient)
        patcher.start()
        self.addCleanup(patcher.stop)

    def _waiting_after_an_outage(self):
        self.sandbox.call("POST", "/faults", json={"rules": [{"kind": "http_503"}]})
        self.front_desk_booking("DBL", 12, 3)
        self.front_desk_booking("SGL", 30, 2)
        self.inventory_service().flush()
        waiting = self.outbox("pending")
        self.assertGreater(len(waiting), 1, "the bookings' nights wait in the outbox")
        self.assertEqual(set(waiting.mapped("error_kind")), {"retryable"})
        self.assertTrue(all(self._in_minutes(row) > 0 for row in waiting), "backed off")
        return waiting

    @staticmethod
    def _in_minutes(row):
        due = fields.Datetime.from_string(row.next_attempt_at)
        return (due - fields.Datetime.from_string(fields.Datetime.now())).total_seconds() / 60

    def test_a_request_that_goes_through_makes_the_waiting_updates_due_and_the_flush_sends_them(
            self):
        waiting = self._waiting_after_an_outage()
        self.sandbox.call("DELETE", "/faults")

        ok, message = PhobsChannelManagerService(self.env, self.backend).check_connection()

        self.assertTrue(ok, message)
        waiting.invalidate_cache()
        self.assertTrue(all(self._in_minutes(row) <= 0 for row in waiting), "due now")
        self.assertEqual(set(waiting.mapped("attempts")), {1}, "attempts are kept")
        result = self.inventory_service().flush()
        self.assertEqual(result.failed_batches, 0)
        self.assertEqual(set(waiting.mapped("state")), {"done"})
        self.assertEqual(self.sandbox_drift(), [])

    def test_while_phobs_still_fails_the_updates_keep_their_backoff(self):
        waiting = self._waiting_after_an_outage()
        due = waiting.mapped("next_attempt_at")

        ok, _message = PhobsChannelManagerService(self.env, self.backend).check_connection()

        self.assertFalse(ok)
        waiting.invalidate_cache()
        self.assertEqual(waiting.mapped("next_attempt_at"), due)
        self.assertEqual(self.inventory_service().flush().rows, 0, "nothing due yet")

    def test_an_update_refused_for_itself_is_not_brought_forward(self):
        waiting = self._waiting_after_an_outage()
        waiting[0].write({"error_kind": "business"})  # as a refusal of that row's content
        due = waiting[0].next_attempt_at
        self.sandbox.call("DELETE", "/faults")

        PhobsChannelManagerService(self.env, self.backend).check_connection()

        waiting.invalidate_cache()
        self.assertEqual(waiting[0].next_attempt_at, due)
        self.assertTrue(all(self._in_minutes(row) <= 0 for row in waiting[1:]))

"""After an outage: once Phobs answers again, the updates waiting out their backoff go at once.

During an outage every failed update waits for its own backoff (up to an hour by default). When
a request of one operation (sending availability, rates, ...) goes through again, the rows that
operation sends and that wait after a failure of Phobs (not of the row) become due and the next
flush sends them, instead of each waiting out the rest of its backoff. An operation still
failing brings nothing forward: a partial outage must not burn the rows' attempts.
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

    def _backoff_ends(self, row):
        row.write({"next_attempt_at": "2000-01-01 00:00:00"})

    def test_once_a_send_goes_through_again_the_waiting_rows_of_its_kind_are_due_and_sent(self):
        waiting = self._waiting_after_an_outage()
        self.sandbox.call("DELETE", "/faults")
        first = waiting[0]
        self._backoff_ends(first)  # the first row whose backoff ends finds Phobs answering

        result = self.inventory_service().flush()

        self.assertEqual((result.rows, result.failed_batches), (1, 0))
        self.assertEqual(first.state, "done")
        rest = waiting - first
        rest.invalidate_cache()
        self.assertTrue(all(self._in_minutes(row) <= 0 for row in rest), "due now")
        self.assertEqual(set(rest.mapped("attempts")), {1}, "attempts are kept")
        result = self.inventory_service().flush()
        self.assertEqual((result.rows, result.failed_batches), (len(rest), 0))
        self.assertEqual(set(waiting.mapped("state")), {"done"})
        self.assertEqual(self.sandbox_drift(), [])

    def test_while_the_availability_endpoint_still_fails_its_rows_keep_their_backoff(self):
        waiting = self._waiting_after_an_outage()
        due = waiting.mapped("next_attempt_at")
        # Phobs is back, but for its availability endpoint (a partial outage): a pull and a
        # rates update go through, which says nothing about the availability rows.
        self.sandbox.call("DELETE", "/faults")
        self.sandbox.call("POST", "/faults", json={"rules": [
            {"kind": "http_503", "path": "/inventory"}]})
        ok, message = PhobsChannelManagerService(self.env, self.backend).check_connection()
        self.assertTrue(ok, message)
        self.price(self.rate_plan("BAR", ["SGL", "DBL"]), "DBL", 0, 10, 100)
        result = self.inventory_service().flush()
        self.assertGreater(result.kinds["rates"]["runs"], 0, "the rates went through")

        waiting.invalidate_cache()
        self.assertEqual(waiting.mapped("next_attempt_at"), due)
        self.assertEqual(set(waiting.mapped("state")), {"pending"})

    def test_refused_credentials_wait_until_any_request_goes_through(self):
        waiting = self._waiting_after_an_outage()
        waiting.write({"error_kind": "auth"})  # the outage was Phobs refusing our credentials
        self.sandbox.call("DELETE", "/faults")

        ok, message = PhobsChannelManagerService(self.env, self.backend).check_connection()

        self.assertTrue(ok, message)
        waiting.invalidate_cache()
        self.assertTrue(all(self._in_minutes(row) <= 0 for row in waiting), "due now")

    def test_a_connection_check_alone_leaves_the_availability_rows_on_their_backoff(self):
        waiting = self._waiting_after_an_outage()
        due = waiting.mapped("next_attempt_at")
        self.sandbox.call("DELETE", "/faults")

        PhobsChannelManagerService(self.env, self.backend).check_connection()

        waiting.invalidate_cache()
        self.assertEqual(waiting.mapped("next_attempt_at"), due)
        self.assertEqual(self.inventory_service().flush().rows, 0, "nothing due yet")

"""Monitoring over real traffic with the sandbox: dashboard figures, channel status, alerts.

Runs as a Channel Manager / User where the feature is for them (dashboard, channel status) and
as the cron (superuser) where the system acts by itself (pulls, alerts).
"""
import json
from unittest import mock

from odoo import fields

from odoo.addons.phobs_channel_manager.services import background
from odoo.addons.phobs_channel_manager.services.error_handling import ALERT_SUMMARIES
from odoo.addons.phobs_channel_manager.services.monitoring import PhobsMonitoringService

from phobs_case import PhobsCase


class MonitoringCase(PhobsCase):

    def setUp(self):
        super().setUp()
        Users = self.env["res.users"].with_context(no_reset_password=True)
        self.cm_user = Users.create({
            "name": "CM User Monitoring", "login": "cm_user_monitoring_%s" % self.hotel["code"],
            "groups_id": [(6, 0, [self.env.ref("phobs_channel_manager.group_phobs_user").id])]})
        self.cm_manager = Users.create({
            "name": "CM Manager Monitoring",
            "login": "cm_manager_monitoring_%s" % self.hotel["code"],
            "groups_id": [(6, 0, [self.env.ref("phobs_channel_manager.group_phobs_manager").id])]})
        self.backend.alert_user_ids = self.cm_manager

    def dashboard(self, user=None):
        backend = self.backend.sudo(user or self.cm_user)
        backend.invalidate_cache()
        return json.loads(backend.dashboard_json)

    def alerts(self, kind=None):
        domain = [("res_model", "=", "phobs.backend"), ("res_id", "=", self.backend.id)]
        if kind:
            domain.append(("summary", "=", ALERT_SUMMARIES[kind]))
        return self.env["mail.activity"].search(domain)

    def faults(self, *rules):
        self.sandbox.call("POST", "/faults", json={"rules": list(rules)})
        self.addCleanup(self.sandbox.call, "DELETE", "/faults")


class TestDashboard(MonitoringCase):

    def test_pulled_bookings_show_on_the_dashboard_with_revenue_and_calls(self):
        booked = [self.book(channel="BDC", arrival=3), self.book(channel="BDC", arrival=6),
                  self.book(channel="EXP", arrival=9, room_type="SGL")]
        cancelled = self.book(channel="AGO", arrival=12)
        self.sandbox.call("POST", "/bookings/%s/cancel" % cancelled["reservation_id"])

        self.sync_service().pull()
        figures = self.dashboard()

        self.assertEqual(figures["reservations_today"], 3)
        self.assertEqual(figures["reservations_week"], 3)
        revenue = sum(float(b["total"]) for b in booked)
        self.assertIn("{:,.2f}".format(revenue), figures["revenue_week"])
        self.assertEqual({c["name"]: (c["today"], c["week"]) for c in figures["channels"]},
                         {"Booking.com": (2, 2), "Expedia": (1, 1)})
        self.assertEqual(figures["status"], "green")
        self.assertEqual(figures["success_rate"], "100 %")
        self.assertGreaterEqual(figures["calls"], 3)
        operations = {op["operation"]: op for op in figures["operations"]}
        self.assertIn("pull_reservations", operations)
        self.assertIn("acknowledge", operations)
        self.assertTrue(operations["pull_reservations"]["median_ms"].endswith(" ms"))
        self.assertEqual({flow["flow"]: flow["ago"] for flow in figures["last_sync"]},
                         {"pull": "just now", "push": "never", "outbound": "just now"})
        self.assertEqual((figures["open_conflicts"], figures["dead_letters"]), (0, 0))
        self.assertEqual(len(figures["by_day"]), 7)
        self.assertEqual(figures["by_day"][-1][1], 3)
        graph = json.loads(self.backend.sudo(self.cm_user).dashboard_graph)
        self.assertEqual([point["value"] for point in graph[0]["values"]][-1], 3)

    def test_revenue_in_another_currency_is_converted_before_it_is_added(self):
        first, second = self.book(channel="BDC", arrival=3), self.book(channel="EXP", arrival=5)
        self.sync_service().pull()
        home = self.backend.currency_id
        other = self.env["res.currency"].with_context(active_test=False).search(
            [("id", "!=", home.id), ("name", "in", ("USD", "EUR", "CHF", "GBP"))], limit=1)
        other.active = True
        # Two units of the other currency are worth one of the hotel's.
        self.env["res.currency.rate"].create({
            "currency_id": other.id, "rate": 2 * home.rate, "name": fields.Date.today(),
            "company_id": self.backend.company_id.id})
        self.bindings().filtered(
            lambda b: b.external_id == second["reservation_id"]).currency_id = other

        figures = self.dashboard()

        expected = float(first["total"]) + float(second["total"]) / 2
        self.assertIn("{:,.2f}".format(expected), figures["revenue_week"])

    def test_bookings_stored_but_not_applied_for_minutes_are_shown(self):
        self.book(channel="BDC", arrival=3)
        self.book(channel="EXP", arrival=4)
        self.sync_service().receive_pulled()  # stored and acknowledged, not applied yet
        waiting = self.env["phobs.message"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(waiting.mapped("state"), ["received", "received"])
        self.assertEqual(self.dashboard()["stalled_messages"], 0)  # just stored: no worry yet

        # One of them has waited ten minutes: neither the background job nor the cron ran.
        self.env.cr.execute("UPDATE phobs_message SET write_date = write_date - interval "
                            "'10 minutes' WHERE id = %s", (waiting[0].id,))
        figures = self.dashboard()

        self.assertEqual(figures["stalled_messages"], 1)
        self.assertEqual(figures["status"], "amber")

    def test_overbooking_and_dead_letter_turn_the_backend_amber_and_count(self):
        self.book(room_type="SGL", arrival=5)
        self.book(room_type="SGL", arrival=5, respect_availability=False)
        self.sync_service().pull()
        self.env["phobs.outbox"].create({
            "backend_id": self.backend.id, "kind": "availability", "room_type_code": "DBL",
            "date_from": str(self.day(1)), "date_to": str(self.day(2)), "state": "dead",
            "last_error": "PhobsMappingError: [type 3 code 402] DBL"})

        figures = self.dashboard()

        self.assertEqual(figures["open_conflicts"], 1)
        self.assertEqual(figures["dead_letters"], 1)
        self.assertEqual(figures["status"], "amber")
        action = self.backend.sudo(self.cm_user).action_open_conflicts()
        self.assertEqual(self.env["phobs.conflict"].search_count(action["domain"]), 1)

    def test_channel_status_follows_its_traffic(self):
        # The sandbox also sells a room type the front desk does not map.
        hotel = {key: value for key, value in self.hotel.items() if key != "code"}
        hotel["room_types"] = hotel["room_types"] + [{"code": "XTR", "name": "Extra", "units": 1}]
        hotel["rate_plans"] = [{"code": "BAR", "name": "Best Available Rate",
                                "room_types": ["SGL", "DBL", "XTR"]}]
        self.sandbox.call("PUT", "/hotels/%s" % self.hotel["code"], json=hotel)
        # Channels span the backends a user sees: only this test's hotel counts here.
        self.env["phobs.backend"].search([("id", "!=", self.backend.id)]).write({"active": False})
        bdc = self.env.ref("phobs_channel_manager.channel_booking_com")
        expedia = self.env.ref("phobs_channel_manager.channel_expedia")
        self.book(channel="BDC", arrival=3)
        self.sync_service().pull()
        as_user = self.env["phobs.channel"].sudo(self.cm_user).browse([bdc.id, expedia.id])
        self.assertEqual(as_user[0].status, "green")
        self.assertEqual(as_user[0].reservations_today, 1)
        self.assertIn("1 of 1 messages", as_user[0].status_message)
        self.assertEqual(as_user[1].status, "none")

        # An Expedia booking of a room type the front desk does not map cannot be applied.
        self.book(channel="EXP", arrival=4, room_type="XTR")
        result = self.sync_service().pull()
        self.assertEqual(result.failed, 1)
        as_user.invalidate_cache()
        self.assertEqual(as_user[1].status, "red")
        self.assertIn("Unknown Phobs room type", as_user[1].last_error)
        self.assertEqual(as_user[0].status, "green")

        errors = self.env["phobs.error.log"].sudo(self.cm_user).search(
            [("backend_id", "=", self.backend.id), ("source", "=", "message")])
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors.record_ref._name, "phobs.message")


class TestAlerts(MonitoringCase):

    def test_refused_credentials_alert_the_alert_users_once(self):
        self.backend.client_secret = "not-the-secret"

        self.backend.action_test_connection()

        self.assertFalse(self.backend.last_connection_ok)
        alert = self.alerts("auth")
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.user_id, self.cm_manager)
        self.assertIn("check the API key and secret", alert.note)
        calls = self.env["phobs.api.call"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(calls[0].error, "PhobsAuthError")
        self.assertIn("refused the credentials", calls[0].explanation)

        # A pull with the same bad secret fails without a traceback and adds no second alert.
        self.backend.action_pull_now()
        self.assertEqual(len(self.alerts("auth")), 1)
        self.assertIn("Pull failed", self.backend.message_ids[0].body)
        self.assertEqual(self.dashboard()["status"], "red")
        self.assertEqual(self.dashboard()["open_alerts"], 1)

        # Once staff marked it done, the next refusal alerts again.
        alert.action_done()
        self.backend.action_test_connection()
        self.assertEqual(len(self.alerts("auth")), 1)

    def test_an_expired_token_the_client_refreshed_is_no_alert(self):
        self.sync_service().pull()
        self.faults({"kind": "token_expiry", "count": 1})

        self.sync_service().pull()

        statuses = self.env["phobs.api.call"].search(
            [("backend_id", "=", self.backend.id)]).mapped("http_status")
        self.assertIn(401, statuses)
        self.assertFalse(self.alerts())

    def test_error_rate_above_the_threshold_alerts(self):
        self.backend.write({"error_rate_window": 6, "error_rate_threshold": 40})
        for _clean in range(3):
            self.sync_service().pull()
        self.assertFalse(self.alerts())
        self.faults({"kind": "http_503", "path": "/reservations"})

        with self.assertRaises(Exception):
            self.sync_service().pull()   # three attempts, all refused

        alert = self.alerts("error_rate")
        self.assertEqual(len(alert), 1)
        self.assertIn("50.0% of the last 6 calls", alert.note)
        self.assertIn("Error Log", alert.note)
        errors = self.env["phobs.error.log"].search(
            [("backend_id", "=", self.backend.id), ("source", "=", "call")])
        self.assertEqual(len(errors), 3)
        self.assertIn("temporarily unavailable (HTTP 503)", errors[0].explanation)
        self.assertEqual(errors[0].record_ref, self.backend)

    def test_cron_pull_keeps_the_record_of_a_refused_pull(self):
        self.backend.client_secret = "not-the-secret"
        other_backends = self.env["phobs.backend"].search([("id", "!=", self.backend.id)])
        other_backends.write({"active": False})

        self.env["phobs.backend"]._cron_pull()

        self.assertEqual(len(self.alerts("auth")), 1)
        self.assertTrue(self.env["phobs.api.call"].search_count(
            [("backend_id", "=", self.backend.id), ("error", "=", "PhobsAuthError")]))


class TestPushModeAndPurge(MonitoringCase):

    def setUp(self):
        super().setUp()
        # What is queued to run after commit (test mode never commits): (backend id, job).
        self.queued = set()

        def record(_cr, backend_ids, job):
            self.queued.update((backend_id, job) for backend_id in backend_ids)
        patcher = mock.patch.object(background, "run_after_commit", record)
        patcher.start()
        self.addCleanup(patcher.stop)

    def _pending_flush(self):
        return {backend_id for backend_id, job in self.queued if job == background.FLUSH}

    def test_scheduled_push_mode_leaves_the_sending_to_the_cron(self):
        self.backend.push_mode = "scheduled"
        before = self._pending_flush()
        self.backend._phobs_mark_dirty("availability", ["DBL"], str(self.day(1)), str(self.day(2)))
        self.assertNotIn(self.backend.id, self._pending_flush() - before)
        self.assertEqual(self.env["phobs.outbox"].search_count(
            [("backend_id", "=", self.backend.id), ("state", "=", "pending")]), 1)

        self.backend.push_mode = "immediate"
        self.backend._phobs_mark_dirty("availability", ["DBL"], str(self.day(1)), str(self.day(2)))
        self.assertIn(self.backend.id, self._pending_flush())

    def test_purge_deletes_old_calls_and_processed_messages_only(self):
        self.book(arrival=3)
        self.sync_service().pull()
        Message = self.env["phobs.message"]
        failed = Message.create({
            "backend_id": self.backend.id, "direction": "in", "source": "pull",
            "operation": "HotelReservation", "message_id": "old-failed", "state": "failed",
            "error": "bad"})
        old_processed = Message.search([("backend_id", "=", self.backend.id),
                                        ("state", "=", "processed")])
        self.assertEqual(len(old_processed), 1)
        calls = self.env["phobs.api.call"].search([("backend_id", "=", self.backend.id)])
        old_calls, recent_calls = calls[1:], calls[:1]
        self.cr.execute("UPDATE phobs_api_call SET create_date = now() - interval '31 days' "
                        "WHERE id IN %s", (tuple(old_calls.ids),))
        self.cr.execute("UPDATE phobs_message SET create_date = now() - interval '31 days' "
                        "WHERE id IN %s", (tuple((old_processed | failed).ids),))
        self.backend.log_retention_days = 30

        deleted = PhobsMonitoringService(self.env, self.backend).purge()

        self.assertEqual(deleted, (len(old_calls), 1))
        self.assertFalse(old_calls.exists())
        self.assertTrue(recent_calls.exists())
        self.assertFalse(old_processed.exists())
        self.assertTrue(failed.exists())
        self.assertEqual(len(self.bindings()), 1)

    def test_purge_cron_uses_each_backends_retention(self):
        self.sync_service().pull()
        calls = self.env["phobs.api.call"].search([("backend_id", "=", self.backend.id)])
        self.cr.execute("UPDATE phobs_api_call SET create_date = now() - interval '3 days' "
                        "WHERE id IN %s", (tuple(calls.ids),))
        self.backend.log_retention_days = 5
        self.env["phobs.backend"]._cron_purge_logs()
        self.assertTrue(calls.exists())
        self.backend.log_retention_days = 2
        self.env["phobs.backend"]._cron_purge_logs()
        self.assertFalse(calls.exists())

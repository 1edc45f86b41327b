"""Plain feedback: a result banner after each backend button, a dashboard headline with its
reason, health judged on the calls since the last success, alerts that close themselves."""
from test_monitoring import MonitoringCase


class TestPlainFeedback(MonitoringCase):

    def test_buttons_write_a_one_line_result_and_reload(self):
        self.book(arrival=4)
        self.book(arrival=6, room_type="SGL")

        action = self.backend.action_pull_now()

        self.assertEqual(action, {"type": "ir.actions.client", "tag": "reload"})
        self.assertEqual(self.backend.last_action_result,
                         "Reservations pulled: 2 received, 2 new, 0 already known, 0 failed.")
        self.assertFalse(self.backend.last_action_failed)

        self.backend.client_secret = "not-the-secret"
        self.backend.action_flush_now()
        self.backend.action_pull_now()
        self.assertTrue(self.backend.last_action_failed)
        self.assertTrue(self.backend.last_action_result.startswith("Pull failed: "))

    def test_an_alert_closes_itself_when_the_cause_clears(self):
        secret = self.hotel["credentials"]["client_secret"]
        self.backend.client_secret = "not-the-secret"
        self.backend.action_test_connection()
        alert = self.alerts("auth")
        self.assertEqual(len(alert), 1)
        self.assertEqual(self.dashboard()["status"], "red")
        self.assertIn("1 open alert", self.dashboard()["status_reason"])

        self.backend.client_secret = secret
        self.backend.action_test_connection()

        self.assertFalse(self.alerts("auth"), "the credentials work again")
        self.assertIn("cleared", self.backend.message_ids[1].body)
        figures = self.dashboard()
        # Judged on the calls since the last success: the refused ones are behind us.
        self.assertEqual((figures["status"], figures["failing_streak"]), ("green", 0))
        self.assertEqual(figures["open_alerts"], 0)
        self.assertTrue(figures["status_reason"].startswith("calls go through again"))

    def test_the_headline_names_conflicts_and_failed_bookings(self):
        # The sandbox also sells a room type the front desk does not map.
        hotel = {key: value for key, value in self.hotel.items() if key != "code"}
        hotel["room_types"] = hotel["room_types"] + [{"code": "XTR", "name": "Extra", "units": 1}]
        hotel["rate_plans"] = [{"code": "BAR", "name": "Best Available Rate",
                                "room_types": ["SGL", "DBL", "XTR"]}]
        self.sandbox.call("PUT", "/hotels/%s" % self.hotel["code"], json=hotel)
        self.book("SGL", arrival=12, channel="BDC", respect_availability=False)
        self.book("SGL", arrival=12, channel="EXP", respect_availability=False)
        self.book(arrival=5, room_type="XTR")   # a room type the front desk does not map
        self.sync_service().pull()

        figures = self.dashboard()

        self.assertEqual(figures["status"], "amber")
        self.assertEqual(figures["status_reason"], "1 conflict, 1 failed booking")

"""What staff do: edit restrictions in bulk, audit the drift and correct it, resync everything.

Run as the users the features are for: a front-desk user who is Channel Manager / Manager edits
and corrects; a Channel Manager / User may look but not change.
"""
from odoo.exceptions import AccessError, UserError

from odoo.addons.phobs_channel_manager.phobs_api import ari

from ari_case import BAR_AND_NRF, AriCase

SATURDAY, SUNDAY = 5, 6


class TestStaffTools(AriCase):
    room_types = {"SGL": 1, "DBL": 2}
    sandbox_rate_plans = BAR_AND_NRF

    def setUp(self):
        super().setUp()
        self.bar = self.rate_plan("BAR", ["SGL", "DBL"])
        self.nrf = self.rate_plan("NRF", ["DBL"])
        for plan, code in ((self.bar, "SGL"), (self.bar, "DBL"), (self.nrf, "DBL")):
            self.price(plan, code, 0, 364, 80)
        hotel_user = self.env.ref("hotel.group_hotel_user")
        self.manager = self._user("phobs-manager", hotel_user,
                                  self.env.ref("phobs_channel_manager.group_phobs_manager"))
        self.viewer = self._user("phobs-user", hotel_user,
                                 self.env.ref("phobs_channel_manager.group_phobs_user"))
        self.inventory_service().full_resync()

    def _user(self, login, *groups):
        return self.env["res.users"].with_context(no_reset_password=True).create({
            "name": login, "login": "%s-%s" % (login, self.hotel["code"]),
            "email": "%s@hotel.example" % login,
            "groups_id": [(6, 0, [group.id for group in groups])]})

    def _wizard(self, user, **values):
        first = values.pop("first")
        last = values.pop("last")
        weekdays = values.pop("weekdays")
        flags = {name: index in weekdays for index, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
        return self.env["phobs.restriction.wizard"].sudo(user).create(dict(
            values, **flags, backend_id=self.backend.id, date_from=str(self.day(first)),
            date_to=str(self.day(last))))

    def _records(self):
        return [(r.rate_plan_id.code, r.room_type_code, r.date_from, r.date_to, r.summary)
                for r in self.env["phobs.restriction"].search(
                    [("backend_id", "=", self.backend.id)], order="date_from")]

    def test_bulk_edit_over_weekdays_splits_and_merges_ranges_and_reaches_the_sandbox(self):
        weekend = ari.matching_days(self.day(10), self.day(23), [SATURDAY, SUNDAY])
        wizard = self._wizard(self.manager, first=10, last=23, weekdays=[SATURDAY, SUNDAY],
                              rate_plan_ids=[(6, 0, self.bar.ids)],
                              room_type_ids=[(6, 0, self.hotel_types["DBL"].ids)],
                              set_min_los=True, min_los=2, stop_sell="close")

        wizard.action_apply()

        records = self._records()
        self.assertEqual(len(records), 2, "each weekend is one range")
        self.assertEqual({r[4] for r in records}, {"stop-sell, min 2"})
        self.assertEqual(sorted(d for r in records for d in (r[2], r[3])),
                         [str(day) for day in weekend])
        dirty = self.outbox("pending").filtered(lambda row: row.kind == "restrictions")
        self.assertEqual({(row.room_type_code, row.rate_plan_code) for row in dirty},
                         {("DBL", "BAR")}, "marked dirty in the wizard's own transaction")

        # Reopen sale on Sundays only: the weekends split, the minimum stay stays.
        self._wizard(self.manager, first=10, last=23, weekdays=[SUNDAY],
                     rate_plan_ids=[(6, 0, self.bar.ids)], room_type_codes="DBL",
                     stop_sell="open").action_apply()
        summaries = {(r[2], r[4]) for r in self._records()}
        for day in weekend:
            expected = "min 2" if day.weekday() == SUNDAY else "stop-sell, min 2"
            self.assertIn((str(day), expected), summaries)

        result = self.inventory_service().flush()

        self.assertEqual(result.failed_batches, 0)
        self.assertEqual(result.kinds["restrictions"]["days"], len(weekend))
        self.assertEqual(self.sandbox_drift(), [])
        held = self.sandbox_values("restrictions", [("DBL", "BAR"), ("DBL", "NRF")],
                                   self.day(10), self.day(23))
        sunday = next(day for day in weekend if day.weekday() == SUNDAY)
        self.assertEqual(held[("DBL", "BAR", sunday)], ari.Restriction(min_los=2).encode())
        self.assertEqual(held[("DBL", "NRF", sunday)], ari.OPEN.encode())

    def test_contradictions_and_empty_edits_are_refused_in_words(self):
        self._wizard(self.manager, first=3, last=5, weekdays=range(7),
                     rate_plan_ids=[(6, 0, self.bar.ids)], set_min_los=True,
                     min_los=4).action_apply()
        clash = self._wizard(self.manager, first=3, last=5, weekdays=range(7),
                             rate_plan_ids=[(6, 0, self.bar.ids)], set_max_los=True, max_los=2)
        with self.assertRaises(UserError):
            clash.action_apply()
        with self.assertRaises(UserError):
            self._wizard(self.manager, first=3, last=5, weekdays=range(7)).action_apply()
        other_days = [d for d in range(7) if d != self.day(3).weekday()]
        with self.assertRaises(UserError):
            self._wizard(self.manager, first=3, last=3, weekdays=other_days,
                         stop_sell="close").action_apply()

    def test_channel_manager_users_can_look_but_not_change(self):
        wizard = self._wizard(self.viewer, first=10, last=12, weekdays=range(7),
                              stop_sell="close")
        with self.assertRaises(AccessError):
            wizard.action_apply()
        with self.assertRaises(AccessError):
            self.env["phobs.rate.plan"].sudo(self.viewer).create({
                "backend_id": self.backend.id, "code": "NEW", "name": "New"})
        self.assertEqual(self.env["phobs.rate.plan"].sudo(self.viewer).search_count(
            [("backend_id", "=", self.backend.id)]), 2)
        audit = self.env["phobs.ari.audit"].sudo(self.viewer).create(
            {"backend_id": self.backend.id})
        audit.action_run()
        self.assertEqual(audit.drift_days, 0)

    def test_the_audit_shows_what_phobs_lacks_and_corrections_send_exactly_that(self):
        self.price(self.bar, "SGL", 40, 46, 95)
        self.price(self.nrf, "DBL", 45, 45, 60)
        # Pretend those updates were lost: nothing pending, nothing sent.
        self.outbox("pending").unlink()
        before = self.traffic()

        audit = self.env["phobs.ari.audit"].sudo(self.manager).create(
            {"backend_id": self.backend.id})
        audit.action_run()

        lines = [(l.kind, l.room_type_code, l.rate_plan_code, l.date_from, l.date_to, l.days,
                  l.phobs_value, l.odoo_value) for l in audit.line_ids]
        self.assertEqual(sorted(lines), [
            ("rates", "DBL", "NRF", str(self.day(45)), str(self.day(45)), 1, "80.00 EUR",
             "60.00 EUR"),
            ("rates", "SGL", "BAR", str(self.day(40)), str(self.day(46)), 7, "80.00 EUR",
             "95.00 EUR"),
        ])
        self.assertEqual(audit.drift_days, 8)
        self.assertIn("Rates: 8 day(s) in 2 range(s)", audit.summary)
        self.assertEqual(len(self.sandbox_drift()), 2, "the sandbox agrees: it lacks them too")

        audit.action_send_corrections()

        self.assertEqual(audit.drift_days, 0)
        self.assertFalse(audit.line_ids)
        self.assertEqual(self.traffic_since(before), (1, 2))
        self.assertEqual(self.sandbox_drift(), [])

    def test_full_resync_button_sends_everything_again(self):
        before = self.traffic()

        self.backend.sudo(self.manager).action_full_resync()

        requests, elements = self.traffic_since(before)
        self.assertEqual(requests, 3, "one request per kind")
        self.assertTrue(self.backend.last_full_resync_at)
        self.assertEqual(self.sandbox_drift(), [])

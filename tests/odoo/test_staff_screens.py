"""Screens staff can act on: dead letters explained and rebuilt, hotel-language menus per
role, safe defaults for a new property, a result banner after each backend button."""
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests.common import TransactionCase

USER = "phobs_channel_manager.group_phobs_user"
MANAGER = "phobs_channel_manager.group_phobs_manager"


class StaffCase(TransactionCase):

    def setUp(self):
        super().setUp()
        Users = self.env["res.users"].with_context(no_reset_password=True)
        self.receptionist = Users.create({
            "name": "Receptionist", "login": "daily_receptionist", "email": "r@example.com",
            "groups_id": [(6, 0, [self.env.ref(USER).id,
                                  self.env.ref("hotel.group_hotel_user").id])]})
        self.manager = Users.create({
            "name": "Manager", "login": "daily_manager", "email": "m@example.com",
            "groups_id": [(6, 0, [self.env.ref(MANAGER).id,
                                  self.env.ref("hotel.group_hotel_manager").id])]})
        self.backend = self.env["phobs.backend"].create({
            "name": "Hotel Daily", "hotel_code": "DAILY-1", "client_id": "c",
            "client_secret": "s"})

    def dead(self, code, error="PhobsMappingError: [type 3 code 402] %s", kind="availability"):
        return self.env["phobs.outbox"].create({
            "backend_id": self.backend.id, "kind": kind, "room_type_code": code,
            "date_from": "2030-01-01", "date_to": "2030-01-03", "state": "dead",
            "attempts": 1, "error_kind": "mapping", "last_error": error % code})


class TestDeadLetters(StaffCase):

    def setUp(self):
        super().setUp()
        # Today's mapping: the backend sends DBL and FAMILY (the typo FAM was fixed).
        backend_class = type(self.backend)
        self.patch(backend_class, "_phobs_room_type_codes", lambda backend: ["DBL", "FAMILY"])

    def patch(self, owner, name, value):
        original = getattr(owner, name)
        setattr(owner, name, value)
        self.addCleanup(setattr, owner, name, original)

    def test_a_dead_letter_is_explained_in_words_and_named_for_people(self):
        row = self.dead("FAM").sudo(self.receptionist)

        self.assertIn("Invalid room type", row.explanation)
        self.assertIn("Fix the mapping", row.explanation)
        self.assertNotIn("PhobsMappingError", row.explanation)
        self.assertEqual(row.subject, "Availability FAM 01 Jan 2030 - 03 Jan 2030")
        self.assertEqual(row.backend_id, self.backend)

    def test_replay_rebuilds_a_stale_code_from_todays_mapping(self):
        stale = self.dead("FAM")
        current = self.dead("DBL")

        (stale | current).sudo(self.manager).action_replay()

        self.assertEqual(stale.state, "replayed")
        self.assertEqual((current.state, current.attempts, current.force), ("pending", 0, True))
        fresh = self.env["phobs.outbox"].search([
            ("backend_id", "=", self.backend.id), ("state", "=", "pending"),
            ("id", "not in", (stale | current).ids)])
        self.assertEqual(sorted(fresh.mapped("room_type_code")), ["DBL", "FAMILY"])
        self.assertEqual(set(fresh.mapped("date_from")), {"2030-01-01"})
        self.assertTrue(all(fresh.mapped("force")))

    def test_discard_and_replay_are_for_managers(self):
        row = self.dead("DBL")
        with self.assertRaises(Exception):
            row.sudo(self.receptionist).action_discard()
        row.sudo(self.manager).action_discard()
        self.assertEqual(row.state, "discarded")

    def test_settled_rows_stay_for_the_log_period_then_are_purged(self):
        Outbox = self.env["phobs.outbox"]
        sent = Outbox.create({"backend_id": self.backend.id, "kind": "availability",
                              "room_type_code": "DBL", "date_from": "2030-01-01",
                              "date_to": "2030-01-01", "state": "done"})
        waiting = self.dead("DBL")
        days = self.backend.log_retention_days
        now = datetime.utcnow()

        self.assertEqual(Outbox._purge_settled(self.backend, now=now), 0)
        self.assertTrue(sent.exists())
        self.assertEqual(Outbox._purge_settled(self.backend, now=now + timedelta(days=days + 1)),
                         1)
        self.assertFalse(sent.exists())
        self.assertTrue(waiting.exists(), "a dead letter waits for a person, whatever its age")

    def test_raw_errors_and_xml_are_for_managers_only(self):
        self.dead("DBL")
        message = self.env["phobs.message"].create({
            "backend_id": self.backend.id, "direction": "in", "source": "pull",
            "operation": "HotelReservation", "message_id": "M-1", "state": "failed",
            "error": "ValueError: Unknown Phobs room type XTR", "body": "<OTA/>"})
        for model, field in (("phobs.outbox", "last_error"), ("phobs.message", "body"),
                             ("phobs.error.log", "error")):
            fields_seen = self.env[model].sudo(self.receptionist).fields_get()
            self.assertNotIn(field, fields_seen, "%s.%s shown to a receptionist" % (model, field))
            self.assertIn(field, self.env[model].sudo(self.manager).fields_get())
        self.assertIn("room type", message.sudo(self.receptionist).explanation)
        # The error report groups by the reason in words, not by "402" or "Undefined".
        groups = self.env["phobs.error.log"].read_group(
            [("backend_id", "=", self.backend.id)], ["reason"], ["reason"])
        self.assertEqual(sorted(group["reason"] for group in groups),
                         ["Invalid room type (OTA 402)", "Unknown Phobs room type XTR"])


class TestMenusAndLabels(StaffCase):

    def menu_names(self, user):
        root = self.env.ref("phobs_channel_manager.phobs_root_menu")
        Menu = self.env["ir.ui.menu"].sudo(user)
        self.assertIn(root.id, Menu._visible_menu_ids(), "%s reaches the menu" % user.name)
        return sorted(Menu.search([("parent_id", "=", root.id)]).mapped("name"))

    def test_a_receptionist_sees_the_work_and_a_manager_the_technical_screens(self):
        self.assertEqual(self.menu_names(self.receptionist),
                         ["Booking Analysis", "Channel Reservations", "Conflicts", "Dashboard"])
        manager_menus = self.menu_names(self.manager)
        for technical in ("API Calls", "Response Times", "Errors by Code and Day",
                          "Outbox and Dead Letters", "Drift Audit", "Phobs Backends"):
            self.assertIn(technical, manager_menus)

    def test_labels_read_in_hotel_words(self):
        labels = {model: {name: field["string"] for name, field in
                          self.env[model].fields_get().items()}
                  for model in ("phobs.backend", "phobs.reservation", "phobs.api.call",
                                "phobs.restriction")}
        self.assertNotIn("Pull Interval Minutes", labels["phobs.backend"].values())
        self.assertNotIn("Version", labels["phobs.reservation"].values())
        self.assertNotIn("Pms Ref", labels["phobs.reservation"].values())
        self.assertEqual(labels["phobs.api.call"]["duration_ms"], "Response time (ms)")
        self.assertNotIn("Http Status", labels["phobs.api.call"].values())

    def test_the_error_report_groups_by_reason_in_words(self):
        call = self.env["phobs.api.call"].create({
            "backend_id": self.backend.id, "operation": "send_availability", "success": False,
            "error": "PhobsMappingError", "ota_codes": "402", "http_status": 200})
        timeout = self.env["phobs.api.call"].create({
            "backend_id": self.backend.id, "operation": "pull_reservations", "success": False,
            "error": "PhobsTimeoutError"})
        self.assertEqual(call.reason, "Invalid room type (OTA 402)")
        self.assertEqual(timeout.reason, "Phobs did not answer in time")
        groups = self.env["phobs.api.call"].read_group(
            [("id", "in", (call | timeout).ids)], ["reason"], ["reason"])
        self.assertEqual(sorted(group["reason"] for group in groups),
                         ["Invalid room type (OTA 402)", "Phobs did not answer in time"])

    def test_no_maximum_stay_reads_as_such(self):
        Restriction = self.env["phobs.restriction"]
        self.assertEqual(Restriction._fields["max_stay_label"].string, "Max. stay")
        restriction = Restriction.new({"min_los": 1, "max_los": 0})
        restriction._compute_stay_labels()
        self.assertEqual((restriction.min_stay_label, restriction.max_stay_label),
                         ("no minimum", "no maximum"))


class TestDefaultsAndWarnings(StaffCase):

    def test_a_new_demo_backend_points_at_the_sandbox_and_production_at_nothing(self):
        Backend = self.env["phobs.backend"]
        demo = Backend.default_get(["base_url", "currency_id", "environment"])
        self.assertEqual(demo["environment"], "demo")
        self.assertTrue(demo["base_url"].startswith("http://127.0.0.1:"))
        self.assertEqual(demo["currency_id"], self.env.user.company_id.currency_id.id)
        production = Backend.with_context(default_environment="production").default_get(
            ["base_url"])
        self.assertFalse(production.get("base_url"))

    def test_production_refuses_plain_http_and_loopback_addresses_in_words(self):
        for url, words in (("http://phobs.example.com", "https://"),
                           ("https://127.0.0.1:8099", "this machine"),
                           ("https://localhost", "this machine")):
            with self.assertRaisesRegex(ValidationError, words):
                with self.env.cr.savepoint():
                    self.backend.write({"environment": "production", "base_url": url})
        self.backend.write({"environment": "production",
                            "base_url": "https://pms.phobs.example.com"})
        with self.assertRaisesRegex(ValidationError, "public URL"):
            with self.env.cr.savepoint():
                self.backend.write({"public_url": "http://192.168.1.10:8069"})

    def test_a_localhost_webhook_is_not_registered_in_production(self):
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", "https://localhost:8069")
        self.backend.write({"environment": "production",
                            "base_url": "https://pms.phobs.example.com"})
        calls = self.env["phobs.api.call"].search_count([("backend_id", "=", self.backend.id)])

        action = self.backend.sudo(self.manager).action_register_webhook()

        self.assertEqual(action["tag"], "reload")
        self.assertTrue(self.backend.last_action_failed)
        self.assertIn("this machine", self.backend.last_action_result)
        self.assertFalse(self.backend.webhook_registered_at)
        self.assertEqual(self.env["phobs.api.call"].search_count(
            [("backend_id", "=", self.backend.id)]), calls, "no call was made to Phobs")

    def test_wizards_open_on_the_backend_the_user_came_from(self):
        other = self.env["phobs.backend"].create({
            "name": "Another Hotel", "hotel_code": "DAILY-2", "client_id": "c",
            "client_secret": "s"})
        Backend = self.env["phobs.backend"]
        self.assertEqual(Backend.with_context(active_model="phobs.backend",
                                              active_id=other.id)._phobs_default_backend(), other)
        self.assertEqual(Backend.with_context(phobs_backend_id=self.backend.id)
                         ._phobs_default_backend(), self.backend)

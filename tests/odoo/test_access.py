"""Who sees and changes what, through the ORM: companies, users, managers, credentials."""
from odoo.exceptions import AccessError
from odoo.tests.common import TransactionCase


class TestAccess(TransactionCase):

    def setUp(self):
        super().setUp()
        ref = self.env.ref
        self.company_a = self.env.user.company_id
        self.company_b = self.env["res.company"].create({"name": "Other Hotel Company"})
        Users = self.env["res.users"].with_context(no_reset_password=True)
        self.user = Users.create({
            "name": "CM User Access", "login": "cm_user_access", "email": "cm.user@example.com",
            "company_id": self.company_a.id, "company_ids": [(6, 0, [self.company_a.id])],
            "groups_id": [(6, 0, [ref("phobs_channel_manager.group_phobs_user").id])]})
        self.manager = Users.create({
            "name": "CM Manager Access", "login": "cm_manager_access",
            "email": "cm.manager@example.com",
            "company_id": self.company_a.id, "company_ids": [(6, 0, [self.company_a.id])],
            "groups_id": [(6, 0, [ref("phobs_channel_manager.group_phobs_manager").id])]})
        Backend = self.env["phobs.backend"]
        self.backend_a = Backend.create({
            "name": "Hotel A", "hotel_code": "ACCESS-A", "company_id": self.company_a.id,
            "client_id": "client-a", "client_secret": "secret-a-value"})
        self.backend_b = Backend.create({
            "name": "Hotel B", "hotel_code": "ACCESS-B", "company_id": self.company_b.id,
            "currency_id": self.company_a.currency_id.id,
            "client_id": "client-b", "client_secret": "secret-b-value"})
        self.records = {}
        for key, backend in (("a", self.backend_a), ("b", self.backend_b)):
            reservation = self.env["phobs.reservation"].create({
                "backend_id": backend.id, "external_id": "R-%s" % key, "status": "Book"})
            self.records[key] = {
                "phobs.backend": backend,
                "phobs.reservation": reservation,
                "phobs.conflict": self.env["phobs.conflict"].create({
                    "name": "Conflict %s" % key, "backend_id": backend.id,
                    "phobs_reservation_id": reservation.id}),
                "phobs.api.call": self.env["phobs.api.call"].create({
                    "backend_id": backend.id, "operation": "pull_reservations",
                    "success": False, "error": "PhobsServerError", "http_status": 503}),
                "phobs.message": self.env["phobs.message"].create({
                    "backend_id": backend.id, "direction": "in", "source": "pull",
                    "operation": "HotelReservation", "message_id": "M-%s" % key,
                    "state": "failed", "error": "bad"}),
                "phobs.outbox": self.env["phobs.outbox"].create({
                    "backend_id": backend.id, "kind": "availability", "room_type_code": "DBL",
                    "date_from": "2030-01-01", "date_to": "2030-01-02", "state": "dead",
                    "last_error": "PhobsMappingError: [type 3 code 402] DBL"}),
            }

    # -- companies ---------------------------------------------------------------------

    def test_records_of_another_company_are_invisible(self):
        for model, record_a in self.records["a"].items():
            record_b = self.records["b"][model]
            domain = [("id", "in", (record_a | record_b).ids)]
            for user in (self.user, self.manager):
                found = self.env[model].sudo(user).search(domain)
                self.assertEqual(found, record_a.with_env(found.env), model)
            with self.assertRaises(AccessError, msg=model):
                record_b.sudo(self.user).read(["create_date"])

    def test_error_log_is_per_company_too(self):
        Log = self.env["phobs.error.log"].sudo(self.user)
        backends = Log.search([("backend_id", "in", [self.backend_a.id, self.backend_b.id])]
                              ).mapped("backend_id")
        self.assertEqual(backends.ids, [self.backend_a.id])

    # -- users watch and resolve, managers configure --------------------------------------

    def test_user_sees_the_dashboard_and_resolves_conflicts(self):
        backend = self.backend_a.sudo(self.user)
        self.assertIn("reservations_week", backend.dashboard_json)
        self.assertEqual(backend.health_status, "red")     # its only call failed
        conflict = self.records["a"]["phobs.conflict"].sudo(self.user)
        conflict.write({"resolution": "upgrade", "resolution_note": "Moved to a suite"})
        conflict.action_resolve()
        self.assertEqual(conflict.state, "resolved")
        self.assertEqual(conflict.resolved_by_id, self.user)

    def test_user_cannot_change_configuration_or_operate_the_connection(self):
        backend = self.backend_a.sudo(self.user)
        for values in ({"name": "Renamed"}, {"push_mode": "scheduled"},
                       {"error_rate_threshold": 90}, {"base_url": "http://evil.example"}):
            with self.assertRaises(AccessError):
                backend.write(values)
        with self.assertRaises(AccessError):
            self.env["phobs.backend"].sudo(self.user).create(
                {"name": "New", "hotel_code": "NEW1"})
        for action in ("action_test_connection", "action_pull_now", "action_flush_now",
                       "action_register_webhook", "action_generate_webhook_secret"):
            with self.assertRaises(AccessError, msg=action):
                getattr(backend, action)()
        channel = self.env.ref("phobs_channel_manager.channel_booking_com")
        with self.assertRaises(AccessError):
            channel.sudo(self.user).write({"commission_percent": 1})

    def test_manager_changes_configuration(self):
        backend = self.backend_a.sudo(self.manager)
        backend.write({"push_mode": "scheduled", "error_rate_threshold": 35,
                       "alert_user_ids": [(6, 0, [self.user.id])], "log_retention_days": 10})
        self.assertEqual(backend.push_mode, "scheduled")
        self.assertEqual(backend._phobs_alert_users(), self.user)
        self.env.ref("phobs_channel_manager.channel_booking_com").sudo(self.manager).write(
            {"commission_percent": 16})

    def test_alerts_go_to_managers_when_nobody_is_named(self):
        users = self.backend_a._phobs_alert_users()
        self.assertIn(self.manager, users)
        self.assertNotIn(self.user, users)

    # -- credentials cannot be recovered sideways -----------------------------------------

    def test_user_cannot_filter_group_sort_or_export_by_credentials(self):
        Backend = self.env["phobs.backend"].sudo(self.user)
        probes = [
            lambda: Backend.search([("client_id", "=", "client-a")]),
            lambda: Backend.search([("client_secret_encrypted", "like", "g")]),
            lambda: Backend.search([("name", "!=", False), ("username", "ilike", "a")]),
            lambda: Backend.search([], order="client_id desc"),
            lambda: Backend.search_count([("webhook_secret_encrypted", "!=", False)]),
            lambda: Backend.read_group([], ["client_id"], ["client_id"]),
            lambda: Backend.read_group([("client_id", "=", "x")], ["name"], ["name"]),
            lambda: Backend.read_group([], ["name", "n:count(client_secret_encrypted)"], ["name"]),
            lambda: Backend.browse(self.backend_a.id).export_data(["client_secret_encrypted"]),
            lambda: Backend.browse(self.backend_a.id).export_data(["name", "client_id"]),
        ]
        for number, probe in enumerate(probes):
            with self.assertRaises(AccessError, msg="probe %d" % number):
                probe()
        # what users may do still works
        self.assertEqual(Backend.search([("hotel_code", "=", "ACCESS-A")]).ids,
                         [self.backend_a.id])
        self.assertTrue(Backend.read_group([], ["environment"], ["environment"]))

    def test_manager_may_search_by_client_id_but_reads_no_secret(self):
        Backend = self.env["phobs.backend"].sudo(self.manager)
        found = Backend.search([("client_id", "=", "client-a")])
        self.assertEqual(found.ids, [self.backend_a.id])
        values = found.read(["client_secret", "client_secret_set"])[0]
        self.assertFalse(values["client_secret"])
        self.assertTrue(values["client_secret_set"])

"""A test case over a real database, a real sandbox process and the in-process Odoo server.

It runs in Odoo's test mode: the services' commits (before acknowledging to Phobs) become
savepoints of one transaction that is rolled back after the test, and HTTP requests to Odoo
share that transaction. Each test gets a sandbox hotel of its own.
"""
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tests.common import BaseCase, get_db_name

from harness.odoo_inprocess import serve_odoo
from harness.sandbox import shared_sandbox


class PhobsCase(BaseCase):
    room_types = {"SGL": 1, "DBL": 2}
    #: The sandbox hotel's rate plans (sandbox format); None: BAR for every room type.
    sandbox_rate_plans = None

    def setUp(self):
        super().setUp()
        self.registry = odoo.registry(get_db_name())
        self.registry.enter_test_mode()
        self.addCleanup(self.registry.leave_test_mode)
        self.cr = self.registry.test_cr
        self.env = api.Environment(self.cr, SUPERUSER_ID, {})
        self.addCleanup(self.registry.clear_caches)
        self.addCleanup(self.env.reset)
        self._keep_decimal_precisions_cached()
        self.odoo_url = serve_odoo(get_db_name())
        self.sandbox = shared_sandbox()
        self.hotel = self.sandbox.new_hotel(self.room_types, rate_plans=self.sandbox_rate_plans)
        self.env.user.company_id.partner_id.tz = "UTC"
        self.backend = self.env["phobs.backend"].create({
            "name": "Test %s" % self.hotel["code"],
            "hotel_code": self.hotel["code"],
            "environment": "demo",
            "base_url": self.sandbox.url,
            "auth_mode": "oauth2",
            "client_id": self.hotel["credentials"]["client_id"],
            "client_secret": self.hotel["credentials"]["client_secret"],
            "webhook_secret": "whsec-" + self.hotel["code"],
            "auto_reassign": True,
        })
        self.hotel_types = {}
        self.rooms = {}
        for code, units in self.room_types.items():
            room_type = self.env["hotel.room.type"].create(
                {"name": "%s %s" % (code, self.hotel["code"]), "phobs_code": code,
                 "phobs_backend_id": self.backend.id})
            self.hotel_types[code] = room_type
            self.rooms[code] = self.env["hotel.room"].browse([
                self.env["hotel.room"].create({
                    "name": "%s-%s-%d" % (self.hotel["code"], code, number),
                    "room_categ_id": room_type.id, "capacity": 4, "list_price": 100,
                }).id for number in range(1, units + 1)])
        self.env["phobs.outbox"].search([("backend_id", "=", self.backend.id)]).unlink()

    def _keep_decimal_precisions_cached(self):
        """In test mode, Odoo 11 reads a decimal precision missing from its cache through a
        cursor whose close rolls the shared test cursor back to its last commit, dropping any
        savepoint open at that moment (the services apply each message in one). Production
        opens a cursor of its own. So every precision is read again, through the test cursor,
        whenever the cache is cleared (creating a user or a company clears it)."""
        registry = self.registry
        clear = registry._clear_cache
        Precision = self.env["decimal.precision"]
        names = Precision.search([]).mapped("name")

        def clear_and_warm():
            clear()
            for name in names:
                Precision.precision_get(name)

        registry._clear_cache = clear_and_warm
        self.addCleanup(vars(registry).pop, "_clear_cache", None)
        clear_and_warm()

    # helpers ----------------------------------------------------------------------------

    @staticmethod
    def day(offset):
        return date.today() + timedelta(days=offset)

    def book(self, room_type="DBL", arrival=10, nights=2, channel="BDC", **extra):
        extra.setdefault("rate_plan", "BAR")
        return self.sandbox.book(self.hotel["code"], channel=channel, room_type=room_type,
                                 arrival=str(self.day(arrival)),
                                 departure=str(self.day(arrival + nights)), **extra)

    def sync_service(self):
        from odoo.addons.phobs_channel_manager.services.reservation_sync import (
            PhobsReservationSyncService)
        return PhobsReservationSyncService(self.env, self.backend)

    def ingest(self, reservation, source):
        """Accepts and applies one delivered reservation at once, as a pull or push followed
        by its apply would; the outcome says how it ended."""
        service = self.sync_service()
        outcome = service.accept(reservation, source)
        if not outcome.ok or outcome.duplicate:
            return outcome
        message = service.inbound_message(outcome.message_id)
        service.applier.apply_now(message, reservation)
        outcome.pms_ref = message.pms_ref or ""
        if message.state == "failed":
            outcome.ok, outcome.error = False, message.error
        return outcome

    def inventory_service(self):
        from odoo.addons.phobs_channel_manager.services.inventory import PhobsInventoryService
        return PhobsInventoryService(self.env, self.backend)

    def bindings(self):
        return self.env["phobs.reservation"].search([("backend_id", "=", self.backend.id)])

    def front_desk(self):
        return self.env["hotel.reservation"].search(
            [("phobs_reservation_id.backend_id", "=", self.backend.id)])

"""Cross-company read: two companies, each with its Phobs backend and a channel booking placed at
its front desk. A user of the second company sees neither the first company's front-desk
reservation nor anything the channel manager adds to it (the channel booking with the guest's
name, its stays and nights, the OTA number), through the ORM and over XML-RPC; their own
company's booking stays visible to them."""
import xmlrpc.client
import uuid

from odoo.exceptions import AccessError
from odoo.tests.common import get_db_name

from harness.odoo_rpc import OdooRpc
from phobs_case import PhobsCase

ACCESS_ERROR = 4  # odoo.service.wsgi_server.RPC_FAULT_CODE_ACCESS_ERROR
CHANNEL_FIELDS = ["phobs_reservation_id", "phobs_channel_id", "phobs_channel_booking_id",
                  "partner_id", "reservation_no"]


class TestCrossCompany(PhobsCase):
    room_types = {"DBL": 2}

    def setUp(self):
        super().setUp()
        self.company_b = self.env["res.company"].create({"name": "Hotel B " + self.hotel["code"]})
        self.company_b.partner_id.tz = "UTC"
        self.hotel_b = self.sandbox.new_hotel({"DBL": 2})
        self.backend_b = self.env["phobs.backend"].create({
            "name": "Test %s" % self.hotel_b["code"], "hotel_code": self.hotel_b["code"],
            "company_id": self.company_b.id, "currency_id": self.backend.currency_id.id,
            "base_url": self.sandbox.url, "auth_mode": "oauth2",
            "client_id": self.hotel_b["credentials"]["client_id"],
            "client_secret": self.hotel_b["credentials"]["client_secret"]})
        room_type_b = self.env["hotel.room.type"].create({
            "name": "DBL %s" % self.hotel_b["code"], "phobs_code": "DBL",
            "phobs_backend_id": self.backend_b.id})
        for number in (1, 2):
            self.env["hotel.room"].create({
                "name": "%s-DBL-%d" % (self.hotel_b["code"], number),
                "room_categ_id": room_type_b.id, "capacity": 2, "list_price": 90})
        self.password = "b-" + uuid.uuid4().hex[:10]
        self.user_b = self.env["res.users"].create({
            "name": "Receptionist of B", "login": "b.%s@example.com" % self.hotel_b["code"].lower(),
            "password": self.password, "company_id": self.company_b.id,
            "company_ids": [(6, 0, self.company_b.ids)],
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id,
                                  self.env.ref("hotel.group_hotel_user").id,
                                  self.env.ref("phobs_channel_manager.group_phobs_user").id])]})
        self.booking_a = self._channel_booking(self.backend, self.hotel)
        self.booking_b = self._channel_booking(self.backend_b, self.hotel_b)

    def _channel_booking(self, backend, hotel):
        from odoo.addons.phobs_channel_manager.services.reservation_sync import (
            PhobsReservationSyncService)
        self.sandbox.book(hotel["code"], channel="BDC", room_type="DBL", rate_plan="BAR",
                          arrival=str(self.day(12)), departure=str(self.day(14)))
        service = PhobsReservationSyncService(self.env, backend)
        service.pull()
        service.apply_pending()
        binding = self.env["phobs.reservation"].search([("backend_id", "=", backend.id)])
        reservations = self.env["hotel.reservation"].search(
            [("phobs_reservation_id", "in", binding.ids)])
        self.assertEqual((len(binding), len(reservations)), (1, 1))
        return reservations

    def test_orm_shows_the_second_company_only_its_own_booking(self):
        Reservation = self.env["hotel.reservation"].sudo(self.user_b)
        self.assertEqual(Reservation.search([("id", "in", (self.booking_a | self.booking_b).ids)]),
                         self.booking_b.sudo(self.user_b))
        self.assertEqual(Reservation.search([("phobs_channel_booking_id", "!=", False),
                                             ("id", "=", self.booking_a.id)]).ids, [])
        self.assertEqual(Reservation.search_count([("id", "=", self.booking_a.id)]), 0)
        with self.assertRaises(AccessError):
            Reservation.browse(self.booking_a.id).read(CHANNEL_FIELDS)
        self.assertTrue(Reservation.browse(self.booking_b.id).read(CHANNEL_FIELDS))
        binding_a = self.booking_a.phobs_reservation_id
        of_a = {"phobs.reservation": binding_a,
                "phobs.reservation.stay": binding_a.stay_ids,
                "phobs.reservation.night": binding_a.stay_ids.mapped("night_ids")}
        for model, records in of_a.items():
            self.assertFalse(self.env[model].sudo(self.user_b).search(
                [("id", "in", records.ids)]), model)
            if records:
                with self.assertRaises(AccessError):
                    records.sudo(self.user_b).read()
        bindings = self.env["phobs.reservation"].sudo(self.user_b).search([])
        self.assertNotIn(self.booking_a.phobs_reservation_id.id, bindings.ids)
        self.assertIn(self.booking_b.phobs_reservation_id.id, bindings.ids)
        self.assertEqual(self.env["hotel.reservation"].sudo(self.user_b).read_group(
            [("id", "in", (self.booking_a | self.booking_b).ids)], ["phobs_channel_id"],
            ["phobs_channel_id"])[0]["phobs_channel_id_count"], 1)

    def test_rpc_shows_the_second_company_only_its_own_booking(self):
        rpc = OdooRpc(self.odoo_url, get_db_name(), self.user_b.login, self.password)
        both = (self.booking_a | self.booking_b).ids
        found = rpc.call("hotel.reservation", "search_read", [("id", "in", both)],
                         fields=CHANNEL_FIELDS)
        self.assertEqual([row["id"] for row in found], self.booking_b.ids)
        with self.assertRaises(xmlrpc.client.Fault) as raised:
            rpc.call("hotel.reservation", "read", self.booking_a.ids, CHANNEL_FIELDS)
        self.assertEqual(raised.exception.faultCode, ACCESS_ERROR)
        self.assertNotIn(self.booking_a.phobs_reservation_id.guest_name or "-", str(found))
        self.assertEqual(rpc.call("phobs.reservation", "search_count", [
            ("id", "=", self.booking_a.phobs_reservation_id.id)]), 0)
        # Export by id used to compute the related channel fields of a forbidden record.
        with self.assertRaises(xmlrpc.client.Fault) as raised:
            rpc.call("hotel.reservation", "export_data", both, ["phobs_channel_booking_id"])
        self.assertEqual(raised.exception.faultCode, ACCESS_ERROR)
        self.assertNotIn(self.booking_a.phobs_channel_booking_id, raised.exception.faultString)
        exported = rpc.call("hotel.reservation", "export_data", self.booking_b.ids,
                            ["phobs_channel_booking_id"])
        self.assertEqual(exported["datas"], [[self.booking_b.phobs_channel_booking_id]])

"""Two Phobs properties in one database: each hotel's room type codes, availability, prices and
uploads are its own, even when both call a type "DBL"."""
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from ari_case import AriCase


class TestMultiProperty(AriCase):
    room_types = {"SGL": 1, "DBL": 2}

    def setUp(self):
        super().setUp()
        self.hotel_b = self.sandbox.new_hotel({"DBL": 3})
        self.backend_b = self.env["phobs.backend"].create({
            "name": "Test %s" % self.hotel_b["code"],
            "hotel_code": self.hotel_b["code"],
            "environment": "demo",
            "base_url": self.sandbox.url,
            "auth_mode": "oauth2",
            "client_id": self.hotel_b["credentials"]["client_id"],
            "client_secret": self.hotel_b["credentials"]["client_secret"],
        })
        self.double_b = self.env["hotel.room.type"].create({
            "name": "DBL %s" % self.hotel_b["code"], "phobs_code": "DBL",
            "phobs_backend_id": self.backend_b.id})
        self.rooms_b = self.env["hotel.room"].browse([
            self.env["hotel.room"].create({
                "name": "%s-DBL-%d" % (self.hotel_b["code"], number),
                "room_categ_id": self.double_b.id, "capacity": 2, "list_price": 90,
            }).id for number in (1, 2, 3)])
        self.env["phobs.outbox"].search(
            [("backend_id", "in", (self.backend | self.backend_b).ids)]).unlink()

    def _outbox(self, backend, kind="availability"):
        return self.env["phobs.outbox"].search(
            [("backend_id", "=", backend.id), ("kind", "=", kind)])

    def _inventory(self, backend):
        from odoo.addons.phobs_channel_manager.services.inventory import PhobsInventoryService
        return PhobsInventoryService(self.env, backend)

    def test_both_properties_map_dbl_to_their_own_type(self):
        self.assertEqual(self.backend._phobs_room_types(["DBL"]), self.hotel_types["DBL"])
        self.assertEqual(self.backend_b._phobs_room_types(["DBL"]), self.double_b)
        self.assertEqual(self.backend._phobs_room_type_codes(), ["DBL", "SGL"])
        self.assertEqual(self.backend_b._phobs_room_type_codes(), ["DBL"])
        plan = self.rate_plan("BAR", ["DBL"])
        self.assertEqual(plan.room_type_ids, self.hotel_types["DBL"])
        with self.assertRaises(ValidationError):
            plan.room_type_ids = self.double_b

    def test_a_front_desk_booking_marks_only_its_own_property(self):
        reservation = self.front_desk_booking("DBL", arrival=10, nights=2)

        rows = self._outbox(self.backend)
        self.assertEqual({(r.room_type_code, r.date_from, r.date_to) for r in rows},
                         {("DBL", str(self.day(10)), str(self.day(11)))})
        self.assertEqual(len(self._outbox(self.backend, "reservation")), 1)
        self.assertFalse(self._outbox(self.backend_b))
        self.assertFalse(self._outbox(self.backend_b, "reservation"))

        reservation.cancel_reservation()
        self.assertFalse(self._outbox(self.backend_b) | self._outbox(self.backend_b, "reservation"))

    def test_each_property_computes_and_sends_availability_from_its_own_rooms(self):
        self.front_desk_booking("DBL", arrival=10, nights=2)
        night = self.day(10)

        self.assertEqual(self.backend._phobs_compute_availability(["DBL"], night, night),
                         {"DBL": {night: 1}})
        self.assertEqual(self.backend_b._phobs_compute_availability(["DBL"], night, night),
                         {"DBL": {night: 3}})

        for backend in (self.backend, self.backend_b):
            self.assertEqual(self._inventory(backend).full_resync().failed_batches, 0)
        self.assertEqual(self.sandbox.availability(self.hotel["code"], "DBL", night, night),
                         {str(night): 1})
        self.assertEqual(self.sandbox.availability(self.hotel_b["code"], "DBL", night, night),
                         {str(night): 3})

    def test_rooms_and_mappings_mark_only_their_own_property(self):
        pricelist = self.env.ref("product.list0")
        plans = [self.env["phobs.rate.plan"].create({
            "backend_id": backend.id, "code": "PL", "name": "Pricelist",
            "room_type_codes": "DBL", "price_source": "pricelist",
            "pricelist_id": pricelist.id, "currency_id": pricelist.currency_id.id,
        }) for backend in (self.backend, self.backend_b)]
        self.env["phobs.outbox"].search(
            [("backend_id", "in", (self.backend | self.backend_b).ids)]).unlink()

        self.rooms_b[0].write({"list_price": 70})
        self.rooms_b[1].write({"phobs_out_of_service": True})

        self.assertEqual(set(self._outbox(self.backend_b, "rates").mapped("rate_plan_code")),
                         {plans[1].code})
        self.assertTrue(self._outbox(self.backend_b))
        self.assertFalse(self.env["phobs.outbox"].search([("backend_id", "=", self.backend.id)]))

        self.double_b.phobs_code = "DBL2"
        self.assertEqual(set(self._outbox(self.backend_b).mapped("room_type_code")),
                         {"DBL", "DBL2"})
        self.assertFalse(self.env["phobs.outbox"].search([("backend_id", "=", self.backend.id)]))

    def test_a_code_is_unique_within_its_property_and_needs_one(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.env["hotel.room.type"].create({
                "name": "Another double", "phobs_code": "DBL",
                "phobs_backend_id": self.backend.id})
        with self.assertRaises(ValidationError):
            self.env["hotel.room.type"].create({
                "name": "Nowhere double", "phobs_code": "DBL", "phobs_backend_id": False})

    def test_a_single_property_is_the_default_for_new_types(self):
        company = self.env.user.company_id
        self.env["phobs.backend"].search(
            [("id", "!=", self.backend.id), ("company_id", "=", company.id)]).write(
            {"active": False})
        RoomType = self.env["hotel.room.type"]
        self.assertEqual(RoomType.default_get(["phobs_backend_id"])["phobs_backend_id"],
                         self.backend.id)
        self.backend_b.active = True
        self.assertFalse(RoomType.default_get(["phobs_backend_id"]).get("phobs_backend_id"))

    def test_forms_open_on_a_backend_of_the_users_current_company(self):
        company_b = self.env["res.company"].create({"name": "Hotel B %s" % self.hotel_b["code"]})
        self.backend_b.company_id = company_b
        self.env.user.write({"company_ids": [(4, company_b.id)], "company_id": company_b.id})
        self.assertEqual(self.env["phobs.backend"]._phobs_default_backend(), self.backend_b)
        defaults = self.env["phobs.restriction.wizard"].default_get(["backend_id"])
        self.assertEqual(defaults["backend_id"], self.backend_b.id)

"""Room types mapped on the backend form, judged by what Phobs did with each code; price lines
take a room type their plan sells."""
from odoo.exceptions import ValidationError

from phobs_case import PhobsCase


class TestRoomTypeMapping(PhobsCase):
    room_types = {"SGL": 1, "DBL": 2}

    def test_a_typo_is_refused_by_phobs_and_named_in_words(self):
        double = self.hotel_types["DBL"]
        self.inventory_service().full_resync()
        # The manager types FAM for the doubles on the backend's Room types tab.
        self.backend.write({"phobs_room_type_ids": [(1, double.id, {"phobs_code": "FAM"})]})
        self.inventory_service().flush()

        self.assertEqual(double.phobs_mapping_state, "refused")
        self.assertIn("FAM", double.phobs_mapping_message)
        self.assertIn("Invalid room type", double.phobs_mapping_message)
        self.assertEqual(self.hotel_types["SGL"].phobs_mapping_state, "accepted")

        self.backend.action_test_connection()
        self.assertTrue(self.backend.last_action_failed)
        self.assertIn("Phobs refused room type code FAM", self.backend.last_action_result)

        # Fixed in place, the dead letters replayed from today's mapping: all accepted.
        self.backend.write({"phobs_room_type_ids": [(1, double.id, {"phobs_code": "DBL"})]})
        dead = self.env["phobs.outbox"].search([("backend_id", "=", self.backend.id),
                                                ("state", "=", "dead")])
        self.assertTrue(dead)
        dead.action_replay()
        self.inventory_service().flush()
        double.invalidate_cache()
        self.assertEqual(double.phobs_mapping_state, "accepted")
        self.assertFalse(self.backend._phobs_mapping_problems())

    def test_room_types_are_added_to_the_property_from_its_form(self):
        suite = self.env["hotel.room.type"].create({"name": "Suite %s" % self.hotel["code"]})
        self.backend.write({"phobs_room_type_add_ids": [(6, 0, suite.ids)]})
        self.assertEqual(suite.phobs_backend_id, self.backend)
        self.assertIn(suite, self.backend.phobs_room_type_ids)
        self.assertEqual(suite.phobs_mapping_state, "unmapped")

    def test_price_lines_take_a_room_type_of_their_plan(self):
        plan = self.env["phobs.rate.plan"].create({
            "backend_id": self.backend.id, "code": "BAR", "name": "Best rate",
            "room_type_codes": "DBL", "currency_id": self.backend.currency_id.id})
        price = self.env["phobs.rate.price"].create({
            "rate_plan_id": plan.id, "room_type_id": self.hotel_types["DBL"].id,
            "date_from": str(self.day(1)), "date_to": str(self.day(5)), "amount": 120})
        self.assertEqual(price.room_type_code, "DBL")
        self.assertEqual(price.room_type_id, self.hotel_types["DBL"])
        with self.assertRaisesRegex(ValidationError, "does not sell room type SGL"):
            with self.env.cr.savepoint():
                price.write({"room_type_id": self.hotel_types["SGL"].id})
        with self.assertRaisesRegex(ValidationError, "does not sell room type FAM"):
            with self.env.cr.savepoint():
                price.write({"room_type_code": "FAM"})

"""Applying places the rooms first and builds the folio after: the rooms held and the
availability marked are what protect against overbooking, the folio (the invoice side) follows
in a second stage, and a folio that fails never undoes the placement."""
from unittest import mock

from odoo.exceptions import UserError

from phobs_case import PhobsCase


class TestApplyStages(PhobsCase):
    room_types = {"SGL": 1, "DBL": 2}

    def place_received(self):
        """Only the first stage: every stored message placed, no folio built."""
        service = self.sync_service()
        service.receive_pulled()
        messages = self.env["phobs.message"].search([
            ("backend_id", "=", self.backend.id), ("state", "=", "received")],
            order="version_at, id")
        for message in messages:
            service.applier.apply_message(message)
        return service

    def folios(self, binding):
        return self.env["hotel.folio"].search([("phobs_reservation_id", "=", binding.id)])

    def availability_rows(self):
        return self.env["phobs.outbox"].search([("backend_id", "=", self.backend.id),
                                                ("kind", "=", "availability")])

    def test_placement_leaves_the_folio_pending_and_the_folio_stage_builds_it(self):
        self.book(arrival=5, nights=2)
        service = self.place_received()

        binding = self.bindings()
        self.assertEqual((binding.sync_state, binding.folio_state), ("applied", "pending"))
        self.assertEqual(self.front_desk().state, "confirm")
        self.assertTrue(self.front_desk().reservation_line.reserve)
        self.assertTrue(self.availability_rows())
        self.assertFalse(self.folios(binding))

        self.assertEqual(service.applier.build_folios(), 1)

        folio = self.folios(binding)
        self.assertEqual(len(folio), 1)
        self.assertEqual(binding.folio_state, "built")
        self.assertAlmostEqual(folio.amount_total, binding.amount_total, places=2)
        self.assertEqual(self.front_desk().folio_id, folio)
        self.assertEqual(service.applier.build_folios(), 0)  # nothing left pending

    def test_apply_pending_places_every_booking_before_it_builds_any_folio(self):
        self.book(arrival=5)
        self.book(arrival=7, room_type="SGL")
        service = self.sync_service()
        service.receive_pulled()
        seen = []
        build_folios = service.applier.build_folios

        def build_after_placement(**kwargs):
            seen.append(sorted(self.bindings().mapped("folio_state")))
            seen.append(len(self.env["hotel.folio"].search(
                [("phobs_reservation_id", "in", self.bindings().ids)])))
            return build_folios(**kwargs)
        service.applier.build_folios = build_after_placement

        self.assertEqual(service.apply_pending(), 2)

        self.assertEqual(seen, [["pending", "pending"], 0])
        self.assertEqual(self.bindings().mapped("folio_state"), ["built", "built"])
        self.assertEqual(len(self.env["hotel.folio"].search(
            [("phobs_reservation_id", "in", self.bindings().ids)])), 2)

    def test_a_booking_stored_while_folios_are_built_is_placed_before_the_next_folio(self):
        self.book(arrival=5)
        self.book(arrival=7, room_type="SGL")
        service = self.sync_service()
        service.receive_pulled()
        late_placed_at_each_folio = []
        build_folio = service.applier.build_folio

        def build_while_a_booking_arrives(binding):
            late = self.bindings().filtered(lambda b: b.arrival == str(self.day(9)))
            late_placed_at_each_folio.append(late.sync_state or "not yet")
            if len(late_placed_at_each_folio) == 1:
                self.book(arrival=9)
                service.receive_pulled()
            return build_folio(binding)
        service.applier.build_folio = build_while_a_booking_arrives

        self.assertEqual(service.apply_pending(), 3)

        # Stored during the first folio, placed before the second: not after every folio.
        self.assertEqual(late_placed_at_each_folio[:2], ["not yet", "applied"])
        self.assertEqual(len(late_placed_at_each_folio), 3)
        self.assertEqual(self.bindings().mapped("folio_state"), ["built"] * 3)

    def test_a_failed_folio_keeps_its_reason_and_the_placement(self):
        self.book(arrival=5)
        self.book(arrival=8)
        service = self.place_received()
        first, second = self.bindings().sorted("arrival")
        backend_class = type(self.backend)
        write_folio = backend_class._phobs_write_folio

        def fail_for_first(backend, binding):
            if binding == first:
                raise UserError("No sale journal for this company")
            return write_folio(backend, binding)

        with mock.patch.object(backend_class, "_phobs_write_folio", fail_for_first):
            self.assertEqual(service.applier.build_folios(), 2)

        self.assertEqual((first.folio_state, first.sync_state), ("failed", "applied"))
        self.assertIn("No sale journal for this company", first.folio_error)
        self.assertFalse(self.folios(first))
        reservation = first.hotel_reservation_ids
        self.assertEqual(reservation.state, "confirm")  # the rooms stay held
        self.assertTrue(reservation.reservation_line.reserve)
        self.assertIn("could not be built", reservation.message_ids[0].body)
        self.assertEqual(second.folio_state, "built")  # the other booking's folio was not held up
        self.assertEqual(len(self.folios(second)), 1)
        self.assertEqual(service.applier.build_folios(), 0)  # a failure waits for staff

        reservation.create_folio()  # staff retry once the cause is fixed

        self.assertEqual((first.folio_state, first.folio_error), ("built", False))
        self.assertEqual(len(self.folios(first)), 1)

    def test_a_folio_left_pending_is_built_by_the_scheduled_run(self):
        self.book(arrival=5)
        self.place_received()  # the process died between the stages
        binding = self.bindings()
        self.assertEqual(binding.folio_state, "pending")

        self.sync_service().scheduled_run(pull_due=False)

        self.assertEqual(binding.folio_state, "built")
        self.assertEqual(len(self.folios(binding)), 1)

    def test_modification_and_cancellation_update_the_folio_in_the_folio_stage(self):
        booking = self.book(arrival=4, nights=2)
        service = self.sync_service()
        service.pull()
        binding = self.bindings()
        folio = self.folios(binding)
        self.assertEqual((binding.folio_state, len(folio)), ("built", 1))
        nights_before = sum(folio.room_lines.mapped("product_uom_qty"))

        self.sandbox.call("POST", "/bookings/%s/modify" % booking["reservation_id"],
                          json={"departure": str(self.day(7))})
        service = self.place_received()
        self.assertEqual(binding.folio_state, "pending")
        self.assertEqual(sum(folio.room_lines.mapped("product_uom_qty")), nights_before)
        service.applier.build_folios()
        self.assertEqual(binding.folio_state, "built")
        self.assertEqual(self.folios(binding), folio)
        self.assertEqual(sum(folio.room_lines.mapped("product_uom_qty")), 3)
        self.assertAlmostEqual(folio.amount_total, binding.amount_total, places=2)

        self.sandbox.call("POST", "/bookings/%s/cancel" % booking["reservation_id"])
        service = self.place_received()
        self.assertEqual((binding.status, binding.folio_state), ("Cancel", "pending"))
        self.assertEqual(self.front_desk().state, "cancel")
        self.assertNotEqual(folio.state, "cancel")
        service.applier.build_folios()
        self.assertEqual(binding.folio_state, "built")
        self.assertEqual(folio.state, "cancel")

"""Overbookings become conflicts with a stop-sell; front-desk changes reach Phobs."""
from phobs_case import PhobsCase


class TestOverbooking(PhobsCase):
    room_types = {"SGL": 1, "DBL": 2}

    def test_two_channels_selling_the_last_room_give_one_placement_and_one_conflict(self):
        first = self.book("SGL", arrival=12, nights=2, channel="BDC", respect_availability=False)
        second = self.book("SGL", arrival=13, nights=2, channel="EXP", respect_availability=False)

        result = self.sync_service().pull()

        self.assertEqual((result.received, result.failed), (2, 0))
        by_id = {b.external_id: b for b in self.bindings()}
        self.assertEqual(by_id[first["reservation_id"]].sync_state, "applied")
        self.assertEqual(by_id[second["reservation_id"]].sync_state, "conflict")
        # Nothing is lost: the unplaced booking is in the front desk too, as a draft.
        self.assertEqual(sorted(self.front_desk().mapped("state")), ["confirm", "draft"])
        conflict = self.env["phobs.conflict"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(len(conflict), 1)
        self.assertEqual((conflict.kind, conflict.room_type_code, conflict.state),
                         ("overbooking", "SGL", "open"))
        self.assertIn("DBL", conflict.proposals)  # a free room type is proposed as an upgrade
        self.assertTrue(conflict.activity_ids)
        # The oversold nights were closed at Phobs at once (availability 0), the rest untouched.
        nights = self.sandbox.availability(self.hotel["code"], "SGL", self.day(12), self.day(14))
        self.assertEqual(list(nights.values()), [0, 0, 0])
        accepted = self.env["phobs.ari.state"].search([
            ("backend_id", "=", self.backend.id), ("room_type_code", "=", "SGL")])
        self.assertEqual(sorted(set(accepted.mapped("value"))), ["0"])
        self.assertFalse(self.env["phobs.outbox"].search([
            ("backend_id", "=", self.backend.id), ("state", "!=", "done")]))

    def test_a_placed_guest_is_moved_to_make_room(self):
        # DBL-1 holds nights 10-11, DBL-2 nights 12-13; a 10-13 stay fits if one guest moves.
        self.book("DBL", arrival=10, nights=2, channel="BDC")
        self.book("DBL", arrival=12, nights=2, channel="EXP")
        self.sync_service().pull()
        long_stay = self.book("DBL", arrival=10, nights=4, channel="AGO", respect_availability=False)

        self.sync_service().pull()

        binding = self.bindings().filtered(lambda b: b.external_id == long_stay["reservation_id"])
        self.assertEqual(binding.sync_state, "applied")
        self.assertFalse(self.env["phobs.conflict"].search([("backend_id", "=", self.backend.id)]))
        rooms = self.front_desk().mapped("reservation_line.reserve")
        self.assertEqual(len(rooms), 2)

    def test_a_guest_is_never_moved_into_a_room_taken_later_in_their_stay(self):
        # DBL-1: a long stay from night 11 to 19; DBL-2: nights 9-10 and, well after the new
        # booking's dates, nights 15-16. A 10-11 stay needs one guest moved: the long stay
        # would fit DBL-2 on the new booking's nights only; the short one fits DBL-1.
        filler = self.book("DBL", arrival=9, nights=2, channel="BDC")
        self.book("DBL", arrival=9, nights=2, channel="EXP")
        self.book("DBL", arrival=11, nights=9, channel="AGO")
        self.book("DBL", arrival=15, nights=2, channel="HCOM")
        self.sync_service().pull()
        self.sandbox.call("POST", "/bookings/%s/cancel" % filler["reservation_id"])
        self.sync_service().pull()
        new = self.book("DBL", arrival=10, nights=2, channel="BDC", respect_availability=False)

        self.sync_service().pull()

        binding = self.bindings().filtered(lambda b: b.external_id == new["reservation_id"])
        self.assertEqual(binding.sync_state, "applied")
        lines = self.env["hotel.room.reservation.line"].search(
            [("reservation_id", "in", self.front_desk().filtered(
                lambda r: r.state == "confirm").ids)])
        for room in lines.mapped("room_id"):
            held = sorted((l.check_in, l.check_out) for l in lines if l.room_id == room)
            for (_in1, out1), (in2, _out2) in zip(held, held[1:]):
                self.assertLessEqual(out1, in2, "room %s holds two stays at once" % room.name)

    def test_resolving_a_conflict_is_logged(self):
        self.book("SGL", arrival=20, channel="BDC", respect_availability=False)
        self.book("SGL", arrival=20, channel="HCOM", respect_availability=False)
        self.sync_service().pull()
        conflict = self.env["phobs.conflict"].search([("backend_id", "=", self.backend.id)])
        conflict.write({"resolution": "upgrade", "resolution_note": "Moved to a double"})

        conflict.action_resolve()

        self.assertEqual(conflict.state, "resolved")
        self.assertTrue(conflict.resolved_by_id)
        self.assertTrue(any("Moved to a double" in m.body for m in conflict.message_ids))
        self.assertFalse(conflict.activity_ids)


class TestFrontDeskUploads(PhobsCase):

    def test_front_desk_cancellation_of_a_channel_reservation_reaches_phobs(self):
        booking = self.book("DBL", arrival=7, nights=3, channel="BDC")
        self.sync_service().pull()
        reservation = self.front_desk()
        self.assertEqual(reservation.state, "confirm")

        # A channel booking is cancelled through the manager's wizard, with a reason.
        self.env["hotel.reservation.channel.cancel"].create(
            {"reservation_id": reservation.id, "reason": "Guest called the hotel"}).action_confirm()
        result = self.inventory_service().flush()

        self.assertEqual(result.failed_batches, 0)
        self.assertEqual((reservation.phobs_reservation_id.status,
                          reservation.phobs_reservation_id.sync_state), ("Cancel", "cancelled"))
        uploads = self.sandbox.call("GET", "/uploads", params={"hotel": self.hotel["code"]})["uploads"]
        self.assertEqual([(u["reservation_id"], u["res_status"]) for u in uploads],
                         [(booking["reservation_id"], "Cancel")])
        nights = self.sandbox.availability(self.hotel["code"], "DBL", self.day(7), self.day(9))
        self.assertEqual(list(nights.values()), [2, 2, 2])

    def test_direct_booking_goes_out_as_commit_and_takes_availability(self):
        partner = self.env["res.partner"].create({"name": "Walk-in Guest"})
        room = self.rooms["DBL"][0]
        reservation = self.env["hotel.reservation"].create({
            "partner_id": partner.id, "partner_invoice_id": partner.id,
            "partner_order_id": partner.id, "partner_shipping_id": partner.id,
            "pricelist_id": self.env.ref("product.list0").id,
            "checkin": "%s 14:00:00" % self.day(30), "checkout": "%s 11:00:00" % self.day(32),
            "adults": 2,
            "reservation_line": [(0, 0, {"categ_id": self.hotel_types["DBL"].id,
                                         "reserve": [(6, 0, [room.id])]})],
        })
        reservation.confirmed_reservation()

        self.inventory_service().flush()

        uploads = self.sandbox.call("GET", "/uploads", params={"hotel": self.hotel["code"]})["uploads"]
        self.assertEqual([u["res_status"] for u in uploads], ["Commit"])
        nights = self.sandbox.availability(self.hotel["code"], "DBL", self.day(29), self.day(32))
        self.assertEqual(list(nights.values()), [2, 1, 1, 2])

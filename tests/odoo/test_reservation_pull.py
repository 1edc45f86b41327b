"""Channel bookings pulled from the real sandbox land in the hotel front desk exactly once."""
from phobs_case import PhobsCase


class TestReservationPull(PhobsCase):

    def test_pulled_bookings_become_confirmed_front_desk_reservations(self):
        booked = [self.book(channel=code, arrival=5 + n) for n, code in enumerate(["BDC", "EXP", "ABB"])]

        result = self.sync_service().pull()

        self.assertEqual((result.received, result.stored, result.failed), (3, 3, 0))
        bindings = self.bindings()
        self.assertEqual(sorted(bindings.mapped("external_id")),
                         sorted(b["reservation_id"] for b in booked))
        self.assertEqual(set(bindings.mapped("sync_state")), {"applied"})
        self.assertEqual(set(bindings.mapped("channel_id.code")), {"BDC", "EXP", "ABB"})
        front_desk = self.front_desk()
        self.assertEqual(len(front_desk), 3)
        self.assertEqual(set(front_desk.mapped("state")), {"confirm"})
        for reservation in front_desk:
            rooms = reservation.reservation_line.mapped("reserve")
            self.assertEqual(len(rooms), 1)
            self.assertEqual(rooms.room_categ_id, self.hotel_types["DBL"])
            self.assertTrue(reservation.phobs_channel_id)
        self.assertEqual(self.sandbox.messages(self.hotel["code"], "pending"), [])
        acked = self.sandbox.messages(self.hotel["code"], "acked")
        self.assertEqual(len(acked), 3)
        self.assertEqual({m["ack_pms_id"] for m in acked}, set(front_desk.mapped("reservation_no")))

    def test_redelivered_messages_change_nothing(self):
        self.book(arrival=3)
        self.book(arrival=8, channel="AGO")
        self.sync_service().pull()
        before = (len(self.bindings()), len(self.front_desk()),
                  self.env["phobs.message"].search_count([("backend_id", "=", self.backend.id)]))
        self.assertEqual(len(self.sandbox.messages(self.hotel["code"], "acked")), 2)
        # Deliver every stored message twice more through the ingest, as a redelivery would.
        batch_records = self._records_of_acked_messages()
        for _round in range(2):
            outcomes = [self.ingest(record, "pull") for record in batch_records]
            self.assertTrue(all(o.ok and o.duplicate for o in outcomes))
        after = (len(self.bindings()), len(self.front_desk()),
                 self.env["phobs.message"].search_count([("backend_id", "=", self.backend.id)]))
        self.assertEqual(before, after)
        self.assertEqual(after[:2], (2, 2))

    def _records_of_acked_messages(self, state="acked"):
        from lxml import etree
        from odoo.addons.phobs_channel_manager.phobs_api.messages.reservation_xml import (
            parse_reservation)
        from odoo.addons.phobs_channel_manager.phobs_api.profile import DEFAULT_PROFILE
        records = []
        params = {"hotel": self.hotel["code"], "include_xml": "1"}
        if state:
            params["state"] = state
        for message in self.sandbox.call("GET", "/messages", params=params)["messages"]:
            element = etree.fromstring(message["xml"].encode())
            records.append(parse_reservation(element, DEFAULT_PROFILE))
        return records

    def test_modification_delivered_before_the_booking_ends_in_the_latest_version(self):
        booking = self.book(arrival=4, nights=2)
        self.sandbox.call("POST", "/bookings/%s/modify" % booking["reservation_id"],
                          json={"departure": str(self.day(9))})
        book_version, modify_version = self._records_of_acked_messages(state=None)
        self.assertLess(book_version.version, modify_version.version)

        for record in (modify_version, book_version):  # out of order
            self.assertTrue(self.ingest(record, "push").ok)

        binding = self.bindings()
        self.assertEqual(len(binding), 1)
        self.assertEqual(binding.status, "Modify")
        self.assertEqual(binding.departure, str(self.day(9)))
        self.assertEqual(self.front_desk().checkout[:10], str(self.day(9)))
        states = self.env["phobs.message"].search(
            [("backend_id", "=", self.backend.id)]).mapped("state")
        self.assertEqual(sorted(states), ["ignored", "processed"])

    def test_cancellation_of_an_unknown_reservation_is_shown_to_staff(self):
        booking = self.book(arrival=6)
        self.sandbox.call("POST", "/bookings/%s/cancel" % booking["reservation_id"])
        records = self._records_of_acked_messages(state=None)
        cancel = [r for r in records if r.status.value == "Cancel"][0]

        outcome = self.ingest(cancel, "pull")

        self.assertTrue(outcome.ok)
        binding = self.bindings()
        self.assertEqual(binding.sync_state, "orphan")
        self.assertFalse(self.front_desk())
        conflict = self.env["phobs.conflict"].search([("phobs_reservation_id", "=", binding.id)])
        self.assertEqual(conflict.kind, "unknown_reservation")
        self.assertEqual(conflict.state, "open")


class TestStoredThenApplied(PhobsCase):
    """Deliveries are stored first (what Phobs is told), applied after, from the stored text."""

    def _records(self):
        return TestReservationPull._records_of_acked_messages(self, state=None)

    def test_messages_stored_out_of_order_are_applied_in_version_order(self):
        booking = self.book(arrival=4, nights=2)
        self.sandbox.call("POST", "/bookings/%s/modify" % booking["reservation_id"],
                          json={"departure": str(self.day(8))})
        book_version, modify_version = self._records()
        service = self.sync_service()
        for record in (modify_version, book_version):
            self.assertTrue(service.accept(record, "push").ok)
        self.assertFalse(self.bindings())

        self.assertEqual(service.apply_pending(), 2)

        binding = self.bindings()
        self.assertEqual((binding.status, binding.departure), ("Modify", str(self.day(8))))
        # Both deliveries were acknowledged with the one number the booking now has.
        self.assertEqual(set(self.env["phobs.message"].search(
            [("backend_id", "=", self.backend.id)]).mapped("pms_ref")),
            {self.front_desk().reservation_no})
        self.assertEqual(self.front_desk().checkout[:10], str(self.day(8)))
        messages = self.env["phobs.message"].search([("backend_id", "=", self.backend.id)])
        # Applied from the stored (card-masked) text, oldest version first: nothing ignored.
        self.assertEqual(messages.mapped("state"), ["processed", "processed"])
        self.assertEqual(service.apply_pending(), 0)

    def test_a_failure_after_the_acknowledgement_is_kept_and_can_be_retried(self):
        self.book(arrival=5, room_type="SGL")
        self.book(arrival=6, room_type="DBL")
        service = self.sync_service()
        self.assertEqual(service.receive_pulled().stored, 2)
        self.assertEqual(self.sandbox.messages(self.hotel["code"], "pending"), [])
        # Between acknowledgement and application the single room's type loses its mapping.
        self.hotel_types["SGL"].phobs_code = "SGL-OLD"

        self.assertEqual(service.apply_pending(), 2)

        failed = self.env["phobs.message"].search([("backend_id", "=", self.backend.id),
                                                   ("state", "=", "failed")])
        self.assertEqual(len(failed), 1)
        self.assertIn("Unknown Phobs room type code(s) SGL", failed.error)
        self.assertEqual(len(self.front_desk()), 1)  # the other booking was not held up

        self.hotel_types["SGL"].phobs_code = "SGL"
        action = failed.action_retry()
        # Applied in the request: the reloaded form shows the outcome at once.
        self.assertEqual(action["tag"], "reload")
        self.assertEqual(failed.state, "processed")
        self.assertEqual(service.apply_pending(), 0)
        self.assertEqual(len(self.front_desk()), 2)

    def test_only_managers_may_apply_a_message_again(self):
        from odoo.exceptions import AccessError
        user = self.env["res.users"].create({
            "name": "Receptionist", "login": "rcpt-%s" % self.hotel["code"],
            "groups_id": [(6, 0, [self.env.ref("phobs_channel_manager.group_phobs_user").id])]})
        message = self.env["phobs.message"].create({
            "backend_id": self.backend.id, "direction": "in", "source": "pull",
            "operation": "HotelReservation", "message_id": "m-1", "state": "failed",
            "body": "<HotelReservation/>"})
        with self.assertRaises(AccessError):
            message.sudo(user).action_retry()
        self.assertEqual(message.state, "failed")

    def test_a_bookings_chatter_tells_its_changes_not_its_creation(self):
        booking = self.book(arrival=4, nights=2)
        self.sync_service().pull()
        binding = self.bindings()
        self.assertFalse(binding.message_ids)

        self.sandbox.call("POST", "/bookings/%s/modify" % booking["reservation_id"],
                          json={"departure": str(self.day(7))})
        self.sync_service().pull()

        binding.invalidate_cache()
        tracked = binding.message_ids.mapped("tracking_value_ids")
        self.assertIn(("status", "Committed", "Modified"), [
            (value.field, value.old_value_char, value.new_value_char) for value in tracked])

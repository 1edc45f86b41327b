"""Resolving an overbooking places the guest: upgrade, move another guest, accept, relocate."""
from phobs_case import PhobsCase


class TestConflictResolution(PhobsCase):
    room_types = {"SGL": 1, "DBL": 2}

    def setUp(self):
        super().setUp()
        self.manager = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Front Office Manager", "login": "fo_manager_%s" % self.hotel["code"],
            "email": "fo.manager@example.com",
            "groups_id": [(6, 0, [self.env.ref("phobs_channel_manager.group_phobs_manager").id,
                                  self.env.ref("hotel.group_hotel_manager").id])]})

    def overbook_single(self, arrival=12, nights=2):
        self.book("SGL", arrival=arrival, nights=nights, channel="BDC",
                  respect_availability=False)
        booking = self.book("SGL", arrival=arrival, nights=nights, channel="EXP",
                            respect_availability=False)
        self.sync_service().pull()
        conflict = self.env["phobs.conflict"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(len(conflict), 1)
        return conflict, booking

    def open_wizard(self, conflict):
        action = conflict.sudo(self.manager).action_open_resolve()
        return self.env[action["res_model"]].sudo(self.manager).browse(action["res_id"])

    def test_upgrade_confirms_the_booking_in_a_free_room_and_sends_availability(self):
        conflict, booking = self.overbook_single()
        wizard = self.open_wizard(conflict)

        # Opened on the first free upgrade: the manager only applies.
        self.assertEqual(wizard.resolution, "upgrade")
        self.assertIn(wizard.room_option_id.name.split(" ")[1], self.rooms["DBL"].mapped("name"))
        self.assertIn("upgrade", wizard.room_option_id.name)
        wizard.action_apply()

        binding = self.bindings().filtered(lambda b: b.external_id == booking["reservation_id"])
        front = self.front_desk().filtered(lambda r: r.phobs_reservation_id == binding)
        self.assertEqual(front.state, "confirm")
        self.assertEqual(front.mapped("reservation_line.reserve"), self.rooms["DBL"][:1])
        self.assertNotIn("OVERBOOKED", front.note or "")
        self.assertEqual((binding.sync_state, binding.sync_error), ("applied", False))
        self.assertEqual((conflict.state, conflict.resolution), ("resolved", "upgrade"))
        self.assertFalse(conflict.activity_ids)
        # The hotel's nights are recomputed and sent: one double is taken, the single reopens
        # for nobody (it stays full), nothing waits in the outbox.
        self.inventory_service().flush()
        doubles = self.sandbox.availability(self.hotel["code"], "DBL", self.day(12), self.day(13))
        self.assertEqual(list(doubles.values()), [1, 1])
        self.assertFalse(self.env["phobs.outbox"].search([
            ("backend_id", "=", self.backend.id), ("state", "=", "pending")]))

    def test_a_not_yet_arrived_guest_is_moved_to_free_the_booked_type(self):
        conflict, booking = self.overbook_single()
        wizard = self.open_wizard(conflict)
        self.assertTrue(wizard.move_option_id, "the first single guest has not arrived yet")
        wizard.write({"resolution": "move"})

        wizard.action_apply()

        binding = self.bindings().filtered(lambda b: b.external_id == booking["reservation_id"])
        front = self.front_desk().filtered(lambda r: r.phobs_reservation_id == binding)
        self.assertEqual(front.state, "confirm")
        self.assertEqual(front.mapped("reservation_line.reserve"), self.rooms["SGL"])
        others = self.front_desk() - front
        self.assertEqual(others.mapped("reservation_line.reserve"), self.rooms["DBL"][:1])
        self.assertTrue(any("Room changed" in (m.body or "") for m in others.message_ids))

    def test_relocation_leaves_an_activity_with_the_guest_contacts_and_ota_number(self):
        conflict, _booking = self.overbook_single()
        wizard = self.open_wizard(conflict)
        wizard.write({"resolution": "relocate", "note": "Hotel Lapad, 2 nights"})

        wizard.action_apply()

        self.assertEqual((conflict.state, conflict.resolution), ("resolved", "relocate"))
        activity = conflict.activity_ids
        self.assertEqual(len(activity), 1)
        binding = conflict.phobs_reservation_id
        self.assertTrue(binding.guest_email, "the sandbox's guests have an email")
        self.assertIn(binding.guest_email, activity.note)
        self.assertIn(binding.channel_booking_id or binding.external_id, activity.note)
        self.assertIn("Hotel Lapad", conflict.resolution_note)

    def test_mark_resolved_without_a_choice_opens_the_wizard_instead_of_an_error(self):
        conflict, _booking = self.overbook_single()

        action = conflict.sudo(self.manager).action_resolve()

        self.assertEqual(action["res_model"], "phobs.conflict.resolve")
        self.assertEqual(conflict.state, "open")

    def test_a_room_taken_meanwhile_is_refused_in_words(self):
        conflict, _booking = self.overbook_single()
        wizard = self.open_wizard(conflict)
        wizard.room_option_id.key = "room:%d" % self.rooms["SGL"].id  # the full single

        with self.assertRaisesRegex(Exception, "no longer free"):
            wizard.action_apply()
        self.assertEqual(conflict.state, "open")

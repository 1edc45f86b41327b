"""What a receptionist sees of a channel booking, and who may cancel it.

The receptionist is a plain OCA hotel user (Hotel Management / User), without any Channel
Manager group: everything is read through the ORM as that user.
"""
import re

from lxml import etree

from odoo.exceptions import AccessError, UserError

from phobs_case import PhobsCase


class TestFrontDeskStaffView(PhobsCase):

    def setUp(self):
        super().setUp()
        Users = self.env["res.users"].with_context(no_reset_password=True)
        self.receptionist = Users.create({
            "name": "Rita Receptionist", "login": "rita-%s" % self.hotel["code"],
            "groups_id": [(6, 0, [self.env.ref("hotel.group_hotel_user").id,
                                  self.env.ref("base.group_user").id])]})
        self.manager = Users.create({
            "name": "Marko Manager", "login": "marko-%s" % self.hotel["code"],
            "groups_id": [(6, 0, [self.env.ref("hotel.group_hotel_manager").id,
                                  self.env.ref("base.group_user").id])]})
        self.booking = self.sandbox.book(
            self.hotel["code"], channel="BDC", card=True, comments=["Late arrival, about 23:00"],
            room_stays=[{"room_type": "DBL", "rate_plan": "BAR", "arrival": str(self.day(6)),
                         "departure": str(self.day(9)), "adults": 2, "children": [5, 8]}])
        self.sync_service().pull()
        self.reservation = self.front_desk()
        self.assertEqual(len(self.reservation), 1)
        self.binding = self.reservation.phobs_reservation_id

    def test_a_receptionist_sees_what_was_sold(self):
        self.assertFalse(self.receptionist.has_group("phobs_channel_manager.group_phobs_user"))
        mine = self.reservation.sudo(self.receptionist)
        form = mine.fields_view_get(view_type="form")
        values = mine.read(list(form["fields"]))[0]  # what the web client reads: no AccessError

        self.assertEqual(values["phobs_banner"], "Booked on %s (%s): changes are sent to the "
                         "channel" % (self.binding.channel_id.name, self.booking["channel_booking_id"]))
        self.assertEqual(values["phobs_channel_booking_id"], self.booking["channel_booking_id"])
        self.assertEqual(values["phobs_external_id"], self.booking["reservation_id"])
        self.assertAlmostEqual(values["phobs_amount_total"], float(self.booking["total"]), places=2)
        rooms = values["phobs_rooms_html"]
        self.assertIn("2 adult(s), 2 child(ren) aged 5, 8", rooms)
        self.assertIn("{:,.2f}".format(float(self.booking["total"])), rooms)
        self.assertIn("Late arrival", (values["phobs_special_requests"] or "")
                      + (values["phobs_comments"] or ""))
        guarantee = values["phobs_guarantee"]
        if self.binding.card_last4:
            self.assertRegex(guarantee, r"^\w+ \*\*\*\* \d{4}( expires \d\d/\d\d)?$")
        arch = etree.fromstring(form["arch"])
        # The channel manager's own record is not linked for a receptionist.
        for name in ("field[@name='phobs_reservation_id']",
                     "button[@name='action_phobs_cancel_wizard']"):
            for node in arch.xpath("//" + name):
                self.assertIn('"invisible": true', node.get("modifiers"), name)
        # Arrival and departure stay side by side in OCA's four-column group.
        checkin = arch.xpath("//field[@name='checkin']")[0]
        self.assertEqual(checkin.getnext().get("name"), "checkout")

    def test_the_main_search_finds_a_booking_by_ota_or_reservation_number(self):
        Reservation = self.env["hotel.reservation"].sudo(self.receptionist)
        search = etree.fromstring(Reservation.fields_view_get(view_type="search")["arch"])
        first = search.xpath("//field")[0]
        self.assertEqual(first.get("name"), "reservation_no")
        domain_text = first.get("filter_domain")
        for text in (self.booking["channel_booking_id"], self.reservation.reservation_no):
            domain = eval(domain_text, {"self": text})  # noqa: S307 - our own view's domain
            self.assertEqual(Reservation.search(domain), self.reservation)
        tree = Reservation.fields_view_get(view_type="tree")
        self.assertIn("phobs_property_name", tree["fields"])
        listed = Reservation.search_read([("id", "=", self.reservation.id)], list(tree["fields"]))
        self.assertEqual(listed[0]["phobs_property_name"], self.backend.name)

    def test_every_version_leaves_a_note_saying_what_changed(self):
        self.sandbox.call("POST", "/bookings/%s/modify" % self.booking["reservation_id"],
                          json={"departure": str(self.day(10))})
        self.sync_service().pull()
        notes = self.reservation.message_ids.mapped("body")
        self.assertTrue(any("Booked on" in body for body in notes))
        modified = [body for body in notes if "Modified by" in body]
        self.assertEqual(len(modified), 1)
        self.assertIn("Dates", modified[0])
        self.assertIn(str(self.day(10)), modified[0])

    def test_a_note_notifies_only_those_who_follow_the_reservation(self):
        booked = self.reservation.message_ids.filtered(lambda m: "Booked on" in (m.body or ""))
        self.assertEqual(len(booked), 1)
        self.assertFalse(booked.needaction_partner_ids)
        self.assertFalse(booked.channel_ids)
        self.reservation.message_subscribe_users(self.receptionist.ids, subtype_ids=[
            self.env.ref("mail.mt_note").id])
        self.sandbox.call("POST", "/bookings/%s/modify" % self.booking["reservation_id"],
                          json={"departure": str(self.day(10))})
        self.sync_service().pull()
        modified = self.reservation.message_ids.filtered(lambda m: "Modified by" in (m.body or ""))
        self.assertEqual(modified.needaction_partner_ids, self.receptionist.partner_id)

    def test_a_receptionist_cannot_cancel_a_manager_cancels_with_a_reason(self):
        mine = self.reservation.sudo(self.receptionist)
        with self.assertRaises(UserError):
            mine.cancel_reservation()
        with self.assertRaises(AccessError):
            mine.action_phobs_cancel_wizard()
        Wizard = self.env["hotel.reservation.channel.cancel"]
        with self.assertRaises(AccessError):
            Wizard.sudo(self.receptionist).create(
                {"reservation_id": self.reservation.id, "reason": "no"}).action_confirm()
        self.assertEqual(self.reservation.state, "confirm")

        action = self.reservation.sudo(self.manager).action_phobs_cancel_wizard()
        wizard = Wizard.sudo(self.manager).with_context(action["context"]).create(
            {"reason": "Guest asked the hotel by phone"})
        wizard.action_confirm()
        self.inventory_service().flush()

        self.assertEqual(self.reservation.state, "cancel")
        self.assertEqual((self.binding.status, self.binding.sync_state), ("Cancel", "cancelled"))
        at_phobs = self.sandbox.call("GET", "/bookings/%s" % self.booking["reservation_id"])
        self.assertEqual(at_phobs["status"], "Cancel")
        self.assertTrue(any(re.search("Guest asked the hotel by phone", body)
                            for body in self.reservation.message_ids.mapped("body")))

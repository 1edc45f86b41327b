"""A channel guest is matched only by exact email, never to an internal user, else created
with the guest's own name, phone, address and country."""
from odoo.tests.common import TransactionCase


class TestChannelGuests(TransactionCase):

    def setUp(self):
        super().setUp()
        self.backend = self.env["phobs.backend"].create({
            "name": "Guests", "hotel_code": "GUESTS1", "environment": "demo",
            "base_url": "http://127.0.0.1:9", "auth_mode": "oauth2",
            "client_id": "x", "client_secret": "y"})
        self.Binding = self.env["phobs.reservation"]

    def binding(self, **values):
        values.setdefault("external_id", "G-%d" % len(self.Binding.search([])))
        return self.Binding.create(dict(values, backend_id=self.backend.id, status="Book"))

    def test_exact_email_in_any_case_matches_the_known_guest(self):
        known = self.env["res.partner"].create({"name": "Ana Horvat", "email": "ana@example.com"})
        partner = self.backend._phobs_partner(self.binding(guest_name="A. Horvat",
                                                           guest_email="ANA@Example.com"))
        self.assertEqual(partner, known)

    def test_a_wildcard_email_matches_nobody(self):
        someone = self.env["res.partner"].create({"name": "Someone", "email": "x@example.com"})
        for email in ("%", "%@example.com", "_@example.com"):
            partner = self.backend._phobs_partner(self.binding(guest_name="Wild", guest_email=email))
            self.assertNotEqual(partner, someone)
            self.assertEqual(partner.email, email)

    def test_an_internal_users_email_does_not_attach_the_booking_to_that_user(self):
        user = self.env["res.users"].create({"name": "Receptionist", "login": "rec-guest",
                                             "email": "desk@hotel.example"})
        partner = self.backend._phobs_partner(self.binding(guest_name="Guest",
                                                           guest_email="desk@hotel.example"))
        self.assertNotEqual(partner, user.partner_id)
        self.assertEqual(partner.name, "Guest")

    def test_same_name_without_email_is_a_new_guest_with_the_guests_own_details(self):
        self.env["res.partner"].create({"name": "Ivan Babic"})
        partner = self.backend._phobs_partner(self.binding(
            guest_name="Ivan Babic", guest_phone="+385 1 555 0101", guest_street="Ilica 1",
            guest_city="Zagreb", guest_zip="10000", guest_country_code="hr"))
        self.assertEqual((partner.name, partner.phone, partner.street, partner.city, partner.zip,
                          partner.country_id.code),
                         ("Ivan Babic", "+385 1 555 0101", "Ilica 1", "Zagreb", "10000", "HR"))
        self.assertEqual(self.env["res.partner"].search_count([("name", "=", "Ivan Babic")]), 2)
        self.assertFalse(partner.message_ids)

    def test_a_new_guest_is_quiet_and_reads_the_company_defaults(self):
        """No chatter, follower, avatar or property of its own, yet every company-dependent
        field reads as on a partner created the ordinary way."""
        ordinary = self.env["res.partner"].create({"name": "Walk-in"})
        guest = self.backend._phobs_partner(self.binding(guest_name="Mia Kovac",
                                                         guest_email="mia@example.com"))
        self.assertFalse(guest.message_ids)
        self.assertFalse(guest.message_follower_ids)
        self.assertFalse(guest.image)
        self.assertFalse(self.env["ir.attachment"].search_count(
            [("res_model", "=", "res.partner"), ("res_id", "=", guest.id)]))
        self.assertFalse(self.env["ir.property"].search_count(
            [("res_id", "=", "res.partner,%d" % guest.id)]))
        dependent = [name for name, field in guest._fields.items() if field.company_dependent]
        self.assertIn("property_account_receivable_id", dependent)
        for name in dependent:
            self.assertEqual(guest[name], ordinary[name], name)

    def test_a_user_default_of_a_company_dependent_field_still_applies_to_a_new_guest(self):
        term = self.env.ref("account.account_payment_term_immediate")
        self.env["ir.default"].set("res.partner", "property_payment_term_id", term.id)
        guest = self.backend._phobs_partner(self.binding(guest_name="Lea Novak"))
        self.assertEqual(guest.property_payment_term_id, term)

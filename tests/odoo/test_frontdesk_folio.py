"""The booked price reaches the folio and the invoice, to the cent, in the booking's currency."""
from phobs_case import PhobsCase


class TestChannelFolio(PhobsCase):
    room_types = {"SGL": 2, "DBL": 2}

    def setUp(self):
        super().setUp()
        self.channel = self.env["phobs.channel"].search([("code", "=", "BDC")], limit=1) or \
            self.env["phobs.channel"].create({"code": "BDC", "name": "Booking.com"})
        self.ota = self.env["res.partner"].create({"name": "Booking.com B.V.", "is_company": True})
        self.channel.write({"payment_collect": "channel", "partner_id": self.ota.id,
                            "commission_percent": 15.0})
        self.gbp = self.env.ref("base.GBP")

    def binding(self, stays, currency=None, status="Book", **values):
        total = sum(sum(n) * s.get("units", 1) for s in stays for n in [s["nights"]])
        binding = self.env["phobs.reservation"].create(dict({
            "backend_id": self.backend.id, "external_id": "F-%d" % len(self.bindings()),
            "status": status, "channel_id": self.channel.id, "channel_booking_id": "BDC-4711",
            "guest_name": "Ana Horvat", "guest_email": "ana@example.com",
            "currency_id": (currency or self.gbp).id, "amount_total": total,
            "arrival": str(self.day(stays[0]["arrival"])),
            "departure": str(self.day(max(s["arrival"] + len(s["nights"]) for s in stays))),
            "stay_ids": [(0, 0, self.stay_values(s)) for s in stays],
        }, **values))
        return binding

    def stay_values(self, stay):
        arrival = stay["arrival"]
        return {"room_type_code": stay["code"], "rate_plan_code": "BAR",
                "arrival": str(self.day(arrival)),
                "departure": str(self.day(arrival + len(stay["nights"]))),
                "units": stay.get("units", 1), "adults": 2,
                "amount": sum(stay["nights"]) * stay.get("units", 1),
                "night_ids": [(0, 0, {"night": str(self.day(arrival + n)), "amount": amount})
                              for n, amount in enumerate(stay["nights"])]}

    def apply(self, binding):
        result = self.backend._phobs_apply_reservation(binding)
        binding.write({"sync_state": result["state"], "pms_ref": result["pms_ref"]})
        self.backend._phobs_build_folio(binding)  # the second stage of applying
        return self.env["hotel.folio"].search([("phobs_reservation_id", "=", binding.id)])

    def two_stays(self):
        return [{"code": "DBL", "arrival": 12, "nights": [100.0, 100.0, 85.0]},
                {"code": "SGL", "arrival": 12, "nights": [60.5, 60.5], "units": 2}]

    def setup_accounts(self):
        Account = self.env["account.account"]
        receivable = Account.create({
            "code": "PH1100", "name": "Debtors", "reconcile": True,
            "user_type_id": self.env.ref("account.data_account_type_receivable").id})
        income = Account.create({
            "code": "PH4000", "name": "Room revenue",
            "user_type_id": self.env.ref("account.data_account_type_revenue").id})
        self.env["res.partner"].search([]).write({"property_account_receivable_id": receivable.id})
        self.env["product.category"].search([]).write({"property_account_income_categ_id": income.id})

    def test_folio_carries_the_nightly_prices_in_the_booking_currency(self):
        binding = self.binding(self.two_stays())
        folio = self.apply(binding)

        self.assertEqual(len(folio), 1)
        self.assertEqual(folio.currency_id, self.gbp)
        self.assertEqual(folio.pricelist_id.currency_id, self.gbp)
        self.assertAlmostEqual(folio.amount_total, 527.0, places=2)
        self.assertAlmostEqual(folio.amount_total, binding.amount_total, places=2)
        # DBL: 2 nights at 100 then 1 at 85; each SGL room: 2 nights at 60.50.
        lines = sorted((l.product_uom_qty, l.price_unit) for l in folio.room_lines)
        self.assertEqual(lines, [(1, 85.0), (2, 60.5), (2, 60.5), (2, 100.0)])
        self.assertEqual(folio.partner_invoice_id, self.ota)
        self.assertEqual(folio.phobs_payment_collect, "channel")
        self.assertAlmostEqual(folio.phobs_commission_amount, 79.05, places=2)
        self.assertEqual(folio.state, "sale")
        self.assertEqual(binding.hotel_reservation_ids.mapped("folio_id"), folio)

    def test_an_invoice_from_the_folio_totals_the_ota_total(self):
        self.setup_accounts()
        binding = self.binding([{"code": "DBL", "arrival": 5, "nights": [99.99, 99.99, 100.03]}])
        folio = self.apply(binding)
        invoice = self.env["account.invoice"].browse(folio.order_id.action_invoice_create())

        self.assertAlmostEqual(invoice.amount_total, 300.01, places=2)
        self.assertAlmostEqual(invoice.amount_total, binding.amount_total, places=2)
        self.assertEqual(invoice.currency_id, self.gbp)
        self.assertEqual(invoice.partner_id, self.ota)

    def test_modify_updates_the_folio_until_it_is_invoiced_then_staff_get_the_difference(self):
        self.setup_accounts()
        binding = self.binding(self.two_stays())
        folio = self.apply(binding)
        binding.write({"status": "Modify", "amount_total": 285.0, "stay_ids": [(5, 0, 0)] + [
            (0, 0, self.stay_values({"code": "DBL", "arrival": 12, "nights": [100.0, 100.0, 85.0]}))]})

        self.assertEqual(self.apply(binding), folio)
        self.assertAlmostEqual(folio.amount_total, 285.0, places=2)
        self.assertEqual(len(folio.room_lines), 2)

        folio.order_id.action_invoice_create()
        binding.write({"amount_total": 300.0, "stay_ids": [(5, 0, 0)] + [
            (0, 0, self.stay_values({"code": "DBL", "arrival": 12, "nights": [100.0] * 3}))]})
        self.apply(binding)

        self.assertAlmostEqual(folio.amount_total, 285.0, places=2)
        activity = self.env["mail.activity"].search([("res_model", "=", "sale.order"),
                                                     ("res_id", "=", folio.order_id.id)])
        self.assertEqual(len(activity), 1)
        self.assertIn("+15.00", activity.note)

    def test_cancel_keeps_only_the_penalty_or_cancels_the_folio(self):
        with_penalty = self.binding(self.two_stays())
        folio = self.apply(with_penalty)
        with_penalty.write({"status": "Cancel", "penalty_amount": 100.0})
        self.apply(with_penalty)
        self.assertAlmostEqual(folio.amount_total, 100.0, places=2)
        self.assertFalse(folio.room_lines)
        self.assertNotEqual(folio.state, "cancel")

        without = self.binding([{"code": "DBL", "arrival": 20, "nights": [90.0]}])
        folio = self.apply(without)
        without.write({"status": "Cancel"})
        self.apply(without)
        self.assertEqual(folio.state, "cancel")

    def test_create_folio_by_staff_gives_the_same_priced_folio(self):
        self.backend.phobs_auto_folio = False
        binding = self.binding(self.two_stays(), currency=self.env.ref("base.EUR"))
        self.assertFalse(self.apply(binding))
        binding.hotel_reservation_ids[:1].create_folio()
        folio = self.env["hotel.folio"].search([("phobs_reservation_id", "=", binding.id)])
        self.assertAlmostEqual(folio.amount_total, binding.amount_total, places=2)
        self.assertEqual(folio.currency_id, self.env.ref("base.EUR"))

    def test_a_sandbox_booking_gets_a_folio_of_its_total(self):
        self.sandbox.book(self.hotel["code"], channel="BDC", room_stays=[
            {"room_type": "DBL", "rate_plan": "BAR", "arrival": str(self.day(7)),
             "departure": str(self.day(10)), "adults": 2, "children": [5, 8]},
            {"room_type": "SGL", "rate_plan": "BAR", "arrival": str(self.day(7)),
             "departure": str(self.day(9)), "adults": 1}])
        self.sync_service().pull()
        binding = self.bindings()
        folio = self.env["hotel.folio"].search([("phobs_reservation_id", "=", binding.id)])
        self.assertTrue(binding.amount_total)
        self.assertAlmostEqual(folio.amount_total, binding.amount_total, places=2)
        self.assertEqual(folio.currency_id, binding.currency_id)

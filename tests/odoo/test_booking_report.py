"""Channel Manager > Booking Analysis: bookings, room nights, revenue, ADR, cancellations and
lead time per channel and month, in the property's currency, read as a Channel Manager / User.

The bookings are real channel bookings made at the sandbox and pulled; the figures are checked
against what the sandbox reports it sold.
"""
from datetime import date
from decimal import Decimal

from phobs_case import PhobsCase


class TestBookingReport(PhobsCase):
    room_types = {"SGL": 2, "DBL": 3}

    def setUp(self):
        super().setUp()
        self.eur = self.env.ref("base.EUR")
        self.eur.active = True
        self.backend.currency_id = self.eur          # the sandbox hotel sells in EUR
        self.sold = {
            "bdc_double": self.book("DBL", arrival=10, nights=2, channel="BDC"),
            "bdc_single": self.book("SGL", arrival=20, nights=3, channel="BDC"),
            "expedia": self.book("DBL", arrival=5, nights=1, channel="EXP"),
        }
        self.sandbox.call("POST", "/bookings/%s/cancel" % self.sold["expedia"]["reservation_id"])
        self.sync_service().pull()
        self.viewer = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "report viewer", "login": "report-%s" % self.hotel["code"],
            "groups_id": [(6, 0, [self.env.ref("phobs_channel_manager.group_phobs_user").id])]})

    def per_channel(self):
        Report = self.env["phobs.booking.report"].sudo(self.viewer)
        groups = Report.read_group(
            [("backend_id", "=", self.backend.id)],
            ["channel_id", "bookings", "room_nights", "revenue", "adr", "cancellations",
             "lead_time_days"],
            ["channel_id"])
        return {self.env["phobs.channel"].browse(g["channel_id"][0]).code: g for g in groups}

    def test_figures_per_channel_in_the_property_currency(self):
        groups = self.per_channel()

        bdc = groups["BDC"]
        revenue = sum(Decimal(self.sold[key]["total"]) for key in ("bdc_double", "bdc_single"))
        self.assertEqual((bdc["bookings"], bdc["room_nights"], bdc["cancellations"]), (2, 5, 0))
        self.assertAlmostEqual(bdc["revenue"], float(revenue), places=2)
        self.assertAlmostEqual(bdc["adr"], float(revenue) / 5, places=2,
                               msg="revenue per room night, not an average of averages")
        self.assertAlmostEqual(bdc["lead_time_days"], 15.0, places=3)
        expedia = groups["EXP"]
        self.assertEqual((expedia["bookings"], expedia["room_nights"], expedia["revenue"],
                          expedia["cancellations"]), (0, 0, 0, 1))

        month = self.env["phobs.booking.report"].sudo(self.viewer).read_group(
            [("backend_id", "=", self.backend.id)], ["booked_on", "bookings", "cancellations"],
            ["booked_on:month"])
        self.assertEqual([(g["bookings"], g["cancellations"]) for g in month], [(2, 1)])

    def test_a_booking_in_another_currency_is_converted_at_the_rate_of_its_day(self):
        usd = self.env.ref("base.USD")
        company = self.backend.company_id
        Rate = self.env["res.currency.rate"]
        Rate.search([("currency_id", "in", (usd | self.eur).ids),
                     ("company_id", "in", (company.id, False))]).unlink()
        Rate.create({"currency_id": self.eur.id, "rate": 1.0, "name": "2000-01-01",
                     "company_id": company.id})
        Rate.create({"currency_id": usd.id, "rate": 1.25, "name": str(date.today()),
                     "company_id": company.id})
        self.backend.currency_id = usd

        bdc = self.per_channel()["BDC"]

        revenue = sum(Decimal(self.sold[key]["total"]) for key in ("bdc_double", "bdc_single"))
        self.assertAlmostEqual(bdc["revenue"], float(revenue) * 1.25, places=2)

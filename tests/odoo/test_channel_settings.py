"""A channel's settings reach Phobs when they change, not at the nightly full resync."""
from ari_case import AriCase


class TestChannelSettings(AriCase):
    room_types = {"SGL": 1, "DBL": 2}
    sandbox_rate_plans = [
        {"code": "BAR", "name": "Best Available Rate", "room_types": ["SGL", "DBL"]},
        {"code": "BDCX", "name": "Booking.com exclusive", "room_types": ["DBL"]},
    ]

    def setUp(self):
        super().setUp()
        last = self.horizon_days() - 1
        self.channel = self.env["phobs.channel"].create(
            {"name": "Channel %s" % self.hotel["code"], "code": "CH-%s" % self.hotel["code"]})
        self.bar = self.rate_plan("BAR", ["SGL", "DBL"])
        self.bdcx = self.rate_plan("BDCX", ["DBL"], channel_id=self.channel.id)
        for plan in (self.bar, self.bdcx):
            self.price(plan, "DBL", 0, last, 100)
        self.price(self.bar, "SGL", 0, last, 80)
        self.inventory_service().full_resync()
        self.outbox().unlink()

    def _dirty(self, kind):
        return {(row.room_type_code, row.rate_plan_code, row.date_from, row.date_to)
                for row in self.outbox("pending") if row.kind == kind}

    def test_a_markup_change_marks_the_rates_of_the_channels_plans_and_reaches_phobs(self):
        first, last = (str(day) for day in self.backend._phobs_horizon())
        self.channel.rate_markup_percent = 15

        self.assertEqual(self._dirty("rates"), {("DBL", "BDCX", first, last)})
        self.assertEqual(self._dirty("restrictions"), set())
        before = self.traffic()
        result = self.inventory_service().flush()

        self.assertEqual(result.kinds["rates"]["days"], self.horizon_days())
        self.assertEqual(self.traffic_since(before), (1, 1))
        held = self.sandbox_values("rates", [("DBL", "BDCX"), ("DBL", "BAR")], self.day(3),
                                   self.day(3))
        self.assertEqual(held, {("DBL", "BDCX", self.day(3)): "115.00 EUR",
                                ("DBL", "BAR", self.day(3)): "100.00 EUR"})

    def test_the_sync_switches_mark_what_they_switch(self):
        first, last = (str(day) for day in self.backend._phobs_horizon())
        self.channel.sync_availability = False
        self.assertEqual(self._dirty("restrictions"), {("DBL", "BDCX", first, last)})
        self.assertEqual(self._dirty("rates"), set())

        self.channel.write({"sync_rates": False, "name": "Renamed"})
        self.assertEqual(self._dirty("rates"), {("DBL", "BDCX", first, last)})

        self.outbox().unlink()
        self.channel.write({"color": 3, "commission_percent": 12})
        self.assertFalse(self.outbox())

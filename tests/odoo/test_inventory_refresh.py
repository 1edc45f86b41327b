"""A full 365-day refresh: few requests and ranges, and the sandbox ends equal to Odoo, day by day.

The hotel has three room types and three rate plans: BAR with prices per date range, NRF priced
by an Odoo pricelist (with a summer rule), and BDCX sold on Booking.com only, whose 12 % markup
is added to its prices. Restrictions (weekend minimum stays, Sunday closed-to-arrival, a
stop-sell) and a few bookings give every kind something to say.
"""
import json

from odoo.addons.phobs_channel_manager.phobs_api import ari

from ari_case import AriCase
from harness.processes import ARTIFACTS

SUMMER = (150, 240)
FRIDAY, SATURDAY, SUNDAY = 4, 5, 6


class TestFullRefresh(AriCase):
    room_types = {"SGL": 2, "DBL": 4, "APT": 1}
    sandbox_rate_plans = [
        {"code": "BAR", "name": "Best Available Rate", "room_types": ["SGL", "DBL", "APT"]},
        {"code": "NRF", "name": "Non-refundable", "room_types": ["DBL", "APT"]},
        {"code": "BDCX", "name": "Booking.com exclusive", "room_types": ["DBL"]},
    ]

    def setUp(self):
        super().setUp()
        last = self.horizon_days() - 1
        self.bar = self.rate_plan("BAR", ["SGL", "DBL", "APT"])
        for code, base, summer in (("SGL", 80, 95), ("DBL", 120, 150), ("APT", 200, 200)):
            self.price(self.bar, code, 0, last, base)
            self.price(self.bar, code, *SUMMER, summer)
        self.price(self.bar, "DBL", 200, 200, 199)
        pricelist = self.env["product.pricelist"].create({
            "name": "Non-refundable", "currency_id": self.eur.id,
            "item_ids": [
                (0, 0, {"applied_on": "3_global", "compute_price": "fixed", "fixed_price": 130,
                        "date_start": str(self.day(SUMMER[0])),
                        "date_end": str(self.day(SUMMER[1]))}),
                (0, 0, {"applied_on": "3_global", "compute_price": "percentage",
                        "percent_price": 10}),
            ]})
        self.nrf = self.rate_plan("NRF", ["DBL", "APT"], price_source="pricelist",
                                  pricelist_id=pricelist.id)
        self.booking_com = self.env["phobs.channel"]._for_code("BDC")
        self.booking_com.rate_markup_percent = 12
        self.bdcx = self.rate_plan("BDCX", ["DBL"], channel_id=self.booking_com.id)
        self.price(self.bdcx, "DBL", 0, last, 120)

        Restriction = self.env["phobs.restriction"]
        first, end = self.day(SUMMER[0]), self.day(SUMMER[1])
        Restriction._phobs_apply(self.bar, ["DBL"],
                                 ari.matching_days(first, end, [FRIDAY, SATURDAY]), {"min_los": 3})
        Restriction._phobs_apply(self.nrf, ["DBL"], ari.matching_days(first, end, [SUNDAY]),
                                 {"closed_to_arrival": True})
        Restriction._phobs_apply(self.bar | self.nrf, ["APT"],
                                 ari.matching_days(self.day(100), self.day(102)),
                                 {"stop_sell": True})

        self.front_desk_booking("DBL", 10, 3, room_index=0)
        self.front_desk_booking("DBL", 11, 4, room_index=1)
        self.front_desk_booking("SGL", 30, 2)
        self.front_desk_booking("APT", 60, 7)
        self.book("DBL", arrival=90, nights=5)
        self.sync_service().pull()
        self.env["phobs.outbox"].search([("backend_id", "=", self.backend.id)]).unlink()

    def test_a_365_day_refresh_is_compressed_and_leaves_the_sandbox_equal_to_odoo(self):
        service = self.inventory_service()
        days = self.horizon_days()
        self.assertEqual(days, 365)
        pairs = {kind: service.pairs(kind) for kind in ari.KINDS}
        self.assertEqual((len(pairs["availability"]), len(pairs["rates"]),
                          len(pairs["restrictions"])), (3, 6, 6))
        # The naive encoding: one element per room type, rate plan and day (restrictions need
        # three, one per RestrictionStatus), and one request per day and item.
        naive_items = sum(len(found) for found in pairs.values()) * days
        naive_elements = (len(pairs["availability"]) + 3 * len(pairs["restrictions"])
                          + len(pairs["rates"])) * days
        before = self.traffic()

        result = service.full_resync()

        requests, elements = self.traffic_since(before)
        figures = {"days": days, "requests": requests, "elements": elements,
                   "naive_requests": naive_items, "naive_elements": naive_elements,
                   "runs": result.runs_sent, "per_kind": result.kinds}
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "inventory-full-refresh.json").write_text(json.dumps(figures, indent=2))
        print("full refresh: %s" % json.dumps(figures, sort_keys=True))
        self.assertEqual(result.failed_batches, 0)
        self.assertEqual(result.days_changed, naive_items, "forced: every day of every item")
        self.assertEqual(requests, result.requests)
        self.assertLess(requests * 20, naive_items)
        self.assertLess(elements * 20, naive_elements)
        self.assertFalse(self.outbox("pending", "dead"))

        # Day by day, for every kind, the sandbox holds what Odoo computes.
        self.assertEqual(self.sandbox_drift(), [])
        self.assertEqual(service.audit(), [])
        held = {kind: self.sandbox_values(kind, pairs[kind], *self.backend._phobs_horizon())
                for kind in ari.KINDS}
        self.assertEqual({kind: len(values) for kind, values in held.items()},
                         {kind: len(pairs[kind]) * days for kind in ari.KINDS})

        # Spot checks of what the values mean.
        rates, restrictions = held["rates"], held["restrictions"]
        self.assertEqual(rates[("DBL", "BAR", self.day(5))], "120.00 EUR")
        self.assertEqual(rates[("DBL", "BAR", self.day(200))], "199.00 EUR")
        self.assertEqual(rates[("DBL", "NRF", self.day(5))], "90.00 EUR")
        self.assertEqual(rates[("APT", "NRF", self.day(SUMMER[0]))], "130.00 EUR")
        self.assertEqual(rates[("DBL", "BDCX", self.day(5))], "134.40 EUR")
        friday = next(d for d in ari.matching_days(self.day(SUMMER[0]), self.day(SUMMER[1]),
                                                    [FRIDAY]))
        self.assertEqual(restrictions[("DBL", "BAR", friday)],
                         ari.Restriction(min_los=3).encode())
        self.assertEqual(restrictions[("APT", "NRF", self.day(101))],
                         ari.Restriction(stop_sell=True).encode())
        self.assertEqual(restrictions[("SGL", "BAR", self.day(101))], ari.OPEN.encode())
        availability = held["availability"]
        self.assertEqual([availability[("DBL", "", self.day(n))] for n in range(9, 16)],
                         ["4", "3", "2", "2", "3", "3", "4"])
        self.assertEqual(availability[("APT", "", self.day(63))], "0")

    def test_after_the_refresh_only_real_changes_travel(self):
        self.inventory_service().full_resync()
        before = self.traffic()

        # A price for three days, a pricelist rule change, a restriction: each marks its own
        # days dirty in the same transaction.
        self.price(self.bar, "SGL", 40, 42, 85)
        self.nrf.pricelist_id.item_ids.filtered(
            lambda item: item.compute_price == "percentage").percent_price = 20
        self.env["phobs.restriction"]._phobs_apply(
            self.bdcx, [], ari.matching_days(self.day(7), self.day(8)),
            {"closed_to_departure": True})
        self.assertTrue(self.outbox("pending"))
        result = self.inventory_service().flush()

        requests, elements = self.traffic_since(before)
        self.assertEqual(result.failed_batches, 0)
        # BAR SGL 40-42; NRF: the 10 % -> 20 % rule moves every non-summer day of DBL and APT;
        # BDCX DBL 7-8.
        self.assertEqual(result.kinds["rates"]["days"], 3 + 2 * (365 - 91))
        self.assertEqual(result.kinds["restrictions"]["days"], 2)
        self.assertEqual(requests, 2)
        self.assertLess(elements, 20)
        self.assertEqual(self.sandbox_drift(), [])
        held = self.sandbox_values("rates", [("DBL", "NRF")], self.day(5), self.day(5))
        self.assertEqual(held[("DBL", "NRF", self.day(5))], "80.00 EUR")

    def test_a_room_price_moves_the_pricelist_plans_that_price_its_type(self):
        self.inventory_service().full_resync()
        before = self.traffic()

        self.rooms["APT"].write({"list_price": 150})
        result = self.inventory_service().flush()

        # NRF is 10 % off the room's price except in summer (a fixed 130): only APT's
        # non-summer days change; BAR has its own prices and does not move.
        summer_days = SUMMER[1] - SUMMER[0] + 1
        self.assertEqual(result.kinds["rates"]["days"], 365 - summer_days)
        self.assertEqual(self.traffic_since(before)[0], 1)
        held = self.sandbox_values("rates", [("APT", "NRF"), ("APT", "BAR")], self.day(5),
                                   self.day(5))
        self.assertEqual(held, {("APT", "NRF", self.day(5)): "135.00 EUR",
                                ("APT", "BAR", self.day(5)): "200.00 EUR"})
        self.assertEqual(self.sandbox_drift(), [])

"""The Rates & Availability grid's server side (phobs.ari.grid), as its users call it.

A Channel Manager / Manager reads a window and edits prices and restrictions per cell and in
bulk; the edits land in the outbox in the same transaction and reach the sandbox when it is
flushed. A Channel Manager / User reads the grid but cannot change anything, and nothing is
queued for them.
"""
from odoo.exceptions import AccessError, UserError

from odoo.addons.phobs_channel_manager.phobs_api import ari

from ari_case import BAR_AND_NRF, AriCase

SATURDAY, SUNDAY = 5, 6


class TestAriGrid(AriCase):
    room_types = {"SGL": 1, "DBL": 2}
    sandbox_rate_plans = BAR_AND_NRF

    def setUp(self):
        super().setUp()
        self.bar = self.rate_plan("BAR", ["SGL", "DBL"])
        pricelist = self.env["product.pricelist"].create({
            "name": "Non-refundable", "currency_id": self.eur.id,
            "item_ids": [(0, 0, {"applied_on": "3_global", "compute_price": "percentage",
                                 "percent_price": 10})]})
        self.nrf = self.rate_plan("NRF", ["DBL"], price_source="pricelist",
                                  pricelist_id=pricelist.id)
        self.price(self.bar, "SGL", 0, 364, 80)
        self.price(self.bar, "DBL", 0, 364, 120)
        self.price(self.bar, "DBL", 12, 13, 150)          # a newer special price
        self.front_desk_booking("DBL", 2, 3)
        hotel_user = self.env.ref("hotel.group_hotel_user")
        self.manager = self._user("grid-manager", hotel_user,
                                  self.env.ref("phobs_channel_manager.group_phobs_manager"))
        self.viewer = self._user("grid-viewer", hotel_user,
                                 self.env.ref("phobs_channel_manager.group_phobs_user"))
        self.inventory_service().full_resync()

    def _user(self, login, *groups):
        return self.env["res.users"].with_context(no_reset_password=True).create({
            "name": login, "login": "%s-%s" % (login, self.hotel["code"]),
            "email": "%s@hotel.example" % login,
            "groups_id": [(6, 0, [group.id for group in groups])]})

    def grid(self, user):
        return self.env["phobs.ari.grid"].sudo(user)

    def window(self, user, first=0, size=14):
        data = self.grid(user).read_window(date_from=str(self.day(first)), size=size)
        backend = next(b for b in data["backends"] if b["id"] == self.backend.id)
        return data, {room["code"]: room for room in backend["room_types"]}

    def plan_row(self, rooms, code, plan):
        return next(row for row in rooms[code]["plans"] if row["code"] == plan.code)

    def test_a_window_shows_rooms_prices_restrictions_and_what_phobs_accepted(self):
        data, rooms = self.window(self.viewer)

        self.assertEqual(len(data["days"]), 14)
        self.assertEqual(data["days"][0], str(self.day(0)))
        self.assertFalse(data["can_edit"], "a Channel Manager / User only looks")
        double = rooms["DBL"]
        self.assertEqual((double["name"], double["rooms"]), ("DBL %s" % self.hotel["code"], 2))
        self.assertEqual([(c["free"], c["sold"]) for c in double["availability"][1:6]],
                         [(2, 0), (1, 1), (1, 1), (1, 1), (2, 0)])
        self.assertEqual({c["state"] for c in double["availability"]}, {"sent"})
        bar = self.plan_row(rooms, "DBL", self.bar)
        self.assertEqual([c["price"] for c in bar["cells"][10:14]],
                         ["120.00", "120.00", "150.00", "150.00"])
        self.assertEqual(bar["cells"][0]["max_los"], 0, "0 is no maximum: the screen says so")
        self.assertEqual({c["state"] for c in bar["cells"]}, {"sent"})
        # A pricelist plan shows the price the inventory service sends: 10 % off the
        # cheapest double room (list price 100).
        nrf = self.plan_row(rooms, "DBL", self.nrf)
        sent = self.inventory_service().compute(
            ari.RATES, {("DBL", "NRF"): {self.day(n) for n in range(14)}})
        self.assertEqual([c["price"] for c in nrf["cells"]], ["90.00"] * 14)
        self.assertEqual({sent[("DBL", "NRF", self.day(n))] for n in range(14)}, {"90.00 EUR"})
        self.assertEqual([r["code"] for r in rooms["SGL"]["plans"]], ["BAR"])

    def test_a_manager_edits_cells_and_the_outbox_carries_them_to_phobs(self):
        cells = [{"plan_id": self.bar.id, "code": "DBL", "day": str(self.day(n))}
                 for n in (5, 6)]

        self.grid(self.manager).write_cells(cells, {"price": "135.50"})
        self.grid(self.manager).write_cells(cells[1:], {"stop_sell": True, "min_los": "2"})

        dirty = self.outbox("pending")
        self.assertEqual({(row.kind, row.room_type_code, row.rate_plan_code) for row in dirty},
                         {("rates", "DBL", "BAR"), ("restrictions", "DBL", "BAR")},
                         "marked in the edit's own transaction")
        _data, rooms = self.window(self.manager)
        bar = self.plan_row(rooms, "DBL", self.bar)
        self.assertEqual([c["price"] for c in bar["cells"][4:8]],
                         ["120.00", "135.50", "135.50", "120.00"])
        self.assertEqual([c["state"] for c in bar["cells"][4:8]],
                         ["sent", "pending", "pending", "sent"])
        self.assertTrue(bar["cells"][6]["stop_sell"] and bar["cells"][6]["min_los"] == 2)
        self.assertFalse(bar["cells"][5]["stop_sell"])

        self.drain()

        rates = self.sandbox_values("rates", [("DBL", "BAR")], self.day(4), self.day(7))
        self.assertEqual([rates[("DBL", "BAR", self.day(n))] for n in range(4, 8)],
                         ["120.00 EUR", "135.50 EUR", "135.50 EUR", "120.00 EUR"])
        held = self.sandbox_values("restrictions", [("DBL", "BAR")], self.day(6), self.day(6))
        self.assertEqual(held[("DBL", "BAR", self.day(6))],
                         ari.Restriction(min_los=2, stop_sell=True).encode())
        _data, rooms = self.window(self.manager)
        self.assertEqual({c["state"] for c in self.plan_row(rooms, "DBL", self.bar)["cells"]},
                         {"sent"})
        self.assertEqual(self.sandbox_drift(), [])

    def test_price_edits_keep_every_other_day_and_do_not_pile_up_entries(self):
        before = self.inventory_service().compute(
            ari.RATES, {("DBL", "BAR"): {self.day(n) for n in range(365)}})
        grid = self.grid(self.manager)
        for amount in ("140", "141", "120"):
            grid.write_cells([{"plan_id": self.bar.id, "code": "DBL", "day": str(self.day(20))}],
                             {"price": amount})

        after = self.inventory_service().compute(
            ari.RATES, {("DBL", "BAR"): {self.day(n) for n in range(365)}})
        self.assertEqual(after, before, "back to 120: every day as it was")
        now = self.env["phobs.rate.price"].search([("rate_plan_id", "=", self.bar.id),
                                                    ("room_type_code", "=", "DBL")])
        # The season (split around the special days once), the special days, and the old
        # special entry now hidden by the new ones: not one more entry per edit.
        self.assertEqual(len(now), 4)

    def test_bulk_edit_by_weekdays_room_types_and_plans(self):
        weekend = ari.matching_days(self.day(20), self.day(33), [SATURDAY, SUNDAY])

        changed = self.grid(self.manager).bulk_edit(
            str(self.day(20)), str(self.day(33)), [SATURDAY, SUNDAY], [self.bar.id, self.nrf.id],
            ["DBL"], {"closed_to_arrival": True, "max_los": "7"})

        self.assertEqual(changed, 2, "DBL in BAR and in NRF; SGL untouched")
        values = ari.Restriction(max_los=7, closed_to_arrival=True).encode()
        for plan in (self.bar, self.nrf):
            computed = self.env["phobs.restriction"]._phobs_values(
                plan, ["DBL", "SGL"], self.day(20), self.day(33))
            self.assertEqual({day for (code, _p, day), value in computed.items()
                              if value == values}, set(weekend))
            self.assertFalse([v for (code, _p, _d), v in computed.items()
                              if code == "SGL" and v != ari.OPEN.encode()])
        self.grid(self.manager).bulk_edit(
            str(self.day(20)), str(self.day(33)), [SATURDAY], [self.bar.id], [],
            {"price": "99"})
        rates = self.bar._phobs_rate_values(["SGL", "DBL"], self.day(20), self.day(33))
        self.assertEqual({day for (code, _p, day), value in rates.items() if value == "99.00 EUR"},
                         {day for day in weekend if day.weekday() == SATURDAY})
        self.assertEqual(len({code for (code, _p, day), value in rates.items()
                              if value == "99.00 EUR"}), 2, "no room type chosen: all of them")

    def test_a_user_cannot_edit_and_nothing_is_queued_for_them(self):
        cell = [{"plan_id": self.bar.id, "code": "DBL", "day": str(self.day(5))}]
        with self.assertRaises(AccessError):
            self.grid(self.viewer).write_cells(cell, {"stop_sell": True})
        with self.assertRaises(AccessError):
            self.grid(self.viewer).bulk_edit(str(self.day(5)), str(self.day(6)), list(range(7)),
                                             [self.bar.id], [], {"price": "1"})
        self.assertFalse(self.outbox("pending"))
        self.assertFalse(self.env["phobs.restriction"].search([("rate_plan_id", "=", self.bar.id)]))

    def test_edits_that_cannot_be_made_are_refused_in_words(self):
        grid = self.grid(self.manager)
        today = [{"plan_id": self.nrf.id, "code": "DBL", "day": str(self.day(1))}]
        with self.assertRaisesRegex(UserError, "pricelist"):
            grid.write_cells(today, {"price": "50"})
        with self.assertRaisesRegex(UserError, "before today"):
            grid.write_cells([{"plan_id": self.bar.id, "code": "DBL",
                               "day": str(self.day(-1))}], {"stop_sell": True})
        with self.assertRaisesRegex(UserError, "does not sell"):
            grid.write_cells([{"plan_id": self.nrf.id, "code": "SGL",
                               "day": str(self.day(1))}], {"stop_sell": True})
        with self.assertRaisesRegex(UserError, "contradict"):
            grid.write_cells(today, {"min_los": 4})
            grid.write_cells(today, {"max_los": 2})
        with self.assertRaisesRegex(UserError, "Nothing to change"):
            grid.write_cells(today, {})
        with self.assertRaisesRegex(UserError, "not a number"):
            grid.write_cells(today, {"price": "ten"})
        with self.assertRaisesRegex(UserError, "could not be read"):
            grid.write_cells([{"plan_id": self.bar.id, "code": "DBL", "day": "24/12"}],
                             {"stop_sell": True})
        with self.assertRaisesRegex(UserError, "14 or 31 or 62"):
            grid.read_window(size=365)

    def test_a_refused_update_shows_as_failed(self):
        ghost = self.rate_plan("GHOST", ["DBL"])          # unknown to Phobs: a mapping error
        self.grid(self.manager).write_cells(
            [{"plan_id": ghost.id, "code": "DBL", "day": str(self.day(3))}], {"price": "70"})
        self.inventory_service().flush()

        _data, rooms = self.window(self.manager)
        cells = self.plan_row(rooms, "DBL", ghost)["cells"]
        self.assertEqual(cells[3]["state"], "failed")
        self.assertEqual(cells[3]["price"], "70.00")

"""Helpers for the availability, rates and restrictions tests: what the sandbox holds, in the
canonical values of ``phobs_api.ari``, so it can be compared day by day with Odoo's computation.
"""
from datetime import date
from decimal import Decimal

from odoo.addons.phobs_channel_manager.phobs_api import ari

from phobs_case import PhobsCase

INVENTORY_PATHS = ("/inventory", "/rates")
#: The sandbox's plans for a SGL + DBL hotel: BAR sells both types, the non-refundable only DBL.
BAR_AND_NRF = [
    {"code": "BAR", "name": "Best Available Rate", "room_types": ["SGL", "DBL"]},
    {"code": "NRF", "name": "Non-refundable", "room_types": ["DBL"]},
]


class AriCase(PhobsCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(self.sandbox.call, "DELETE", "/faults")
        self.eur = self.env.ref("base.EUR")
        self.eur.active = True

    # Odoo side ----------------------------------------------------------------------------

    def rate_plan(self, code, codes, **values):
        values.setdefault("currency_id", self.eur.id)
        return self.env["phobs.rate.plan"].create(dict(
            values, backend_id=self.backend.id, code=code, name="Plan %s" % code,
            room_type_ids=[(6, 0, [self.hotel_types[c].id for c in codes])]))

    def price(self, plan, code, first, last, amount):
        return self.env["phobs.rate.price"].create({
            "rate_plan_id": plan.id, "room_type_code": code, "date_from": str(self.day(first)),
            "date_to": str(self.day(last)), "amount": amount})

    def front_desk_booking(self, code, arrival, nights, room_index=0):
        partner = self.env["res.partner"].create({"name": "Guest %s %d" % (code, arrival)})
        room = self.rooms[code][room_index]
        reservation = self.env["hotel.reservation"].create({
            "partner_id": partner.id, "partner_invoice_id": partner.id,
            "partner_order_id": partner.id, "partner_shipping_id": partner.id,
            "pricelist_id": self.env.ref("product.list0").id,
            "checkin": "%s 14:00:00" % self.day(arrival),
            "checkout": "%s 11:00:00" % self.day(arrival + nights),
            "adults": 1,
            "reservation_line": [(0, 0, {"categ_id": self.hotel_types[code].id,
                                         "reserve": [(6, 0, [room.id])]})],
        })
        reservation.confirmed_reservation()
        return reservation

    def outbox(self, *states):
        domain = [("backend_id", "=", self.backend.id), ("kind", "!=", "reservation")]
        if states:
            domain.append(("state", "in", list(states)))
        return self.env["phobs.outbox"].search(domain)

    def drain(self, rounds=40, strict=True):
        """Flushes until no update is pending, making each retry due at once (no sleeping)."""
        results = []
        for _round in range(rounds):
            results.append(self.inventory_service().flush())
            pending = self.env["phobs.outbox"].search([
                ("backend_id", "=", self.backend.id), ("state", "=", "pending")])
            if not pending:
                return results
            pending.write({"next_attempt_at": "2000-01-01 00:00:00"})
        if strict:
            self.fail("the outbox did not drain in %d rounds" % rounds)
        return results

    # sandbox side -------------------------------------------------------------------------

    def traffic(self):
        """``{path: (requests, elements)}`` the sandbox counted on the ARI endpoints so far."""
        endpoints = self.sandbox.call("GET", "/stats")["endpoints"]
        return {path: (endpoints.get(path, {}).get("requests", 0),
                       endpoints.get(path, {}).get("elements", 0)) for path in INVENTORY_PATHS}

    def traffic_since(self, before):
        after = self.traffic()
        requests = sum(after[p][0] - before[p][0] for p in INVENTORY_PATHS)
        elements = sum(after[p][1] - before[p][1] for p in INVENTORY_PATHS)
        return requests, elements

    def sandbox_values(self, kind, pairs, first, last):
        """What the sandbox holds, as ``{(code, plan, day): canonical value}`` (an audit
        reference: on a real account nothing can be read back)."""
        code = self.hotel["code"]
        window = {"from": str(first), "to": str(last)}
        wanted = set(pairs)
        values = {}
        if kind == ari.AVAILABILITY:
            held = self.sandbox.call("GET", "/hotels/%s/availability" % code,
                                     params=window)["availability"]
            for room, days in held.items():
                for day, limit in days.items():
                    values[(room, "", _date(day))] = ari.encode_availability(limit)
        elif kind == ari.RESTRICTIONS:
            held = self.sandbox.call("GET", "/hotels/%s/restrictions" % code,
                                     params=window)["restrictions"]
            for room, plans in held.items():
                for plan, days in plans.items():
                    for day, value in days.items():
                        values[(room, plan, _date(day))] = ari.Restriction(
                            min_los=value["min_los"] or 1, max_los=value["max_los"] or 0,
                            closed_to_arrival=value["closed_to_arrival"],
                            closed_to_departure=value["closed_to_departure"],
                            stop_sell=value["stop_sell"]).encode()
        else:
            held = self.sandbox.call("GET", "/hotels/%s/rates" % code, params=window)["rates"]
            for room, plans in held.items():
                for plan, days in plans.items():
                    for day, value in days.items():
                        values[(room, plan, _date(day))] = ari.encode_rate(
                            Decimal(value["amounts"]["any"]), value["currency"])
        return {key: value for key, value in values.items() if key[:2] in wanted}

    def sandbox_drift(self):
        return self.inventory_service().audit(reference=self.sandbox_values)

    def horizon_days(self):
        first, last = self.backend._phobs_horizon()
        return (last - first).days + 1


def _date(text):
    return date.fromisoformat(text)

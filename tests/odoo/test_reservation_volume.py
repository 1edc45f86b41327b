"""Fifty channel bookings by pull and by push: each exactly once in the front desk."""
import itertools

from phobs_case import PhobsCase

CHANNELS = ["BDC", "EXP", "ABB", "AGO", "HCOM", "CTRIP", "HRS", "HWD", "GHA", "TRIP", "DSP", "TVL",
            "VRBO", "OST"]


class TestFiftyBookings(PhobsCase):
    room_types = {"SGL": 12, "DBL": 16}

    def setUp(self):
        super().setUp()
        self.backend.public_url = self.odoo_url
        self.backend.action_register_webhook()

    def _book_many(self, count, offset):
        channels = itertools.cycle(CHANNELS[offset % len(CHANNELS):] + CHANNELS)
        return [self.book("DBL" if n % 3 else "SGL", arrival=1 + (n + offset) % 30,
                          nights=1 + n % 3, channel=next(channels))
                for n in range(count)]

    def test_fifty_bookings_by_pull_and_push_land_exactly_once(self):
        by_pull = self._book_many(25, 0)
        self.assertEqual(self.sync_service().pull().stored, 25)
        by_push = self._book_many(25, 25)
        self.assertEqual(self.sandbox.call("POST", "/webhook/push-now")["acknowledged"], 25)
        self.assertEqual(self.sync_service().apply_pending(), 25)  # a server does it after commit

        expected = sorted(b["reservation_id"] for b in by_pull + by_push)
        self.assertEqual(len(set(expected)), 50)
        self.assertEqual(self._state(), (expected, 50, 50))
        self.assertEqual(len(set(self.bindings().mapped("channel_id.code"))), len(CHANNELS))
        self.assertEqual(self.sandbox.messages(self.hotel["code"], "pending"), [])

        # Every message delivered twice more, once by each route: nothing changes.
        raw = self.sandbox.call("GET", "/messages", params={
            "hotel": self.hotel["code"], "include_xml": "1"})["messages"]
        self.assertEqual(len(raw), 50)
        from lxml import etree
        from odoo.addons.phobs_channel_manager.phobs_api.messages.reservation_xml import (
            parse_reservation)
        from odoo.addons.phobs_channel_manager.phobs_api.profile import DEFAULT_PROFILE
        records = [parse_reservation(etree.fromstring(m["xml"].encode()), DEFAULT_PROFILE)
                   for m in raw]
        for source in ("pull", "push"):
            outcomes = [self.ingest(record, source) for record in records]
            self.assertEqual(sum(o.duplicate for o in outcomes), 50)
        self.assertEqual(self._state(), (expected, 50, 50))

    def _state(self):
        bindings = self.bindings()
        messages = self.env["phobs.message"].search_count([("backend_id", "=", self.backend.id)])
        return sorted(bindings.mapped("external_id")), len(self.front_desk()), messages

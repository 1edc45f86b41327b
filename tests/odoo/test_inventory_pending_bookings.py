"""A channel booking Odoo has stored but not yet applied takes its rooms in the availability
sent to Phobs: Phobs took them when the channel sold, and a value computed from the front desk
alone would tell it they are free again (sold twice, found by `make soak`). Once the booking is
applied, ignored, failed or cancelled, it counts as the front desk then holds it, never twice."""
from unittest.mock import patch

from lxml import etree

from odoo.addons.phobs_channel_manager.phobs_api.messages.reservation_xml import parse_reservation
from odoo.addons.phobs_channel_manager.phobs_api.profile import DEFAULT_PROFILE

from ari_case import AriCase


class TestPendingBookings(AriCase):
    room_types = {"SGL": 1, "DBL": 3}

    def _versions(self):
        """Every version the sandbox published, oldest first, as Odoo parses a delivery."""
        return [parse_reservation(etree.fromstring(message["xml"].encode()), DEFAULT_PROFILE)
                for message in self.sandbox.call("GET", "/messages", params={
                    "hotel": self.hotel["code"], "include_xml": "1"})["messages"]]

    def _booked_and_modified(self, moved_to, nights=2):
        """The two versions of a DBL booking for nights 10-11 then moved to ``moved_to``."""
        booking = self.book("DBL", arrival=10, nights=2)
        self.sandbox.call("POST", "/bookings/%s/modify" % booking["reservation_id"], json={
            "arrival": str(self.day(moved_to)), "departure": str(self.day(moved_to + nights))})
        return self._versions()

    def _store(self, version):
        """Stored as a push stores it, not applied."""
        outcome = self.sync_service().accept(version, "push")
        self.assertTrue(outcome.ok)
        return self.sync_service().inbound_message(outcome.message_id)

    def _computed(self, first, last, code="DBL"):
        rooms = self.backend._phobs_compute_availability([code], self.day(first), self.day(last))
        return [rooms[code][self.day(n)] for n in range(first, last + 1)]

    def _at_phobs(self, first, last):
        window = self.sandbox.availability(self.hotel["code"], "DBL", self.day(first),
                                           self.day(last))
        return [window[str(self.day(n))] for n in range(first, last + 1)]

    def test_a_stored_sale_takes_its_rooms_until_applied_and_then_once(self):
        self.inventory_service().full_resync()
        self.book("DBL", arrival=10, nights=2)
        message = self._store(self._versions()[0])

        self.assertEqual(self._computed(9, 12), [3, 2, 2, 3])
        self.inventory_service().full_resync()  # what any send computes meanwhile
        self.assertEqual(self._at_phobs(9, 12), [3, 2, 2, 3])

        self.assertEqual(self.sync_service().apply_pending(), 1)
        self.assertEqual(message.state, "processed")
        self.assertEqual(self._computed(9, 12), [3, 2, 2, 3])

    def test_a_stored_modification_counts_only_what_it_adds(self):
        booked, modified = self._booked_and_modified(11, nights=3)
        self.assertTrue(self.ingest(booked, "push").ok)
        self._store(modified)

        # Night 10 is held until the change is applied; night 11 is not counted twice.
        self.assertEqual(self._computed(9, 14), [3, 2, 2, 2, 2, 3])
        self.sync_service().apply_pending()
        self.assertEqual(self._computed(9, 14), [3, 3, 2, 2, 2, 3])

    def test_only_the_newest_stored_version_counts(self):
        booked, modified = self._booked_and_modified(20)
        self._store(booked)
        self._store(modified)

        self.assertEqual(self._computed(10, 11), [3, 3])
        self.assertEqual(self._computed(20, 21), [2, 2])

    def test_an_older_version_stored_after_the_newer_was_applied_counts_nothing(self):
        booked, modified = self._booked_and_modified(20)
        self.assertTrue(self.ingest(modified, "push").ok)
        message = self._store(booked)

        self.assertEqual(self._computed(10, 11), [3, 3])
        self.assertEqual(self._computed(20, 21), [2, 2])
        self.sync_service().apply_pending()
        self.assertEqual(message.state, "ignored")
        self.assertEqual(self._computed(10, 11), [3, 3])

    def test_a_stored_cancellation_frees_the_rooms_only_once_applied(self):
        booking = self.book("DBL", arrival=10, nights=2)
        self.sandbox.call("POST", "/bookings/%s/cancel" % booking["reservation_id"])
        booked, cancelled = self._versions()
        self.assertTrue(self.ingest(booked, "push").ok)
        self._store(cancelled)

        self.assertEqual(self._computed(10, 11), [2, 2])
        self.sync_service().apply_pending()
        self.assertEqual(self._computed(10, 11), [3, 3])

    def test_a_booking_that_fails_to_apply_stops_counting_and_its_nights_are_sent(self):
        self.book("DBL", arrival=10, nights=2)
        message = self._store(self._versions()[0])
        self.env["phobs.outbox"].search([("backend_id", "=", self.backend.id)]).unlink()

        message.write({"state": "failed", "error": "a broken front desk"})

        self.assertEqual(self._computed(10, 11), [3, 3])
        rows = self.outbox("pending")
        self.assertEqual([(r.kind, r.room_type_code, r.date_from, r.date_to, r.force)
                          for r in rows],
                         [("availability", "DBL", str(self.day(10)), str(self.day(11)), True)])
        message.write({"state": "received", "error": False})  # "Apply again"
        self.assertEqual(self._computed(10, 11), [2, 2])
        self.assertEqual(len(self.outbox("pending")), 2)

    def test_stored_bookings_are_counted_in_one_query(self):
        for arrival in (5, 10, 15):
            self.book("DBL", arrival=arrival, nights=2)
        for version in self._versions():
            self._store(version)
        queries, execute = [], self.env.cr.execute

        def recording(query, params=None, log_exceptions=None):
            queries.append(str(query))
            return execute(query, params)

        with patch.object(self.env.cr, "execute", recording):
            rooms = self.backend._phobs_compute_availability(["DBL"], self.day(0), self.day(20))

        self.assertEqual(rooms["DBL"][self.day(15)], 2)
        self.assertEqual(sum("phobs_message" in query for query in queries), 1)

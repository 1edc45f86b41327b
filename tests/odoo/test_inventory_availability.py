"""Front-desk changes reach the sandbox as deltas: exactly the nights they move, nothing else."""
from unittest.mock import patch

from ari_case import AriCase


class TestFrontDeskAvailability(AriCase):
    room_types = {"SGL": 1, "DBL": 3}

    def _window(self, first=0, last=60):
        return self.sandbox.availability(self.hotel["code"], "DBL", self.day(first),
                                         self.day(last))

    def test_a_booking_takes_exactly_its_nights_and_a_cancellation_gives_them_back(self):
        untouched = self._window()
        self.assertEqual(set(untouched.values()), {3})
        before = self.traffic()

        reservation = self.front_desk_booking("DBL", arrival=20, nights=3)
        result = self.inventory_service().flush()

        self.assertEqual((result.failed_batches, result.days_changed), (0, 3))
        booked = self._window()
        changed = {day: rooms for day, rooms in booked.items() if rooms != untouched[day]}
        self.assertEqual(changed, {str(self.day(n)): 2 for n in (20, 21, 22)})
        # One range (Start = first night, End = last night) in one request; the departure
        # day is not a night of the stay.
        self.assertEqual(self.traffic_since(before), (1, 1))
        self.assertEqual(booked[str(self.day(23))], 3)

        before = self.traffic()
        reservation.cancel_reservation()
        result = self.inventory_service().flush()

        self.assertEqual(result.failed_batches, 0)
        self.assertEqual(self._window(), untouched)
        self.assertEqual(self.traffic_since(before), (1, 1))
        self.assertFalse(self.outbox("pending", "dead"))

    def test_overlapping_bookings_send_only_the_days_that_differ(self):
        self.front_desk_booking("DBL", arrival=10, nights=4, room_index=0)
        self.inventory_service().flush()
        before = self.traffic()

        self.front_desk_booking("DBL", arrival=12, nights=4, room_index=1)
        result = self.inventory_service().flush()

        # Nights 12-13 drop from 2 to 1, nights 14-15 from 3 to 2: two ranges, one request.
        self.assertEqual(result.days_changed, 4)
        self.assertEqual(self.traffic_since(before), (1, 2))
        window = self._window(9, 16)
        self.assertEqual([window[str(self.day(n))] for n in range(9, 17)],
                         [3, 2, 2, 1, 1, 2, 2, 3])

    def test_a_booking_in_a_busy_room_queues_its_nights_once_per_step(self):
        # hotel_reservation confirms by writing the state once per earlier stay of the room;
        # a busy room (a year of guests) must not turn that into one outbox row each.
        for arrival in (3, 8, 13, 18):
            self.front_desk_booking("DBL", arrival=arrival, nights=2, room_index=0)
        queued_before = self.outbox()

        reservation = self.front_desk_booking("DBL", arrival=30, nights=2, room_index=0)

        rows = self.outbox() - queued_before
        self.assertEqual(reservation.state, "confirm")
        # One row when the booking is created, one when it is confirmed.
        self.assertEqual([(row.date_from, row.date_to) for row in rows],
                         [(str(self.day(30)), str(self.day(31)))] * 2)
        uploads = self.env["phobs.outbox"].search([
            ("pms_ref", "=", "hotel.reservation,%d" % reservation.id)])
        self.assertEqual(uploads.mapped("res_status"), ["Commit"])

    def test_availability_reads_the_bookings_of_its_rooms_only(self):
        # A chain keeps 100,000s of bookings in one database: computing one room type's
        # availability must not list the others (a domain on reservation_id.state did).
        for arrival in range(1, 51, 2):
            self.front_desk_booking("SGL", arrival=arrival, nights=1)
        sizes, execute = [], self.env.cr.execute

        def recording(query, params=None, log_exceptions=None):
            values = params.values() if isinstance(params, dict) else params or ()
            sizes.append(len(values) + sum(len(value) for value in values
                                           if isinstance(value, (list, tuple))))
            return execute(query, params)

        with patch.object(self.env.cr, "execute", recording):
            rooms = self.backend._phobs_compute_availability(["DBL"], self.day(0), self.day(60))

        self.assertEqual(set(rooms["DBL"].values()), {3})
        self.assertLess(max(sizes), 25)

    def test_nothing_is_sent_when_phobs_already_holds_the_values(self):
        reservation = self.front_desk_booking("DBL", arrival=5, nights=2)
        self.inventory_service().full_resync()
        before = self.traffic()

        reservation.write({"adults": 2})  # no room, no date moved
        self.backend._phobs_mark_dirty("availability", ["DBL"], self.day(0), self.day(30))
        result = self.inventory_service().flush()

        self.assertEqual((result.days_changed, result.requests), (0, 0))
        self.assertEqual(self.traffic_since(before), (0, 0))
        self.assertFalse(self.outbox("pending"))

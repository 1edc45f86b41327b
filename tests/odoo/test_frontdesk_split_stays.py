"""Each room stay holds its rooms only for its own nights, and Phobs is told exactly that.

A booking's room stays become one front-desk reservation per distinct stay period (stays with
equal dates share one). After every version (Book, Modify, Cancel) pulled from the real sandbox,
the sandbox's availability equals, night by night, what the front desk computes it holds.
"""
from phobs_case import PhobsCase

WINDOW = (8, 26)


class TestSplitStays(PhobsCase):
    room_types = {"SGL": 2, "DBL": 2}

    def stay(self, room_type, arrival, departure, units=1):
        return {"room_type": room_type, "rate_plan": "BAR", "arrival": str(self.day(arrival)),
                "departure": str(self.day(departure)), "units": units, "adults": 1}

    def periods(self):
        binding = self.bindings()
        live = binding.hotel_reservation_ids.filtered(lambda r: r.state != "cancel")
        return sorted((r.checkin[:10], r.checkout[:10],
                       tuple(sorted(r.reservation_line.mapped("reserve.room_categ_id.phobs_code"))))
                      for r in live)

    def held(self, code):
        """Rooms of a type held per night by this booking's reservations at the front desk."""
        per_night = {}
        lines = self.env["hotel.room.reservation.line"].search([
            ("reservation_id.phobs_reservation_id", "in", self.bindings().ids),
            ("room_id.room_categ_id.phobs_code", "=", code)])
        for line in lines:
            for offset in range(WINDOW[0], WINDOW[1] + 1):
                night = str(self.day(offset))
                if line.check_in[:10] <= night < line.check_out[:10]:
                    per_night[offset] = per_night.get(offset, 0) + 1
        return per_night

    def assert_same_availability(self):
        self.inventory_service().flush()
        first, last = self.day(WINDOW[0]), self.day(WINDOW[1])
        front_desk = self.backend._phobs_compute_availability(["SGL", "DBL"], first, last)
        for code in ("SGL", "DBL"):
            sandbox = self.sandbox.availability(self.hotel["code"], code, first, last)
            ours = {str(day): rooms for day, rooms in front_desk[code].items()}
            self.assertEqual(sandbox, ours, code)

    def run_case(self, stays, modified, expected_book, expected_modify, held_book):
        booking = self.sandbox.book(self.hotel["code"], channel="BDC", room_stays=stays)
        self.sync_service().pull()
        self.assertEqual(self.bindings().sync_state, "applied")
        self.assertEqual(self.periods(), expected_book)
        for code, nights in held_book.items():
            self.assertEqual(self.held(code), {n: 1 for n in nights}, code)
        self.assert_same_availability()

        self.sandbox.call("POST", "/bookings/%s/modify" % booking["reservation_id"],
                          json={"room_stays": modified})
        self.sync_service().pull()
        self.assertEqual(self.bindings().status, "Modify")
        self.assertEqual(self.periods(), expected_modify)
        # No orphan: every reservation of the booking holds rooms.
        reservations = self.bindings().hotel_reservation_ids
        self.assertEqual(len(reservations), len(expected_modify))
        self.assertTrue(all(r.reservation_line for r in reservations))
        self.assert_same_availability()

        self.sandbox.call("POST", "/bookings/%s/cancel" % booking["reservation_id"])
        self.sync_service().pull()
        msgs = self.env["phobs.message"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(self.bindings().sync_state, "cancelled", msgs.mapped(lambda m: (m.status, m.state, m.error)))
        self.assertEqual(self.periods(), [])
        self.assertEqual((self.held("SGL"), self.held("DBL")), ({}, {}))
        self.assert_same_availability()

    def d(self, offset):
        return str(self.day(offset))

    def test_equal_dates_share_one_reservation(self):
        self.run_case(
            [self.stay("DBL", 10, 13), self.stay("SGL", 10, 13)],
            [self.stay("DBL", 10, 12), self.stay("SGL", 11, 14)],
            [(self.d(10), self.d(13), ("DBL", "SGL"))],
            [(self.d(10), self.d(12), ("DBL",)), (self.d(11), self.d(14), ("SGL",))],
            {"DBL": [10, 11, 12], "SGL": [10, 11, 12]})

    def test_nested_dates_hold_each_stay_for_its_own_nights(self):
        self.run_case(
            [self.stay("DBL", 10, 15), self.stay("SGL", 11, 13)],
            [self.stay("DBL", 10, 13)],
            [(self.d(10), self.d(15), ("DBL",)), (self.d(11), self.d(13), ("SGL",))],
            [(self.d(10), self.d(13), ("DBL",))],
            {"DBL": [10, 11, 12, 13, 14], "SGL": [11, 12]})

    def test_disjoint_dates_leave_the_nights_between_free(self):
        self.run_case(
            [self.stay("DBL", 10, 12), self.stay("SGL", 14, 16)],
            [self.stay("DBL", 10, 12), self.stay("SGL", 15, 17), self.stay("DBL", 20, 22)],
            [(self.d(10), self.d(12), ("DBL",)), (self.d(14), self.d(16), ("SGL",))],
            [(self.d(10), self.d(12), ("DBL",)), (self.d(15), self.d(17), ("SGL",)),
             (self.d(20), self.d(22), ("DBL",))],
            {"DBL": [10, 11], "SGL": [14, 15]})

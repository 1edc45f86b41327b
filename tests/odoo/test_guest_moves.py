"""A guest moved to make room for a channel booking keeps one room per stay, each the room its
hold was moved to, even when one of its rooms moves into another it leaves (found by the soak:
both lines of a two-room booking ended in one room, and its folio was refused)."""
from types import SimpleNamespace

from ari_case import AriCase


class TestGuestMoves(AriCase):
    room_types = {"DBL": 3}

    def _two_room_booking(self):
        first, second, _third = self.rooms["DBL"]
        partner = self.env["res.partner"].create({"name": "Two-room guest"})
        reservation = self.env["hotel.reservation"].create({
            "partner_id": partner.id, "partner_invoice_id": partner.id,
            "partner_order_id": partner.id, "partner_shipping_id": partner.id,
            "pricelist_id": self.env.ref("product.list0").id, "adults": 2,
            "checkin": "%s 14:00:00" % self.day(10), "checkout": "%s 11:00:00" % self.day(12),
            "reservation_line": [
                (0, 0, {"categ_id": self.hotel_types["DBL"].id, "reserve": [(6, 0, [room.id])]})
                for room in (first, second)],
        })
        reservation.confirmed_reservation()
        return reservation

    def _room_line(self, reservation, room):
        return self.env["hotel.room.reservation.line"].search([
            ("reservation_id", "=", reservation.id), ("room_id", "=", room.id)])

    def test_a_room_moved_into_a_room_the_same_guest_leaves_keeps_both_lines_apart(self):
        first, second, third = self.rooms["DBL"]
        reservation = self._two_room_booking()
        # The first room moves into the second while the second moves on to the third, as
        # allocation found them to place a new booking.
        moves = [(("res", self._room_line(reservation, first).id), first.id, second.id),
                 (("res", self._room_line(reservation, second).id), second.id, third.id)]

        self.backend._phobs_move_guests([(None, SimpleNamespace(moves=moves))])

        held = self.env["hotel.room.reservation.line"].search([
            ("reservation_id", "=", reservation.id)]).mapped("room_id")
        self.assertEqual(held, second | third)
        lines = reservation.reservation_line.sorted("id")
        self.assertEqual([line.reserve for line in lines], [second, third])

"""What front-desk staff see of a channel booking, without the Channel Manager group.

Every field here is read from the channel booking as superuser (related fields are, computed
ones say so), so that a hotel user sees the OTA, its number, the guests per room, the nightly
prices and the guarantee without any access to the channel manager's own records. The card is
only ever shown as type, last four digits and expiry: nothing more is stored.
"""
import re

from odoo import _, api, fields, models
from odoo.tools import html_escape

from .backend_folio import binding_room_prices


class HotelReservationChannel(models.Model):
    _inherit = "hotel.reservation"

    # The stored facts of the channel booking are one computation: a new reservation stores
    # them in one statement rather than one per field.
    phobs_channel_id = fields.Many2one("phobs.channel", compute="_compute_phobs_channel_facts",
                                       store=True, compute_sudo=True, string="Channel")
    phobs_channel_name = fields.Char(compute="_compute_phobs_channel_facts", store=True,
                                     compute_sudo=True, string="OTA")
    phobs_channel_booking_id = fields.Char(compute="_compute_phobs_channel_facts", store=True,
                                           compute_sudo=True, string="OTA number")
    phobs_external_id = fields.Char(related="phobs_reservation_id.external_id", readonly=True,
                                    string="Phobs reservation id")
    phobs_special_requests = fields.Text(related="phobs_reservation_id.special_requests",
                                         readonly=True, string="Special requests")
    phobs_comments = fields.Text(related="phobs_reservation_id.comments", readonly=True,
                                 string="Guest comments")
    phobs_currency_id = fields.Many2one(related="phobs_reservation_id.currency_id", readonly=True,
                                        string="Booking currency")
    phobs_amount_total = fields.Monetary(related="phobs_reservation_id.amount_total",
                                         readonly=True, currency_field="phobs_currency_id",
                                         string="Booking total")
    phobs_property_name = fields.Char(compute="_compute_phobs_channel_facts", store=True,
                                      compute_sudo=True, string="Property")
    phobs_is_channel = fields.Boolean(compute="_compute_phobs_display", string="Channel booking")
    phobs_banner = fields.Char(compute="_compute_phobs_display")
    phobs_guarantee = fields.Char(compute="_compute_phobs_display", string="Guarantee")
    phobs_rooms_html = fields.Html(compute="_compute_phobs_display", string="Rooms and guests",
                                   sanitize=False)
    phobs_version_summary = fields.Text(
        readonly=True, copy=False,
        help="What the last applied version of the channel booking said (dates, rooms, price, "
             "guests), to tell staff what the next one changes.")

    @api.depends("phobs_reservation_id.channel_id.name", "phobs_reservation_id.channel_booking_id",
                 "phobs_reservation_id.backend_id.name", "reservation_line.categ_id")
    def _compute_phobs_channel_facts(self):
        for reservation in self:
            binding = reservation.phobs_reservation_id
            backend = binding.backend_id or \
                reservation.reservation_line.mapped("categ_id.phobs_backend_id")[:1]
            reservation.phobs_channel_id = binding.channel_id
            reservation.phobs_channel_name = binding.channel_id.name or False
            reservation.phobs_channel_booking_id = binding.channel_booking_id or False
            reservation.phobs_property_name = backend.name or False

    def _compute_phobs_display(self):
        for reservation in self:
            binding = reservation.sudo().phobs_reservation_id
            reservation.phobs_is_channel = bool(binding)
            if not binding:
                reservation.phobs_banner = reservation.phobs_guarantee = False
                reservation.phobs_rooms_html = False
                continue
            reservation.phobs_banner = _("Booked on %s (%s): changes are sent to the channel") % (
                binding.channel_id.name or binding.channel_code or _("a channel"),
                binding.channel_booking_id or binding.external_id)
            reservation.phobs_guarantee = _guarantee(binding)
            reservation.phobs_rooms_html = _rooms_html(binding)


def _guarantee(binding):
    """Card type, last four digits and expiry; never more (nothing more is kept)."""
    card_type, last4 = binding.card_type, binding.card_last4
    if not (card_type or last4) and binding.payment_card:
        # Bookings stored before the card fields: "VI ****1234".
        match = re.match(r"^\s*(\w+)?\s*\*+(\d{4})\s*$", binding.payment_card)
        card_type, last4 = match.groups() if match else (None, None)
    if not (card_type or last4):
        return _("No card guarantee")
    parts = [card_type or _("Card"), "**** %s" % (last4 or "????")]
    if binding.card_expiry:
        parts.append(_("expires %s") % binding.card_expiry)
    return " ".join(parts)


def _money(amount, currency):
    return "%s %s" % (currency.name or "", "{:,.2f}".format(amount or 0.0))


def _guests(stay):
    text = _("%d adult(s)") % stay.adults
    if stay.children:
        text += _(", %d child(ren)") % stay.children
        if stay.child_ages:
            text += _(" aged %s") % stay.child_ages.replace(",", ", ")
    return text


def _rooms_html(binding):
    """One block per room stay: type, dates, rooms, guests, then its nightly prices."""
    currency = binding.currency_id
    prices = binding_room_prices(binding)
    placed = binding.backend_id._phobs_stay_rooms(binding, binding.hotel_reservation_ids)
    rows = []
    for stay in binding.stay_ids:
        room_names = ", ".join(placed.get(stay, binding.env["hotel.room"]).mapped("name"))
        rooms = prices.get(stay.id) or [[]]
        nightly = ", ".join("%s: %s" % (night.strftime("%d/%m"), _money(float(price), currency))
                            for night, price in rooms[0])
        if len({tuple(room) for room in rooms}) > 1:
            nightly += _(" (first room; the others: see the folio)")
        rows.append(
            "<tr><td><b>%s</b> x %d%s</td><td>%s - %s</td><td>%s%s</td><td>%s</td></tr>" % (
                html_escape(stay.room_type_code), stay.units,
                ("<br/>" + html_escape(room_names)) if room_names else "",
                stay.arrival, stay.departure,
                html_escape(_guests(stay)),
                (" (%s)" % html_escape(stay.guest_names)) if stay.guest_names else "",
                html_escape(_("%s per room") % nightly)))
    return (
        '<table class="table table-condensed o_phobs_rooms"><thead><tr><th>%s</th><th>%s</th>'
        "<th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody><tfoot><tr><td colspan=\"3\">"
        "<b>%s</b></td><td><b>%s</b></td></tr></tfoot></table>" % (
            _("Room"), _("Nights"), _("Guests"), _("Nightly prices"), "".join(rows),
            _("Total"), html_escape(_money(binding.amount_total, currency))))

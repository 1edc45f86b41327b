"""What front-desk staff see of a channel booking, without the Channel Manager group.

Every field here is read from the channel booking as superuser (related fields are, computed
ones say so), so that a hotel user sees the OTA, its number, the guests per room, the nightly
prices and the guarantee without any access to the channel manager's own records. The card is
only ever shown as type, last four digits and expiry: nothing more is stored.
"""
from odoo import _, api, fields, models
from odoo.tools import html_escape


class HotelReservationChannel(models.Model):
    _inherit = "hotel.reservation"

    phobs_channel_name = fields.Char(related="phobs_reservation_id.channel_id.name", store=True,
                                     readonly=True, string="OTA")
    phobs_channel_booking_id = fields.Char(related="phobs_reservation_id.channel_booking_id",
                                           store=True, readonly=True, string="OTA number")
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
    phobs_property_name = fields.Char(compute="_compute_phobs_property_name", store=True,
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

    @api.depends("phobs_reservation_id.backend_id.name", "reservation_line.categ_id")
    def _compute_phobs_property_name(self):
        for reservation in self:
            backend = reservation.phobs_reservation_id.backend_id or \
                reservation.reservation_line.mapped("categ_id.phobs_backend_id")[:1]
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
    if not (binding.card_type or binding.card_last4):
        return _("No card guarantee")
    parts = [binding.card_type or _("Card"), "**** %s" % (binding.card_last4 or "????")]
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
    rows = []
    for stay in binding.stay_ids:
        nights = stay.night_ids.sorted("night")
        prices = ", ".join("%s: %s" % (night.night[5:], _money(night.amount, currency))
                           for night in nights) or _("%s for the stay") % _money(stay.amount,
                                                                                  currency)
        rows.append(
            "<tr><td><b>%s</b> x %d</td><td>%s - %s</td><td>%s%s</td><td>%s</td></tr>" % (
                html_escape(stay.room_type_code), stay.units, stay.arrival, stay.departure,
                html_escape(_guests(stay)),
                (" (%s)" % html_escape(stay.guest_names)) if stay.guest_names else "",
                html_escape(prices + (_(" per room") if nights else ""))))
    return (
        '<table class="table table-condensed o_phobs_rooms"><thead><tr><th>%s</th><th>%s</th>'
        "<th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody><tfoot><tr><td colspan=\"3\">"
        "<b>%s</b></td><td><b>%s</b></td></tr></tfoot></table>" % (
            _("Room"), _("Nights"), _("Guests"), _("Nightly prices"), "".join(rows),
            _("Total"), html_escape(_money(binding.amount_total, currency))))

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..phobs_api.dates import last_night

STATUSES = [("Book", "Booked"), ("Commit", "Committed"), ("Modify", "Modified"),
            ("Cancel", "Cancelled")]


class PhobsReservation(models.Model):
    """The binding between a Phobs reservation and the front-desk booking it became.

    It holds the latest accepted version (a full snapshot): older versions that arrive later
    are ignored by comparing ``version_at``.
    """

    _name = "phobs.reservation"
    _description = "Phobs Reservation"
    _inherit = ["mail.thread"]
    _order = "version_at desc, id desc"
    _rec_name = "display_ref"

    backend_id = fields.Many2one("phobs.backend", string="Property", required=True,
                                 ondelete="restrict", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True, readonly=True)
    external_id = fields.Char(string="Phobs Reservation ID", required=True, index=True)
    display_ref = fields.Char(compute="_compute_display_ref", store=True)
    channel_id = fields.Many2one("phobs.channel", index=True)
    channel_booking_id = fields.Char(string="Channel Booking ID", index=True)
    status = fields.Selection(STATUSES, required=True, track_visibility="onchange")
    version_at = fields.Datetime(string="Last changed at Phobs",
                                 help="When the channel last changed this booking.")
    booked_at = fields.Datetime()
    sync_date = fields.Datetime(readonly=True)
    arrival = fields.Date(index=True)
    departure = fields.Date(index=True)
    guest_name = fields.Char()
    guest_email = fields.Char()
    guest_phone = fields.Char()
    guest_country_code = fields.Char(size=2)
    adults = fields.Integer()
    children = fields.Integer()
    currency_id = fields.Many2one("res.currency")
    amount_total = fields.Monetary(currency_field="currency_id")
    guest_street = fields.Char()
    guest_city = fields.Char()
    guest_zip = fields.Char()
    channel_code = fields.Char(
        string="Channel code received", readonly=True,
        help="The booking channel's code exactly as Phobs sent it, known to us or not.")
    channel_name = fields.Char(
        string="Channel name received", readonly=True,
        help="The booking channel's name as Phobs sent it, as plain text.")
    special_requests = fields.Text(help="The guest's requests (OTA SpecialRequests).")
    comments = fields.Text(help="Free-text comments of the guest or the channel.")
    payment_card = fields.Char(help="Card type and last four digits only.")
    card_type = fields.Char(string="Card type", help="OTA card code, e.g. VI, MC, AX.")
    card_holder = fields.Char(string="Card holder")
    card_last4 = fields.Char(string="Card last four digits", size=4)
    card_expiry = fields.Char(string="Card expiry", size=5, help="MM/YY")
    penalty_amount = fields.Monetary(
        currency_field="currency_id", string="Cancellation penalty",
        help="What the guest owes after a cancellation, when the channel says so.")
    stay_ids = fields.One2many("phobs.reservation.stay", "reservation_id", string="Room Stays")
    phobs_message_ids = fields.One2many("phobs.message", "phobs_reservation_id", string="Messages")
    sync_state = fields.Selection(
        [("pending", "Pending"), ("applied", "In the front desk"), ("conflict", "Conflict"),
         ("cancelled", "Cancelled"), ("orphan", "Unknown reservation"), ("error", "Error")],
        required=True, default="pending", index=True, track_visibility="onchange")
    sync_error = fields.Text()
    pms_ref = fields.Char(string="Front-desk booking number")

    _sql_constraints = [
        ("external_unique", "unique(backend_id, external_id)",
         "A Phobs reservation is bound once per backend."),
    ]

    @api.depends("external_id", "channel_id.name", "channel_booking_id", "guest_name")
    def _compute_display_ref(self):
        """How the front desk names a channel booking: the OTA and its own number, as the
        guest quotes it ("Booking.com 0303475167 - Ana Horvat"); Phobs' id when the channel or
        its number is unknown."""
        for reservation in self:
            channel = reservation.channel_id.name
            booking = ("%s %s" % (channel, reservation.channel_booking_id or
                                  reservation.external_id) if channel
                       else reservation.external_id)
            parts = [booking, reservation.guest_name]
            reservation.display_ref = " - ".join(part for part in parts if part)

    def _stay_ranges(self):
        """``[(room_type_code, first_night, last_night)]``: the nights this booking holds."""
        ranges = []
        for stay in self.mapped("stay_ids"):
            ranges.append((stay.room_type_code, stay.arrival, fields.Date.to_string(
                last_night(fields.Date.from_string(stay.departure)))))
        return ranges

    def action_create_channel_from_code(self):
        """A manager makes the unknown channel these bookings name a known one: one channel per
        code (named as received, or by the code), and every booking that named the code is
        linked to it."""
        if not self.env.user.has_group("phobs_channel_manager.group_phobs_manager"):
            raise AccessError(_("Only Channel Manager managers can create channels."))
        unknown = self.filtered(lambda r: r.channel_code and not r.channel_id)
        if not unknown:
            raise UserError(_("Select bookings from an unknown channel."))
        Channel = self.env["phobs.channel"].sudo()
        channels = Channel.browse()
        for code in sorted(set(unknown.mapped("channel_code"))):
            channel = Channel._for_code(code)
            if not channel:
                named = unknown.filtered(lambda r: r.channel_code == code and r.channel_name)
                channel = Channel.create({"code": code, "sequence": 100,
                                          "name": named[:1].channel_name or code})
            self.sudo().search([("channel_code", "=", code), ("channel_id", "=", False)]).write(
                {"channel_id": channel.id})
            channels |= channel
        # Next the manager sets who collects and the commission: the channel's form (or list).
        action = {"type": "ir.actions.act_window", "res_model": "phobs.channel",
                  "name": _("OTA Channels")}
        if len(channels) == 1:
            return dict(action, view_mode="form", views=[(False, "form")], res_id=channels.id)
        return dict(action, view_mode="tree,form", views=[(False, "tree"), (False, "form")],
                    domain=[("id", "in", channels.ids)])

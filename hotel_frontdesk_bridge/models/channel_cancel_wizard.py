from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

#: Who may cancel a channel booking at the front desk: a hotel manager (OCA hotel) or a
#: channel manager. A receptionist (Hotel Management / User) may not: the guest paid the
#: channel, and a cancellation costs the hotel the booking and maybe a penalty.
CANCEL_GROUPS = ("hotel.group_hotel_manager", "phobs_channel_manager.group_phobs_manager")


class ChannelBookingCancel(models.TransientModel):
    """Cancelling a channel booking: confirmed, with the reason, uploaded to Phobs as Cancel.
    The channel booking becomes Cancelled (and leaves revenue figures) once Phobs accepts."""

    _name = "hotel.reservation.channel.cancel"
    _description = "Cancel a channel booking"

    reservation_id = fields.Many2one("hotel.reservation", required=True, readonly=True,
                                     ondelete="cascade")
    banner = fields.Char(related="reservation_id.phobs_banner", readonly=True)
    reason = fields.Text(required=True, help="Why the hotel cancels: kept on the booking.")

    @api.model
    def _check_manager(self):
        if not any(self.env.user.has_group(group) for group in CANCEL_GROUPS):
            raise AccessError(_("Only a hotel manager or a channel manager may cancel a channel "
                                "booking."))

    def action_confirm(self):
        self.ensure_one()
        self._check_manager()
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(_("Say why the booking is cancelled."))
        primary = self.reservation_id
        binding = primary.sudo().phobs_reservation_id
        if not binding:
            raise UserError(_("This reservation is not a channel booking."))
        reservations = binding.hotel_reservation_ids.filtered(lambda r: r.state != "cancel")
        for reservation in reservations:
            reservation.with_context(phobs_cancel_reason=reason,
                                     phobs_no_upload=True).sudo().cancel_reservation()
            reservation.message_post(body=_("Cancelled at the front desk by %s: %s. The "
                                            "cancellation is sent to the channel.") % (
                self.env.user.name, reason), subtype="mail.mt_note")
        binding.message_post(body=_("Cancelled at the front desk by %s: %s") % (
            self.env.user.name, reason))
        binding.backend_id._phobs_queue_upload("hotel.reservation,%d" % primary.id, "Cancel",
                                               binding)
        return {"type": "ir.actions.act_window_close"}

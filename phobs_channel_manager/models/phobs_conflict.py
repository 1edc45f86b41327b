from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

RESOLUTIONS = [
    ("upgrade", "Give the guest a free room (upgrade)"),
    ("move", "Move another guest, not yet arrived, to free a room"),
    ("accept", "Accept the overbooking"),
    ("relocate", "Relocate (walk) the guest to another hotel"),
]


class PhobsConflict(models.Model):
    """A channel booking the front desk could not place: an overbooking staff must resolve.

    Created with proposals and an activity for the channel managers; the oversold dates are
    closed on every channel at once so the hotel does not sell the same night again.
    """

    _name = "phobs.conflict"
    _description = "Channel Manager Conflict"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state, date_from, id desc"

    name = fields.Char(required=True)
    backend_id = fields.Many2one("phobs.backend", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True, readonly=True)
    phobs_reservation_id = fields.Many2one("phobs.reservation", ondelete="set null", index=True)
    channel_id = fields.Many2one(related="phobs_reservation_id.channel_id", store=True,
                                 readonly=True)
    kind = fields.Selection(
        [("overbooking", "Overbooking"), ("unknown_reservation", "Unknown reservation")],
        required=True, default="overbooking")
    room_type_code = fields.Char()
    date_from = fields.Date()
    date_to = fields.Date(help="Departure date (the last night is the day before).")
    description = fields.Text()
    proposals = fields.Text(help="What the channel manager found could be done.")
    state = fields.Selection([("open", "Open"), ("resolved", "Resolved")], required=True,
                             default="open", index=True, track_visibility="onchange")
    resolution = fields.Selection(RESOLUTIONS, track_visibility="onchange")
    resolution_note = fields.Text()
    resolved_by_id = fields.Many2one("res.users", readonly=True)
    resolved_at = fields.Datetime(readonly=True)

    @api.model
    def create(self, vals):
        conflict = super().create(vals)
        conflict._schedule_manager_activity()
        return conflict

    def _schedule_manager_activity(self):
        managers = self.env.ref("phobs_channel_manager.group_phobs_manager").users
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        # A real person first: the superuser is in every group but reads no activities.
        people = managers.filtered(lambda user: user.active and user.id != SUPERUSER_ID)
        for conflict in self:
            for user in people[:1] or managers[:1]:
                conflict._schedule_activity_for(user, activity_type)

    def _schedule_activity_for(self, user, activity_type):
        self.ensure_one()
        self.env["mail.activity"].sudo().create({
            "res_model_id": self.env["ir.model"]._get(self._name).id,
            "res_id": self.id,
            "user_id": user.id,
            "activity_type_id": activity_type.id if activity_type else False,
            "summary": _("Resolve channel conflict: %s") % self.name,
            "note": self.description or "",
            "date_deadline": fields.Date.context_today(self),
        })

    def action_open_resolve(self):
        """The resolution wizard: the rooms the guest can have and the other choices."""
        self.ensure_one()
        if self.state != "open":
            raise UserError(_("Conflict %s is already resolved.") % self.name)
        return self.env["phobs.conflict.resolve"]._open_for(self)

    def action_resolve(self):
        """Closes the conflict with its chosen resolution; without one, opens the wizard so
        staff choose instead of meeting an error."""
        undecided = self.filtered(lambda conflict: conflict.state == "open"
                                  and not conflict.resolution)
        if undecided:
            return undecided[0].action_open_resolve()
        for conflict in self.filtered(lambda conflict: conflict.state == "open"):
            conflict.write({"state": "resolved", "resolved_by_id": self.env.uid,
                            "resolved_at": fields.Datetime.now()})
            label = dict(RESOLUTIONS)[conflict.resolution]
            conflict.message_post(body=_("Resolved: %s. %s") % (label, conflict.resolution_note or ""))
            conflict.activity_ids.sudo().action_feedback(feedback=_("Resolved: %s") % label)
            conflict.backend_id._phobs_mark_dirty_for_conflict(conflict)
        return True

    def _phobs_guest_placed(self):
        """The channel booking holds a room now: no longer a conflict, no error to show; the
        nights of every room type are recomputed (the guest may sit in another type)."""
        for conflict in self.sudo():
            reservation = conflict.phobs_reservation_id
            if reservation:
                reservation.write({"sync_state": "applied", "sync_error": False})
            backend = conflict.backend_id
            if conflict.date_from and conflict.date_to:
                last_night = fields.Date.to_string(
                    fields.Date.from_string(conflict.date_to) - timedelta(days=1))
                backend._phobs_mark_dirty("availability", backend._phobs_room_type_codes(),
                                          conflict.date_from, last_night)

    def _phobs_schedule_relocation(self):
        """An activity for the manager with what a walk needs: the guest's contacts and the
        OTA's booking number (the channel must be told)."""
        self.ensure_one()
        booking = self.phobs_reservation_id
        details = [
            _("Relocate %s to a partner hotel and inform %s.") % (
                booking.guest_name or _("the guest"), booking.channel_id.name or _("the channel")),
            _("Booking: %s") % (booking.display_ref or "-"),
            _("OTA number: %s") % (booking.channel_booking_id or booking.external_id or "-"),
            _("Email: %s") % (booking.guest_email or "-"),
            _("Phone: %s") % (booking.guest_phone or "-"),
            _("Stay: %s to %s") % (self.date_from or "-", self.date_to or "-"),
        ]
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        self.env["mail.activity"].sudo().create({
            "res_model_id": self.env["ir.model"]._get(self._name).id,
            "res_id": self.id, "user_id": self.env.uid,
            "activity_type_id": activity_type.id if activity_type else False,
            "summary": _("Relocate guest: %s") % (booking.display_ref or self.name),
            "note": "<br/>".join(details),
            "date_deadline": fields.Date.context_today(self),
        })
        if booking:
            booking.sudo().write({"sync_error": _("Relocated to another hotel.")})
        return "\n".join(details)

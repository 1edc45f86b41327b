from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

RESOLUTIONS = [
    ("upgrade", "Upgrade to another room type"),
    ("relocate", "Relocate (walk) the guest to another hotel"),
    ("accept", "Accept the overbooking"),
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
        [("overbooking", "Overbooking"), ("unknown_reservation", "Unknown reservation"),
         ("mapping", "Unmapped room type or rate")],
        required=True, default="overbooking")
    room_type_code = fields.Char()
    date_from = fields.Date()
    date_to = fields.Date(help="Departure date (the last night is the day before).")
    description = fields.Text()
    proposals = fields.Text(help="What the channel manager found could be done.")
    stop_sell_sent = fields.Boolean(readonly=True)
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

    def action_resolve(self):
        for conflict in self:
            if conflict.state == "resolved":
                raise UserError(_("Conflict %s is already resolved.") % conflict.name)
            if not conflict.resolution:
                raise UserError(_("Choose how conflict %s was resolved.") % conflict.name)
            conflict.write({"state": "resolved", "resolved_by_id": self.env.uid,
                            "resolved_at": fields.Datetime.now()})
            label = dict(RESOLUTIONS)[conflict.resolution]
            conflict.message_post(body=_("Resolved: %s. %s") % (label, conflict.resolution_note or ""))
            conflict.activity_ids.sudo().action_feedback(feedback=_("Resolved: %s") % label)
            conflict.backend_id._phobs_mark_dirty_for_conflict(conflict)
        return True

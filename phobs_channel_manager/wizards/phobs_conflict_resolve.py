"""The wizard that resolves an overbooking by acting, not only by recording a decision.

It opens on the conflict with the choices the front desk has: give the guest a free room of
another type (upgrade), free a room by moving another not-yet-arrived guest, accept the
overbooking, or relocate (walk) the guest to another hotel. Rooms come from the PMS bridge
(``phobs.backend._phobs_room_options``), which also places the guest. The first free upgrade is
preselected, so an upgrade is two clicks from the conflict: *Resolve*, *Apply*.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.phobs_conflict import RESOLUTIONS

PLACING = ("upgrade", "move")


class PhobsConflictResolve(models.TransientModel):
    _name = "phobs.conflict.resolve"
    _description = "Resolve a channel conflict"

    conflict_id = fields.Many2one("phobs.conflict", required=True, ondelete="cascade")
    guest = fields.Char(related="conflict_id.phobs_reservation_id.display_ref", readonly=True,
                        string="Booking")
    description = fields.Text(related="conflict_id.description", readonly=True)
    resolution = fields.Selection(RESOLUTIONS, string="What to do", required=True)
    option_ids = fields.One2many("phobs.conflict.resolve.option", "wizard_id")
    room_option_id = fields.Many2one(
        "phobs.conflict.resolve.option", string="Free room",
        help="Rooms free for the whole stay, upgrades first.")
    move_option_id = fields.Many2one(
        "phobs.conflict.resolve.option", string="Guest to move",
        help="Frees a room of the booked type by giving another guest, not yet arrived, a free "
             "room of another type.")
    has_upgrade = fields.Boolean(compute="_compute_has_options")
    has_move = fields.Boolean(compute="_compute_has_options")
    note = fields.Text(help="Kept on the conflict, e.g. the partner hotel for a relocation.")

    @api.depends("option_ids")
    def _compute_has_options(self):
        for wizard in self:
            kinds = set(wizard.option_ids.mapped("kind"))
            wizard.has_upgrade = bool(kinds & {"upgrade", "same"})
            wizard.has_move = "move" in kinds

    @api.model
    def _open_for(self, conflict):
        """Creates the wizard with the rooms the bridge offers and returns its action."""
        options = conflict.backend_id.sudo()._phobs_room_options(conflict)
        wizard = self.create({
            "conflict_id": conflict.id,
            "resolution": "upgrade" if any(o["kind"] != "move" for o in options)
            else ("move" if options else "accept"),
            "option_ids": [(0, 0, {"key": option["key"], "name": option["name"],
                                   "kind": option["kind"]}) for option in options],
        })
        wizard.room_option_id = wizard.option_ids.filtered(lambda o: o.kind != "move")[:1]
        wizard.move_option_id = wizard.option_ids.filtered(lambda o: o.kind == "move")[:1]
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": wizard.id,
            "view_mode": "form", "views": [(False, "form")], "target": "new",
            "name": _("Resolve: %s") % conflict.name,
        }

    def action_apply(self):
        self.ensure_one()
        conflict = self.conflict_id
        conflict.backend_id._phobs_check_manager()
        if conflict.state != "open":
            raise UserError(_("This conflict is already resolved."))
        done = ""
        if self.resolution in PLACING:
            option = self.room_option_id if self.resolution == "upgrade" else self.move_option_id
            if not option:
                raise UserError(_("Choose the room the guest gets."))
            done = conflict.backend_id.sudo()._phobs_place_in_room(conflict, option.key)
            conflict._phobs_guest_placed()
        elif self.resolution == "accept":
            done = _("Overbooking accepted: the guest keeps the booking without a room for now.")
        conflict.write({"resolution": self.resolution,
                        "resolution_note": "\n".join(p for p in (done, self.note) if p)})
        conflict.action_resolve()
        if self.resolution == "relocate":
            # After resolving: closing the conflict marks its open activities done.
            conflict._phobs_schedule_relocation()
        return {"type": "ir.actions.act_window_close"}


class PhobsConflictResolveOption(models.TransientModel):
    _name = "phobs.conflict.resolve.option"
    _description = "A room an overbooked guest can have"
    _order = "id"

    wizard_id = fields.Many2one("phobs.conflict.resolve", required=True, ondelete="cascade")
    key = fields.Char(required=True)
    name = fields.Char(required=True)
    kind = fields.Selection([("upgrade", "Upgrade"), ("same", "Booked type"),
                             ("move", "Move another guest")], required=True)

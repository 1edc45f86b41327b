from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.phobs_rate_plan import split_codes
from ..phobs_api.ari import matching_days

_TRI = [("keep", "Keep"), ("close", "Close"), ("open", "Open")]
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class PhobsRestrictionWizard(models.TransientModel):
    """Edits restrictions in bulk: a date range, some weekdays, some room types and rate plans,
    and for each restriction "keep" or a new value. Channel Manager / Managers only (the
    restrictions themselves are writable by managers alone)."""

    _name = "phobs.restriction.wizard"
    _description = "Edit Phobs Restrictions in Bulk"

    backend_id = fields.Many2one(
        "phobs.backend", required=True,
        default=lambda self: self.env["phobs.backend"]._phobs_default_backend())
    date_from = fields.Date(required=True, default=fields.Date.context_today)
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    monday = fields.Boolean(default=True)
    tuesday = fields.Boolean(default=True)
    wednesday = fields.Boolean(default=True)
    thursday = fields.Boolean(default=True)
    friday = fields.Boolean(default=True)
    saturday = fields.Boolean(default=True)
    sunday = fields.Boolean(default=True)
    rate_plan_ids = fields.Many2many(
        "phobs.rate.plan", string="Rate Plans",
        help="Leave empty for every active rate plan of the backend.")
    room_type_codes = fields.Char(
        string="Room Type Codes",
        help="Separated by commas; leave empty for every room type the chosen plans sell.")
    set_min_los = fields.Boolean(string="Change minimum stay")
    min_los = fields.Integer(string="Minimum stay", default=1, help="Nights; 1: no minimum.")
    set_max_los = fields.Boolean(string="Change maximum stay")
    max_los = fields.Integer(string="Maximum stay", default=0, help="Nights; 0: no maximum.")
    closed_to_arrival = fields.Selection(_TRI, default="keep", required=True)
    closed_to_departure = fields.Selection(_TRI, default="keep", required=True)
    stop_sell = fields.Selection(_TRI, string="Stop-sell", default="keep", required=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(_("The date range ends before it starts."))

    def action_apply(self):
        self.backend_id._phobs_check_manager()
        self.ensure_one()
        changes = self._changes()
        if not changes:
            raise UserError(_("Choose at least one restriction to change."))
        days = self._days()
        if not days:
            raise UserError(_("No day of the range falls on the chosen weekdays."))
        plans = self.rate_plan_ids or self.env["phobs.rate.plan"].search(
            [("backend_id", "=", self.backend_id.id)])
        try:
            touched = self.env["phobs.restriction"]._phobs_apply(
                plans, self._room_type_code_list(), days, changes)
        except ValueError as err:
            raise UserError(_("These restrictions contradict each other: %s") % err) from err
        if not touched:
            raise UserError(_("None of the chosen rate plans sells the chosen room types."))
        action = self.env.ref("phobs_channel_manager.phobs_restriction_action").read()[0]
        action["domain"] = [("rate_plan_id", "in", plans.ids)]
        return action

    def _changes(self):
        changes = {}
        if self.set_min_los:
            changes["min_los"] = max(1, self.min_los)
        if self.set_max_los:
            changes["max_los"] = max(0, self.max_los)
        for name in ("closed_to_arrival", "closed_to_departure", "stop_sell"):
            if self[name] != "keep":
                changes[name] = self[name] == "close"
        return changes

    def _days(self):
        first = fields.Date.from_string(self.date_from)
        last = fields.Date.from_string(self.date_to)
        if (last - first) > timedelta(days=1100):
            raise UserError(_("Edit at most three years at once."))
        weekdays = [index for index, name in enumerate(_WEEKDAYS) if self[name]]
        return matching_days(first, last, weekdays)

    def _room_type_code_list(self):
        """The chosen room type codes; empty for all (a PMS bridge may offer a nicer choice)."""
        return split_codes(self.room_type_codes)

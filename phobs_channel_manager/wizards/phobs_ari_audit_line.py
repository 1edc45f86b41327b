from odoo import api, fields, models

from ..phobs_api import ari

KIND_SELECTION = [(ari.AVAILABILITY, "Availability"), (ari.RESTRICTIONS, "Restrictions"),
                  (ari.RATES, "Rates")]


class PhobsAriAuditLine(models.TransientModel):
    """One range of days of one room type and rate plan that differs the same way."""

    _name = "phobs.ari.audit.line"
    _description = "Phobs Drift Audit Line"
    _order = "kind, room_type_code, rate_plan_code, date_from"

    audit_id = fields.Many2one("phobs.ari.audit", required=True, ondelete="cascade")
    kind = fields.Selection(KIND_SELECTION, required=True)
    room_type_code = fields.Char()
    rate_plan_code = fields.Char()
    date_from = fields.Date()
    date_to = fields.Date()
    days = fields.Integer()
    phobs_value = fields.Char(string="At Phobs", help="Empty: Phobs never accepted a value.")
    odoo_value = fields.Char(string="In Odoo")

    @api.model
    def _values_for(self, drift):
        return {
            "kind": drift.kind, "room_type_code": drift.room_type_code,
            "rate_plan_code": drift.rate_plan_code or False,
            "date_from": fields.Date.to_string(drift.start),
            "date_to": fields.Date.to_string(drift.end), "days": drift.days,
            "phobs_value": _readable(drift.kind, drift.reference),
            "odoo_value": _readable(drift.kind, drift.computed),
        }

    def _drift(self):
        self.ensure_one()
        return ari.Drift(self.kind, self.room_type_code, self.rate_plan_code or "",
                         fields.Date.from_string(self.date_from),
                         fields.Date.from_string(self.date_to), None, "")


def _readable(kind, value):
    if value is None:
        return False
    if kind == ari.RESTRICTIONS:
        return ari.Restriction.decode(value).describe()
    return value

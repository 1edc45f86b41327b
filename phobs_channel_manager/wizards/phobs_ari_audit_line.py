from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from ..phobs_api import ari

#: Proof, inside the context, that lines come from a computed audit. An object identity, not a
#: flag: a context sent over RPC carries only JSON values, so it cannot forge this one.
_COMPUTED = object()

KIND_SELECTION = [(ari.AVAILABILITY, "Availability"), (ari.RESTRICTIONS, "Restrictions"),
                  (ari.RATES, "Rates")]


class PhobsAriAuditLine(models.TransientModel):
    """One range of days of one room type and rate plan that differs the same way.

    Only :meth:`PhobsAriAudit.action_run` creates lines, from the drifts it computed; nobody
    creates or edits them otherwise (over RPC either), so what the audit shows is what it found.
    """

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
    def create(self, values):
        if self.env.context.get("phobs_computed_audit") is not _COMPUTED:
            raise AccessError(_("Drift audit lines come from running the audit only."))
        return super().create(values)

    def write(self, values):
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("Drift audit lines cannot be edited: run the audit again."))
        return super().write(values)

    @api.model
    def _phobs_create_computed(self, audit, drifts):
        computed = self.with_context(phobs_computed_audit=_COMPUTED)
        for drift in drifts:
            computed.create(dict(self._values_for(drift), audit_id=audit.id))

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


def _readable(kind, value):
    if value is None:
        return False
    if kind == ari.RESTRICTIONS:
        return ari.Restriction.decode(value).describe()
    return value

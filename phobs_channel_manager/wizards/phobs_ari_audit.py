from odoo import _, fields, models
from odoo.exceptions import UserError

from ..phobs_api import ari
from ..services.inventory import PhobsInventoryService


class PhobsAriAudit(models.TransientModel):
    """Drift audit: where what Phobs holds may differ from what Odoo computes now.

    Phobs offers no read-back of inventory, so "what Phobs holds" is what it last accepted from
    us. A difference means an update is still pending or failed (see the outbox and its dead
    letter), or something changed in Odoo without marking the days dirty. *Send corrections*
    sends exactly the differing days again.

    Anyone of the channel manager may run an audit; only a Channel Manager / Manager may send
    corrections, and what is sent is computed again at that moment, never read from the lines:
    the lines only show the audit (nobody can create or edit them, see
    :class:`PhobsAriAuditLine`).
    """

    _name = "phobs.ari.audit"
    _description = "Phobs Drift Audit"

    backend_id = fields.Many2one(
        "phobs.backend", required=True,
        default=lambda self: self.env["phobs.backend"]._phobs_default_backend())
    audited_at = fields.Datetime(readonly=True)
    line_ids = fields.One2many("phobs.ari.audit.line", "audit_id", readonly=True)
    drift_days = fields.Integer(
        readonly=True, help="Days (per room type and rate plan) that differ.")
    summary = fields.Text(readonly=True)

    def action_run(self):
        self.ensure_one()
        drifts = PhobsInventoryService(self.env, self.backend_id).audit()
        self.line_ids.unlink()
        self.write({
            "audited_at": fields.Datetime.now(),
            "drift_days": sum(drift.days for drift in drifts),
            "summary": self._summary(drifts),
        })
        self.env["phobs.ari.audit.line"]._phobs_create_computed(self, drifts)
        return self._phobs_reopen()

    def action_send_corrections(self):
        self.backend_id._phobs_check_manager()
        self.ensure_one()
        service = PhobsInventoryService(self.env, self.backend_id)
        drifts = service.audit()
        if not drifts:
            self.action_run()
            raise UserError(_("Nothing to correct: Phobs holds what Odoo computes."))
        service.correct(drifts)
        return self.action_run()

    def _phobs_reopen(self):
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
            "view_mode": "form", "target": "new", "name": _("Drift audit"),
        }

    @staticmethod
    def _summary(drifts):
        if not drifts:
            return _("No drift: Phobs holds what Odoo computes for the whole horizon.")
        lines = []
        for kind in ari.KINDS:
            found = [drift for drift in drifts if drift.kind == kind]
            if found:
                lines.append(_("%s: %d day(s) in %d range(s)") % (
                    kind.capitalize(), sum(drift.days for drift in found), len(found)))
        return "\n".join(lines)

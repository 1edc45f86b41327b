from odoo import models


class PhobsOutbox(models.Model):
    """When Phobs accepts a front-desk change of a channel booking, the booking follows."""

    _inherit = "phobs.outbox"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "done" and not vals.get("last_error"):
            for row in self.filtered(lambda r: r.kind == "reservation" and r.phobs_reservation_id):
                row.backend_id.sudo()._phobs_upload_accepted(row)
        return result

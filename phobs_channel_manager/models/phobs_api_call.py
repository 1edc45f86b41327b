from odoo import api, fields, models


class PhobsApiCall(models.Model):
    """One HTTP exchange with Phobs, for monitoring: never a body, never a credential."""

    _name = "phobs.api.call"
    _description = "Phobs API Call"
    _order = "id desc"

    backend_id = fields.Many2one("phobs.backend", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True, readonly=True)
    operation = fields.Char(required=True, index=True)
    path = fields.Char()
    http_status = fields.Integer()
    ota_codes = fields.Char(string="OTA Codes")
    success = fields.Boolean(index=True)
    error = fields.Char()
    duration_ms = fields.Float(string="Duration (ms)", group_operator="avg")
    attempt = fields.Integer(default=1)
    bytes_sent = fields.Integer()
    bytes_received = fields.Integer()
    echo_token = fields.Char()

    @api.model
    def _record(self, backend, exchange):
        return self.sudo().create({
            "backend_id": backend.id,
            "operation": exchange.operation,
            "path": exchange.path,
            "http_status": exchange.http_status or 0,
            "ota_codes": ",".join(exchange.ota_codes),
            "success": exchange.error is None,
            "error": exchange.error,
            "duration_ms": exchange.duration_ms,
            "attempt": exchange.attempt,
            "bytes_sent": exchange.bytes_sent,
            "bytes_received": exchange.bytes_received,
            "echo_token": exchange.echo_token,
        })

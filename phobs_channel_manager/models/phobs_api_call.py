from odoo import api, fields, models

from ..phobs_api.ota_codes import code_title, explain, first_code
from ..services.monitoring_figures import OPERATION_LABELS


class PhobsApiCall(models.Model):
    """One HTTP exchange with Phobs, for monitoring: never a body, never a credential."""

    _name = "phobs.api.call"
    _description = "Phobs API Call"
    _order = "id desc"
    _rec_name = "operation"

    backend_id = fields.Many2one("phobs.backend", string="Property connection", required=True,
                                 ondelete="cascade", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True, readonly=True)
    operation = fields.Char(string="Operation code", required=True, index=True)
    operation_name = fields.Char(string="Operation", compute="_compute_reason", store=True,
                                 help="The operation in words, for reports.")
    reason = fields.Char(compute="_compute_reason", store=True,
                         help="Why the call failed, in words (for the error reports).")
    path = fields.Char()
    http_status = fields.Integer(string="Server answer (HTTP)")
    ota_codes = fields.Char(string="OTA Codes")
    ota_code = fields.Char(string="OTA Code", compute="_compute_ota_code", store=True, index=True,
                           help="The first OTA code of the reply, for reports by code.")
    ota_code_title = fields.Char(string="Code meaning", compute="_compute_explanation")
    explanation = fields.Char(compute="_compute_explanation")
    operation_label = fields.Char(string="Operation name", compute="_compute_explanation")
    success = fields.Boolean(index=True)
    error = fields.Char()
    duration_ms = fields.Float(string="Response time (ms)", group_operator="avg")
    attempt = fields.Integer(default=1)
    bytes_sent = fields.Integer()
    bytes_received = fields.Integer()
    echo_token = fields.Char()

    @api.depends("ota_codes")
    def _compute_ota_code(self):
        for call in self:
            call.ota_code = first_code(call.ota_codes) or False

    @api.depends("operation", "ota_codes", "http_status", "error", "success")
    def _compute_reason(self):
        for call in self:
            call.operation_name = OPERATION_LABELS.get(call.operation, call.operation)
            call.reason = False if call.success else failure_reason(
                call.ota_code, call.http_status, call.error)

    def _compute_explanation(self):
        for call in self:
            call.ota_code_title = code_title(call.ota_code) or False
            call.operation_label = OPERATION_LABELS.get(call.operation, call.operation)
            call.explanation = (explain(call.ota_code, http_status=call.http_status,
                                        error=call.error) or False) if not call.success else False

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


def failure_reason(ota_code, http_status, error):
    """A short reason to group failures by: the OTA code's title, else the first sentence of
    the explanation, so a report reads "Invalid room type" rather than "402" or "Undefined"."""
    title = code_title(ota_code)
    if title:
        return "%s (OTA %s)" % (title, ota_code)
    words = explain(ota_code, http_status=http_status, error=error)
    if words:
        return words.split(". ")[0].rstrip(".")
    return "Other error"

"""``phobs.backend``'s monitoring side: notification and retention settings, the dashboard
figures (computed by :class:`PhobsMonitoringService`), navigation from the dashboard, alerts and
the nightly purge.

A concern of its own, kept apart from ``phobs_backend.py`` (connection, sync actions, crons,
outbox, PMS hooks); nothing here wraps those actions.
"""
import json
import logging

from odoo import _, api, fields, models

from ..services.dashboard_headline import headline_reason
from ..services.monitoring import PhobsMonitoringService
from ..services.monitoring_figures import STATUSES
from .phobs_backend import MANAGER

_logger = logging.getLogger(__name__)


class PhobsBackendDashboard(models.Model):
    _inherit = "phobs.backend"

    alert_user_ids = fields.Many2many(
        "res.users", "phobs_backend_alert_user_rel", "backend_id", "user_id",
        string="Alert users",
        help="Who gets an activity when Phobs refuses the credentials or the error rate passes "
             "the threshold. Empty: every Channel Manager / Manager.")
    error_rate_threshold = fields.Float(
        string="Error-rate threshold (%)", default=20.0,
        help="Alert when more than this share of the last calls to Phobs failed.")
    error_rate_window = fields.Integer(
        string="Calls considered", default=20,
        help="How many of the latest calls to Phobs the error rate is computed over.")
    log_retention_days = fields.Integer(
        string="Keep logs (days)", default=30,
        help="API calls and processed reservation messages older than this are deleted every "
             "night. Failed messages stay until they are dealt with.")

    health_status = fields.Selection(STATUSES, compute="_compute_dashboard", string="Status")
    dashboard_json = fields.Text(compute="_compute_dashboard")
    dashboard_graph = fields.Text(compute="_compute_dashboard")

    _sql_constraints = [
        ("error_rate_threshold_range",
         "CHECK(error_rate_threshold >= 0 AND error_rate_threshold <= 100)",
         "The error-rate threshold is a percentage between 0 and 100."),
        ("error_rate_window_positive", "CHECK(error_rate_window > 0)",
         "The error rate needs at least one call."),
        ("log_retention_positive", "CHECK(log_retention_days > 0)",
         "Logs must be kept at least one day."),
    ]

    def _compute_dashboard(self):
        for backend in self:
            if not backend.id:
                backend.health_status = "none"
                backend.dashboard_json = json.dumps({})
                backend.dashboard_graph = json.dumps([])
                continue
            figures = PhobsMonitoringService(self.env, backend).dashboard()
            figures["status_reason"] = headline_reason(figures)
            backend.health_status = figures["status"]
            backend.dashboard_json = json.dumps(figures)
            backend.dashboard_graph = json.dumps([{
                "key": _("Bookings"), "title": _("Bookings per day (7 days)"),
                "values": [{"label": fields.Date.from_string(day).strftime("%a %d"),
                            "value": count, "type": "past"}
                           for day, count in figures["by_day"]],
            }])

    # -- dashboard navigation -----------------------------------------------------------

    def _phobs_action(self, xmlid, domain, context=None):
        action = self.env.ref(xmlid).read()[0]
        action["domain"] = domain
        action["context"] = dict(context or {})
        return action

    def action_open_conflicts(self):
        self.ensure_one()
        return self._phobs_action("phobs_channel_manager.phobs_conflict_action",
                                  [("backend_id", "=", self.id), ("state", "=", "open")])

    def action_open_dead_letters(self):
        self.ensure_one()
        return self._phobs_action("phobs_channel_manager.phobs_outbox_action",
                                  [("backend_id", "=", self.id), ("state", "=", "dead")])

    def action_open_reservations(self):
        self.ensure_one()
        return self._phobs_action("phobs_channel_manager.phobs_reservation_action",
                                  [("backend_id", "=", self.id)])

    def action_open_errors(self):
        self.ensure_one()
        return self._phobs_action("phobs_channel_manager.phobs_error_log_action",
                                  [("backend_id", "=", self.id)])

    def action_open_api_calls(self):
        self.ensure_one()
        return self._phobs_action("phobs_channel_manager.phobs_api_call_action",
                                  [("backend_id", "=", self.id)])

    # -- alerts and retention -----------------------------------------------------------

    def _phobs_alert_users(self):
        self.ensure_one()
        users = self.sudo().alert_user_ids.filtered(lambda user: user.active)
        if not users:
            users = self.env.ref(MANAGER).sudo().users.filtered(
                lambda user: user.active and not user.share)
        return users

    @api.model
    def _cron_purge_logs(self):
        """Nightly: API calls and processed messages older than each backend's retention."""
        for backend in self.sudo().with_context(active_test=False).search([]):
            calls, messages = PhobsMonitoringService(self.env, backend).purge()
            outbox = self.env["phobs.outbox"]._purge_settled(backend)
            if calls or messages or outbox:
                _logger.info("Phobs backend %s: purged %d API call(s), %d message(s) and %d "
                             "sent update(s) older than %d days", backend.id, calls, messages,
                             outbox,
                             backend.log_retention_days)

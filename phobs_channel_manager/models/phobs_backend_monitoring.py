"""The backend's monitoring side: notification and retention settings, the dashboard figures,
alerts, and the guards that keep configuration and credentials to Channel Manager / Managers.

Kept apart from ``phobs_backend.py`` (connection, sync actions, crons, PMS hooks) because it is a
different concern of the same model: what staff see and who may change what.
"""
import json
import logging

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from ..phobs_api.errors import PhobsError
from ..services.monitoring import PhobsMonitoringService
from .phobs_backend import MANAGER

_logger = logging.getLogger(__name__)

STATUSES = [("green", "Healthy"), ("amber", "Degraded"), ("red", "Failing"),
            ("none", "No traffic")]


class PhobsBackend(models.Model):
    _name = "phobs.backend"
    _inherit = ["phobs.backend", "mail.activity.mixin"]

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
    push_mode = fields.Selection(
        [("immediate", "Immediately after each change"),
         ("scheduled", "By the scheduled job (every minute)")],
        string="Send updates", required=True, default="immediate",
        help="Immediately: availability and front-desk changes leave for Phobs right after "
             "they are saved. Scheduled: the minute cron sends them in one go. Stop-sells for "
             "overbookings found by a pull are always sent at once.")
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
            backend.health_status = figures["status"]
            backend.dashboard_json = json.dumps(figures)
            backend.dashboard_graph = json.dumps([{
                "key": _("Bookings"), "title": _("Bookings per day (7 days)"),
                "values": [{"label": fields.Date.from_string(day).strftime("%a %d"),
                            "value": count, "type": "past"}
                           for day, count in figures["by_day"]],
            }])

    # -- who may see and change what --------------------------------------------------

    def _phobs_check_manager(self):
        """Configuration and the buttons that talk to Phobs are for managers only, whatever
        the client (the form hides them, RPC must refuse them too)."""
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(MANAGER):
            raise AccessError(_("Only a Channel Manager / Manager can change or operate the "
                                "Phobs connection."))

    def _phobs_check_field_names(self, names):
        """Refuses to filter, group, sort or export by a field the user may not read.

        ``read`` already enforces field groups; ``search``, ``read_group`` and ``export_data``
        do not in Odoo 11, which would let a user recover a credential field one character at
        a time through domains, or read it grouped.
        """
        if self.env.uid == SUPERUSER_ID:
            return
        restricted = sorted({name for name in names
                             if name in self._fields and self._fields[name].groups})
        if restricted:
            self.check_field_access_rights("read", restricted)

    @staticmethod
    def _phobs_domain_fields(domain):
        for leaf in domain or ():
            if isinstance(leaf, (list, tuple)) and len(leaf) == 3 and isinstance(leaf[0], str):
                yield leaf[0].split(".", 1)[0]

    @staticmethod
    def _phobs_order_fields(order):
        for part in (order or "").split(","):
            words = part.strip().split()
            if words:
                yield words[0].strip('"')

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        self._phobs_check_field_names(
            list(self._phobs_domain_fields(args)) + list(self._phobs_order_fields(order)))
        return super()._search(args, offset=offset, limit=limit, order=order, count=count,
                               access_rights_uid=access_rights_uid)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        groupby = [groupby] if isinstance(groupby, str) else list(groupby or [])
        names = [spec.split("(", 1)[1].rstrip(") ") if "(" in spec else spec.split(":")[0]
                 for spec in fields or []]
        names += [spec.split(":")[0] for spec in groupby]
        names += list(self._phobs_domain_fields(domain))
        names += list(self._phobs_order_fields(orderby))
        self._phobs_check_field_names(names)
        return super().read_group(domain, fields, groupby, offset=offset, limit=limit,
                                  orderby=orderby, lazy=lazy)

    def export_data(self, fields_to_export, raw_data=False):
        self._phobs_check_field_names(
            [path.replace("/", ".").split(".")[0] for path in fields_to_export])
        return super().export_data(fields_to_export, raw_data=raw_data)

    def action_test_connection(self):
        self._phobs_check_manager()
        return super().action_test_connection()

    def action_register_webhook(self):
        self._phobs_check_manager()
        try:
            return super().action_register_webhook()
        except PhobsError as err:
            return self._phobs_notify(_("Webhook registration failed"), str(err))

    def action_generate_webhook_secret(self):
        self._phobs_check_manager()
        return super().action_generate_webhook_secret()

    def action_pull_now(self):
        """A refused pull is reported on the backend like a connection test, and what the
        monitoring recorded about it (calls, alerts) is kept rather than rolled back."""
        self._phobs_check_manager()
        try:
            return super().action_pull_now()
        except PhobsError as err:
            return self._phobs_notify(_("Pull failed"), str(err))

    def action_flush_now(self):
        self._phobs_check_manager()
        try:
            return super().action_flush_now()
        except PhobsError as err:
            return self._phobs_notify(_("Sending updates failed"), str(err))

    # -- outbound trigger ---------------------------------------------------------------

    def _phobs_trigger_flush_after_commit(self):
        """Only backends in immediate push mode flush after commit; the others wait for the
        cron."""
        immediate = self.filtered(lambda backend: backend.sudo().push_mode != "scheduled")
        return super(PhobsBackend, immediate)._phobs_trigger_flush_after_commit()

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
            if calls or messages:
                _logger.info("Phobs backend %s: purged %d API call(s) and %d message(s) older "
                             "than %d days", backend.id, calls, messages,
                             backend.log_retention_days)

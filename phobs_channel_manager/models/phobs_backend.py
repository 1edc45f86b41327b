"""``phobs.backend``: one Phobs property, its connection settings, the buttons that talk to
Phobs, the crons and the outbox, and the hooks a PMS bridge implements.

The model is split by concern over three files, none of which wraps another's methods:
this one; ``phobs_backend_credentials.py`` (encrypted secrets and the ORM paths that must not
reveal them); ``phobs_backend_dashboard.py`` (monitoring settings, health figures, alerts).

Authorization: :meth:`PhobsBackend._phobs_check_manager` is THE check for "only a Channel
Manager / Manager may do this", to be called first in every action that sends to Phobs or
changes what is sent, before any network call (the form hiding a button does not stop RPC).
Other screens that edit what Phobs receives (the rates & availability grid, the drift audit,
the outbox replay, applying messages again) call it too.
"""
import logging
import secrets
from datetime import datetime, timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import html_escape

from ..phobs_api import ari
from ..phobs_api.dates import last_night
from ..phobs_api.errors import PhobsError
from ..phobs_api.url_policy import production_url_problem
from ..services import background
from ..services.channel_manager import PhobsChannelManagerService
from ..services.cron import run_per_backend, run_per_backend_in_parallel
from ..services.inventory import PhobsInventoryService, flush_in_own_transaction
from ..services.reservation_sync import PhobsReservationSyncService

_logger = logging.getLogger(__name__)

MANAGER = "phobs_channel_manager.group_phobs_manager"
PULL_SLACK = timedelta(seconds=20)


class PhobsBackend(models.Model):
    """One Phobs property (hotel) this database is connected to.

    The PMS side is reached only through the ``_phobs_*`` hook methods at the bottom, which a
    bridge addon (hotel_frontdesk_bridge) implements for its front desk.
    """

    _name = "phobs.backend"
    _description = "Phobs Backend"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id)
    hotel_code = fields.Char(
        required=True, help="The property code Phobs assigned to this hotel (HotelCode).")
    environment = fields.Selection(
        [("demo", "Demo (local sandbox)"), ("production", "Production")],
        required=True, default="demo", track_visibility="onchange")
    base_url = fields.Char(
        string="Base URL", required=True,
        default=lambda self: self._phobs_default_base_url(self.env.context.get(
            "default_environment", "demo")),
        help="Root of the Phobs PMS interface for the chosen environment: the local sandbox "
             "for Demo, the address Phobs gave you for Production (https).")
    auth_mode = fields.Selection(
        [("oauth2", "OAuth2 client credentials"), ("wsse", "WS-Security username/password")],
        required=True, default="oauth2")
    public_url = fields.Char(
        string="Public URL of this Odoo", groups=MANAGER,
        help="Where Phobs can reach this Odoo; defaults to the web.base.url parameter.")
    webhook_url = fields.Char(compute="_compute_webhook_url", string="Webhook URL")
    webhook_registered_at = fields.Datetime(readonly=True, copy=False)
    currency_id = fields.Many2one(
        "res.currency", required=True,
        default=lambda self: self.env.user.company_id.currency_id)
    pull_interval_minutes = fields.Integer(
        string="Check for new bookings every (minutes)",
        default=3, help="How often reservations are pulled (Phobs asks for every 2 to 5 minutes).")
    last_pull_at = fields.Datetime(string="Last checked for bookings", readonly=True, copy=False)
    horizon_days = fields.Integer(
        string="Days ahead sent to Phobs", default=365, help="How many days ahead availability, rates and restrictions are sent.")
    retry_max_attempts = fields.Integer(
        string="Attempts before giving up", default=8, help="Attempts before a failed update goes to the dead letter.")
    retry_base_seconds = fields.Integer(string="First retry after (seconds)", default=30)
    retry_max_seconds = fields.Integer(string="Longest wait between retries (seconds)",
                                       default=3600)
    auto_reassign = fields.Boolean(
        string="Move guests to make room", default=True, help="Move already placed guests to another free room of the same type "
                           "when that makes room for a new channel booking.")
    push_mode = fields.Selection(
        [("immediate", "Immediately after each change"),
         ("scheduled", "By the scheduled job (every minute)")],
        string="Send updates", required=True, default="immediate",
        help="Immediately: availability and front-desk changes leave for Phobs right after "
             "they are saved. Scheduled: the minute cron sends them in one go. Stop-sells for "
             "overbookings found by a pull are always sent at once.")
    last_connection_ok = fields.Boolean(readonly=True, copy=False)
    last_connection_message = fields.Char(readonly=True, copy=False)
    rate_plan_ids = fields.One2many("phobs.rate.plan", "backend_id", string="Rate Plans")
    last_action_result = fields.Char(
        string="Last result", readonly=True, copy=False,
        help="What the last button did, in one line (shown as a banner on the form).")
    last_action_failed = fields.Boolean(readonly=True, copy=False)
    last_action_at = fields.Datetime(string="Last action at", readonly=True, copy=False)
    last_full_resync_at = fields.Datetime(
        string="Last full resync", readonly=True, copy=False,
        help="When every availability, rate and restriction of the horizon was last sent.")

    _sql_constraints = [
        ("hotel_code_company_unique", "unique(hotel_code, company_id)",
         "A hotel code can be connected only once per company."),
        ("pull_interval_positive", "CHECK(pull_interval_minutes > 0)",
         "The pull interval must be at least one minute."),
        ("horizon_positive", "CHECK(horizon_days > 0 AND horizon_days <= 1100)",
         "The horizon must be between 1 and 1100 days."),
    ]

    def _compute_webhook_url(self):
        default = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for backend in self:
            base = (backend.sudo().public_url or default).rstrip("/")
            backend.webhook_url = "%s/phobs/webhook/%d" % (base, backend.id) if backend.id else False

    # Authorization ---------------------------------------------------------------------

    def _phobs_check_manager(self):
        """Raises AccessError unless the user is a Channel Manager / Manager (or the superuser
        of crons and services). Call it FIRST in anything that sends to Phobs or changes what
        is sent: the form hides such buttons from users, RPC must refuse them too."""
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(MANAGER):
            raise AccessError(_("Only a Channel Manager / Manager can change or operate the "
                                "Phobs connection."))

    # Actions: each checks the manager group before anything reaches Phobs, and reports a
    # refusal by Phobs on the backend's chatter (what the monitoring recorded about it stays).

    def action_generate_webhook_secret(self):
        self._phobs_check_manager()
        for backend in self:
            backend.webhook_secret = secrets.token_urlsafe(32)
        return True

    def action_test_connection(self):
        self._phobs_check_manager()
        self.ensure_one()
        ok, message = PhobsChannelManagerService(self.env, self).check_connection()
        self.sudo().write({"last_connection_ok": ok, "last_connection_message": message[:250]})
        problems = self._phobs_mapping_problems()
        return self._phobs_notify(_("Connection OK") if ok else _("Connection failed"),
                                  " ".join([message] + problems), failed=not ok or bool(problems))

    def action_register_webhook(self):
        """Tells Phobs where to push reservations, with a secret generated here if needed."""
        self._phobs_check_manager()
        self.ensure_one()
        problem = self.environment == "production" and production_url_problem(
            self.webhook_url, _("The webhook URL"))
        if problem:
            return self._phobs_notify(_("Webhook not registered"), problem, failed=True)
        if not self.sudo().webhook_secret_encrypted:
            self.action_generate_webhook_secret()
        try:
            info = PhobsChannelManagerService(self.env, self).register_webhook(self.webhook_url)
        except PhobsError as err:
            return self._phobs_notify(_("Webhook registration failed"), str(err), failed=True)
        self.sudo().webhook_registered_at = fields.Datetime.now()
        return self._phobs_notify(_("Webhook registered"), info.url or self.webhook_url)

    def action_pull_now(self):
        self._phobs_check_manager()
        self.ensure_one()
        try:
            result = PhobsReservationSyncService(self.env, self).pull()
        except PhobsError as err:
            return self._phobs_notify(_("Pull failed"), str(err), failed=True)
        return self._phobs_notify(_("Reservations pulled"), _(
            "%d received, %d new, %d already known, %d failed.") % (
            result.received, result.stored, result.duplicates, result.failed))

    def action_flush_now(self):
        self._phobs_check_manager()
        self.ensure_one()
        try:
            result = PhobsInventoryService(self.env, self).flush()
        except PhobsError as err:
            return self._phobs_notify(_("Sending updates failed"), str(err), failed=True)
        return self._phobs_notify(_("Updates sent"), _(
            "%d day(s) changed, %d range(s) in %d request(s), %d failed.") % (
            result.days_changed, result.runs_sent, result.requests, result.failed_batches))

    def action_full_resync(self):
        """Sends the whole horizon again, whatever Phobs last accepted."""
        self._phobs_check_manager()
        self.ensure_one()
        try:
            result = PhobsInventoryService(self.env, self).full_resync()
        except PhobsError as err:
            return self._phobs_notify(_("Full resync failed"), str(err), failed=True)
        return self._phobs_notify(_("Full resync"), _(
            "%d day(s) sent as %d range(s) in %d request(s), %d failed.") % (
            result.days_changed, result.runs_sent, result.requests, result.failed_batches))

    def action_open_audit(self):
        """The drift audit of this backend: where Phobs may not hold what Odoo computes."""
        self.ensure_one()
        audit = self.env["phobs.ari.audit"].create({"backend_id": self.id})
        audit.action_run()
        return audit._phobs_reopen()

    def _phobs_notify(self, title, message, failed=False):
        """Shows the outcome in the form's banner and on the chatter, and reloads the form so
        every figure the action changed is current. Escaped on the chatter: the message may
        quote what Phobs answered, which is not ours to render as HTML (the banner is a plain
        text field)."""
        line = "%s: %s" % (title, message)
        self.sudo().write({"last_action_result": line[:500], "last_action_failed": failed,
                           "last_action_at": fields.Datetime.now()})
        self.message_post(body=html_escape(line))
        return {"type": "ir.actions.client", "tag": "reload"}

    @api.model
    def _phobs_default_backend(self):
        """The backend a form opens on: the one the user came from (a backend form or the
        dashboard card, in the context), else one of the user's current company."""
        context = self.env.context
        backend_id = context.get("phobs_backend_id") or (
            context.get("active_id") if context.get("active_model") == self._name else None)
        if backend_id:
            backend = self.browse(backend_id).exists()
            if backend:
                return backend
        company_backend = self.search([("company_id", "=", self.env.user.company_id.id)], limit=1)
        return company_backend or self.search([], limit=1)

    # Crons -----------------------------------------------------------------------------

    @api.model
    def _cron_pull(self):
        """Pulls each backend whose interval has passed; one failing backend spares the rest.
        Every tick also applies pushed messages a crash or restart left unapplied."""
        now = datetime.utcnow()

        def pull(env, backend):
            last = fields.Datetime.from_string(backend.last_pull_at) if backend.last_pull_at else None
            # The cron ticks every minute and a pull stamps its end: a few seconds of slack
            # keep a one-minute interval from skipping every other tick.
            pull_due = not last or (
                last + timedelta(minutes=backend.pull_interval_minutes) <= now + PULL_SLACK)
            PhobsReservationSyncService(env, backend.with_context(
                phobs_no_flush_trigger=True)).scheduled_run(pull_due)
        # In parallel: a property whose Phobs hangs must not hold up the others' turn.
        run_per_backend_in_parallel(self.sudo().search([]), pull, "pull")

    @api.model
    def _cron_flush(self):
        run_per_backend_in_parallel(self.sudo().search([]), flush_in_own_transaction,
                                    "outbox flush")

    @api.model
    def _cron_full_resync(self):
        """Daily: everything in the horizon again, so whatever drifted at Phobs is repaired."""
        run_per_backend(self.sudo().search([]),
                        lambda backend: PhobsInventoryService(self.env, backend).full_resync(),
                        "full resync")

    # Outbox ----------------------------------------------------------------------------

    def _phobs_mark_dirty(self, kind, room_type_codes, date_from, date_to, rate_plan_code=False,
                          force=False):
        """Records, in the caller's transaction, that these days may differ at Phobs.

        For rates and restrictions, no ``rate_plan_code`` means every plan selling the room
        type: one row per plan, so that a failure (an unknown rate plan) names its plan.
        ``force`` sends the days even where Phobs already accepted the same value.
        """
        Outbox = self.env["phobs.outbox"].sudo()
        for backend in self:
            for code in room_type_codes:
                for plan_code in backend._phobs_plan_codes(kind, code, rate_plan_code):
                    Outbox.create({
                        "backend_id": backend.id, "kind": kind, "room_type_code": code,
                        "rate_plan_code": plan_code, "date_from": date_from,
                        "date_to": date_to, "force": force,
                    })
        self._phobs_trigger_flush_after_commit()

    def _phobs_plan_codes(self, kind, room_type_code, rate_plan_code=False):
        if kind not in (ari.RATES, ari.RESTRICTIONS) or rate_plan_code:
            return [rate_plan_code]
        plans = self.env["phobs.rate.plan"].sudo().search([("backend_id", "=", self.id)])
        return [plan.code for plan in plans if room_type_code in plan._room_type_code_list()]

    def _phobs_horizon(self):
        """``(first, last)`` hotel-local days that availability, rates and restrictions cover."""
        self.ensure_one()
        today = fields.Date.from_string(fields.Date.context_today(self))
        return today, today + timedelta(days=self.horizon_days - 1)

    def _phobs_queue_upload(self, pms_ref, res_status, phobs_reservation=None):
        Outbox = self.env["phobs.outbox"].sudo()
        for backend in self:
            Outbox.create({
                "backend_id": backend.id, "kind": "reservation", "pms_ref": pms_ref,
                "res_status": res_status,
                "phobs_reservation_id": phobs_reservation.id if phobs_reservation else False,
            })
        self._phobs_trigger_flush_after_commit()

    def _phobs_mark_dirty_for_conflict(self, conflict):
        if conflict.room_type_code and conflict.date_from and conflict.date_to:
            conflict.backend_id._phobs_mark_dirty(
                ari.AVAILABILITY, [conflict.room_type_code], conflict.date_from,
                fields.Date.to_string(last_night(fields.Date.from_string(conflict.date_to))))

    def _phobs_trigger_flush_after_commit(self):
        """Sends the outbox right after this transaction commits, in the background, so the
        change reaches the channels in seconds without making the front desk wait. Backends in
        scheduled push mode wait for the minute cron instead."""
        if self.env.context.get("phobs_no_flush_trigger"):
            return
        immediate = self.filtered(lambda backend: backend.sudo().push_mode != "scheduled")
        if immediate:
            background.run_after_commit(self.env.cr, immediate.ids, background.FLUSH)

    # Hooks a PMS bridge implements -------------------------------------------------------

    def _phobs_room_type_codes(self):
        """The Phobs room type codes (InvTypeCode) mapped to this backend's rooms."""
        return []

    def _phobs_mapped_codes_sql(self):
        """The same codes as an SQL expression over the backend row ``b`` (an array), which the
        push path reads in the query it starts with; ``NULL``: ask ``_phobs_room_type_codes``."""
        return "NULL"

    def _phobs_compute_availability(self, room_type_codes, date_from, date_to):
        """Rooms still sellable per code and night: ``{code: {date: int}}``, dates inclusive."""
        raise NotImplementedError(
            "No PMS bridge computes availability for the Phobs channel manager: "
            "install hotel_frontdesk_bridge or another bridge.")

    def _phobs_room_type_products(self, room_type_codes):
        """``{code: product.product recordset}``: the products whose pricelist price is the
        nightly price of a room type (rate plans priced by a pricelist)."""
        raise NotImplementedError(
            "No PMS bridge maps room types to products: install hotel_frontdesk_bridge.")

    def _phobs_export_reservation(self, outbox_row):
        """The :class:`phobs_api.records.Reservation` to upload for an outbox row, or None."""
        raise NotImplementedError(
            "No PMS bridge exports front-desk reservations: install hotel_frontdesk_bridge.")

    def _phobs_room_options(self, conflict):
        """Rooms that can take an overbooked guest: ``[{"key", "name", "kind"}]`` with kind
        ``upgrade`` (a free room of another type), ``same`` (a free room of the booked type)
        or ``move`` (a room another not-yet-arrived guest can leave)."""
        return []

    def _phobs_place_in_room(self, conflict, key):
        """Places the conflict's guest as the option ``key`` says and confirms the front-desk
        booking; returns what was done, in words."""
        raise NotImplementedError(
            "No PMS bridge places guests: install hotel_frontdesk_bridge.")

    def _phobs_new_pms_ref(self):
        """The front-desk reference the next new channel booking will carry, drawn when Phobs
        is acknowledged (before the booking is placed); empty if the PMS cannot tell yet."""
        return ""

    def _phobs_apply_reservation(self, phobs_reservation):
        """Creates, updates or cancels the front-desk booking for a Phobs reservation binding.

        Returns a :class:`PlacementResult`-like dict: ``{"state": "applied"|"conflict",
        "pms_ref": str, "message": str, "conflict": {...}, "values": {...}}`` (``values``: more
        of the binding's fields, written with the outcome).
        """
        raise NotImplementedError(
            "No PMS bridge applies Phobs reservations: install hotel_frontdesk_bridge.")

    def _phobs_folios_pending(self):
        """Placed bookings whose folio (the invoice side) is still to be built: the second
        stage of applying, after the rooms are held and the availability marked."""
        return self.env["phobs.reservation"].browse()

    def _phobs_build_folio(self, phobs_reservation):
        """Builds, updates or cancels the folio of a placed booking; a failure is kept on the
        booking for staff and never undoes its placement."""
        return None

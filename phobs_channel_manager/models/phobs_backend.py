import logging
import secrets
from datetime import datetime, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config

from ..phobs_api.errors import PhobsError
from ..services import background
from ..services.channel_manager import PhobsChannelManagerService
from ..services.credential_vault import (
    CredentialVault,
    VaultDecryptError,
    VaultKeyMissing,
    configured_keys,
    demo_key,
)
from ..services.inventory import PhobsInventoryService
from ..services.reservation_sync import PhobsReservationSyncService

_logger = logging.getLogger(__name__)

MANAGER = "phobs_channel_manager.group_phobs_manager"
PULL_SLACK = timedelta(seconds=20)
SECRET_FIELDS = ("client_secret", "password", "webhook_secret")


class PhobsBackend(models.Model):
    """One Phobs property (hotel) this database is connected to.

    The PMS side is reached only through the ``_phobs_*`` hook methods at the bottom, which a
    bridge addon (hotel_frontdesk_bridge) implements for its front desk.
    """

    _name = "phobs.backend"
    _description = "Phobs Backend"
    _inherit = ["mail.thread"]
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
        string="Base URL", required=True, default="http://127.0.0.1:8099",
        help="Root of the Phobs PMS interface for the chosen environment.")
    auth_mode = fields.Selection(
        [("oauth2", "OAuth2 client credentials"), ("wsse", "WS-Security username/password")],
        required=True, default="oauth2")
    client_id = fields.Char(string="API Key (client id)", groups=MANAGER, copy=False)
    username = fields.Char(groups=MANAGER, copy=False)
    # Ciphertexts: only managers can read them, and even they only ever see the *_set flags.
    client_secret_encrypted = fields.Char(groups=MANAGER, copy=False)
    password_encrypted = fields.Char(groups=MANAGER, copy=False)
    webhook_secret_encrypted = fields.Char(groups=MANAGER, copy=False)
    # Write-only inputs: they encrypt on write and always read back empty.
    client_secret = fields.Char(
        string="API Secret", compute="_compute_secret_inputs", inverse="_inverse_client_secret",
        groups=MANAGER, copy=False)
    password = fields.Char(
        compute="_compute_secret_inputs", inverse="_inverse_password", groups=MANAGER, copy=False)
    webhook_secret = fields.Char(
        compute="_compute_secret_inputs", inverse="_inverse_webhook_secret", groups=MANAGER,
        copy=False)
    client_secret_set = fields.Boolean(compute="_compute_secret_set", string="API secret stored")
    password_set = fields.Boolean(compute="_compute_secret_set", string="Password stored")
    webhook_secret_set = fields.Boolean(compute="_compute_secret_set", string="Webhook secret stored")

    public_url = fields.Char(
        string="Public URL of this Odoo", groups=MANAGER,
        help="Where Phobs can reach this Odoo; defaults to the web.base.url parameter.")
    webhook_url = fields.Char(compute="_compute_webhook_url", string="Webhook URL")
    webhook_registered_at = fields.Datetime(readonly=True, copy=False)
    currency_id = fields.Many2one(
        "res.currency", required=True,
        default=lambda self: self.env.user.company_id.currency_id)
    pull_interval_minutes = fields.Integer(
        default=3, help="How often reservations are pulled (Phobs asks for every 2 to 5 minutes).")
    last_pull_at = fields.Datetime(readonly=True, copy=False)
    horizon_days = fields.Integer(
        default=365, help="How many days ahead availability, rates and restrictions are sent.")
    retry_max_attempts = fields.Integer(
        default=8, help="Attempts before a failed update goes to the dead letter.")
    retry_base_seconds = fields.Integer(default=30)
    retry_max_seconds = fields.Integer(default=3600)
    auto_reassign = fields.Boolean(
        default=True, help="Move already placed guests to another free room of the same type "
                           "when that makes room for a new channel booking.")
    last_connection_ok = fields.Boolean(readonly=True, copy=False)
    last_connection_message = fields.Char(readonly=True, copy=False)
    rate_plan_ids = fields.One2many("phobs.rate.plan", "backend_id", string="Rate Plans")
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

    def _compute_secret_inputs(self):
        for backend in self:
            backend.client_secret = False
            backend.password = False
            backend.webhook_secret = False

    def _compute_secret_set(self):
        for backend in self:
            stored = backend.sudo()
            backend.client_secret_set = bool(stored.client_secret_encrypted)
            backend.password_set = bool(stored.password_encrypted)
            backend.webhook_secret_set = bool(stored.webhook_secret_encrypted)

    def _compute_webhook_url(self):
        default = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for backend in self:
            base = (backend.sudo().public_url or default).rstrip("/")
            backend.webhook_url = "%s/phobs/webhook/%d" % (base, backend.id) if backend.id else False

    def _inverse_client_secret(self):
        self._store_secret("client_secret")

    def _inverse_password(self):
        self._store_secret("password")

    def _inverse_webhook_secret(self):
        self._store_secret("webhook_secret")

    @api.model
    def _register_hook(self):
        """Says at startup, not at the first failed sync, that production has no key."""
        super()._register_hook()
        production = self.sudo().search_count([("environment", "=", "production")])
        if production and not configured_keys(config.options):
            _logger.error("Phobs production backends exist but no %s is configured: their "
                          "credentials cannot be read.", "phobs_encryption_key")

    def _phobs_vault(self):
        keys = configured_keys(config.options)
        if not keys:
            if any(backend.environment == "production" for backend in self):
                raise UserError(_(
                    "No encryption key for Phobs credentials is configured. Set "
                    "phobs_encryption_key in the Odoo configuration file or the "
                    "PHOBS_ENCRYPTION_KEY environment variable, then restart Odoo."))
            keys = [demo_key(config["data_dir"])]
        try:
            return CredentialVault(keys)
        except VaultKeyMissing as err:
            raise UserError(_("The Phobs encryption key is invalid: %s") % err) from err

    def _store_secret(self, name):
        vault = self._phobs_vault()
        for backend in self:
            plaintext = backend[name]
            if plaintext:
                backend.sudo()[name + "_encrypted"] = vault.encrypt(plaintext)

    def _phobs_secret(self, name):
        """The decrypted secret, for the services only; never put it in a field, log or message."""
        self.ensure_one()
        assert name in SECRET_FIELDS
        token = self.sudo()[name + "_encrypted"]
        if not token:
            return None
        try:
            return self._phobs_vault().decrypt(token)
        except VaultDecryptError as err:
            raise UserError(_("%s of backend %s cannot be decrypted: was the encryption key "
                              "changed without rotation?") % (name, self.name)) from err

    @api.model
    def _phobs_rotate_encryption(self):
        """Re-encrypts every stored credential with the first configured key.

        Run after setting ``phobs_encryption_key = NEW_KEY,OLD_KEY``; then drop the old key.
        """
        vault = self._phobs_vault()
        backends = self.sudo().with_context(active_test=False).search([])
        for backend in backends:
            for name in SECRET_FIELDS:
                token = backend[name + "_encrypted"]
                if token:
                    backend[name + "_encrypted"] = vault.rotate(token)
        return len(backends)

    def action_generate_webhook_secret(self):
        for backend in self:
            backend.webhook_secret = secrets.token_urlsafe(32)
        return True

    # Actions -------------------------------------------------------------------------

    def action_test_connection(self):
        self.ensure_one()
        ok, message = PhobsChannelManagerService(self.env, self).check_connection()
        self.sudo().write({"last_connection_ok": ok, "last_connection_message": message[:250]})
        return self._phobs_notify(_("Connection OK") if ok else _("Connection failed"), message)

    def action_register_webhook(self):
        """Tells Phobs where to push reservations, with a secret generated here if needed."""
        self.ensure_one()
        if not self.sudo().webhook_secret_encrypted:
            self.action_generate_webhook_secret()
        with PhobsChannelManagerService(self.env, self).client() as client:
            info = client.register_webhook(self.webhook_url, self._phobs_secret("webhook_secret"))
        self.sudo().webhook_registered_at = fields.Datetime.now()
        return self._phobs_notify(_("Webhook registered"), info.url or self.webhook_url)

    def action_pull_now(self):
        self.ensure_one()
        result = PhobsReservationSyncService(self.env, self).pull()
        return self._phobs_notify(_("Reservations pulled"), _(
            "%d received, %d new, %d already known, %d failed.") % (
            result.received, result.stored, result.duplicates, result.failed))

    def action_flush_now(self):
        self.ensure_one()
        result = PhobsInventoryService(self.env, self).flush()
        return self._phobs_notify(_("Updates sent"), _(
            "%d day(s) changed, %d range(s) in %d request(s), %d failed.") % (
            result.days_changed, result.runs_sent, result.requests, result.failed_batches))

    def action_full_resync(self):
        """Sends the whole horizon again, whatever Phobs last accepted."""
        self.ensure_one()
        result = PhobsInventoryService(self.env, self).full_resync()
        return self._phobs_notify(_("Full resync"), _(
            "%d day(s) sent as %d range(s) in %d request(s), %d failed.") % (
            result.days_changed, result.runs_sent, result.requests, result.failed_batches))

    def action_open_audit(self):
        """The drift audit of this backend: where Phobs may not hold what Odoo computes."""
        self.ensure_one()
        audit = self.env["phobs.ari.audit"].create({"backend_id": self.id})
        audit.action_run()
        return audit._phobs_reopen()

    def _phobs_notify(self, title, message):
        """Posts the outcome on the backend's chatter and reloads the form."""
        self.message_post(body="%s: %s" % (title, message))
        return {"type": "ir.actions.client", "tag": "reload"}

    @api.model
    def _phobs_default_backend(self):
        """The backend a form opens on: one of the user's current company, if it has one."""
        company_backend = self.search([("company_id", "=", self.env.user.company_id.id)], limit=1)
        return company_backend or self.search([], limit=1)

    # Crons -----------------------------------------------------------------------------

    @api.model
    def _cron_pull(self):
        """Pulls each backend whose interval has passed; one failing backend spares the rest.
        Every tick also applies pushed messages a crash or restart left unapplied."""
        now = datetime.utcnow()
        for backend in self.sudo().search([]):
            last = fields.Datetime.from_string(backend.last_pull_at) if backend.last_pull_at else None
            # The cron ticks every minute and a pull stamps its end: a few seconds of slack
            # keep a one-minute interval from skipping every other tick.
            pull_due = not last or (
                last + timedelta(minutes=backend.pull_interval_minutes) <= now + PULL_SLACK)
            try:
                PhobsReservationSyncService(self.env, backend.with_context(
                    phobs_no_flush_trigger=True)).scheduled_run(pull_due)
            except PhobsError as err:
                # Phobs refused or failed: what was stored before is committed already, and
                # the calls and alerts the monitoring recorded about the failure must stay.
                self.env.cr.commit()
                _logger.warning("Phobs pull failed for backend %s: %s", backend.name, err)
            except Exception:
                self.env.cr.rollback()
                _logger.exception("Phobs pull failed for backend %s", backend.name)

    @api.model
    def _cron_flush(self):
        for backend in self.sudo().search([]):
            try:
                PhobsInventoryService(self.env, backend).flush()
                self.env.cr.commit()
            except Exception:
                self.env.cr.rollback()
                _logger.exception("Phobs outbox flush failed for backend %s", backend.name)

    @api.model
    def _cron_full_resync(self):
        """Daily: everything in the horizon again, so whatever drifted at Phobs is repaired."""
        for backend in self.sudo().search([]):
            try:
                PhobsInventoryService(self.env, backend).full_resync()
                self.env.cr.commit()
            except Exception:
                self.env.cr.rollback()
                _logger.exception("Phobs full resync failed for backend %s", backend.name)

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
        if kind not in ("rates", "restrictions") or rate_plan_code:
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
            last_night = fields.Date.to_string(
                fields.Date.from_string(conflict.date_to) - timedelta(days=1))
            conflict.backend_id._phobs_mark_dirty(
                "availability", [conflict.room_type_code], conflict.date_from, last_night)

    def _phobs_trigger_flush_after_commit(self):
        """Sends the outbox right after this transaction commits, in the background, so the
        change reaches the channels in seconds without making the front desk wait."""
        if not self.env.context.get("phobs_no_flush_trigger"):
            background.run_after_commit(self.env.cr, self.ids, background.FLUSH)

    # Hooks a PMS bridge implements -------------------------------------------------------

    def _phobs_room_type_codes(self):
        """The Phobs room type codes (InvTypeCode) mapped to this backend's rooms."""
        return []

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

    def _phobs_new_pms_ref(self):
        """The front-desk reference the next new channel booking will carry, drawn when Phobs
        is acknowledged (before the booking is placed); empty if the PMS cannot tell yet."""
        return ""

    def _phobs_apply_reservation(self, phobs_reservation):
        """Creates, updates or cancels the front-desk booking for a Phobs reservation binding.

        Returns a :class:`PlacementResult`-like dict: ``{"state": "applied"|"conflict",
        "pms_ref": str, "message": str, "conflict": {...}}``.
        """
        raise NotImplementedError(
            "No PMS bridge applies Phobs reservations: install hotel_frontdesk_bridge.")

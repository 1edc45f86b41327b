"""``phobs.backend``'s credentials: encrypted at rest, write-only in forms, readable only by
the services (:meth:`_phobs_secret`), and never recoverable by a user through a side path of
the ORM (search domains, ordering, read_group, export).

A concern of its own so that the connection and sync actions in ``phobs_backend.py`` read
without it; nothing here wraps those actions.
"""
import logging

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config

from ..services.credential_vault import (
    CredentialVault,
    VaultDecryptError,
    VaultKeyMissing,
    configured_keys,
    demo_key,
)
from .phobs_backend import MANAGER

_logger = logging.getLogger(__name__)

SECRET_FIELDS = ("client_secret", "password", "webhook_secret")
#: Decrypted credentials kept per process (see ``_phobs_decrypt``); a few per backend.
DECRYPTED_CACHE_SIZE = 256
_decrypted = {}


class PhobsBackendCredentials(models.Model):
    _inherit = "phobs.backend"

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
        return self._phobs_open_secret(name, self.sudo()[name + "_encrypted"])

    def _phobs_open_secret(self, name, token):
        """The secret ``name`` from its ciphertext ``token`` (None without one), for a caller
        that read the ciphertext itself (the push path, with the rest of what it needs)."""
        assert name in SECRET_FIELDS
        if not token:
            return None
        try:
            return self._phobs_decrypt(token)
        except VaultDecryptError as err:
            raise UserError(_("%s of backend %s cannot be decrypted: was the encryption key "
                              "changed without rotation?") % (name, self.name)) from err

    def _phobs_decrypt(self, token):
        """Decrypts through a per-process cache keyed by the ciphertext and the configured
        keys: every push needs the webhook secret, and a changed secret is a new ciphertext,
        so a write can never leave a stale entry in use. Plaintexts stay in this process's
        memory only (as they would for the length of a request anyway)."""
        cache_key = (token, tuple(configured_keys(config.options)) or config["data_dir"])
        plaintext = _decrypted.get(cache_key)
        if plaintext is None:
            plaintext = self._phobs_vault().decrypt(token)
            if len(_decrypted) >= DECRYPTED_CACHE_SIZE:
                _decrypted.clear()
            _decrypted[cache_key] = plaintext
        return plaintext

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

    # Side paths of the ORM ---------------------------------------------------------------

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

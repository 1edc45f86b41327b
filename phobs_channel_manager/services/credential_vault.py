"""Encryption at rest of Phobs credentials (Fernet), with the key kept out of the database.

Framework-free. The key comes from the environment (``PHOBS_ENCRYPTION_KEY``) or the Odoo
configuration file (``phobs_encryption_key``); several comma-separated keys allow rotation: the
first encrypts, all decrypt, and :meth:`CredentialVault.rotate` re-encrypts with the first.
"""
import logging
import os
import pathlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

_logger = logging.getLogger(__name__)

ENV_VARIABLE = "PHOBS_ENCRYPTION_KEY"
CONFIG_OPTION = "phobs_encryption_key"


class VaultKeyMissing(RuntimeError):
    """No encryption key is configured: credentials can be neither stored nor read."""


class VaultDecryptError(RuntimeError):
    """A stored credential does not open with the configured keys (wrong or rotated-out key)."""


class CredentialVault:
    def __init__(self, keys):
        keys = [key.strip() for key in keys if key and key.strip()]
        if not keys:
            raise VaultKeyMissing("no Phobs encryption key")
        try:
            self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        except (ValueError, TypeError) as err:
            raise VaultKeyMissing("the Phobs encryption key is not a valid Fernet key") from err

    def __repr__(self):
        return "CredentialVault(***)"

    def encrypt(self, plaintext):
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token):
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as err:
            raise VaultDecryptError(
                "a stored Phobs credential cannot be decrypted with the configured key") from err

    def rotate(self, token):
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")


def configured_keys(options, environ=None):
    """The keys from the environment first, then from the configuration options."""
    environ = os.environ if environ is None else environ
    raw = environ.get(ENV_VARIABLE) or options.get(CONFIG_OPTION) or ""
    return [key for key in str(raw).split(",") if key.strip()]


def demo_key(data_dir):
    """A key generated once into the data directory: acceptable for a demo, never production."""
    path = pathlib.Path(data_dir) / "phobs_fernet.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(Fernet.generate_key().decode("ascii"))
        _logger.warning("No %s configured: generated a demo key in %s. Configure one before "
                        "connecting a production Phobs account.", CONFIG_OPTION, path)
    return path.read_text().strip()

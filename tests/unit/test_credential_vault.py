import pytest
from cryptography.fernet import Fernet

from phobs_channel_manager.services.credential_vault import (
    CredentialVault,
    VaultDecryptError,
    VaultKeyMissing,
    configured_keys,
    demo_key,
)


def test_round_trip_and_no_plaintext_in_token():
    vault = CredentialVault([Fernet.generate_key().decode()])
    token = vault.encrypt("p@ss")
    assert "p@ss" not in token
    assert vault.decrypt(token) == "p@ss"
    assert repr(vault) == "CredentialVault(***)"


def test_rotation_keeps_old_tokens_readable_and_rewrites_them():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = CredentialVault([old]).encrypt("s")
    rotated = CredentialVault([new, old]).rotate(token)
    assert CredentialVault([new]).decrypt(rotated) == "s"
    with pytest.raises(VaultDecryptError):
        CredentialVault([new]).decrypt(token)


@pytest.mark.parametrize("keys", [[], [""], ["not-a-fernet-key"]])
def test_missing_or_invalid_key_is_refused(keys):
    with pytest.raises(VaultKeyMissing):
        CredentialVault(keys)


def test_environment_wins_over_configuration_and_lists_split():
    assert configured_keys({"phobs_encryption_key": "a"}, {"PHOBS_ENCRYPTION_KEY": "b,c"}) == ["b", "c"]
    assert configured_keys({"phobs_encryption_key": "a"}, {}) == ["a"]
    assert configured_keys({}, {}) == []


def test_demo_key_is_generated_once_private(tmp_path):
    first = demo_key(tmp_path)
    assert demo_key(tmp_path) == first
    assert (tmp_path / "phobs_fernet.key").stat().st_mode & 0o077 == 0
    CredentialVault([first])

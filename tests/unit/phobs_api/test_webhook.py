import pytest

from phobs_channel_manager.phobs_api.errors import PhobsAuthError
from phobs_channel_manager.phobs_api.webhook import sign, verify

BODY = b"<soap:Envelope/>"
NOW = 1_800_000_000.0


def test_sign_matches_the_documented_formula():
    import hashlib
    import hmac
    expected = hmac.new(b"s3cret", b"1800000000." + BODY, hashlib.sha256).hexdigest()
    assert sign("s3cret", "1800000000", BODY) == "sha256=" + expected


def test_authentic_push_passes():
    verify("s3cret", "1800000000", sign("s3cret", "1800000000", BODY), BODY, now=NOW + 10)


@pytest.mark.parametrize("secret, timestamp, signature, body, reason", [
    (None, "1800000000", "sha256=x", BODY, "no webhook secret"),
    ("s3cret", None, "sha256=x", BODY, "missing"),
    ("s3cret", "1800000000", None, BODY, "missing"),
    ("s3cret", "yesterday", "sha256=x", BODY, "malformed"),
    ("s3cret", "1799999000", sign("s3cret", "1799999000", BODY), BODY, "window"),  # replayed
    ("s3cret", "1800000900", sign("s3cret", "1800000900", BODY), BODY, "window"),  # future
    ("s3cret", "1800000000", sign("other", "1800000000", BODY), BODY, "does not match"),
    ("s3cret", "1800000000", sign("s3cret", "1800000000", BODY), BODY + b" ", "does not match"),
    ("s3cret", "1800000000", "sha256=\u00e9", BODY, "does not match"),
])
def test_bad_pushes_are_refused_with_a_reason(secret, timestamp, signature, body, reason):
    with pytest.raises(PhobsAuthError, match=reason):
        verify(secret, timestamp, signature, body, now=NOW)


def test_the_error_never_shows_the_secret():
    with pytest.raises(PhobsAuthError) as info:
        verify("s3cret", "1800000000", "sha256=00", BODY, now=NOW)
    assert "s3cret" not in str(info.value)

"""Who is calling: per-hotel OAuth2 client credentials (bearer tokens) or WS-Security passwords.

Credentials are unique across hotels, so a token or a username identifies exactly one hotel; the
operations then check that the HotelCode in the message is that hotel.
"""
import base64
import binascii
import hmac
import secrets
import time


def parse_authorization(header):
    """("bearer", token), ("basic", (user, password)) or None for a missing/unreadable header."""
    scheme, _, value = (header or "").strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer" and value:
        return "bearer", value
    if scheme.lower() == "basic" and value:
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, sep, password = decoded.partition(":")
        return ("basic", (user, password)) if sep else None
    return None


def _same(given, expected):
    return expected is not None and hmac.compare_digest(given.encode(), expected.encode())


class Auth:
    def __init__(self, store, token_ttl):
        self.store = store
        self.token_ttl = token_ttl

    def issue_token(self, client_id, client_secret):
        """The OAuth2 token reply for good client credentials, None for bad ones."""
        hotel = self.store.hotel_by_credential("client_id", client_id)
        if hotel is None or not _same(client_secret, hotel["client_secret"]):
            return None
        token = secrets.token_urlsafe(32)
        self.store.add_token(token, hotel["code"], time.time() + self.token_ttl)
        return {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl}

    def token_hotel(self, token):
        return self.store.token_hotel(token, time.time())

    def revoke(self, token):
        self.store.revoke_token(token)

    def password_hotel(self, username, password):
        """Hotel of a WS-Security UsernameToken (or HTTP Basic on /webhooks), None if wrong."""
        hotel = self.store.hotel_by_credential("username", username)
        if hotel is None or not _same(password, hotel["password"]):
            return None
        return hotel["code"]

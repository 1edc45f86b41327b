"""Webhook registration (``GET/PUT /webhooks``): where and with which secret Phobs pushes."""
from urllib.parse import urlsplit


def view(hotel):
    return {"url": hotel["webhook_url"], "has_secret": bool(hotel["webhook_secret"])}


def register(store, hotel_code, body):
    """Validate and store ``{"url", "secret"}`` for a hotel; ValueError says what is wrong."""
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object with url and secret")
    url, secret = body.get("url"), body.get("secret")
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("url must be an absolute http(s) URL")
    if not isinstance(secret, str) or not secret:
        raise ValueError("secret must be a non-empty string")
    store.set_webhook(hotel_code, url, secret)
    return view(store.hotel(hotel_code))

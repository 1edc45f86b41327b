"""Hotel definitions: validated here, whether they come from ``--config`` or the control API."""
import json
import pathlib
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .ota import error

#: What runs without ``--config`` (kept in code, so an installed wheel needs no data files).
DEMO_CONFIG = {"hotels": [{
    "code": "DEMO01", "name": "Hotel Adriatic Demo", "currency": "EUR", "timezone": "Europe/Zagreb",
    "default_rate": "95.00",
    "credentials": {"client_id": "demo01-client", "client_secret": "demo01-secret",
                    "username": "demo01", "password": "demo01-password"},
    "room_types": [{"code": "SGL", "name": "Single Room", "units": 4},
                   {"code": "DBL", "name": "Double Room", "units": 10},
                   {"code": "APT", "name": "Sea View Apartment", "units": 2}],
    "rate_plans": [{"code": "BAR", "name": "Best Available Rate",
                    "room_types": ["SGL", "DBL", "APT"]},
                   {"code": "NRF", "name": "Non-refundable", "room_types": ["DBL"],
                    "default_rate": "80.00"}],
}]}
CREDENTIALS = ("client_id", "client_secret", "username", "password")


def _text(data, key, default=None, required=False):
    value = data.get(key, default)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError("%s must be a non-empty string" % key)
    return value.strip()


def _money(value, what):
    try:
        amount = Decimal(str(value))
    except InvalidOperation as err:
        raise ValueError("%s must be a decimal amount" % what) from err
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -3:
        raise ValueError("%s must be a non-negative amount with at most three decimals" % what)
    return str(amount)


def hotel(data, code=None):
    """A hotel row for ``Store.put_hotel`` from its JSON form; ValueError says what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("a hotel must be a JSON object")
    code = code or _text(data, "code", required=True)
    timezone = _text(data, "timezone", "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ValueError("unknown timezone %r" % timezone) from err
    currency = _text(data, "currency", "EUR")
    if len(currency) != 3 or not currency.isalpha():
        raise ValueError("currency must be an ISO 4217 code")
    credentials = data.get("credentials") or {}
    creds = {key: _text(credentials, key) for key in CREDENTIALS}
    oauth2 = creds["client_id"] and creds["client_secret"]
    if not (oauth2 or (creds["username"] and creds["password"])):
        raise ValueError("credentials need client_id+client_secret and/or username+password")
    room_types = []
    for room in data.get("room_types") or []:
        units = room.get("units", 0)
        if not isinstance(units, int) or isinstance(units, bool) or units < 0:
            raise ValueError("units of room type %r must be a non-negative integer"
                             % room.get("code"))
        room_code = _text(room, "code", required=True)
        room_types.append({"code": room_code, "name": _text(room, "name", room_code),
                           "units": units})
    if not room_types:
        raise ValueError("a hotel needs at least one room type")
    known = [room["code"] for room in room_types]
    rate_plans = []
    for plan in data.get("rate_plans") or []:
        plan_code = _text(plan, "code", required=True)
        rooms = plan.get("room_types") or known
        unknown = sorted(set(rooms) - set(known))
        if unknown:
            raise ValueError("rate plan %s names unknown room types %s" % (plan_code, unknown))
        default_rate = plan.get("default_rate")
        rate_plans.append({
            "code": plan_code, "name": _text(plan, "name", plan_code), "room_types": list(rooms),
            "default_rate": None if default_rate is None else _money(default_rate, "default_rate"),
        })
    if not rate_plans:
        raise ValueError("a hotel needs at least one rate plan")
    webhook = data.get("webhook") or {}
    return dict(creds, code=code, name=_text(data, "name", code), currency=currency.upper(),
                timezone=timezone,
                default_rate=_money(data.get("default_rate", "100.00"), "default_rate"),
                room_types=room_types, rate_plans=rate_plans,
                webhook_url=_text(webhook, "url"), webhook_secret=webhook.get("secret"))


def load(path=None):
    """The hotels of a config file ``{"hotels": [...]}``, or of the demo config without one."""
    if path is None:
        data = DEMO_CONFIG
    else:
        data = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    hotels = data.get("hotels") if isinstance(data, dict) else None
    if not isinstance(hotels, list) or not hotels:
        raise ValueError("%s: expected {\"hotels\": [ ... ]}" % path)
    return [hotel(entry) for entry in hotels]


def require_codes(hotel, room_type, rate_plan=None):
    """OTA 402 for an unknown room type, 436 for an unknown rate plan, 783 if they do not pair."""
    if room_type not in {room["code"] for room in hotel["room_types"]}:
        raise error("402", room_type)
    if rate_plan is None:
        return
    plan = next((plan for plan in hotel["rate_plans"] if plan["code"] == rate_plan), None)
    if plan is None:
        raise error("436", rate_plan)
    if room_type not in plan["room_types"]:
        raise error("783", "rate plan %s is not sold for room type %s" % (rate_plan, room_type))

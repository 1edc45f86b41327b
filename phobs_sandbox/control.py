"""The control API under ``/_control/``: JSON, no auth, loopback only, for tests and demos.

It lets a test arrange the world (hotels, bookings, faults), look at what the PMS did (pushed
inventory, acknowledgements, uploads, traffic) and drive delivery, without going through the
protocol it is testing.
"""
import random
import re
from datetime import date, timedelta

from . import channels, config, guests, webhooks
from .dates import day_range, hotel_today
from .errors import ControlError

MAX_DAYS = 1100
STAY_FIELDS = ("room_type", "rate_plan", "arrival", "departure", "units", "adults", "children")


def _require(condition, message):
    if not condition:
        raise ControlError(400, message)


def _object(body):
    body = {} if body is None else body
    _require(isinstance(body, dict), "expected a JSON object")
    return body


def _day(value, name):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as err:
        raise ControlError(400, "%s must be an ISO date" % name) from err


def _flag(value):
    return str(value).lower() in ("1", "true", "yes")


class ControlApi:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.store = sandbox.store
        self.routes = [
            ("PUT", r"/hotels/(?P<code>[^/]+)", self.put_hotel),
            ("GET", r"/hotels", self.list_hotels),
            ("GET", r"/hotels/(?P<code>[^/]+)", self.get_hotel),
            ("GET", r"/hotels/(?P<code>[^/]+)/availability", self.availability),
            ("GET", r"/hotels/(?P<code>[^/]+)/availability-log", self.availability_log),
            ("GET", r"/hotels/(?P<code>[^/]+)/restrictions", self.restrictions),
            ("GET", r"/hotels/(?P<code>[^/]+)/rates", self.rates),
            ("POST", r"/bookings", self.create_booking),
            ("GET", r"/bookings", self.list_bookings),
            ("GET", r"/bookings/(?P<id>[^/]+)", self.get_booking),
            ("POST", r"/bookings/(?P<id>[^/]+)/modify", self.modify_booking),
            ("POST", r"/bookings/(?P<id>[^/]+)/cancel", self.cancel_booking),
            ("POST", r"/simulate", self.simulate),
            ("GET", r"/messages", self.messages),
            ("GET", r"/uploads", self.uploads),
            ("GET", r"/stats", self.stats),
            ("GET", r"/faults", self.list_faults),
            ("POST", r"/faults", self.add_faults),
            ("DELETE", r"/faults", self.clear_faults),
            ("POST", r"/reset", self.reset),
            ("GET", r"/webhook", self.get_webhook),
            ("PUT", r"/webhook", self.put_webhook),
            ("POST", r"/webhook/push-now", self.push_now),
        ]

    def dispatch(self, method, path, query, body):
        """(status, JSON-able reply) for a control request; ``path`` is below ``/_control``."""
        allowed = False
        for route_method, pattern, handler in self.routes:
            match = re.fullmatch(pattern, path)
            if match:
                allowed = True
                if route_method == method:
                    return handler(match.groupdict(), query, body)
        if allowed:
            raise ControlError(405, "method not allowed")
        raise ControlError(404, "no such control endpoint")

    # hotels and their inventory ---------------------------------------------------------------

    def _hotel(self, code):
        hotel = self.store.hotel(code)
        if hotel is None:
            raise ControlError(404, "unknown hotel %s" % code)
        return hotel

    @staticmethod
    def _public(hotel):
        hidden = ("client_secret", "password", "webhook_secret")
        view = {key: value for key, value in hotel.items() if key not in hidden}
        view.update({"has_" + key: bool(hotel[key]) for key in hidden})
        return view

    def put_hotel(self, params, query, body):
        try:
            self.store.put_hotel(config.hotel(_object(body), code=params["code"]))
        except ValueError as err:
            raise ControlError(400, str(err)) from err
        return 200, self._public(self.store.hotel(params["code"]))

    def list_hotels(self, params, query, body):
        return 200, {"hotels": [self._public(self.store.hotel(code))
                                for code in self.store.hotel_codes()]}

    def get_hotel(self, params, query, body):
        return 200, self._public(self._hotel(params["code"]))

    def _window(self, hotel, query):
        start = _day(query["from"], "from") if query.get("from") else hotel_today(hotel)
        end = _day(query["to"], "to") if query.get("to") else start + timedelta(days=30)
        _require(start <= end and (end - start).days < MAX_DAYS,
                 "need from <= to within %d days" % MAX_DAYS)
        return start, end

    def _room_types(self, hotel, query):
        codes = [room["code"] for room in hotel["room_types"]]
        if query.get("room_type"):
            _require(query["room_type"] in codes, "unknown room type %s" % query["room_type"])
            return [query["room_type"]]
        return codes

    def availability(self, params, query, body):
        """BookingLimit per room type and day as the channels see it now."""
        hotel = self._hotel(params["code"])
        start, end = self._window(hotel, query)
        days = day_range(start, end)
        return 200, {"hotel": hotel["code"], "from": start.isoformat(), "to": end.isoformat(),
                     "availability": {room: self.store.booking_limits(hotel["code"], room, days)
                                      for room in self._room_types(hotel, query)}}

    def availability_log(self, params, query, body):
        """Every BookingLimit change (seq > ``since``): when, the value, and what set it."""
        hotel = self._hotel(params["code"])
        return 200, {"hotel": hotel["code"], "log": self.store.availability_log(
            hotel["code"], int(query.get("since") or 0))}

    def _inventory(self, table, params, query):
        hotel = self._hotel(params["code"])
        start, end = self._window(hotel, query)
        rows = self.store.inventory_rows(table, hotel["code"], start.isoformat(), end.isoformat(),
                                         query.get("room_type"), query.get("rate_plan"))
        return hotel, start, end, rows

    def restrictions(self, params, query, body):
        """Restrictions per room type, rate plan and day as last pushed (unpushed days omitted)."""
        hotel, start, end, rows = self._inventory("restrictions", params, query)
        result = {}
        for row in rows:
            plans = result.setdefault(row["room_type"], {}).setdefault(row["rate_plan"], {})
            plans[row["day"]] = {
                "min_los": row["min_los"], "max_los": row["max_los"],
                "stop_sell": bool(row["stop_sell"]),
                "closed_to_arrival": bool(row["closed_to_arrival"]),
                "closed_to_departure": bool(row["closed_to_departure"]),
            }
        return 200, {"hotel": hotel["code"], "from": start.isoformat(), "to": end.isoformat(),
                     "restrictions": result}

    def rates(self, params, query, body):
        """Amounts per room type, rate plan and day exactly as pushed ("any": no guest count)."""
        hotel, start, end, rows = self._inventory("rates", params, query)
        result = {}
        for row in rows:
            plans = result.setdefault(row["room_type"], {}).setdefault(row["rate_plan"], {})
            day = plans.setdefault(row["day"], {"currency": row["currency"], "amounts": {}})
            day["amounts"][str(row["guests"]) if row["guests"] else "any"] = row["amount"]
        return 200, {"hotel": hotel["code"], "from": start.isoformat(), "to": end.isoformat(),
                     "rates": result}

    # bookings ---------------------------------------------------------------------------------

    def _booking(self, reservation_id, channel_only=False):
        reservation = self.store.reservation(reservation_id)
        if reservation is None:
            raise ControlError(404, "unknown reservation %s" % reservation_id)
        if channel_only and reservation["channel"] == "PMS":
            raise ControlError(409, "front-desk reservations change through uploads")
        return reservation

    def create_booking(self, params, query, body):
        """One channel booking on demand; 409 when the channel may not sell it."""
        body = _object(body)
        _require(isinstance(body.get("hotel"), str), "hotel (its code) is required")
        hotel = self._hotel(body["hotel"])
        rng = random.Random(body.get("seed"))
        channel = channels.by_code(body.get("channel", "BDC"))
        stays = body.get("room_stays") or [{k: body[k] for k in STAY_FIELDS if k in body}]
        _require(isinstance(stays, list) and all(isinstance(s, dict) for s in stays),
                 "room_stays must be a list of objects")
        draft = channels.draft(rng, hotel, channel, stays)
        self._apply_details(rng, hotel, draft, body)
        if body.get("channel_booking_id"):
            draft["channel_booking_id"] = str(body["channel_booking_id"])
        result = self.sandbox.bookings.create(hotel["code"], draft,
                                              body.get("respect_availability", True) is not False)
        return 201, dict(result, channel=channel.code,
                         channel_booking_id=draft["channel_booking_id"])

    @staticmethod
    def _apply_details(rng, hotel, draft, body):
        """Caller-given guest, comments and card override the generated ones."""
        if "guest" in body:
            _require(isinstance(body["guest"], dict), "guest must be an object")
            draft["guests"] = [dict(draft["guests"][0], **body["guest"])] + draft["guests"][1:]
        if "comments" in body:
            _require(isinstance(body["comments"], list), "comments must be a list of strings")
            draft["comments"] = [str(comment) for comment in body["comments"]]
        if "card" in body:
            card = body["card"]
            if card is True or isinstance(card, dict):
                generated = guests.card(rng, draft["guests"][0], hotel_today(hotel))
                draft["card"] = dict(generated, **card) if isinstance(card, dict) else generated
            else:
                draft["card"] = None

    def list_bookings(self, params, query, body):
        return 200, {"bookings": self.store.reservations(query.get("hotel"))}

    def get_booking(self, params, query, body):
        return 200, self._booking(params["id"])

    def modify_booking(self, params, query, body):
        """A new version: stay fields change the first room stay, ``room_stays`` replaces all."""
        body = _object(body)
        current = self._booking(params["id"], channel_only=True)
        hotel = self._hotel(current["hotel"])
        stays = body.get("room_stays")
        if stays is None:
            first = dict(current["room_stays"][0],
                         **{k: body[k] for k in STAY_FIELDS if k in body})
            stays = [first] + current["room_stays"][1:]
        draft = {"room_stays": stays, "guests": current["guests"], "comments": current["comments"],
                 "card": current["card"]}
        self._apply_details(random.Random(body.get("seed")), hotel, draft, body)
        result = self.sandbox.bookings.modify(params["id"], draft,
                                              body.get("respect_availability", True) is not False)
        return 200, result

    def cancel_booking(self, params, query, body):
        self._booking(params["id"], channel_only=True)
        return 200, self.sandbox.bookings.cancel(params["id"])

    def simulate(self, params, query, body):
        body = _object(body)
        count = body.get("count", 1)
        _require(isinstance(count, int) and 1 <= count <= 1000, "count must be 1..1000")
        if body.get("hotel"):
            self._hotel(body["hotel"])
        try:
            outcomes = self.sandbox.simulator.run(count, body.get("seed"), body.get("mix"),
                                                  body.get("hotel"))
        except ValueError as err:
            raise ControlError(400, str(err)) from err
        totals = {"book": 0, "modify": 0, "cancel": 0, "skipped": 0}
        for outcome in outcomes:
            totals["skipped" if "skipped" in outcome else outcome["action"]] += 1
        return 200, {"outcomes": outcomes, "totals": totals}

    # what the PMS did -------------------------------------------------------------------------

    def messages(self, params, query, body):
        state = query.get("state")
        _require(state in (None, "pending", "acked"), "state is pending or acked")
        return 200, {"messages": self.store.messages(state, query.get("hotel"),
                                                     _flag(query.get("include_xml")))}

    def uploads(self, params, query, body):
        return 200, {"uploads": self.store.uploads(query.get("hotel"))}

    def stats(self, params, query, body):
        counters = self.store.counters()
        return 200, {"endpoints": counters.get("endpoint", {}),
                     "operations": counters.get("operation", {}),
                     "statuses": counters.get("status", {}),
                     "echo_tokens": self.store.echo_tokens()}

    # faults, reset, push ----------------------------------------------------------------------

    def list_faults(self, params, query, body):
        return 200, {"rules": self.sandbox.faults.rules()}

    def add_faults(self, params, query, body):
        body = _object(body)
        try:
            rules = self.sandbox.faults.add(body.get("rules"), body.get("seed"))
        except ValueError as err:
            raise ControlError(400, str(err)) from err
        return 201, {"rules": rules}

    def clear_faults(self, params, query, body):
        self.sandbox.faults.clear()
        return 200, {"rules": []}

    def reset(self, params, query, body):
        self.sandbox.reset()
        return 200, {"reset": True}

    def _webhooks(self):
        return {"push": self.sandbox.pusher.enabled,
                "hotels": {code: webhooks.view(self.store.hotel(code))
                           for code in self.store.hotel_codes()}}

    def get_webhook(self, params, query, body):
        return 200, self._webhooks()

    def put_webhook(self, params, query, body):
        """``{"push": bool}`` switches pushing; ``{"hotel", "url", "secret"}`` registers a
        webhook."""
        body = _object(body)
        if "hotel" in body:
            self._hotel(body["hotel"])
            try:
                webhooks.register(self.store, body["hotel"], body)
            except ValueError as err:
                raise ControlError(400, str(err)) from err
        if "push" in body:
            _require(isinstance(body["push"], bool), "push must be true or false")
            self.sandbox.pusher.set_enabled(body["push"])
        return 200, self._webhooks()

    def push_now(self, params, query, body):
        return 200, self.sandbox.pusher.cycle(force=True)

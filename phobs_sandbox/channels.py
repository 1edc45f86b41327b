"""The OTAs that sell through Phobs, and a simulator that books, modifies and cancels like them.

The simulator never invents inventory: every booking goes through ``Bookings``, which only sells
what the PMS last published. It draws everything from a seeded ``random.Random``, so a seed
reproduces the same guests, channels, dates and actions (ids stay unique per sandbox instance).
"""
import logging
import random
import threading
from dataclasses import dataclass
from datetime import date, timedelta

from . import guests
from .dates import hotel_today
from .errors import Conflict, OtaError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Channel:
    code: str
    name: str
    weight: int
    #: Booking reference format: ``#`` a digit, ``X`` a letter or digit, anything else literal.
    reference: str
    #: Domain of the channel's e-mail relay; None when guests' own addresses are passed on.
    email_relay: str = None
    card_share: float = 0.5


CHANNELS = (
    Channel("BDC", "Booking.com", 38, "##########", "guest.booking.com", 0.6),
    Channel("EXP", "Expedia", 16, "#########", "m.expediapartnercentral.com", 0.4),
    Channel("ABB", "Airbnb", 12, "HMXXXXXXXX", "guest.airbnb.com", 0.0),
    Channel("AGO", "Agoda", 6, "#########", "agoda-messaging.com", 0.5),
    Channel("HCOM", "Hotels.com", 5, "#########", "m.expediapartnercentral.com", 0.4),
    Channel("CTRIP", "Trip.com", 4, "#############", None, 0.5),
    Channel("HRS", "HRS", 3, "########", None, 0.7),
    Channel("HWD", "Hostelworld", 2, "######-#########", None, 0.3),
    Channel("GHA", "Google Hotel Ads", 4, "GHAXXXXXXXXXX", None, 0.8),
    Channel("TRIP", "TripAdvisor", 2, "TA#########", None, 0.5),
    Channel("DSP", "Despegar", 2, "########", None, 0.5),
    Channel("TVL", "Traveloka", 2, "##########", None, 0.5),
    Channel("VRBO", "Vrbo", 3, "HA-XXXXXX", None, 0.2),
    Channel("OST", "Ostrovok", 1, "########", None, 0.5),
)
DEFAULT_MIX = {"book": 0.7, "modify": 0.2, "cancel": 0.1}
#: Relative frequency of stays of 1..14 nights.
LENGTH_OF_STAY_WEIGHTS = [20, 22, 18, 12, 8, 6, 7, 2, 1, 1, 1, 1, 0.5, 1]
ALPHANUMERIC = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def by_code(code):
    for channel in CHANNELS:
        if channel.code == code:
            return channel
    known = ", ".join(channel.code for channel in CHANNELS)
    raise OtaError("320", "unknown channel %r (known: %s)" % (code, known))


def reference(rng, channel):
    """A booking reference in the channel's own format."""
    return "".join(str(rng.randint(0, 9)) if ch == "#" else rng.choice(ALPHANUMERIC)
                   if ch == "X" else ch for ch in channel.reference)


def draft(rng, hotel, channel, stays):
    """A complete booking draft around given room stays: guests, requests, maybe a card."""
    today = hotel_today(hotel)
    party = [guests.guest(rng, channel.email_relay) for _ in stays]
    return {
        "channel": channel.code, "channel_booking_id": reference(rng, channel),
        "room_stays": [dict(stay, guest=index) for index, stay in enumerate(stays)],
        "guests": party, "comments": guests.special_requests(rng),
        "card": guests.card(rng, party[0], today) if rng.random() < channel.card_share else None,
    }


def _mix(mix):
    mix = dict(DEFAULT_MIX if mix is None else mix)
    weights_ok = all(isinstance(v, (int, float)) and v >= 0 for v in mix.values())
    if not mix or set(mix) - set(DEFAULT_MIX) or not weights_ok or not sum(mix.values()):
        raise ValueError("mix maps book/modify/cancel to non-negative weights, not all zero")
    return mix


class Simulator:
    def __init__(self, store, bookings, seed=None):
        self.store = store
        self.bookings = bookings
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None

    def run(self, count, seed=None, mix=None, hotel=None):
        """Perform ``count`` channel actions; returns what happened, skipped attempts included."""
        mix = _mix(mix)
        if seed is None:
            with self._rng_lock:
                seed = self._rng.getrandbits(64)
        rng = random.Random(seed)
        codes = [hotel] if hotel else self.store.hotel_codes()
        return [self.step(rng, rng.choice(codes), mix) for _ in range(count)] if codes else []

    def step(self, rng, hotel_code, mix):
        hotel = self.bookings.hotel(hotel_code)
        action = rng.choices(list(mix), weights=list(mix.values()))[0]
        live = [r for r in self.store.reservations(hotel_code, origin="channel", active=True)
                if r["room_stays"][0]["arrival"] >= hotel_today(hotel).isoformat()]
        if action != "book" and live:
            target = rng.choice(live)
            if action == "cancel":
                return dict(self.bookings.cancel(target["id"]), action="cancel",
                            channel=target["channel"])
            outcome = self._modify(rng, hotel, target)
            if outcome:
                return outcome
        return self._book(rng, hotel)

    def _random_stays(self, rng, hotel):
        pairs = [(room, plan["code"]) for plan in hotel["rate_plans"]
                 for room in plan["room_types"]]
        offset = min(int(rng.expovariate(1 / 21)), 180)
        arrival = hotel_today(hotel) + timedelta(days=offset)
        length = rng.choices(range(1, 15), weights=LENGTH_OF_STAY_WEIGHTS)[0]
        stays = []
        for _ in range(rng.choices([1, 2, 3], weights=[88, 9, 3])[0]):
            room_type, rate_plan = rng.choice(pairs)
            stays.append({
                "room_type": room_type, "rate_plan": rate_plan, "arrival": arrival.isoformat(),
                "departure": (arrival + timedelta(days=length)).isoformat(), "units": 1,
                "adults": rng.choice([1, 2, 2, 2, 3]), "children": guests.children(rng),
            })
        return stays

    def _book(self, rng, hotel, attempts=25):
        reason = "hotel has nothing to sell"
        for _ in range(attempts):
            channel = rng.choices(CHANNELS, weights=[c.weight for c in CHANNELS])[0]
            booking = draft(rng, hotel, channel, self._random_stays(rng, hotel))
            try:
                return dict(self.bookings.create(hotel["code"], booking), action="book",
                            channel=channel.code)
            except Conflict as err:
                reason = err.reason
        return {"action": "book", "skipped": reason}

    def _modify(self, rng, hotel, target):
        """Try a few kinds of change in random order; the first the channel may sell wins."""
        changes = ["dates", "extend", "shorten", "guests", "request", "room"]
        rng.shuffle(changes)
        for change in changes:
            stays = [dict(stay) for stay in target["room_stays"]]
            first = stays[0]
            arrival = date.fromisoformat(first["arrival"])
            departure = date.fromisoformat(first["departure"])
            extra = {}
            if change == "dates":
                shift = timedelta(days=rng.choice([-2, -1, 1, 2, 3]))
                if arrival + shift < hotel_today(hotel):
                    continue
                for stay in stays:
                    stay["arrival"] = (arrival + shift).isoformat()
                    stay["departure"] = (departure + shift).isoformat()
            elif change == "extend":
                first["departure"] = (departure + timedelta(days=1)).isoformat()
            elif change == "shorten":
                if (departure - arrival).days < 2:
                    continue
                first["departure"] = (departure - timedelta(days=1)).isoformat()
            elif change == "guests":
                first["adults"] = rng.choice([1, 2, 3])
                first["children"] = guests.children(rng)
            elif change == "request":
                extra["comments"] = target["comments"] + [rng.choice(guests.REQUESTS)]
            else:
                plan = next(p for p in hotel["rate_plans"] if p["code"] == first["rate_plan"])
                others = [room for room in plan["room_types"] if room != first["room_type"]]
                if not others:
                    continue
                first["room_type"] = rng.choice(others)
            try:
                result = self.bookings.modify(target["id"], dict(extra, room_stays=stays))
            except Conflict:
                continue
            return dict(result, action="modify", change=change, channel=target["channel"])
        return None

    # background -------------------------------------------------------------------------------

    def start(self, every):
        """Book, modify or cancel one reservation every ``every`` seconds until ``stop``."""
        self._thread = threading.Thread(target=self._loop, args=(every,), name="simulator",
                                        daemon=True)
        self._thread.start()

    def _loop(self, every):
        while not self._stop.wait(every):
            try:
                with self._rng_lock:
                    seed = self._rng.getrandbits(64)
                for outcome in self.run(1, seed=seed):
                    log.info("simulated %s", outcome)
            except Exception:
                log.exception("simulation step failed")

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

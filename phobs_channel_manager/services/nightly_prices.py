"""The price of every room, every night, of a delivered booking, totalling its OTA total.

Pure and exact (``Decimal``, then integers of the currency's minor unit). The invariant the
front desk's folio relies on: ``sum(night amount x rooms)`` over all stays equals the booking's
total to the minor unit.

- The booking total is ``ResGlobalInfo/Total`` when given, else the room stays' totals.
- A stay's total is its ``RoomStay/Total``, else its rates times its rooms. When the booking
  total differs from the stays' (fees or a discount given only globally), the difference goes to
  the last stay; stays without any amount share what the booking total leaves, by room-nights.
- Within a stay, each night of one room costs what its rate says (a per-night price as is; a
  span or a block of nights split evenly, the remainder on its last night). When the stay total
  differs from its rates (a fee or discount given only in a total), the nights are scaled in
  proportion; nights no rate prices share what is left evenly; any remainder is on the last
  night. A stay total that does not divide by its rooms (two rooms for 201.01) becomes two
  groups of rooms one minor unit apart, so nothing is lost.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ..phobs_api.dates import days_between, last_night

#: ISO 4217 minor units that are not 2 (the default).
MINOR_UNITS = {"BHD": 3, "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0, "JOD": 3,
               "JPY": 0, "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "RWF": 0,
               "TND": 3, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0}


class PricingError(ValueError):
    """A booking whose amounts contradict each other; the text says how."""


@dataclass(frozen=True)
class PricedRooms:
    """``units`` rooms of a stay that cost the same each night: ``nights`` = (night, price)."""

    units: int
    nights: tuple[tuple[date, Decimal], ...]

    @property
    def total(self) -> Decimal:
        return sum((amount for _night, amount in self.nights), Decimal(0)) * self.units


@dataclass(frozen=True)
class PricedStay:
    stay: object
    groups: tuple[PricedRooms, ...]

    @property
    def total(self) -> Decimal:
        return sum((group.total for group in self.groups), Decimal(0))


@dataclass(frozen=True)
class PricePlan:
    currency: str | None
    total: Decimal
    stays: tuple[PricedStay, ...]


def currency_of(reservation) -> str | None:
    """The booking's currency; amounts in two currencies cannot be added and are refused."""
    codes = [reservation.currency] + [stay.currency for stay in reservation.room_stays]
    codes += [rate.currency for stay in reservation.room_stays for rate in stay.daily_rates]
    found = sorted({code for code in codes if code})
    if len(found) > 1:
        raise PricingError("amounts in several currencies (%s): the booking cannot be priced"
                           % ", ".join(found))
    return found[0] if found else None


def price_plan(reservation) -> PricePlan:
    currency = currency_of(reservation)
    exponent = MINOR_UNITS.get(currency or "", 2)
    scale = Decimal(10) ** exponent
    stays = reservation.room_stays
    per_room = [_rate_nights(stay, scale) for stay in stays]
    totals = [_minor(stay.total, scale) if stay.total is not None
              else (sum(prices.values()) * stay.units if prices else None)
              for stay, prices in zip(stays, per_room)]
    if reservation.total is not None and stays:
        totals = _fit_to_booking_total(_minor(reservation.total, scale), totals, stays)
    totals = [total or 0 for total in totals]
    priced = tuple(
        PricedStay(stay, tuple(
            PricedRooms(units, tuple((night, Decimal(amount) / scale)
                                     for night, amount in nights))
            for units, nights in _distribute(total, stay, prices)))
        for stay, prices, total in zip(stays, per_room, totals))
    # A booking without room stays (a Cancel may come so) sells no night: its total is 0 too.
    return PricePlan(currency=currency, total=Decimal(sum(totals)) / scale, stays=priced)


def stay_nights(stay) -> list[date]:
    return list(days_between(stay.arrival, last_night(stay.departure)))


def _minor(amount: Decimal, scale: Decimal) -> int:
    return int((amount * scale).to_integral_value(rounding=ROUND_HALF_UP))


def _rate_nights(stay, scale) -> dict[date, int]:
    """Night -> price of one room (minor units) as the rates give it; overlaps are refused."""
    prices: dict[date, int] = {}
    for index, rate in enumerate(stay.daily_rates, start=1):
        block = rate.nights if rate.unit_nights is None else rate.unit_nights
        for offset in range(0, rate.nights, block):
            first = rate.start + timedelta(days=offset)
            nights = [first + timedelta(days=n) for n in range(block)]
            for night, amount in zip(nights, _split(_minor(rate.amount, scale), len(nights))):
                if night in prices:
                    raise PricingError("room stay %s %s to %s: two rates price the night of %s"
                                       % (stay.room_type_code, stay.arrival, stay.departure,
                                          night))
                prices[night] = amount
    return prices


def _split(total: int, count: int) -> list[int]:
    """``total`` over ``count`` parts, evenly, the remainder on the last part."""
    share = total // count
    return [share] * (count - 1) + [total - share * (count - 1)]


def _fit_to_booking_total(booking_total, totals, stays):
    """Stays' totals that add up to the booking total (see the module docstring)."""
    totals = list(totals)
    unpriced = [i for i, total in enumerate(totals) if total is None]
    known = sum(total for total in totals if total is not None)
    left = booking_total - known
    if unpriced:
        if left < 0:
            raise PricingError("the booking total is less than what its priced room stays "
                               "add up to")
        weights = [stays[i].units * len(stay_nights(stays[i])) for i in unpriced]
        shares = [left * weight // sum(weights) for weight in weights]
        shares[-1] += left - sum(shares)
        for i, share in zip(unpriced, shares):
            totals[i] = share
    elif left:
        totals[-1] += left
        if totals[-1] < 0:
            raise PricingError("the booking total is less than its room stays' prices")
    return totals


def _distribute(total: int, stay, prices: dict[date, int]):
    """``[(units, [(night, minor amount)])]`` for one stay, exactly ``total`` in all."""
    nights = stay_nights(stay)
    per_room, odd = divmod(total, stay.units)
    groups = [(stay.units - odd, per_room)] + ([(odd, per_room + 1)] if odd else [])
    return [(units, list(zip(nights, _night_amounts(room_total, nights, prices))))
            for units, room_total in groups]


def _night_amounts(room_total: int, nights: list[date], prices: dict[date, int]) -> list[int]:
    """One room's nights summing to ``room_total``. Nights the rates price keep their relative
    prices (scaled when the stay total differs from the rates, as when a booking total includes
    a fee); nights no rate prices share what is left evenly; the remainder is on the last night."""
    known = [prices.get(night) for night in nights]
    unpriced = [i for i, amount in enumerate(known) if amount is None]
    left = room_total - sum(amount for amount in known if amount is not None)
    if not unpriced or left < 0:
        return _proportional(room_total, [amount or 0 for amount in known])
    amounts = [amount or 0 for amount in known]
    for i, share in zip(unpriced, _split(left, len(unpriced))):
        amounts[i] = share
    return amounts


def _proportional(total: int, weights: list[int]) -> list[int]:
    if not sum(weights):
        return _split(total, len(weights))
    amounts = [total * weight // sum(weights) for weight in weights]
    amounts[-1] += total - sum(amounts)
    return amounts

"""What each room of a channel booking costs each night, to the cent. Framework-free.

The folio must repeat the OTA total exactly, so prices are worked out in whole minor units of the
booking's currency (cents, or yen where there are none: ``minor_units``):
- nightly prices as sold, when the booking carries them (price of one room for one night);
- otherwise a stay's amount (all its rooms, all its nights) split evenly over its room-nights,
  the rounding remainder on the last night of the last room;
- otherwise the booking's total split the same way over every room-night of the booking.
A run of consecutive nights at the same price becomes one line (``nights`` x ``price``).
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal


@dataclass
class StayPrices:
    """One room stay as sold: ``nightly`` maps night -> price of one room (may be empty)."""
    key: object
    arrival: date
    departure: date
    units: int
    amount: Decimal | None = None
    nightly: dict = field(default_factory=dict)

    @property
    def nights(self):
        return [self.arrival + timedelta(days=n) for n in range((self.departure - self.arrival).days)]


@dataclass(frozen=True)
class PriceRun:
    """Consecutive nights ``[first, departure)`` of one room at one price."""
    first: date
    departure: date
    price: Decimal

    @property
    def nights(self):
        return (self.departure - self.first).days


def _split(total, count, unit):
    """``count`` amounts of whole ``unit``s summing to ``total``, the remainder on the last."""
    minor = int((Decimal(str(total)) / unit).to_integral_value(ROUND_HALF_UP))
    base = minor // count if count else 0
    shares = [base] * count
    if count:
        shares[-1] += minor - base * count
    return [Decimal(share) * unit for share in shares]


def room_prices(stays, booking_total=None, minor_units=2):
    """``{stay.key: [[(night, price) per night] per room]}`` for every stay."""
    unit = Decimal(1).scaleb(-minor_units)
    result = {}
    if stays and not any(stay.nightly or stay.amount for stay in stays) and booking_total:
        room_nights = [(stay.key, room, night) for stay in stays for room in range(stay.units)
                       for night in stay.nights]
        shares = iter(_split(booking_total, len(room_nights), unit))
        for stay in stays:
            result[stay.key] = [[(night, next(shares)) for night in stay.nights]
                                for _room in range(stay.units)]
        return result
    for stay in stays:
        if stay.nightly and all(night in stay.nightly for night in stay.nights):
            prices = [(night, Decimal(str(stay.nightly[night])).quantize(unit))
                      for night in stay.nights]
            result[stay.key] = [list(prices) for _room in range(stay.units)]
            continue
        shares = iter(_split(stay.amount or 0, len(stay.nights) * stay.units, unit))
        result[stay.key] = [[(night, next(shares)) for night in stay.nights]
                            for _room in range(stay.units)]
    return result


def runs(nightly):
    """Consecutive nights of equal price joined: ``[(night, price)]`` -> ``[PriceRun]``."""
    result = []
    for night, price in nightly:
        last = result[-1] if result else None
        if last and last.price == price and last.departure == night:
            result[-1] = PriceRun(last.first, night + timedelta(days=1), price)
        else:
            result.append(PriceRun(night, night + timedelta(days=1), price))
    return result

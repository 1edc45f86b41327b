"""What a delivered ``HotelReservation`` says the guest pays, in every form OTA allows.

Reading rules (docs/protocol.md repeats them for people):

- An amount element (``Base``, ``Total``, ``AmountPercent``) is read as ``AmountAfterTax`` when
  given, else ``AmountBeforeTax``, else ``Amount``: the guest pays after tax, and the folio must
  repeat what the guest pays.
- A ``Rate`` holds the price of ONE room (``RoomRate/@NumberOfUnits`` rooms cost that many
  times). Its nights run from ``EffectiveDate`` to ``ExpireDate`` (exclusive; either may sit on
  the ``RoomRate``, as Booking.com-style senders put one ``RoomRate`` per night).
- ``Rate/Total`` is the price of the Rate's whole span; ``Rate/Base`` the price of one rate
  time unit: ``RateTimeUnit`` Day (the default) or Week, times ``UnitMultiplier`` (OTA: "the
  number of RateTimeUnits the amount is based upon", a flat rate for 3 days), or the whole span
  for ``FullDuration``. When both are given the one with ``AmountAfterTax`` wins, ``Total`` first.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from lxml import etree

from ..errors import PhobsProtocolError
from ..records import DailyRate
from ..xml import child, children, descendants
from .common import parse_date, parse_int, parse_money

_UNIT_NIGHTS = {"day": 1, "week": 7, "fullduration": None}


def amount_of(el: etree._Element | None, what: str) -> tuple[Decimal | None, str | None]:
    """``(amount, currency)`` of an amount element; ``(None, None)`` when it carries none."""
    if el is None:
        return None, None
    for name in ("AmountAfterTax", "AmountBeforeTax", "Amount"):
        value = el.get(name)
        if value is not None and value.strip():
            return parse_money(value, what), _code(el.get("CurrencyCode"))
    return None, None


def parse_room_rates(stay: etree._Element, where: str) -> tuple[DailyRate, ...]:
    """Every ``Rate`` of every ``RoomRate`` of a room stay, in document order."""
    rates = []
    index = 0
    for room_rate in descendants(stay, "RoomRates/RoomRate"):
        for rate in descendants(room_rate, "Rates/Rate"):
            index += 1
            rates.append(_parse_rate(rate, room_rate, f"{where}: Rate {index}"))
    return tuple(rates)


def _parse_rate(el: etree._Element, room_rate: etree._Element, where: str) -> DailyRate:
    unit_nights = _unit_nights(el, where)
    start_text = el.get("EffectiveDate") or room_rate.get("EffectiveDate")
    if not (start_text or "").strip():
        raise PhobsProtocolError(f"{where}: EffectiveDate is missing")
    start = parse_date(start_text, f"{where}: EffectiveDate")
    end = parse_date(el.get("ExpireDate") or room_rate.get("ExpireDate"), f"{where}: ExpireDate")
    if end is None:
        end = start + timedelta(days=unit_nights or 1)
    if end <= start:
        raise PhobsProtocolError(f"{where}: ExpireDate {end} is not after EffectiveDate {start}")
    chosen = _chosen_amount(el, where)
    if chosen is None:
        raise PhobsProtocolError(
            f"{where}: no amount (neither Base nor Total carries AmountAfterTax, "
            "AmountBeforeTax or Amount)")
    amount, currency, is_total = chosen
    if is_total or unit_nights is None:
        unit_nights = None
    elif (end - start).days % unit_nights:
        raise PhobsProtocolError(
            f"{where}: {(end - start).days} nights from {start} to {end} are not a whole number "
            f"of {unit_nights}-night units (RateTimeUnit/UnitMultiplier)")
    return DailyRate(start=start, end_exclusive=end, amount=amount, currency=currency,
                     unit_nights=unit_nights)


def _unit_nights(el: etree._Element, where: str) -> int | None:
    unit = (el.get("RateTimeUnit") or "Day").strip()
    if unit.casefold() not in _UNIT_NIGHTS:
        raise PhobsProtocolError(
            f"{where}: RateTimeUnit {unit!r} is not read (Day, Week or FullDuration are); "
            "ask the channel to send nightly prices")
    nights = _UNIT_NIGHTS[unit.casefold()]
    multiplier = parse_int(el.get("UnitMultiplier"), f"{where}: UnitMultiplier", minimum=1)
    return None if nights is None else nights * (multiplier or 1)


def _chosen_amount(el: etree._Element, where: str):
    """``(amount, currency, is_span_total)`` of the Rate: Total or Base, after tax first."""
    found = []
    for name, is_total in (("Total", True), ("Base", False)):
        part = child(el, name)
        amount, currency = amount_of(part, f"{where}: {name}")
        if amount is not None:
            after_tax = bool((part.get("AmountAfterTax") or "").strip())
            currency = currency or _code(el.get("CurrencyCode"))
            found.append((not after_tax, len(found), (amount, currency, is_total)))
    return min(found)[2] if found else None


def penalty_amount(reservation: etree._Element, where: str) -> Decimal | None:
    """What a cancellation costs the guest: ``CancelPenalty/AmountPercent/@Amount`` of the
    booking, else the sum over its room stays. A ``Percent`` alone is a policy, not an amount
    owed, and is not turned into money here."""
    booking = list(descendants(reservation, "ResGlobalInfo/CancelPenalties/CancelPenalty"))
    rooms = list(descendants(reservation, "RoomStays/RoomStay/CancelPenalties/CancelPenalty"))
    for penalties in (booking, rooms):
        amounts = [amount_of(child(p, "AmountPercent"), f"{where}: CancelPenalty")[0]
                   for p in penalties]
        amounts = [a for a in amounts if a is not None]
        if amounts:
            return sum(amounts, Decimal(0))
    return None


def texts(parents, element: str) -> list[str]:
    """The ``Text`` paragraphs (or plain text) of each ``element`` under ``parents``."""
    lines = []
    for parent in parents:
        for paragraph in children(parent, element):
            found = [t.text.strip() for t in children(paragraph, "Text") if (t.text or "").strip()]
            if not found and (paragraph.text or "").strip():
                found = [paragraph.text.strip()]
            if not found and (paragraph.get("Name") or "").strip():
                found = [paragraph.get("Name").strip()]
            lines.extend(found)
    return lines


def _code(value: str | None) -> str | None:
    return (value or "").strip().upper() or None


"""``OTA_HotelRateAmountNotifRQ``/``RS``: nightly prices per room type x rate plan x range."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from lxml import etree

from ..errors import PhobsProtocolError
from ..profile import DEFAULT_PROFILE, DialectProfile
from ..records import AckResult, OtaError, RateRun
from ..xml import child, descendants, sub
from .common import (
    Message,
    add_status_application_control,
    build_acknowledgement,
    expect,
    format_money,
    new_message,
    parse_acknowledgement,
    parse_int,
    parse_money,
    read_status_application_control,
    required,
)


@dataclass(frozen=True)
class RateAmountNotif:
    hotel_code: str | None
    rates: tuple[RateRun, ...] = ()


def build_hotel_rate_amount_notif_rq(
    hotel_code: str,
    runs: Iterable[RateRun],
    *,
    echo_token: str,
    timestamp: datetime,
    profile: DialectProfile = DEFAULT_PROFILE,
) -> etree._Element:
    rq = new_message("OTA_HotelRateAmountNotifRQ", echo_token=echo_token, timestamp=timestamp,
                     profile=profile)
    container = sub(rq, "RateAmountMessages", {"HotelCode": hotel_code})
    for run in runs:
        if not run.currency:
            raise ValueError(f"rate for {run.room_type_code}/{run.rate_plan_code} has no currency")
        message = sub(container, "RateAmountMessage")
        add_status_application_control(message, room_type_code=run.room_type_code,
                                       rate_plan_code=run.rate_plan_code,
                                       start=run.start, end=run.end)
        amounts = sub(sub(sub(message, "Rates"), "Rate"), "BaseByGuestAmts")
        sub(amounts, "BaseByGuestAmt", {"AmountAfterTax": format_money(run.amount),
                                        "CurrencyCode": run.currency,
                                        "NumberOfGuests": run.guests})
    if not len(container):
        raise ValueError("an OTA_HotelRateAmountNotifRQ carries at least one run")
    return rq


def parse_hotel_rate_amount_notif_rq(message: Message) -> RateAmountNotif:
    rq = expect(message, "OTA_HotelRateAmountNotifRQ")
    container = child(rq, "RateAmountMessages")
    runs = []
    for index, el in enumerate(descendants(container, "RateAmountMessage"), start=1):
        where = f"RateAmountMessage {index}"
        room, rate_plan, start, end = read_status_application_control(el, where)
        rate_plan = required(rate_plan, f"{where}: RatePlanCode")
        amounts = list(descendants(el, "Rates/Rate/BaseByGuestAmts/BaseByGuestAmt"))
        if not amounts:
            raise PhobsProtocolError(f"{where}: no BaseByGuestAmt")
        for amount_el in amounts:
            amount = parse_money(
                amount_el.get("AmountAfterTax") or amount_el.get("AmountBeforeTax"),
                f"{where}: amount",
            )
            if amount is None:
                raise PhobsProtocolError(f"{where}: BaseByGuestAmt without an amount")
            runs.append(RateRun(
                room_type_code=room,
                rate_plan_code=rate_plan,
                start=start,
                end=end,
                amount=amount,
                currency=required(amount_el.get("CurrencyCode"), f"{where}: CurrencyCode"),
                guests=parse_int(amount_el.get("NumberOfGuests"), f"{where}: NumberOfGuests",
                                 minimum=1),
            ))
    return RateAmountNotif(
        hotel_code=container.get("HotelCode") if container is not None else None,
        rates=tuple(runs),
    )


def build_hotel_rate_amount_notif_rs(*, echo_token: str, timestamp: datetime,
                                     errors: Iterable[OtaError] = (),
                                     warnings: Iterable[OtaError] = (),
                                     profile: DialectProfile = DEFAULT_PROFILE) -> etree._Element:
    return build_acknowledgement("OTA_HotelRateAmountNotifRS", echo_token=echo_token,
                                 timestamp=timestamp, profile=profile, errors=errors,
                                 warnings=warnings)


def parse_hotel_rate_amount_notif_rs(message: Message) -> AckResult:
    return parse_acknowledgement(expect(message, "OTA_HotelRateAmountNotifRS"))

"""``OTA_HotelRateAmountNotifRQ``/``RS``: nightly prices per room type x rate plan x range."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from lxml import etree

from ..profile import DEFAULT_PROFILE, DialectProfile
from ..records import AckResult, RateRun
from ..xml import sub
from .common import (
    Message,
    add_status_application_control,
    build_notification,
    expect,
    format_money,
    parse_acknowledgement,
)


def build_hotel_rate_amount_notif_rq(
    hotel_code: str,
    runs: Iterable[RateRun],
    *,
    echo_token: str,
    timestamp: datetime,
    profile: DialectProfile = DEFAULT_PROFILE,
) -> etree._Element:
    return build_notification("OTA_HotelRateAmountNotifRQ", "RateAmountMessages", hotel_code,
                              runs, _add_rate, echo_token=echo_token, timestamp=timestamp,
                              profile=profile)


def _add_rate(container: etree._Element, run: RateRun) -> None:
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


def parse_hotel_rate_amount_notif_rs(message: Message) -> AckResult:
    return parse_acknowledgement(expect(message, "OTA_HotelRateAmountNotifRS"))

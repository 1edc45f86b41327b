"""Plain records the client speaks in: what the Odoo services read and write.

Money is ``Decimal``, stay dates are hotel-local ``date``, timestamps are aware ``datetime``.
No record can hold a full card number or a CVV: :class:`MaskedCard` keeps four digits at most.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


class ResStatus(str, enum.Enum):
    """Reservation status, normalised from whatever spelling the profile accepts."""

    BOOK = "Book"
    COMMIT = "Commit"
    MODIFY = "Modify"
    CANCEL = "Cancel"


#: OTA AgeQualifyingCode values Phobs uses.
AGE_ADULT = "10"
AGE_CHILD = "8"


@dataclass(frozen=True)
class OtaError:
    """One OTA ``Error`` or ``Warning``: ``type`` from the EWT list, ``code`` from the ERR list."""

    type: str
    code: str | None = None
    text: str = ""
    record_id: str | None = None


@dataclass(frozen=True)
class Confirmation:
    """One reservation the peer confirmed or we acknowledge: message id, reservation id, PMS id."""

    message_id: str | None = None
    reservation_id: str | None = None
    pms_id: str | None = None


@dataclass(frozen=True)
class AckResult:
    """A reply with ``Success``: its echo token, warnings and the reservations it names."""

    echo_token: str | None = None
    warnings: tuple[OtaError, ...] = ()
    confirmations: tuple[Confirmation, ...] = ()


@dataclass(frozen=True)
class GuestCount:
    age_code: str
    count: int
    age: int | None = None


@dataclass(frozen=True)
class DailyRate:
    """A price of ONE room for the nights from ``start`` to ``end_exclusive``.

    ``unit_nights`` says what ``amount`` buys: 1 (the default) each night; ``k`` each block of
    ``k`` nights (``RateTimeUnit`` Day x ``UnitMultiplier`` k, Week = 7); ``None`` the whole
    span at once (``RateTimeUnit="FullDuration"`` or a ``Rate/Total``).
    """

    start: date
    end_exclusive: date
    amount: Decimal
    currency: str | None = None
    unit_nights: int | None = 1

    @property
    def nights(self) -> int:
        return (self.end_exclusive - self.start).days


@dataclass(frozen=True)
class RoomStay:
    room_type_code: str
    rate_plan_code: str | None
    arrival: date
    departure: date
    units: int = 1
    guest_counts: tuple[GuestCount, ...] = ()
    daily_rates: tuple[DailyRate, ...] = ()
    total: Decimal | None = None
    currency: str | None = None
    guest_rphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guest:
    rph: str | None = None
    primary: bool = False
    given_name: str | None = None
    surname: str | None = None
    email: str | None = None
    phone: str | None = None
    address_lines: tuple[str, ...] = ()
    city: str | None = None
    postal_code: str | None = None
    country_code: str | None = None


@dataclass(frozen=True)
class MaskedCard:
    """What we may keep of a payment card: type, holder, last four digits, expiry (MMYY)."""

    card_type: str | None = None
    holder: str | None = None
    last4: str | None = None
    expire: str | None = None

    def __post_init__(self):
        if self.last4 is not None and not (self.last4.isdigit() and len(self.last4) <= 4):
            raise ValueError("MaskedCard.last4 holds at most four digits")

    @property
    def masked_number(self) -> str | None:
        return f"****{self.last4}" if self.last4 else None


@dataclass(frozen=True)
class Reservation:
    """One delivered version of a Phobs reservation (a full snapshot, not a diff).

    ``message_id`` (UniqueID Type 16) is the idempotency key of the delivery; ``reservation_id``
    (Type 14) identifies the reservation across versions; ``modified_at`` orders the versions.
    """

    reservation_id: str
    status: ResStatus
    message_id: str | None = None
    created_at: datetime | None = None
    modified_at: datetime | None = None
    hotel_code: str | None = None
    channel_code: str | None = None
    channel_name: str | None = None
    channel_booking_id: str | None = None
    pms_id: str | None = None
    room_stays: tuple[RoomStay, ...] = ()
    guests: tuple[Guest, ...] = ()
    special_requests: str | None = None
    payment_card: MaskedCard | None = None
    total: Decimal | None = None
    currency: str | None = None
    #: Free-text remarks (``Comments``), kept apart from the guest's ``SpecialRequests``.
    comments: str | None = None
    #: Guests given once for the whole booking (``ResGlobalInfo/GuestCounts``).
    guest_counts: tuple[GuestCount, ...] = ()
    #: What the guest owes after a cancellation (``CancelPenalty/AmountPercent/@Amount``).
    penalty_amount: Decimal | None = None
    # The delivered element with card data masked (see ``redacted_xml``), for the audit trail.
    source_xml: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def arrival(self) -> date | None:
        return min((s.arrival for s in self.room_stays), default=None)

    @property
    def departure(self) -> date | None:
        return max((s.departure for s in self.room_stays), default=None)

    @property
    def version(self) -> datetime | None:
        return self.modified_at or self.created_at


@dataclass(frozen=True)
class RejectedReservation:
    """A delivered reservation we could not accept; acknowledge it with :meth:`ota_error`."""

    message_id: str | None
    reservation_id: str | None
    problem: str
    source_xml: bytes | None = field(default=None, repr=False, compare=False)

    def ota_error(self) -> OtaError:
        """Type 3 (business rule), code 450 (unable to process), with the reason."""
        return OtaError(type="3", code="450", text=self.problem, record_id=self.message_id)


@dataclass(frozen=True)
class ReservationBatch:
    """What a pull or a push delivered: accepted reservations and rejected ones, in order.

    ``more`` is true when Phobs said more undelivered messages wait (``MoreIndicator``).
    """

    reservations: tuple[Reservation, ...] = ()
    rejected: tuple[RejectedReservation, ...] = ()
    more: bool = False
    echo_token: str | None = None
    warnings: tuple[OtaError, ...] = ()


@dataclass(frozen=True)
class AvailabilityRun:
    """Rooms of a type that may still be sold each day from ``start`` to ``end`` (inclusive)."""

    room_type_code: str
    start: date
    end: date
    booking_limit: int


@dataclass(frozen=True)
class RestrictionRun:
    """Restrictions for ``start``..``end`` (inclusive); ``None`` leaves a restriction unchanged.

    ``min_los=1`` lifts a minimum stay; ``max_los=0`` lifts a maximum (sent as ``RemoveMaxLOS``).
    """

    room_type_code: str
    rate_plan_code: str | None
    start: date
    end: date
    min_los: int | None = None
    max_los: int | None = None
    closed_to_arrival: bool | None = None
    closed_to_departure: bool | None = None
    stop_sell: bool | None = None


@dataclass(frozen=True)
class RateRun:
    """The nightly price for ``start``..``end`` (inclusive); ``guests`` for per-occupancy prices."""

    room_type_code: str
    rate_plan_code: str
    start: date
    end: date
    amount: Decimal
    currency: str
    guests: int | None = None

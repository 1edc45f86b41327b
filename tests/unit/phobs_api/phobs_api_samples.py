"""Sample records shared by the client tests."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from phobs_channel_manager.phobs_api.records import (
    DailyRate,
    Guest,
    GuestCount,
    Reservation,
    ResStatus,
    RoomStay,
)

CEST = timezone(timedelta(hours=2))
STAMP = datetime(2024, 5, 1, 10, 30, tzinfo=CEST)


def make_reservation(**overrides) -> Reservation:
    """A full two-room reservation, as Phobs would deliver it (card excepted)."""
    eur = "EUR"
    stays = (
        RoomStay(
            room_type_code="DBL",
            rate_plan_code="BAR",
            arrival=date(2024, 6, 1),
            departure=date(2024, 6, 4),
            units=1,
            guest_counts=(GuestCount("10", 2), GuestCount("8", 1, age=7)),
            daily_rates=(
                DailyRate(date(2024, 6, 1), date(2024, 6, 3), Decimal("120.00"), eur),
                DailyRate(date(2024, 6, 3), date(2024, 6, 4), Decimal("135.50"), eur),
            ),
            total=Decimal("375.50"),
            currency=eur,
            guest_rphs=("1", "2"),
        ),
        RoomStay(
            room_type_code="SGL",
            rate_plan_code=None,
            arrival=date(2024, 6, 2),
            departure=date(2024, 6, 3),
            guest_counts=(GuestCount("10", 1),),
        ),
    )
    guests = (
        Guest(rph="1", primary=True, given_name="Ana", surname="Horvat",
              email="ana@example.com", phone="+385 1 234 567",
              address_lines=("Ilica 1",), city="Zagreb", postal_code="10000",
              country_code="HR"),
        Guest(rph="2", surname="Horvat"),
    )
    values = dict(
        reservation_id="R-1001",
        message_id="M-5001",
        status=ResStatus.BOOK,
        created_at=datetime(2024, 5, 1, 9, 0, tzinfo=CEST),
        modified_at=datetime(2024, 5, 1, 9, 5, tzinfo=CEST),
        hotel_code="HOTEL1",
        channel_code="BDC",
        channel_name="Booking.com",
        channel_booking_id="4711",
        room_stays=stays,
        guests=guests,
        special_requests="Late arrival",
        total=Decimal("475.50"),
        currency=eur,
    )
    values.update(overrides)
    return Reservation(**values)

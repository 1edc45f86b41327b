"""The inbound corpus (tests/fixtures/inbound/): how to read a file, and what each must give.

Every file is a message a sender may deliver, written from the public OTA (2003-2016B) and
channel-manager documentation. ``EXPECTED`` holds one row per file: per reservation it carries,
either the values the booking must be stored with, or the reason it is refused. The unit test
checks every row; the Odoo test pushes or pulls a subset through the real service and checks
the same rows against the database (front-desk checks can be added per row under ``frontdesk``).

Dates in the files are written as if today were ``ANCHOR``; :func:`shifted` moves a file (and
:func:`shift_date` an expected date) to the real today, so the stay-date bounds hold any day.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "inbound"
ANCHOR = date(2026, 12, 1)
HOTEL_CODE = "HOTEL1"
_DATE = re.compile(rb"\b(20[0-9]{2})-([01][0-9])-([0-3][0-9])\b")


def fixture_names():
    return sorted(path.name for path in FIXTURES.glob("*.xml"))


def raw(name) -> bytes:
    return (FIXTURES / name).read_bytes()


def shifted(data: bytes, today: date, hotel_code: str = HOTEL_CODE) -> bytes:
    """The message as if written ``today - ANCHOR`` days later, for ``hotel_code``."""
    delta = today - ANCHOR

    def move(match):
        moved = date(*map(int, match.groups())) + delta
        return moved.isoformat().encode()

    data = _DATE.sub(move, data)
    return data.replace(b'HotelCode="%s"' % HOTEL_CODE.encode(),
                        b'HotelCode="%s"' % hotel_code.encode())


def shift_date(value: str, today: date) -> str:
    return (date.fromisoformat(value) + (today - ANCHOR)).isoformat()


def shift_text(text: str, today: date) -> str:
    """Dates within ``text`` (a refusal reason, say) moved like :func:`shifted` moves a file."""
    return shifted(text.encode(), today).decode()


def stay(room, arrival, departure, nights, units=1, adults=2, children=0, ages=False,
         names="Ana Horvat"):
    """An expected stay row: dates as in the file, ``nights`` the price of one room each night."""
    return dict(room_type_code=room, arrival=arrival, departure=departure, units=units,
                adults=adults, children=children, child_ages=ages, guest_names=names,
                nights=list(nights))


def booking(external_id, stays, total, **values):
    """An expected accepted reservation; what is not given takes the corpus' usual value."""
    row = dict(external_id=external_id, status="Book", channel_code="BDC",
               channel_name="Booking.com", currency_code="EUR", amount_total=total,
               special_requests=False, comments=False, card_type=False, card_last4=False,
               card_expiry=False, payment_card=False, penalty_amount=0.0,
               guest_name="Ana Horvat", channel_booking_id="4711000001", stays=stays)
    row.update(values)
    return row


def refused(reason):
    return {"refused": reason}


def card(kind, last4, expiry):
    shown = " ".join(part for part in (kind, "****%s" % last4 if last4 else None) if part)
    return dict(card_type=kind, card_last4=last4 or False, card_expiry=expiry,
                payment_card=shown)


DBL_330 = [stay("DBL", "2027-01-10", "2027-01-13", [100.00, 110.00, 120.00])]
TWO_NIGHTS = [stay("DBL", "2027-01-10", "2027-01-12", [100.00, 100.00])]

EXPECTED = {
    "01_push_soap_base_per_night.xml": [booking("R-01", DBL_330, 330.00)],
    "02_push_bare_rq.xml": [booking("R-02", DBL_330, 330.00)],
    "03_pull_soap_resretrieve.xml": [
        booking("R-03", DBL_330, 330.00, status="Commit"),
        booking("R-03B", [stay("SGL", "2027-01-20", "2027-01-22", [80.00, 80.00], adults=1)],
                160.00, status="Commit", channel_code="EXP", channel_name="Expedia",
                channel_booking_id="EXP-55501")],
    "04_pull_bare_resretrieve.xml": [booking("R-04", DBL_330, 330.00, status="Commit")],
    "05_push_bare_without_namespace.xml": [booking("R-05", DBL_330, 330.00)],
    "06_rate_total_without_base.xml": [
        booking("R-06", [stay("DBL", "2027-01-10", "2027-01-13", [95.00, 95.00, 105.50])], 295.50)],
    "07_rate_base_and_total.xml": [
        booking("R-07", [stay("DBL", "2027-01-10", "2027-01-12", [99.00, 99.00])], 198.00)],
    "08_base_before_tax_only.xml": [
        booking("R-08", [stay("DBL", "2027-01-10", "2027-01-12", [85.00, 85.00])], 170.00)],
    "09_base_before_and_after_tax.xml": [
        booking("R-09", [stay("DBL", "2027-01-10", "2027-01-12", [88.00, 88.00])], 176.00)],
    "10_unit_multiplier_days.xml": [
        booking("R-10", [stay("DBL", "2027-01-10", "2027-01-14",
                              [100.00, 100.00, 100.00, 100.01])], 400.01)],
    "11_rate_time_unit_week.xml": [
        booking("R-11", [stay("DBL", "2027-01-10", "2027-01-17", [100.00] * 6 + [100.03])],
                700.03)],
    "12_rate_full_duration.xml": [
        booking("R-12", [stay("DBL", "2027-01-10", "2027-01-13", [83.33, 83.33, 83.34])], 250.00)],
    "13_span_rate_total.xml": [
        booking("R-13", [stay("DBL", "2027-01-10", "2027-01-13", [100.00] * 3)], 300.00)],
    "14_roomstay_total_only.xml": [
        booking("R-14", [stay("DBL", "2027-01-10", "2027-01-13", [100.33, 100.33, 100.34])],
                301.00)],
    "15_global_total_only.xml": [booking("R-15", TWO_NIGHTS, 200.00)],
    "16_global_total_two_stays.xml": [
        booking("R-16", [stay("DBL", "2027-01-10", "2027-01-13", [100.00] * 3),
                         stay("SGL", "2027-01-10", "2027-01-12", [100.00] * 2, adults=1,
                              names=False)], 500.00)],
    "17_global_total_with_fee.xml": [
        booking("R-17", [stay("DBL", "2027-01-10", "2027-01-12", [105.00, 105.00])], 210.00)],
    "18_pos_on_root.xml": [
        booking("R-18", DBL_330, 330.00, channel_booking_id=False),
        booking("R-18B", [stay("SGL", "2027-01-10", "2027-01-11", [70.00], adults=1)], 70.00,
                channel_code="EXP", channel_name="Expedia", channel_booking_id="EXP-7001")],
    "19_channel_from_resid_source.xml": [
        booking("R-19", DBL_330, 330.00, channel_code="AGO", channel_name=False,
                channel_booking_id="AG-123456")],
    "20_unknown_channel_html_name.xml": [
        booking("R-20", DBL_330, 330.00, channel_code="ZZOTA", channel_name="Shiny OTA alert(1)",
                channel_booking_id="ZZ-1")],
    "21_resguestrphs_list_form.xml": [
        booking("R-21", [stay("DBL", "2027-01-10", "2027-01-12", [100.00] * 2,
                              names="Ana Horvat, Ivo Horvat")], 200.00)],
    "22_resguestrph_child_form.xml": [
        booking("R-22", [stay("DBL", "2027-01-10", "2027-01-12", [100.00] * 2,
                              names="Ana Horvat, Ivo Horvat")], 200.00)],
    "23_guest_counts_global_only.xml": [
        booking("R-23", [stay("DBL", "2027-01-10", "2027-01-12", [100.00] * 2, children=1,
                              ages="6")], 200.00)],
    "24_children_by_age.xml": [
        booking("R-24", [stay("DBL", "2027-01-10", "2027-01-12", [120.00] * 2, children=2,
                              ages="5,8")], 240.00)],
    "25_children_by_age_qualifying_code.xml": [
        booking("R-25", [stay("DBL", "2027-01-10", "2027-01-12", [120.00] * 2, children=3,
                              ages="9,9,1")], 240.00)],
    "26_comments_and_special_requests.xml": [
        booking("R-26", TWO_NIGHTS, 200.00,
                special_requests="Quiet room, high floor\nBaby cot in the room",
                comments="Arriving by ferry around 22:00\nBooked via mobile app")],
    "27_special_request_by_name.xml": [
        booking("R-27", [stay("DBL", "2027-01-10", "2027-01-11", [100.00])], 100.00,
                special_requests="Non-smoking")],
    "28_card_plaintext.xml": [booking("R-28", TWO_NIGHTS, 200.00, card_holder="ANA HORVAT",
                                      **card("VI", "1111", "05/28"))],
    "29_card_mask.xml": [booking("R-29", TWO_NIGHTS, 200.00, **card("MC", "4444", "11/27"))],
    "30_card_token.xml": [booking("R-30", TWO_NIGHTS, 200.00, **card("AX", None, "03/29"))],
    "31_card_number_attribute.xml": [
        booking("R-31", TWO_NIGHTS, 200.00, **card("VI", "0002", "09/30"))],
    "32_card_deposit_payments.xml": [
        booking("R-32", TWO_NIGHTS, 200.00, **card("MC", "4444", "01/28"))],
    "33_card_type_element_and_name_details.xml": [
        booking("R-33", TWO_NIGHTS, 200.00, card_holder="Lea Babic",
                **card("Visa", "1881", "06/27"))],
    "34_no_card.xml": [booking("R-34", TWO_NIGHTS, 200.00, card_holder=False)],
    "35_two_stays_equal_dates.xml": [
        booking("R-35", [stay("DBL", "2027-01-12", "2027-01-15", [100.00] * 3),
                         stay("SGL", "2027-01-12", "2027-01-15", [60.00] * 3, adults=1,
                              names=False)], 480.00)],
    "36_two_stays_different_dates.xml": [
        booking("R-36", [stay("DBL", "2027-01-12", "2027-01-15", [100.00] * 3),
                         stay("SGL", "2027-01-12", "2027-01-14", [60.00] * 2, adults=1,
                              names=False)], 420.00)],
    "37_units_in_one_room_rate.xml": [
        booking("R-37", [stay("DBL", "2027-01-10", "2027-01-13", [100.00] * 3, units=2)],
                600.00, adults=4)],
    "38_units_total_not_divisible.xml": [
        booking("R-38", [stay("DBL", "2027-01-10", "2027-01-11", [100.50]),
                         stay("DBL", "2027-01-10", "2027-01-11", [100.51])], 201.01, adults=4)],
    "39_status_commited_spelling.xml": [booking("R-39", TWO_NIGHTS, 200.00, status="Commit")],
    "40_status_on_rq_root.xml": [booking("R-40", TWO_NIGHTS, 200.00, status="Commit")],
    "41_modify.xml": [booking("R-41", [stay("DBL", "2027-01-10", "2027-01-11", [100.00])],
                              100.00, status="Modify")],
    "42_cancel_with_penalty.xml": [
        booking("R-42", TWO_NIGHTS, 200.00, status="Cancel", penalty_amount=100.00)],
    "43_cancel_without_stays.xml": [
        booking("R-43", [], 0.0, status="Cancel", currency_code=None, guest_name=False)],
    "44_timespan_duration.xml": [
        booking("R-44", [stay("DBL", "2027-01-10", "2027-01-13", [100.00] * 3)], 300.00)],
    "45_global_timespan.xml": [
        booking("R-45", [stay("DBL", "2027-01-10", "2027-01-12", [90.00, 90.00])], 180.00)],
    "46_currency_jpy.xml": [
        booking("R-46", [stay("DBL", "2027-01-10", "2027-01-13", [10000, 10000, 10001])],
                30001, currency_code="JPY")],
    "47_refused_stay_in_9999.xml": [refused(
        "room stay 1: 2027-01-10 to 9999-12-31 lies outside the dates this property accepts")],
    "48_refused_stay_in_1900.xml": [refused(
        "room stay 1: 1900-01-10 to 1900-01-12 lies outside the dates this property accepts")],
    "49_refused_100_nights.xml": [refused(
        "room stay 1: 100 nights exceed the 90 nights a stay may last")],
    "50_refused_amount_1e400.xml": [refused(
        "the booking's Total of 1E+400 is not an amount between 0 and 1,000,000,000")],
    "51_refused_amount_nan.xml": [refused("RoomStay 1: Total is not a finite number: 'NaN'")],
    "52_refused_amount_infinity.xml": [refused(
        "RoomStay 1: Rate 1: Base is not a finite number: 'Infinity'")],
    "53_refused_negative_amount.xml": [refused("ResGlobalInfo Total is negative: -200.00")],
    "54_refused_long_reservation_id.xml": [refused(
        "has 40 characters; OTA allows 1 to 32")],
    "55_refused_guest_count_100.xml": [refused(
        "room stay 1: a guest count of 100; 0 to 99 are accepted")],
    "56_refused_100_units.xml": [refused("room stay 1: 100 rooms; a room stay books 1 to 99")],
    "57_refused_rate_time_unit_month.xml": [refused(
        "RateTimeUnit 'Month' is not read (Day, Week or FullDuration are); ask the channel to "
        "send nightly prices")],
    "58_refused_two_currencies.xml": [refused(
        "amounts in several currencies (EUR, USD): the booking cannot be priced")],
    "59_refused_overlapping_rates.xml": [refused("two rates price the night of 2027-01-11")],
    "60_refused_book_without_room_stay.xml": [refused("Book without RoomStay")],
    "61_refused_departure_before_arrival.xml": [refused(
        "RoomStay 1: departure 2027-01-10 is not after arrival 2027-01-12")],
    "62_refused_units_not_whole_blocks.xml": [refused(
        "5 nights from 2027-01-10 to 2027-01-15 are not a whole number of 2-night units")],
}

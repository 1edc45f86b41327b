"""Reading reservations: lenient about form, strict about meaning, and card-safe."""
import dataclasses
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from phobs_api_samples import STAMP, make_reservation
from harness.ota_peer import build_res_retrieve_rs
from phobs_channel_manager.phobs_api.errors import PhobsProtocolError
from phobs_channel_manager.phobs_api.messages.read import parse_res_retrieve_rs
from phobs_channel_manager.phobs_api.messages.res_notif import parse_hotel_res_notif_rq
from phobs_channel_manager.phobs_api.profile import DEFAULT_PROFILE
from phobs_channel_manager.phobs_api.records import MaskedCard, ResStatus
from phobs_channel_manager.phobs_api.xml import parse_xml

PAN = "4111111111111111"
CVV = "987"

# An older-publication push: no namespace prefix games, ResGlobalInfo children shuffled,
# ResGuestRPH children, codes only on RoomRate, no TimeSpan, "Commited", a full card.
OLDER_FORM = f"""<?xml version="1.0" encoding="UTF-8"?>
<OTA_HotelResNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="1.003"
    EchoToken="push-1" ResStatus="Commited">
  <HotelReservations>
    <HotelReservation CreateDateTime="2024-05-01T07:00:00Z"
        LastModifyDateTime="2024-05-01T07:05:00.250+01:00">
      <UniqueID Type="16" ID="M-9"/>
      <UniqueID Type="14" ID="R-9"/>
      <POS><Source><RequestorID Type="22" ID="x"/></Source>
           <Source><BookingChannel Type="7"><CompanyName Code="EXP">Expedia</CompanyName>
           </BookingChannel></Source></POS>
      <RoomStays>
        <RoomStay>
          <RoomRates>
            <RoomRate RoomTypeCode="DBL" RatePlanCode="NRF" NumberOfUnits="2">
              <Rates>
                <Rate EffectiveDate="2024-07-01" ExpireDate="2024-07-02">
                  <Base AmountBeforeTax="80" CurrencyCode="EUR"/></Rate>
                <Rate EffectiveDate="2024-07-02"><Base AmountAfterTax="90.5" CurrencyCode="EUR"/></Rate>
              </Rates>
            </RoomRate>
          </RoomRates>
          <GuestCounts><GuestCount AgeQualifyingCode="10" Count="2"/>
            <GuestCount AgeQualifyingCode="8" Count="0"/><GuestCount Age="4" Count="1" AgeQualifyingCode="8"/>
          </GuestCounts>
          <ResGuestRPHs><ResGuestRPH RPH="1"/><ResGuestRPH RPH="2"/></ResGuestRPHs>
          <BasicPropertyInfo HotelCode="HOTEL9"/>
        </RoomStay>
      </RoomStays>
      <ResGuests>
        <ResGuest ResGuestRPH="1" PrimaryIndicator="1"><Profiles><ProfileInfo><Profile><Customer>
          <PersonName><GivenName> Marko </GivenName><Surname>Kovač</Surname></PersonName>
          <Telephone PhoneNumber="+385 91 000"/><Email>m@example.com</Email>
          <Address><AddressLine>Obala 2</AddressLine><AddressLine>Stan 3</AddressLine>
            <CityName>Split</CityName><PostalCode>21000</PostalCode><CountryName Code="hr">Croatia</CountryName></Address>
        </Customer></Profile></ProfileInfo></Profiles></ResGuest>
      </ResGuests>
      <ResGlobalInfo>
        <HotelReservationIDs>
          <HotelReservationID ResID_Type="14" ResID_Value="EXP-77" ResID_Source="EXP"/>
        </HotelReservationIDs>
        <Total AmountBeforeTax="170.50" CurrencyCode="EUR"/>
        <Guarantee><GuaranteesAccepted><GuaranteeAccepted>
          <PaymentCard CardCode="VI" ExpireDate="1227">
            <CardHolderName>MARKO KOVAC</CardHolderName>
            <CardNumber><PlainText>{PAN}</PlainText></CardNumber>
            <SeriesCode><PlainText>{CVV}</PlainText></SeriesCode>
          </PaymentCard>
        </GuaranteeAccepted></GuaranteesAccepted></Guarantee>
        <SpecialRequests><SpecialRequest><Text>Baby cot</Text></SpecialRequest></SpecialRequests>
        <Comments><Comment><Text>Arrives by ferry</Text></Comment><Comment>Quiet room</Comment></Comments>
      </ResGlobalInfo>
    </HotelReservation>
  </HotelReservations>
</OTA_HotelResNotifRQ>"""


@pytest.fixture
def older():
    batch = parse_hotel_res_notif_rq(parse_xml(OLDER_FORM.encode()))
    assert batch.rejected == ()
    return batch.reservations[0]


def test_older_form_is_understood(older):
    assert older.reservation_id == "R-9" and older.message_id == "M-9"
    assert older.status is ResStatus.COMMIT
    assert older.created_at == datetime(2024, 5, 1, 7, tzinfo=timezone.utc)
    assert older.modified_at == datetime(2024, 5, 1, 7, 5, 0, 250000,
                                         tzinfo=timezone(timedelta(hours=1)))
    assert (older.hotel_code, older.channel_code, older.channel_name, older.channel_booking_id) == (
        "HOTEL9", "EXP", "Expedia", "EXP-77")
    assert (older.total, older.currency) == (Decimal("170.50"), "EUR")
    assert older.special_requests == "Baby cot"
    assert older.comments == "Arrives by ferry\nQuiet room"
    stay = older.room_stays[0]
    assert (stay.room_type_code, stay.rate_plan_code, stay.units) == ("DBL", "NRF", 2)
    assert (stay.arrival, stay.departure) == (date(2024, 7, 1), date(2024, 7, 3))
    assert [(r.start, r.end_exclusive, r.amount) for r in stay.daily_rates] == [
        (date(2024, 7, 1), date(2024, 7, 2), Decimal("80")),
        (date(2024, 7, 2), date(2024, 7, 3), Decimal("90.5"))]
    assert [(g.age_code, g.count, g.age) for g in stay.guest_counts] == [("10", 2, None), ("8", 1, 4)]
    assert stay.guest_rphs == ("1", "2")
    guest = older.guests[0]
    assert (guest.primary, guest.given_name, guest.surname, guest.country_code) == (
        True, "Marko", "Kovač", "HR")
    assert guest.address_lines == ("Obala 2", "Stan 3") and guest.city == "Split"


def test_card_is_masked_while_reading(older):
    assert older.payment_card == MaskedCard("VI", "MARKO KOVAC", "1111", "1227")
    assert older.payment_card.masked_number == "****1111"


def all_strings(value):
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from all_strings(getattr(value, f.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from all_strings(item)
    else:
        yield str(value)


def test_full_pan_and_cvv_are_nowhere_in_the_record(older):
    text = repr(older) + "".join(all_strings(older))
    assert PAN[:12] not in text and PAN[-8:] not in text
    assert f"'{CVV}'" not in text and CVV not in "".join(all_strings(older.payment_card))


@pytest.mark.parametrize(
    "card_xml, last4",
    [
        ('<PaymentCard CardCode="MC"><CardNumber Mask="xxxxxxxxxxxx4444"/></PaymentCard>', "4444"),
        ('<PaymentCard CardCode="MC" CardNumber="5555 5555 5555 4444"/>', "4444"),
        ('<PaymentCard CardCode="AX"><CardNumber>3782-822463-10005</CardNumber></PaymentCard>', "0005"),
        ('<PaymentCard CardCode="VI"/>', None),
    ],
)
def test_card_number_forms(card_xml, last4):
    raw = OLDER_FORM.replace(OLDER_FORM[OLDER_FORM.index("<PaymentCard"):
                                        OLDER_FORM.index("</PaymentCard>") + 14], card_xml)
    card = parse_hotel_res_notif_rq(parse_xml(raw.encode())).reservations[0].payment_card
    assert card.last4 == last4


def test_masked_card_cannot_hold_more_than_four_digits():
    with pytest.raises(ValueError):
        MaskedCard(last4=PAN)
    with pytest.raises(ValueError):
        MaskedCard(last4="12a4")


def test_builders_never_send_a_card():
    card = MaskedCard("VI", "A B", "1111", "1227")
    rs = build_res_retrieve_rs([make_reservation(payment_card=card)], echo_token="e", timestamp=STAMP)
    assert rs.find(".//{*}PaymentCard") is None


def test_list_form_and_child_form_of_guest_rphs_both_read():
    rs = build_res_retrieve_rs([make_reservation()], echo_token="e", timestamp=STAMP)
    assert parse_res_retrieve_rs(rs).reservations[0].room_stays[0].guest_rphs == ("1", "2")


def test_naive_timestamps_follow_the_profile():
    raw = OLDER_FORM.replace("2024-05-01T07:00:00Z", "2024-05-01T07:00:00")
    assert parse_hotel_res_notif_rq(parse_xml(raw.encode())).reservations[0].created_at.tzinfo is timezone.utc
    strict = replace(DEFAULT_PROFILE, naive_timestamp_tz=None)
    batch = parse_hotel_res_notif_rq(parse_xml(raw.encode()), strict)
    assert "no UTC offset" in batch.rejected[0].problem


def first(root, path):
    """``"."`` is the reservation itself, anything else a path of local names below it."""
    return root if path == "." else root.find(".//{*}" + path.replace("/", "/{*}"))


def set_attr(path, name, value):
    def mutate(root):
        el = first(root, path)
        if value is None:
            del el.attrib[name]
        else:
            el.set(name, value)
    return mutate


def remove(path):
    def mutate(root):
        for el in root.findall(".//{*}" + path.replace("/", "/{*}")):
            el.getparent().remove(el)
    return mutate


def remove_unique_id(kind):
    def mutate(root):
        el = next(u for u in root.iter("{*}UniqueID") if u.get("Type") == kind)
        el.getparent().remove(el)
    return mutate


def both(*mutations):
    def mutate(root):
        for m in mutations:
            m(root)
    return mutate


@pytest.mark.parametrize(
    "mutate, problem",
    [
        (remove_unique_id("14"), "without UniqueID Type=14"),
        (remove_unique_id("16"), "R-1001: no UniqueID Type=16"),
        (set_attr(".", "ResStatus", "Pending"), "unknown ResStatus"),
        (set_attr(".", "ResStatus", None), "ResStatus is missing"),
        (both(set_attr(".", "CreateDateTime", None),
              set_attr(".", "LastModifyDateTime", None)), "neither LastModifyDateTime"),
        (set_attr(".", "CreateDateTime", "yesterday"), "CreateDateTime is not a timestamp"),
        (set_attr("TimeSpan", "End", "2024-06-01"),
         "RoomStay 1: departure 2024-06-01 is not after arrival 2024-06-01"),
        (set_attr("TimeSpan", "End", "2024-05-20"), "is not after arrival"),
        (set_attr("TimeSpan", "Start", "2024-13-01"), "TimeSpan Start is not a date"),
        (set_attr("ResGlobalInfo/Total", "AmountAfterTax", "-5"), "ResGlobalInfo Total is negative"),
        (set_attr("RoomStay/Total", "AmountAfterTax", "abc"), "RoomStay 1: Total is not a number"),
        (set_attr("Rate/Base", "AmountAfterTax", "-0.01"), "Rate 1: Base is negative"),
        (set_attr("Rate", "ExpireDate", "2024-06-01"), "Rate 1: ExpireDate 2024-06-01 is not after"),
        (remove("Rate/Base"), "Rate 1: no amount (neither Base nor Total"),
        (set_attr("Rate", "EffectiveDate", None), "EffectiveDate is missing"),
        (both(remove("RoomTypes"), set_attr("RoomRate", "RoomTypeCode", None)), "RoomTypeCode is missing"),
        (both(remove("TimeSpan"), remove("RoomStay/RoomRates")), "no TimeSpan"),
        (set_attr("GuestCount", "Count", "two"), "Count is not an integer"),
        (set_attr("RoomRate", "NumberOfUnits", "0"), "NumberOfUnits must be at least 1"),
        (remove("RoomStays"), "Book without RoomStay"),
    ],
)
def test_meaningless_reservations_are_rejected_alone_with_the_reason(mutate, problem):
    good = make_reservation(reservation_id="R-GOOD", message_id="M-GOOD")
    rs = build_res_retrieve_rs([good, make_reservation(), good], echo_token="e", timestamp=STAMP)
    mutate(rs.findall("{*}ReservationsList/{*}HotelReservation")[1])
    batch = parse_res_retrieve_rs(rs)
    assert batch.reservations == (good, good)
    [rejected] = batch.rejected
    assert problem in rejected.problem
    error = rejected.ota_error()
    assert (error.type, error.code, error.record_id) == ("3", "450", rejected.message_id)


def test_rejected_keeps_the_ids_it_could_read():
    rs = build_res_retrieve_rs([make_reservation()], echo_token="e", timestamp=STAMP)
    set_attr("TimeSpan", "End", "2024-05-01")(rs)
    [rejected] = parse_res_retrieve_rs(rs).rejected
    assert (rejected.message_id, rejected.reservation_id) == ("M-5001", "R-1001")


def test_a_cancel_may_come_without_stays_for_a_reservation_never_seen():
    cancel = make_reservation(status=ResStatus.CANCEL, room_stays=(), guests=(), total=None,
                              currency=None)
    rs = build_res_retrieve_rs([cancel], echo_token="e", timestamp=STAMP)
    assert parse_res_retrieve_rs(rs).reservations == (cancel,)
    assert cancel.arrival is None


def test_reservation_helpers():
    r = make_reservation()
    assert (r.arrival, r.departure, r.version) == (date(2024, 6, 1), date(2024, 6, 4), r.modified_at)


def test_unsafe_push_body_is_refused_before_reading():
    with pytest.raises(PhobsProtocolError, match="DOCTYPE"):
        parse_hotel_res_notif_rq(b'<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><x>&a;</x>')


def test_source_xml_keeps_the_reservation_but_masks_the_card():
    from phobs_channel_manager.phobs_api.messages.reservation_xml import parse_reservation, redacted_xml
    from phobs_channel_manager.phobs_api.profile import DEFAULT_PROFILE
    from phobs_channel_manager.phobs_api.xml import parse_xml

    xml = (
        b'<HotelReservation xmlns="http://www.opentravel.org/OTA/2003/05" ResStatus="Book"'
        b' CreateDateTime="2026-11-20T10:00:00+01:00">'
        b'<UniqueID Type="14" ID="R1"/><UniqueID Type="16" ID="M1"/>'
        b'<RoomStays><RoomStay><RoomTypes><RoomType RoomTypeCode="DBL"/></RoomTypes>'
        b'<TimeSpan Start="2026-12-01" End="2026-12-03"/></RoomStay></RoomStays>'
        b'<ResGlobalInfo><Guarantee><GuaranteesAccepted><GuaranteeAccepted>'
        b'<PaymentCard CardCode="VI" ExpireDate="1229" CardNumber="4111111111111111">'
        b'<CardHolderName>Ana Kovac</CardHolderName>'
        b'<CardNumber Mask="4111111111111111"><PlainText>4111111111111111</PlainText></CardNumber>'
        b'<SeriesCode><PlainText>737</PlainText></SeriesCode>'
        b'</PaymentCard></GuaranteeAccepted></GuaranteesAccepted></Guarantee></ResGlobalInfo>'
        b'</HotelReservation>')
    element = parse_xml(xml)
    reservation = parse_reservation(element, DEFAULT_PROFILE)
    for stored in (reservation.source_xml, redacted_xml(element)):
        assert b"4111111111111111" not in stored
        assert b"737" not in stored
        assert b"************1111" in stored
        assert b'ID="R1"' in stored and b"Ana Kovac" in stored
    assert b"4111111111111111" in xml  # the received element itself is not modified
    assert b"4111111111111111" in parse_xml(xml).find(".//{*}PlainText").text.encode()


def sold_every_way():
    """A reservation using every form our builder may now send: rates per night, per block of
    nights and for a whole span, global guest counts, comments apart from special requests."""
    from phobs_channel_manager.phobs_api.records import DailyRate, GuestCount

    base = make_reservation()
    dbl = replace(base.room_stays[0], daily_rates=(
        DailyRate(date(2024, 6, 1), date(2024, 6, 3), Decimal("240.00"), "EUR", unit_nights=2),
        DailyRate(date(2024, 6, 3), date(2024, 6, 4), Decimal("135.50"), "EUR"),
    ))
    sgl = replace(base.room_stays[1], daily_rates=(
        DailyRate(date(2024, 6, 2), date(2024, 6, 3), Decimal("100.00"), "EUR", unit_nights=None),
    ), guest_counts=())
    return replace(base, room_stays=(dbl, sgl), comments="Arrives late",
                   special_requests="Baby cot", guest_counts=(GuestCount("10", 1),))


def test_every_form_we_build_is_2016b_valid_and_reads_back(ota_schemas):
    from phobs_channel_manager.phobs_api.messages.res_notif import build_hotel_res_notif_rq

    sold = sold_every_way()
    for message in (
        build_res_retrieve_rs([sold], echo_token="e", timestamp=STAMP),
        build_hotel_res_notif_rq([sold], echo_token="e", timestamp=STAMP),
    ):
        ota_schemas.assert_valid(message)
    assert parse_res_retrieve_rs(
        build_res_retrieve_rs([sold], echo_token="e", timestamp=STAMP)).reservations == (sold,)


def test_a_bare_push_reads_like_an_enveloped_one():
    from phobs_channel_manager.phobs_api.messages.res_notif import build_hotel_res_notif_rq
    from phobs_channel_manager.phobs_api.soap import build_envelope
    from phobs_channel_manager.phobs_api.xml import to_bytes

    rq = build_hotel_res_notif_rq([make_reservation()], echo_token="e", timestamp=STAMP)
    bare = parse_hotel_res_notif_rq(to_bytes(rq))
    enveloped = parse_hotel_res_notif_rq(to_bytes(build_envelope(rq)))
    assert bare == enveloped and bare.reservations[0].reservation_id == "R-1001"


@pytest.mark.parametrize("body, problem", [
    (b"<html><body>hello</body></html>", "expected a SOAP 1.1 Envelope"),
    (b'<Envelope xmlns="urn:other"><Body/></Envelope>', "expected a SOAP 1.1 Envelope"),
    (b'<OTA_ReadRQ xmlns="http://www.opentravel.org/OTA/2003/05"/>',
     "expected OTA_HotelResNotifRQ, got OTA_ReadRQ"),
])
def test_a_bare_body_must_still_be_the_right_ota_message(body, problem):
    with pytest.raises(PhobsProtocolError, match=problem):
        parse_hotel_res_notif_rq(body)

"""Every builder: OTA 2016B-valid, and read back to what was built."""
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from phobs_api_samples import STAMP, make_reservation
from harness.ota_peer import (
    AvailNotif,
    NotifReport,
    RateAmountNotif,
    build_hotel_avail_notif_rs,
    build_hotel_rate_amount_notif_rs,
    build_notif_report_rs,
    build_res_retrieve_rs,
    parse_hotel_avail_notif_rq,
    parse_hotel_rate_amount_notif_rq,
    parse_notif_report_rq,
    parse_read_rq,
)
from phobs_channel_manager.phobs_api.errors import (
    PhobsAuthError,
    PhobsBusinessError,
    PhobsMappingError,
    PhobsProtocolError,
    PhobsSoapFault,
)
from phobs_channel_manager.phobs_api.messages.avail_notif import (
    build_hotel_avail_notif_rq,
    parse_hotel_avail_notif_rs,
)
from phobs_channel_manager.phobs_api.messages.notif_report import (
    build_notif_report_rq,
    parse_notif_report_rs,
)
from phobs_channel_manager.phobs_api.messages.rate_amount_notif import (
    build_hotel_rate_amount_notif_rq,
    parse_hotel_rate_amount_notif_rs,
)
from phobs_channel_manager.phobs_api.messages.read import build_read_rq, parse_res_retrieve_rs
from phobs_channel_manager.phobs_api.messages.res_notif import (
    build_hotel_res_notif_rq,
    build_hotel_res_notif_rs,
    parse_hotel_res_notif_rq,
    parse_hotel_res_notif_rs,
)
from phobs_channel_manager.phobs_api.records import (
    AckResult,
    AvailabilityRun,
    Confirmation,
    OtaError,
    RateRun,
    ReservationBatch,
    ResStatus,
    RestrictionRun,
)
from phobs_channel_manager.phobs_api.soap import build_envelope, build_fault
from phobs_channel_manager.phobs_api.xml import parse_xml, to_bytes

HDR = dict(echo_token="echo-1", timestamp=STAMP)
WARN = OtaError("11", "123", "advisory")
D1, D2, D3 = date(2024, 6, 1), date(2024, 6, 2), date(2024, 6, 30)

AVAILABILITY = (AvailabilityRun("DBL", D1, D3, 4), AvailabilityRun("SGL", D1, D1, 0))
RESTRICTIONS = (
    RestrictionRun("DBL", "BAR", D1, D2, min_los=2, max_los=14, closed_to_arrival=True,
                   closed_to_departure=False, stop_sell=True),
    RestrictionRun("DBL", None, D2, D3, stop_sell=False),
    RestrictionRun("SGL", "BAR", D1, D1, min_los=3),
    RestrictionRun("SGL", "NRF", D1, D1, closed_to_departure=True),
)
RATES = (
    RateRun("DBL", "BAR", D1, D2, Decimal("120.00"), "EUR"),
    RateRun("DBL", "BAR", D1, D2, Decimal("99.995"), "EUR", guests=1),
    RateRun("SGL", "NRF", D2, D3, Decimal("0"), "HRK", guests=2),
)

# (builder, parser, expected parse result)
ROUND_TRIPS = {
    "ReadRQ": (lambda: build_read_rq("HOTEL1", **HDR), parse_read_rq, "HOTEL1"),
    "ResRetrieveRS": (
        lambda: build_res_retrieve_rs([make_reservation(), make_reservation(
            reservation_id="R-2", message_id="M-2", status=ResStatus.CANCEL, room_stays=(),
            guests=())], more=True, warnings=[WARN], **HDR),
        parse_res_retrieve_rs,
        ReservationBatch(reservations=(make_reservation(), make_reservation(
            reservation_id="R-2", message_id="M-2", status=ResStatus.CANCEL, room_stays=(),
            guests=())), more=True, echo_token="echo-1", warnings=(WARN,)),
    ),
    "ResRetrieveRS empty": (
        lambda: build_res_retrieve_rs([], **HDR), parse_res_retrieve_rs,
        ReservationBatch(echo_token="echo-1"),
    ),
    "HotelResNotifRQ": (
        lambda: build_hotel_res_notif_rq([make_reservation(pms_id="odoo-7")], **HDR),
        parse_hotel_res_notif_rq,
        ReservationBatch(reservations=(make_reservation(pms_id="odoo-7"),), echo_token="echo-1"),
    ),
    "HotelResNotifRQ status override": (
        lambda: build_hotel_res_notif_rq([make_reservation(hotel_code=None)],
                                         status=ResStatus.MODIFY, hotel_code="H2", **HDR),
        parse_hotel_res_notif_rq,
        ReservationBatch(reservations=(make_reservation(status=ResStatus.MODIFY, hotel_code="H2"),),
                         echo_token="echo-1"),
    ),
    "HotelResNotifRS": (
        lambda: build_hotel_res_notif_rs(confirmations=[Confirmation("M-1", "R-1", "odoo-1"),
                                                        Confirmation("M-2", "R-2")],
                                         hotel_code="HOTEL1", warnings=[WARN], **HDR),
        parse_hotel_res_notif_rs,
        AckResult("echo-1", (WARN,), (Confirmation("M-1", "R-1", "odoo-1"),
                                      Confirmation("M-2", "R-2"))),
    ),
    "NotifReportRQ successes": (
        lambda: build_notif_report_rq("HOTEL1", successes=[("M-1", "odoo-1"), ("M-2", "odoo-2")],
                                      **HDR),
        parse_notif_report_rq,
        NotifReport(successes=(Confirmation("M-1", pms_id="odoo-1"),
                               Confirmation("M-2", pms_id="odoo-2")), echo_token="echo-1"),
    ),
    "NotifReportRQ failures": (
        lambda: build_notif_report_rq("HOTEL1", failures=[
            ("M-1", OtaError("3", "450", "no room")), ("M-2", OtaError("10", "321", "no name"))],
            **HDR),
        parse_notif_report_rq,
        NotifReport(failures=(("M-1", OtaError("3", "450", "no room", "M-1")),
                              ("M-2", OtaError("10", "321", "no name", "M-2"))),
                    echo_token="echo-1"),
    ),
    "NotifReportRS": (lambda: build_notif_report_rs(**HDR), parse_notif_report_rs,
                      AckResult("echo-1")),
    "HotelAvailNotifRQ": (
        lambda: build_hotel_avail_notif_rq("HOTEL1", AVAILABILITY + RESTRICTIONS, **HDR),
        parse_hotel_avail_notif_rq,
        AvailNotif("HOTEL1", AVAILABILITY, RESTRICTIONS),
    ),
    "HotelAvailNotifRS": (lambda: build_hotel_avail_notif_rs(warnings=[WARN], **HDR),
                          parse_hotel_avail_notif_rs, AckResult("echo-1", (WARN,))),
    "HotelRateAmountNotifRQ": (
        lambda: build_hotel_rate_amount_notif_rq("HOTEL1", RATES, **HDR),
        parse_hotel_rate_amount_notif_rq,
        RateAmountNotif("HOTEL1", RATES),
    ),
    "HotelRateAmountNotifRS": (lambda: build_hotel_rate_amount_notif_rs(**HDR),
                               parse_hotel_rate_amount_notif_rs, AckResult("echo-1")),
}


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_built_message_is_valid_2016b(name, ota_schemas):
    build, _, _ = ROUND_TRIPS[name]
    ota_schemas.assert_valid(build())


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_round_trip_from_element(name):
    build, parse, expected = ROUND_TRIPS[name]
    assert parse(build()) == expected


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_round_trip_from_received_soap_bytes(name):
    build, parse, expected = ROUND_TRIPS[name]
    assert parse(to_bytes(build_envelope(build()))) == expected


def test_schema_fixture_does_reject_invalid_messages(ota_schemas):
    rq = build_read_rq("HOTEL1", **HDR)
    del rq.attrib["Version"]
    with pytest.raises(pytest.fail.Exception, match="Version"):
        ota_schemas.assert_valid(rq)


def test_echo_token_and_timestamp_are_on_every_root():
    rq = build_read_rq("H", **HDR)
    assert (rq.get("Version"), rq.get("EchoToken"), rq.get("TimeStamp")) == (
        "1.0", "echo-1", "2024-05-01T10:30:00+02:00")
    assert rq.get("MaxResponses") == "100"


def test_one_restriction_run_spreads_over_messages_sharing_its_range():
    rq = build_hotel_avail_notif_rq("H", RESTRICTIONS[:1], **HDR)
    messages = rq.findall(".//{*}AvailStatusMessage")
    assert len(messages) == 3
    assert {m.find("{*}StatusApplicationControl").get("Start") for m in messages} == {"2024-06-01"}
    assert [m.find("{*}RestrictionStatus").get("Restriction") for m in messages] == [
        "Arrival", "Departure", None]


RS_ERRORS = [
    (build_hotel_avail_notif_rs, parse_hotel_avail_notif_rs),
    (build_hotel_rate_amount_notif_rs, parse_hotel_rate_amount_notif_rs),
    (build_notif_report_rs, parse_notif_report_rs),
    (build_res_retrieve_rs, parse_res_retrieve_rs),
    (build_hotel_res_notif_rs, parse_hotel_res_notif_rs),
]


@pytest.mark.parametrize("build, parse", RS_ERRORS)
@pytest.mark.parametrize(
    "error, cls",
    [(OtaError("3", "402", "Invalid room type"), PhobsMappingError),
     (OtaError("5", None, "token expired"), PhobsAuthError),
     (OtaError("12", "448", "System error"), PhobsBusinessError)],
)
def test_rs_with_errors_raises_typed_and_is_valid(build, parse, error, cls, ota_schemas):
    rs = build(errors=[error], **HDR)
    ota_schemas.assert_valid(rs)
    with pytest.raises(cls) as caught:
        parse(rs)
    assert caught.value.errors == (error,)


@pytest.mark.parametrize("build, parse", RS_ERRORS)
def test_parsers_check_the_root(build, parse):
    with pytest.raises(PhobsProtocolError, match="expected OTA_"):
        parse(build_read_rq("H", **HDR))


def test_parsers_surface_soap_faults():
    with pytest.raises(PhobsSoapFault):
        parse_hotel_avail_notif_rs(to_bytes(build_fault("soap:Server", "down")))


def test_rs_with_neither_success_nor_errors_is_malformed():
    rs = build_hotel_avail_notif_rs(**HDR)
    rs.remove(rs[0])
    with pytest.raises(PhobsProtocolError, match="neither Success nor Errors"):
        parse_hotel_avail_notif_rs(rs)


@pytest.mark.parametrize(
    "build, problem",
    [
        (lambda: build_notif_report_rq("H", **HDR), "either successes or failures"),
        (lambda: build_notif_report_rq("H", successes=[("M", "P")],
                                       failures=[("M", OtaError("3"))], **HDR), "not both"),
        (lambda: build_hotel_res_notif_rq([], **HDR), "at least one"),
        (lambda: build_hotel_avail_notif_rq("H", [], **HDR), "at least one"),
        (lambda: build_hotel_rate_amount_notif_rq("H", [], **HDR), "at least one"),
        (lambda: build_hotel_avail_notif_rq("H", [RestrictionRun("A", None, D1, D1)], **HDR),
         "sets nothing"),
        (lambda: build_hotel_avail_notif_rq("H", [AvailabilityRun("A", D2, D1, 1)], **HDR),
         "before it starts"),
        (lambda: build_hotel_avail_notif_rq("H", [AvailabilityRun("A", D1, D1, -1)], **HDR),
         "negative"),
        (lambda: build_hotel_rate_amount_notif_rq(
            "H", [RateRun("A", "B", D1, D1, Decimal("1.0001"), "EUR")], **HDR), "three decimals"),
        (lambda: build_hotel_rate_amount_notif_rq(
            "H", [RateRun("A", "B", D1, D1, Decimal("-1"), "EUR")], **HDR), "negative"),
        (lambda: build_hotel_rate_amount_notif_rq(
            "H", [RateRun("A", "B", D1, D1, Decimal("NaN"), "EUR")], **HDR), "finite"),
        (lambda: build_hotel_rate_amount_notif_rq(
            "H", [RateRun("A", "B", D1, D1, 1.5, "EUR")], **HDR), "Decimal"),
        (lambda: build_hotel_rate_amount_notif_rq(
            "H", [RateRun("A", "B", D1, D1, Decimal(1), "")], **HDR), "no currency"),
        (lambda: build_read_rq("H", echo_token="e", timestamp=datetime(2024, 1, 1)), "offset"),
        (lambda: build_hotel_res_notif_rq([make_reservation(guests=(
            replace(make_reservation().guests[0], surname=None),))], **HDR), "surname"),
    ],
)
def test_builders_refuse_what_they_cannot_send_correctly(build, problem):
    with pytest.raises(ValueError, match=problem):
        build()


@pytest.mark.parametrize(
    "xml, problem",
    [
        ('<AvailStatusMessage BookingLimit="1"/>', "no StatusApplicationControl"),
        ('<AvailStatusMessage BookingLimit="1"><StatusApplicationControl Start="2024-06-02" '
         'End="2024-06-01" InvTypeCode="A"/></AvailStatusMessage>', "before Start"),
        ('<AvailStatusMessage BookingLimit="-1"><StatusApplicationControl Start="2024-06-01" '
         'End="2024-06-01" InvTypeCode="A"/></AvailStatusMessage>', "at least 0"),
        ('<AvailStatusMessage><StatusApplicationControl Start="2024-06-01" End="2024-06-01" '
         'InvTypeCode="A"/><RestrictionStatus Status="Maybe"/></AvailStatusMessage>', "Maybe"),
        ('<AvailStatusMessage><StatusApplicationControl Start="2024-06-01" End="2024-06-01" '
         'InvTypeCode="A"/><RestrictionStatus Status="Close" Restriction="TravelAgent"/>'
         '</AvailStatusMessage>', "TravelAgent"),
        ('<AvailStatusMessage BookingLimit="1"><StatusApplicationControl Start="2024-06-01" '
         'End="2024-06-01"/></AvailStatusMessage>', "InvTypeCode is missing"),
    ],
)
def test_avail_notif_parser_rejects_meaningless_messages(xml, problem):
    raw = ('<OTA_HotelAvailNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="1">'
           f'<AvailStatusMessages HotelCode="H">{xml}</AvailStatusMessages></OTA_HotelAvailNotifRQ>')
    with pytest.raises(PhobsProtocolError, match=problem):
        parse_hotel_avail_notif_rq(parse_xml(raw.encode()))

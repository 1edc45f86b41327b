"""/reservations: pull, acknowledge, redelivery, paging, versions, and front-desk uploads."""
from datetime import datetime

import pytest

from . import ota_builders as ob
from .conftest import HOTEL_2, day


def _booking(world, offset=20, nights=2, **extra):
    return world.book(**dict({"channel": "BDC", "room_type": "DBL", "rate_plan": "BAR",
                              "arrival": day(offset), "departure": day(offset + nights)}, **extra))


def _messages(world, state=None):
    params = {"state": state} if state else {}
    return {m["id"]: m for m in world.control("GET", "/messages", params=params)["messages"]}


def test_pull_lists_pending_messages_oldest_first(world):
    made = [_booking(world, offset=20 + n) for n in range(3)]
    pulled = world.pull()
    assert [ob.unique_ids(r) for r in pulled] == [
        {"14": m["reservation_id"], "16": m["message_id"]} for m in made]
    assert world.pull(hotel=HOTEL_2) == []


def test_unacknowledged_messages_are_redelivered_until_acknowledged(world):
    first, second = _booking(world), _booking(world, offset=30)
    assert len(world.pull()) == 2
    assert len(world.pull()) == 2
    world.ok("/reservations", ob.notif_report_rq("HTL1", [(first["message_id"], "PMS-1")]))
    assert [ob.unique_ids(r)["16"] for r in world.pull()] == [second["message_id"]]
    messages = _messages(world)
    assert messages[first["message_id"]]["delivered_count"] == 2
    assert messages[first["message_id"]]["ack_pms_id"] == "PMS-1"
    assert messages[first["message_id"]]["acked_via"] == "pull"
    assert messages[second["message_id"]]["delivered_count"] == 3
    assert list(_messages(world, "pending")) == [second["message_id"]]
    assert list(_messages(world, "acked")) == [first["message_id"]]


def test_an_errors_report_acknowledges_with_the_error(world):
    made = _booking(world)
    world.ok("/reservations", ob.notif_report_rq("HTL1", [(made["message_id"], None)],
                                                 errors="room type not mapped"))
    assert world.pull() == []
    assert _messages(world)[made["message_id"]]["ack_error"] == "450 room type not mapped"


def test_an_errors_report_names_each_failure_by_record_id(world):
    first, second = _booking(world), _booking(world, offset=30)
    world.ok("/reservations", ob.notif_report_rq(
        "HTL1", [(first["message_id"], None), (second["message_id"], None)],
        errors={first["message_id"]: "no such room", second["message_id"]: "guest missing"}))
    messages = _messages(world)
    assert messages[first["message_id"]]["ack_error"] == "450 no such room"
    assert messages[second["message_id"]]["ack_error"] == "450 guest missing"


def test_acknowledging_an_unknown_message_is_a_warning(world):
    rs = world.ok("/reservations", ob.notif_report_rq("HTL1", [("M-NOPE", None)]))
    assert ob.find(rs, "Warnings/Warning").get("RecordID") == "M-NOPE"


def test_acknowledging_twice_keeps_the_first_acknowledgement(world):
    made = _booking(world)
    for pms_id in ("PMS-1", "PMS-2"):
        world.ok("/reservations", ob.notif_report_rq("HTL1", [(made["message_id"], pms_id)]))
    assert _messages(world)[made["message_id"]]["ack_pms_id"] == "PMS-1"


def test_pulls_are_paged_with_more_indicator(world):
    made = [_booking(world, offset=20 + n, nights=1)["message_id"] for n in range(5)]
    seen = []
    while True:
        rs = world.ok("/reservations", ob.read_rq("HTL1", max_responses=2))
        page = [ob.unique_ids(r)["16"] for r in ob.reservations_of(rs)]
        if not page:
            break
        assert len(page) <= 2
        assert (rs.get("MoreIndicator") == "true") == (len(seen) + len(page) < 5)
        seen += page
        world.ok("/reservations", ob.notif_report_rq("HTL1", [(m, None) for m in page]))
    assert seen == made


def test_a_reservation_carries_what_the_protocol_names(world):
    world.ok("/rates", ob.rate_rq("HTL1", {"start": day(40), "end": day(41), "room_type": "DBL",
                                           "rate_plan": "BAR", "amounts": {None: "110.00", 3: "150.25"}}))
    made = _booking(world, offset=40, channel="EXP", adults=3, children=[4, 11], comments=["Late arrival"],
                    guest={"given_name": "Zoë", "surname": "Đurić", "country": "HR"}, card=True,
                    channel_booking_id="EXP-123")
    (reservation,) = world.pull()
    assert reservation.get("ResStatus") == "Commit"
    assert datetime.fromisoformat(reservation.get("CreateDateTime")).utcoffset() is not None
    company = ob.find(reservation, "POS/Source/BookingChannel/CompanyName")
    assert (company.get("Code"), company.text) == ("EXP", "Expedia")
    stay = ob.find(reservation, "RoomStays/RoomStay")
    assert ob.find(stay, "RoomTypes/RoomType").get("RoomTypeCode") == "DBL"
    assert ob.find(stay, "RatePlans/RatePlan").get("RatePlanCode") == "BAR"
    assert [(c.get("AgeQualifyingCode"), c.get("Count"), c.get("Age"))
            for c in ob.findall(stay, "GuestCounts/GuestCount")] == [("10", "3", None), ("8", "1", "4"),
                                                                    ("8", "1", "11")]
    rate = ob.find(stay, "RoomRates/RoomRate/Rates/Rate")
    assert (rate.get("EffectiveDate"), rate.get("ExpireDate")) == (day(40), day(42))
    assert ob.find(rate, "Base").get("AmountAfterTax") == "150.25"
    assert ob.find(stay, "TimeSpan").attrib == {"Start": day(40), "End": day(42)}
    assert ob.find(stay, "Total").get("AmountAfterTax") == made["total"] == "300.50"
    name = ob.find(reservation, "ResGuests/ResGuest/Profiles/ProfileInfo/Profile/Customer/PersonName")
    assert (ob.find(name, "GivenName").text, ob.find(name, "Surname").text) == ("Zoë", "Đurić")
    info = ob.find(reservation, "ResGlobalInfo")
    assert ob.find(info, "Comments/Comment/Text").text == "Late arrival"
    card = ob.find(info, "Guarantee/GuaranteesAccepted/GuaranteeAccepted/PaymentCard")
    assert ob.find(card, "CardNumber/PlainText").text.isdigit()
    assert len(ob.find(card, "SeriesCode/PlainText").text) in (3, 4)
    channel_id = ob.find(info, "HotelReservationIDs/HotelReservationID")
    assert channel_id.attrib == {"ResID_Type": "14", "ResID_Value": "EXP-123", "ResID_Source": "EXP"}
    assert ob.find(info, "BasicPropertyInfo").get("HotelCode") == "HTL1"


def test_a_modification_is_a_new_version_with_a_new_message_id(world):
    made = _booking(world)
    changed = world.control("POST", "/bookings/%s/modify" % made["reservation_id"],
                            json={"departure": day(23), "adults": 1})
    assert changed["reservation_id"] == made["reservation_id"]
    assert changed["message_id"] != made["message_id"]
    assert (changed["version"], changed["status"]) == (2, "Modify")
    first, second = world.pull()
    assert ob.unique_ids(first)["14"] == ob.unique_ids(second)["14"]
    assert second.get("ResStatus") == "Modify"
    assert second.get("LastModifyDateTime") > first.get("LastModifyDateTime")
    assert ob.find(second, "RoomStays/RoomStay/TimeSpan").get("End") == day(23)


def test_cancelling_gives_the_nights_back(world):
    made = _booking(world, offset=25, nights=2)
    assert world.availability("DBL", day(25), day(27)) == {day(25): 4, day(26): 4, day(27): 5}
    cancelled = world.control("POST", "/bookings/%s/cancel" % made["reservation_id"])
    assert cancelled["status"] == "Cancel"
    assert world.availability("DBL", day(25), day(26)) == {day(25): 5, day(26): 5}
    assert world.pull()[-1].get("ResStatus") == "Cancel"
    world.control("POST", "/bookings/%s/cancel" % made["reservation_id"], expect=409)


def test_front_desk_uploads_move_availability_and_are_recorded(world):
    def upload(status, stays, echo):
        return world.ok("/reservations", ob.upload_rq("HTL1", "FD-7", status, stays, echo_token=echo,
                                                      card="XXXXXXXXXXXX1111"))
    rs = upload("Commit", [("DBL", "BAR", day(30), day(32), 2)], "e1")
    answered = ob.find(rs, "HotelReservations/HotelReservation")
    phobs_id = ob.unique_ids(answered)["14"]
    pms_id = ob.find(answered, "ResGlobalInfo/HotelReservationIDs/HotelReservationID")
    assert pms_id.get("ResID_Value") == "FD-7"
    assert world.availability("DBL", day(30), day(32)) == {day(30): 3, day(31): 3, day(32): 5}
    rs = upload("Modify", [("DBL", "BAR", day(31), day(33), 1)], "e2")
    assert ob.unique_ids(ob.find(rs, "HotelReservations/HotelReservation"))["14"] == phobs_id
    assert world.availability("DBL", day(30), day(33)) == {day(30): 5, day(31): 4, day(32): 4, day(33): 5}
    upload("Cancel", [], "e3")
    assert world.availability("DBL", day(30), day(33)) == {day(30): 5, day(31): 5, day(32): 5, day(33): 5}
    uploads = world.control("GET", "/uploads")["uploads"]
    assert [(u["pms_id"], u["res_status"], u["echo_token"], u["reservation_id"]) for u in uploads] == [
        ("FD-7", "Commit", "e1", phobs_id), ("FD-7", "Modify", "e2", phobs_id),
        ("FD-7", "Cancel", "e3", phobs_id)]
    assert "XXXXXXXXXXXX1111" in uploads[0]["xml"]
    assert uploads[0]["room_stays"][0]["units"] == 2
    assert world.pull() == []


def test_a_retried_upload_does_not_take_the_rooms_twice(world):
    request = ob.upload_rq("HTL1", "FD-8", "Commit", [("APT", "BAR", day(15), day(16), 1)], echo_token="same")
    world.ok("/reservations", request)
    world.ok("/reservations", request)
    assert world.availability("APT", day(15), day(15)) == {day(15): 0}


def test_an_upload_may_carry_its_status_on_the_rq_and_a_message_id(world):
    rs = world.ok("/reservations", ob.upload_rq(
        "HTL1", "FD-12", "Commit", [("SGL", "BAR", day(15), day(17), 1)], message_id="UP-1",
        status_on_root=True))
    answered = ob.find(rs, "HotelReservations/HotelReservation")
    assert answered.get("ResStatus") == "Commit" and ob.unique_ids(answered)["16"] == "UP-1"
    assert world.availability("SGL", day(15), day(16)) == {day(15): 1, day(16): 1}


def test_an_upload_with_an_id_we_never_issued_is_keyed_by_the_pms_id(world):
    for status in ("Commit", "Modify"):
        world.ok("/reservations", ob.upload_rq("HTL1", "FD-13", status, [("SGL", "BAR", day(15), day(16), 1)],
                                               phobs_id="THEIRS-1"))
    assert world.availability("SGL", day(15), day(15)) == {day(15): 1}


def test_without_a_pms_id_an_unknown_type_14_id_is_the_key(world):
    for status in ("Commit", "Modify"):
        rs = world.ok("/reservations", ob.upload_rq("HTL1", None, status, [("SGL", "BAR", day(15), day(16), 1)],
                                                    phobs_id="THEIRS-2", adults=None))
    answered = ob.find(rs, "HotelReservations/HotelReservation")
    assert ob.find(answered, "ResGlobalInfo/HotelReservationIDs/HotelReservationID").get("ResID_Value") == "THEIRS-2"
    assert world.availability("SGL", day(15), day(15)) == {day(15): 1}
    rs = world.soap("/reservations", ob.upload_rq("HTL1", None, "Commit", [("SGL", "BAR", day(15), day(16), 1)]))
    assert ob.errors_of(rs) == [("10", "321")]


def test_an_upload_without_rate_plan_still_takes_the_room(world):
    world.ok("/reservations", ob.upload_rq("HTL1", "FD-14", "Commit", [("APT", None, day(15), day(16), 1)]))
    assert world.availability("APT", day(15), day(15)) == {day(15): 0}


def test_the_front_desk_may_overbook(world):
    world.ok("/reservations", ob.upload_rq("HTL1", "FD-9", "Commit", [("APT", "BAR", day(15), day(16), 2)]))
    assert world.availability("APT", day(15), day(15)) == {day(15): -1}


def test_an_upload_naming_a_channel_reservation_updates_it(world):
    made = _booking(world, offset=20, nights=3)
    world.ok("/reservations", ob.upload_rq("HTL1", "FD-10", "Cancel", phobs_id=made["reservation_id"]))
    assert world.availability("DBL", day(20), day(22)) == {day(20): 5, day(21): 5, day(22): 5}
    assert world.control("GET", "/bookings/" + made["reservation_id"])["status"] == "Cancel"


@pytest.mark.parametrize("hotel, stay, code", [
    ("HTL1", ("SUITE", "BAR"), "402"), ("HTL1", ("DBL", "PROMO"), "436"), ("NOPE", ("DBL", "BAR"), "392"),
])
def test_uploads_with_unknown_codes_are_rejected(world, hotel, stay, code):
    rs = world.soap("/reservations", ob.upload_rq(hotel, "FD-11", "Commit", [stay + (day(20), day(21), 1)]))
    assert [c for _, c in ob.errors_of(rs)] == [code]
    assert world.control("GET", "/uploads")["uploads"] == []

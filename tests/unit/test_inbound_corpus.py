"""The inbound corpus, file by file: what a delivery is read as, or why it is refused.

Each file of tests/fixtures/inbound/ goes the way the inbound service takes it, without Odoo:
parse (push or pull, enveloped or bare) -> bounds -> nightly prices -> the values stored. The
table of expectations (tests/harness/inbound_corpus.py) has one row per file.
"""
import pytest

from harness.inbound_corpus import ANCHOR, EXPECTED, fixture_names, raw
from phobs_channel_manager.phobs_api import bounds
from phobs_channel_manager.phobs_api.messages.read import parse_res_retrieve_rs
from phobs_channel_manager.phobs_api.messages.res_notif import parse_hotel_res_notif_rq
from phobs_channel_manager.phobs_api.soap import parse_message
from phobs_channel_manager.phobs_api.xml import local_name
from phobs_channel_manager.services import data_mapper
from phobs_channel_manager.services.nightly_prices import price_plan


def read(data, today=ANCHOR, policy=bounds.BoundsPolicy()):
    """Per delivered reservation, in order: ``{"refused": reason}`` or the stored values."""
    if local_name(parse_message(data)) == "OTA_ResRetrieveRS":
        batch = parse_res_retrieve_rs(data)
    else:
        batch = parse_hotel_res_notif_rq(data)
    outcomes = [{"refused": rejected.problem} for rejected in batch.rejected]
    for reservation in batch.reservations:
        try:
            bounds.check(reservation, policy, today)
            outcomes.append(data_mapper.reservation_values(reservation))
        except (bounds.OutOfBounds, data_mapper.PricingError) as err:
            outcomes.append({"refused": str(err)})
    return outcomes


def test_the_corpus_is_large_and_every_file_has_its_row():
    names = fixture_names()
    assert len(names) >= 45
    assert sorted(EXPECTED) == names


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_delivery_is_read_as_expected(name):
    outcomes = read(raw(name))
    expected = EXPECTED[name]
    assert len(outcomes) == len(expected)
    for got, want in zip(outcomes, expected):
        if "refused" in want:
            assert "refused" in got, got
            assert want["refused"] in got["refused"]
            continue
        assert "refused" not in got, got["refused"] if "refused" in got else None
        stays = got.pop("stays")
        for key, value in want.items():
            if key != "stays":
                assert got[key] == value, key
        assert [{k: s[k] for k in want_stay if k != "nights"} for s, want_stay in
                zip(stays, want["stays"])] == [
            {k: v for k, v in w.items() if k != "nights"} for w in want["stays"]]
        assert [[n["amount"] for n in s["nights"]] for s in stays] == [
            w["nights"] for w in want["stays"]]
        for stay in stays:
            assert [n["night"] for n in stay["nights"]] == list(
                data_mapper.nights_between(stay["arrival"], stay["departure"]))


@pytest.mark.parametrize("name", sorted(n for n, rows in EXPECTED.items()
                                        if any("refused" not in row for row in rows)))
def test_nights_total_the_ota_total_to_the_cent(name):
    """The folio's invariant: sum(night price x rooms) over the stays == amount_total."""
    for values in read(raw(name)):
        if values.get("stays"):
            cents = sum(round(n["amount"] * 100) * s["units"]
                        for s in values["stays"] for n in s["nights"])
            assert cents == round(values["amount_total"] * 100)
            assert all(round(s["amount"] * 100) == sum(round(n["amount"] * 100) for n in s["nights"])
                       * s["units"] for s in values["stays"])


def test_a_bare_push_is_read_exactly_like_the_enveloped_one():
    enveloped, bare = read(raw("01_push_soap_base_per_night.xml")), read(
        raw("02_push_bare_rq.xml"))
    for values in (enveloped[0], bare[0]):
        values.pop("external_id")
    assert enveloped == bare


def test_stored_copy_keeps_the_root_pos_and_masks_every_card():
    from phobs_channel_manager.phobs_api.messages.reservation_xml import (
        parse_stored_reservation)
    from phobs_channel_manager.phobs_api.profile import DEFAULT_PROFILE

    [without_own_pos, _own] = parse_hotel_res_notif_rq(raw("18_pos_on_root.xml")).reservations
    again = parse_stored_reservation(without_own_pos.source_xml, DEFAULT_PROFILE)
    assert (again.channel_code, again.channel_name) == ("BDC", "Booking.com")
    for name, digits in (("28_card_plaintext.xml", b"4111111111111111"),
                         ("31_card_number_attribute.xml", b"4000 0000 0000 0002"),
                         ("32_card_deposit_payments.xml", b"5555555555554444")):
        assert digits in raw(name)
        [reservation] = parse_hotel_res_notif_rq(raw(name)).reservations
        assert digits not in reservation.source_xml
        assert b"737" not in reservation.source_xml and b'SeriesCode="123"' not in (
            reservation.source_xml)


def test_a_card_in_a_message_without_namespace_is_masked_too():
    data = raw("28_card_plaintext.xml").replace(
        b' xmlns="http://www.opentravel.org/OTA/2003/05"', b"")
    [reservation] = parse_hotel_res_notif_rq(data).reservations
    assert reservation.payment_card.last4 == "1111"
    assert b"4111111111111111" not in reservation.source_xml


@pytest.mark.parametrize("name, refusal", [
    ("47_refused_stay_in_9999.xml", "outside the dates"),
    ("49_refused_100_nights.xml", "100 nights exceed"),
])
def test_bounds_follow_the_backend_policy(name, refusal):
    strict = read(raw(name))
    assert refusal in strict[0]["refused"]
    if "9999" in name:
        return
    relaxed = read(raw(name), policy=bounds.BoundsPolicy(max_nights=100))
    assert "refused" not in relaxed[0]


def test_stays_split_over_rooms_keep_every_cent():
    [values] = read(raw("38_units_total_not_divisible.xml"))
    assert [(s["units"], s["amount"]) for s in values["stays"]] == [(1, 100.50), (1, 100.51)]
    plan = price_plan(parse_hotel_res_notif_rq(
        raw("38_units_total_not_divisible.xml")).reservations[0])
    assert str(plan.total) == "201.01"

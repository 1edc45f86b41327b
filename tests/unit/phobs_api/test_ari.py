"""The pure part of the ARI flow: canonical values, deltas, runs, drift, bulk overlays."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from harness.ota_peer import parse_hotel_avail_notif_rq
from phobs_channel_manager.phobs_api import ari
from phobs_channel_manager.phobs_api.messages.avail_notif import build_hotel_avail_notif_rq
from phobs_channel_manager.phobs_api.records import AvailabilityRun, RateRun, RestrictionRun
from phobs_channel_manager.phobs_api.xml import descendants

from phobs_api_samples import STAMP

D = date(2027, 3, 1)


def day(n):
    return D + timedelta(days=n)


@pytest.mark.parametrize("restriction, text", [
    (ari.OPEN, "min=1 max=0 cta=0 ctd=0 stop=0"),
    (ari.Restriction(min_los=3, max_los=14, closed_to_arrival=True),
     "min=3 max=14 cta=1 ctd=0 stop=0"),
    (ari.Restriction(closed_to_departure=True, stop_sell=True), "min=1 max=0 cta=0 ctd=1 stop=1"),
])
def test_restrictions_encode_canonically_and_decode_back(restriction, text):
    assert restriction.encode() == text
    assert ari.Restriction.decode(text) == restriction


@pytest.mark.parametrize("kwargs", [{"min_los": 0}, {"max_los": -1}, {"min_los": 5, "max_los": 3}])
def test_contradictory_restrictions_are_refused(kwargs):
    with pytest.raises(ValueError):
        ari.Restriction(**kwargs)


@pytest.mark.parametrize("restriction, words", [
    (ari.OPEN, "open"),
    (ari.Restriction(min_los=2, closed_to_arrival=True), "min 2, closed to arrival"),
    (ari.Restriction(stop_sell=True, max_los=7), "stop-sell, max 7"),
])
def test_restrictions_read_as_words_for_staff(restriction, words):
    assert restriction.describe() == words


@pytest.mark.parametrize("amount, percent, places, expected", [
    (Decimal("100"), 0, 2, Decimal("100.00")),
    (Decimal("100"), 12.5, 2, Decimal("112.50")),
    (Decimal("99.99"), 15, 2, Decimal("114.99")),   # 114.9885 rounds half-up
    (Decimal("80.005"), None, 2, Decimal("80.01")),
    (Decimal("1000"), 10, 0, Decimal("1100")),
])
def test_markup_rounds_half_up_to_the_currency(amount, percent, places, expected):
    result = ari.apply_markup(amount, percent, places)
    assert result == expected and result.as_tuple().exponent == -places


def test_rates_carry_their_currency_so_a_new_currency_is_a_change():
    assert ari.encode_rate(Decimal("120.00"), "EUR") == "120.00 EUR"
    assert ari.decode_rate("120.00 EUR") == (Decimal("120.00"), "EUR")
    assert ari.encode_rate(Decimal("120.00"), "EUR") != ari.encode_rate(Decimal("120.00"), "HRK")
    with pytest.raises(ValueError):
        ari.encode_rate(Decimal("-1"), "EUR")


@pytest.mark.parametrize("rooms, text", [(3, "3"), (0, "0"), (-2, "0")])
def test_availability_is_never_negative(rooms, text):
    assert ari.encode_availability(rooms) == text


def test_diff_keeps_changed_and_forced_days_and_never_sends_nothing():
    computed = {("DBL", "", day(0)): "2", ("DBL", "", day(1)): "3", ("DBL", "", day(2)): "3",
                ("DBL", "", day(3)): None}
    accepted = {("DBL", "", day(0)): "2", ("DBL", "", day(1)): "1", ("DBL", "", day(3)): "5"}

    assert ari.diff(computed, accepted) == {("DBL", "", day(1)): "3", ("DBL", "", day(2)): "3"}
    assert ari.diff(computed, accepted, forced={("DBL", "", day(0)), ("DBL", "", day(3))}) == {
        ("DBL", "", day(0)): "2", ("DBL", "", day(1)): "3", ("DBL", "", day(2)): "3"}


def test_runs_collapse_per_room_type_and_rate_plan_for_each_kind():
    availability = {("DBL", "", day(n)): "4" for n in range(10)}
    availability.update({("DBL", "", day(4)): "3", ("SGL", "", day(0)): "0"})
    assert ari.runs(ari.AVAILABILITY, availability) == [
        AvailabilityRun("DBL", day(0), day(3), 4), AvailabilityRun("DBL", day(4), day(4), 3),
        AvailabilityRun("DBL", day(5), day(9), 4), AvailabilityRun("SGL", day(0), day(0), 0)]

    rates = {("DBL", plan, day(n)): "100.00 EUR" for n in range(7) for plan in ("BAR", "NRF")}
    rates[("DBL", "NRF", day(6))] = "90.00 EUR"
    assert ari.runs(ari.RATES, rates) == [
        RateRun("DBL", "BAR", day(0), day(6), Decimal("100.00"), "EUR"),
        RateRun("DBL", "NRF", day(0), day(5), Decimal("100.00"), "EUR"),
        RateRun("DBL", "NRF", day(6), day(6), Decimal("90.00"), "EUR")]

    closed = ari.Restriction(min_los=2, closed_to_arrival=True).encode()
    restrictions = {("SGL", "BAR", day(n)): ari.OPEN.encode() for n in range(3)}
    restrictions[("SGL", "BAR", day(1))] = closed
    assert ari.runs(ari.RESTRICTIONS, restrictions) == [
        RestrictionRun("SGL", "BAR", day(0), day(0), 1, 0, False, False, False),
        RestrictionRun("SGL", "BAR", day(1), day(1), 2, 0, True, False, False),
        RestrictionRun("SGL", "BAR", day(2), day(2), 1, 0, False, False, False)]


@pytest.mark.parametrize("kind, values", [
    (ari.AVAILABILITY, {("DBL", "", day(n)): str(n // 3) for n in range(9)}),
    (ari.RATES, {("DBL", "BAR", day(n)): "%d.50 EUR" % (100 + n // 4) for n in range(9)}),
    (ari.RESTRICTIONS, {("DBL", "BAR", day(n)): ari.Restriction(min_los=1 + n // 5).encode()
                        for n in range(9)}),
])
def test_run_values_is_the_inverse_of_runs(kind, values):
    assert ari.run_values(ari.runs(kind, values)) == values


def test_runs_of_unknown_kind_are_refused():
    with pytest.raises(ValueError):
        ari.runs("prices", {("DBL", "", day(0)): "1"})


def test_a_year_of_steady_values_compresses_to_a_handful_of_runs():
    year = {("DBL", "BAR", day(n)): ("120.00 EUR" if day(n).month != 7 else "150.00 EUR")
            for n in range(365)}
    runs = ari.runs(ari.RATES, year)
    assert ari.naive_count(year) == 365
    assert len(runs) == 3


def test_drift_lists_disagreements_as_ranges_and_skips_days_without_a_value():
    computed = {("DBL", "", day(n)): "2" for n in range(6)}
    computed[("DBL", "", day(5))] = None
    reference = {("DBL", "", day(0)): "2", ("DBL", "", day(1)): "1", ("DBL", "", day(2)): "1",
                 ("DBL", "", day(4)): "2"}

    found = ari.drift(ari.AVAILABILITY, computed, reference)

    assert found == [ari.Drift(ari.AVAILABILITY, "DBL", "", day(1), day(2), "1", "2"),
                     ari.Drift(ari.AVAILABILITY, "DBL", "", day(3), day(3), None, "2")]
    assert [d.days for d in found] == [2, 1]
    assert ari.drift(ari.AVAILABILITY, {k: v for k, v in computed.items() if v}, {
        k: v for k, v in computed.items() if v}) == []


def test_matching_days_filters_weekdays():
    monday = date(2027, 3, 1)
    assert monday.weekday() == 0
    weekend = ari.matching_days(monday, monday + timedelta(days=13), weekdays=[5, 6])
    assert weekend == [date(2027, 3, 6), date(2027, 3, 7), date(2027, 3, 13), date(2027, 3, 14)]
    assert len(ari.matching_days(monday, monday + timedelta(days=13))) == 14
    assert ari.matching_days(monday, monday - timedelta(days=1)) == []


def test_overlay_changes_only_the_named_fields_of_the_chosen_days():
    existing = {day(0): ari.Restriction(min_los=3), day(1): ari.Restriction(min_los=3)}

    result = ari.overlay(existing, [day(1), day(2)], {"closed_to_arrival": True})

    assert result == {day(0): ari.Restriction(min_los=3),
                      day(1): ari.Restriction(min_los=3, closed_to_arrival=True),
                      day(2): ari.Restriction(closed_to_arrival=True)}
    assert existing[day(1)] == ari.Restriction(min_los=3), "the input is not modified"
    with pytest.raises(ValueError):
        ari.overlay(existing, [day(0)], {"colour": "red"})
    with pytest.raises(ValueError):
        ari.overlay(existing, [day(0)], {"max_los": 2})


def test_lifting_a_maximum_stay_travels_as_remove_max_los(ota_schemas):
    runs = ari.runs(ari.RESTRICTIONS, {("DBL", "BAR", day(0)): ari.OPEN.encode()})

    rq = build_hotel_avail_notif_rq("HOTEL1", runs, echo_token="e", timestamp=STAMP)

    ota_schemas.assert_valid(rq)
    lengths = [(el.get("MinMaxMessageType"), el.get("Time"), el.get("TimeUnit"))
               for el in descendants(rq, "AvailStatusMessages/AvailStatusMessage/LengthsOfStay/"
                                         "LengthOfStay")]
    assert lengths == [("SetMinLOS", "1", "Day"), ("RemoveMaxLOS", None, None)]
    statuses = [(el.get("Restriction"), el.get("Status"))
                for el in descendants(rq, "AvailStatusMessages/AvailStatusMessage/"
                                          "RestrictionStatus")]
    assert statuses == [("Arrival", "Open"), ("Departure", "Open"), (None, "Open")]
    assert parse_hotel_avail_notif_rq(rq).restrictions == tuple(runs)

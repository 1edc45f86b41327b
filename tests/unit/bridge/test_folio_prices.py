from datetime import date
from decimal import Decimal

from hotel_frontdesk_bridge.folio_prices import PriceRun, StayPrices, room_prices, runs

D = lambda day: date(2026, 12, day)  # noqa: E731


def total(prices):
    return sum(price for rooms in prices.values() for room in rooms for _night, price in room)


def test_nightly_prices_as_sold_are_kept_for_every_room():
    stay = StayPrices("s", D(12), D(15), 2,
                      nightly={D(12): Decimal("100"), D(13): Decimal("100"), D(14): Decimal("85")})
    prices = room_prices([stay])
    assert prices["s"] == [[(D(12), Decimal("100.00")), (D(13), Decimal("100.00")),
                            (D(14), Decimal("85.00"))]] * 2
    assert total(prices) == Decimal("570.00")


def test_a_stay_amount_is_split_with_the_remainder_on_the_last_night():
    stay = StayPrices("s", D(12), D(15), 1, amount=Decimal("100.00"))
    prices = room_prices([stay])
    assert [p for _n, p in prices["s"][0]] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


def test_a_stay_amount_over_several_rooms_totals_to_the_cent():
    stay = StayPrices("s", D(12), D(15), 2, amount=Decimal("285.01"))
    assert total(room_prices([stay])) == Decimal("285.01")


def test_only_a_booking_total_is_split_over_every_room_night():
    stays = [StayPrices("a", D(12), D(15), 1), StayPrices("b", D(12), D(14), 2)]
    prices = room_prices(stays, Decimal("700.00"))
    assert total(prices) == Decimal("700.00")
    assert len(prices["a"][0]) == 3 and len(prices["b"]) == 2


def test_incomplete_nightly_prices_fall_back_to_the_stay_amount():
    stay = StayPrices("s", D(12), D(14), 1, amount=Decimal("150"), nightly={D(12): Decimal("90")})
    assert [p for _n, p in room_prices([stay])["s"][0]] == [Decimal("75.00"), Decimal("75.00")]


def test_runs_join_consecutive_nights_of_equal_price():
    nightly = [(D(12), Decimal("100")), (D(13), Decimal("100")), (D(14), Decimal("85"))]
    assert runs(nightly) == [PriceRun(D(12), D(14), Decimal("100")),
                             PriceRun(D(14), D(15), Decimal("85"))]
    assert runs(nightly)[0].nights == 2


def test_a_currency_without_cents_is_split_in_whole_units():
    stay = StayPrices("s", D(12), D(15), 1, amount=Decimal("10000"))
    prices = [p for _n, p in room_prices([stay], minor_units=0)["s"][0]]
    assert prices == [Decimal("3333"), Decimal("3333"), Decimal("3334")]
    three = StayPrices("s", D(12), D(15), 1, amount=Decimal("10.000"))
    assert total(room_prices([three], minor_units=3)) == Decimal("10.000")

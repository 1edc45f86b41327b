"""A revenue manager works in Channel Manager > Rates & Availability.

Against a real Odoo server and a real sandbox: the manager opens the grid, raises a double's
price for one night, stops selling the single for two nights by dragging over them, closes the
weekends to arrival in bulk, and the sandbox (over HTTP) then holds exactly those changes once
the outbox is sent; the grid shows them accepted by Phobs.
"""
import time
import uuid
from datetime import date, timedelta

from harness.grid_hotel import archive_grid_hotel, create_grid_hotel
from odoo_ui import log_in, open_app, open_sidebar_menu, wait_idle

SATURDAY = 5


def _cell(page, code, plan, day):
    return page.locator("td.o_phobs_ari_cell[data-code='%s'][data-plan='%s'][data-day='%s']"
                        % (code, plan, day))


def _wait_for(check, timeout=30.0, interval=0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def _apply(page):
    page.click(".modal-footer .o_phobs_ari_apply")
    page.wait_for_selector(".modal-dialog", state="detached")
    wait_idle(page)


def test_manager_changes_a_price_and_stops_sale_in_the_grid(
        page, odoo_server, channel_manager_manager, sandbox, rpc, screenshot):
    suffix = uuid.uuid4().hex[:3].upper()
    single, double, family = "SGL" + suffix, "DBL" + suffix, "FAM" + suffix
    hotel = create_grid_hotel(rpc, sandbox, {single: 2, double: 3, family: 1},
                              name="Hotel Bellevue", bookings=3)
    today = date.today()
    raised, stopped = today + timedelta(days=3), [today + timedelta(days=n) for n in (5, 6)]
    try:
        log_in(page, odoo_server.url, *channel_manager_manager)
        open_app(page, "Hotel Management")
        open_sidebar_menu(page, "Channel Manager", "Rates & Availability")
        page.click(".o_phobs_ari_size[data-size='14']")
        page.wait_for_selector(".o_phobs_ari_table[data-size='14']")
        wait_idle(page)
        assert page.locator("th.o_phobs_ari_day").count() == 14
        price = _cell(page, double, "BAR", raised)
        assert price.locator(".o_phobs_ari_price").inner_text() == "110"
        assert price.locator(".o_phobs_ari_dot_sent").count() == 1
        nrf = _cell(page, double, "NRF", raised)
        assert nrf.locator(".o_phobs_ari_price").inner_text() == "90", \
            "a pricelist plan shows its resulting price (10 % off the list price 100)"
        booked = page.locator("tr.o_phobs_ari_room_type", has_text=double)
        assert "free" in booked.inner_text() and "sold" in booked.inner_text()
        screenshot("01-grid")

        # -- one night's price, in place ----------------------------------------------------
        price.click()
        page.wait_for_selector(".modal .o_phobs_ari_editor")
        assert "110" == page.input_value(".modal input[name='price']")
        page.fill(".modal input[name='price']", "149")
        screenshot("02-editor")
        _apply(page)
        assert _cell(page, double, "BAR", raised).locator(
            ".o_phobs_ari_price").inner_text() == "149"

        # -- a stop-sell over two nights, by dragging -----------------------------------------
        _cell(page, single, "BAR", stopped[0]).hover()
        page.mouse.down()
        _cell(page, single, "BAR", stopped[1]).hover()
        page.mouse.up()
        page.wait_for_selector(".modal .o_phobs_ari_editor")
        summary = page.locator(".o_phobs_ari_editor_summary").inner_text()
        assert "Single" in summary and "Best Available Rate" in summary
        page.select_option(".modal select[name='stop_sell']", "close")
        _apply(page)
        for day in stopped:
            cell = _cell(page, single, "BAR", day)
            assert "o_phobs_ari_stop" in cell.get_attribute("class")
            assert cell.locator(".o_phobs_ari_badge_stop").inner_text() == "STOP"
        assert "o_phobs_ari_stop" not in _cell(
            page, single, "BAR", today + timedelta(days=7)).get_attribute("class")

        # -- weekends closed to arrival, in bulk ---------------------------------------------
        page.click(".o_phobs_ari_bulk")
        page.wait_for_selector(".modal .o_phobs_ari_editor")
        page.select_option(".modal select[name='backend']", str(hotel["backend_id"]))
        for weekday in range(7):
            if weekday != SATURDAY:
                page.uncheck(".modal input[name='weekday'][value='%d']" % weekday)
        panel = ".modal .o_phobs_ari_bulk_backend[data-backend='%d']" % hotel["backend_id"]
        page.check("%s input[name='room_type'][value='%s']" % (panel, double))
        page.uncheck("%s input[name='plan'][value='%d']" % (panel, hotel["plans"]["FLEX"]))
        page.select_option(".modal select[name='closed_to_arrival']", "close")
        _apply(page)
        saturday = next(today + timedelta(days=n) for n in range(7)
                        if (today + timedelta(days=n)).weekday() == SATURDAY)
        assert _cell(page, double, "BAR", saturday).locator(
            ".o_phobs_ari_badge", has_text="CTA").count() == 1
        assert _cell(page, double, "FLEX", saturday).locator(
            ".o_phobs_ari_badge", has_text="CTA").count() == 0

        # -- the outbox is sent: the sandbox holds it, the grid says Phobs accepted it -------
        rpc.call("phobs.backend", "action_flush_now", [hotel["backend_id"]])
        window = {"from": str(today), "to": str(today + timedelta(days=13))}

        def held():
            rates = sandbox.call("GET", "/hotels/%s/rates" % hotel["code"],
                                 params=window)["rates"]
            restrictions = sandbox.call("GET", "/hotels/%s/restrictions" % hotel["code"],
                                        params=window)["restrictions"]
            return rates, restrictions

        def arrived():
            rates, restrictions = held()
            return (rates[double]["BAR"][str(raised)]["amounts"]["any"] == "149.00"
                    and all(restrictions[single]["BAR"][str(day)]["stop_sell"]
                            for day in stopped)
                    and restrictions[double]["NRF"][str(saturday)]["closed_to_arrival"])

        assert _wait_for(arrived), held()
        rates, restrictions = held()
        assert rates[double]["BAR"][str(raised - timedelta(days=1))]["amounts"]["any"] == "110.00"
        assert not restrictions[single]["BAR"][str(today + timedelta(days=7))]["stop_sell"]
        assert not restrictions[single]["NRF"][str(stopped[0])]["stop_sell"]
        assert not restrictions[double]["FLEX"][str(saturday)]["closed_to_arrival"]

        # Phobs' answers are stored when the flush commits: look again until the grid has them.
        ours = page.locator(".o_phobs_ari_table tbody", has_text=hotel["code"])

        def all_accepted():
            page.click(".o_phobs_ari_today")
            wait_idle(page)
            return ours.locator(".o_phobs_ari_dot_pending, .o_phobs_ari_dot_failed").count() == 0

        assert _wait_for(all_accepted, interval=1.0)
        assert ours.locator(".o_phobs_ari_dot_sent").count() == 3 * (14 + 3 * 14)
        screenshot("03-accepted-by-phobs")
    finally:
        archive_grid_hotel(rpc, hotel)

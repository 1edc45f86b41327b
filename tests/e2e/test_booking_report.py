"""A receptionist reads Channel Manager > Booking Analysis: channel bookings pulled from a real
sandbox, per channel and month, as a pivot table and a graph."""
import uuid
from datetime import date, timedelta

from harness.grid_hotel import archive_grid_hotel, create_grid_hotel
from odoo_ui import log_in, open_app, open_sidebar_menu, wait_idle


def test_receptionist_reads_bookings_per_channel(
        page, odoo_server, channel_manager_user, sandbox, rpc, screenshot):
    suffix = uuid.uuid4().hex[:3].upper()
    double = "DBL" + suffix
    hotel = create_grid_hotel(rpc, sandbox, {double: 4}, name="Hotel Bellevue", plans=("BAR",))
    try:
        rpc.call("phobs.backend", "write", [hotel["backend_id"]],
                 {"currency_id": rpc.ref("base.EUR")})
        sold = []
        for channel, arrival in (("BDC", 4), ("BDC", 9), ("EXP", 12)):
            day = date.today() + timedelta(days=arrival)
            sold.append(sandbox.book(hotel["code"], channel=channel, room_type=double,
                                     rate_plan="BAR", arrival=str(day),
                                     departure=str(day + timedelta(days=2))))
        rpc.call("phobs.backend", "action_pull_now", [hotel["backend_id"]])
        name = rpc.call("phobs.backend", "read", [hotel["backend_id"]], ["name"])[0]["name"]
        log_in(page, odoo_server.url, *channel_manager_user)
        open_app(page, "Hotel Management")
        open_sidebar_menu(page, "Channel Manager", "Booking Analysis")
        page.wait_for_selector(".o_pivot table")
        wait_idle(page)
        # This property only: other tests' bookings are in the same database.
        page.click(".o_searchview_input")
        page.keyboard.type(name)
        page.click(".o_searchview_autocomplete li:has-text('Search Property')")
        page.wait_for_selector(".o_searchview_facet:has-text('%s')" % name)
        wait_idle(page)
        table = page.locator(".o_pivot table")
        text = table.inner_text()
        for heading in ("Bookings", "Room nights", "Revenue", "ADR", "Cancellations",
                        "Lead time (days)"):
            assert heading in text
        booking_com = table.locator("tr", has_text="Booking.com").first.inner_text()
        revenue = sum(float(booking["total"]) for booking in sold[:2])
        assert "{:,.2f}".format(revenue) in booking_com, (booking_com, revenue)
        assert "{:,.2f}".format(revenue / 4) in booking_com, "ADR: revenue per room night"
        screenshot("01-pivot")
        page.click(".o_cp_switch_graph")
        page.wait_for_selector(".o_graph svg")
        screenshot("02-graph")
    finally:
        archive_grid_hotel(rpc, hotel)

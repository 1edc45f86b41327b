"""A hotel manager connects the hotel to Phobs from scratch and runs the channel manager.

Against a real sandbox process: configure the backend, test the connection, pull the channel
bookings into Hotel Management, watch them on the dashboard, resolve the overbooking one of them
caused, in at most three clicks. A receptionist (Channel Manager / User) then finds only the
dashboard, channel reservations, conflicts and reports in the menu.
"""
from datetime import date, timedelta

from odoo_ui import (
    click_button,
    form_field,
    log_in,
    open_app,
    open_menu_leaf,
    open_sidebar_menu,
    save,
    wait_idle,
)


def _book(sandbox, hotel, channel, room_code, arrival_in, nights=2, **extra):
    arrival = date.today() + timedelta(days=arrival_in)
    return sandbox.book(hotel["code"], channel=channel, room_type=room_code, rate_plan="BAR",
                        arrival=str(arrival), departure=str(arrival + timedelta(days=nights)),
                        **extra)


def _chatter_text(page):
    return page.locator(".o_mail_thread, .o_thread_message").first.inner_text()


def test_manager_connects_the_hotel_and_resolves_an_overbooking(
        page, odoo_server, channel_manager_manager, sandbox, sandbox_hotel, rpc, screenshot):
    hotel = sandbox_hotel
    single, double = sorted(hotel["room_codes"], key=lambda code: not code.startswith("SGL"))
    backend_name = "Hotel Lungomare (%s)" % hotel["code"]
    bookings = [
        _book(sandbox, hotel, "BDC", double, 5),
        _book(sandbox, hotel, "EXP", double, 8, nights=3),
        _book(sandbox, hotel, "ABB", single, 3),
        # The single room is gone: Agoda sells it anyway (an OTA working from stale numbers).
        _book(sandbox, hotel, "AGO", single, 3, respect_availability=False),
    ]

    # -- configure the backend from scratch ------------------------------------------------
    log_in(page, odoo_server.url, *channel_manager_manager)
    open_app(page, "Hotel Management")
    open_sidebar_menu(page, "Channel Manager", "Phobs Backends")
    page.click(".o_list_button_add")
    page.wait_for_selector(".o_form_view.o_form_editable")
    form_field(page, "name").fill(backend_name)
    form_field(page, "base_url").fill(sandbox.url)
    form_field(page, "hotel_code").fill(hotel["code"])
    form_field(page, "client_id").fill(hotel["credentials"]["client_id"])
    form_field(page, "client_secret").fill(hotel["credentials"]["client_secret"])
    form_field(page, "pull_interval_minutes").fill("2")
    form_field(page, "error_rate_threshold").fill("25")
    form_field(page, "log_retention_days").fill("45")
    screenshot("01-backend-form")
    save(page)
    assert page.locator(".o_form_view .o_field_widget[name='client_secret_set'] input"
                        ).first.is_checked()
    # The hotel's room types take their Phobs codes within this new property.
    hotel["map_room_types"](rpc.call("phobs.backend", "search",
                                     [("hotel_code", "=", hotel["code"])])[0])

    # -- test the connection and see the result --------------------------------------------
    click_button(page, "Test connection")
    banner = page.locator(".o_phobs_action_result")
    banner.wait_for(state="visible")
    assert "connected as hotel %s" % hotel["code"] in banner.inner_text()
    assert "4 undelivered" in banner.inner_text()
    assert "Connection OK" in _chatter_text(page)
    screenshot("02-connection-tested")

    click_button(page, "Generate a new secret")
    page.locator(".modal-footer .btn-primary").click()    # Odoo's own confirmation dialog
    wait_idle(page)

    # -- pull: the channel bookings reach the front desk -----------------------------------
    click_button(page, "Pull reservations now")
    page.wait_for_selector(".o_thread_message:has-text('Reservations pulled')")
    assert "4 received, 4 new" in _chatter_text(page)
    assert "Reservations pulled: 4 received, 4 new" in page.locator(
        ".o_phobs_action_result").inner_text()

    open_app(page, "Hotel Management")
    open_menu_leaf(page, "Reservations")
    page.wait_for_selector(".o_list_view")
    listing = page.locator(".o_list_view").inner_text()
    for booking in bookings:
        assert booking["channel_booking_id"] in listing
    for channel in ("Booking.com", "Expedia", "Airbnb", "Agoda"):
        assert channel in listing
    screenshot("03-front-desk-reservations")

    # -- the dashboard shows them ----------------------------------------------------------
    open_sidebar_menu(page, "Channel Manager", "Dashboard")
    card = page.locator(".o_kanban_record", has_text=backend_name)
    card.wait_for()
    assert card.locator(".o_phobs_bookings_today").inner_text() == "4"
    assert card.locator(".o_phobs_open_conflicts").inner_text() == "1"
    assert card.locator(".o_phobs_success_rate").inner_text() == "100 %"
    revenue = sum(float(booking["total"]) for booking in bookings)
    assert "{:,.2f}".format(revenue) in card.locator(".o_phobs_revenue_today").inner_text()
    channels = card.locator(".o_phobs_channel_table").inner_text()
    for channel in ("Booking.com", "Expedia", "Airbnb", "Agoda"):
        assert channel in channels
    assert "Pull: just now" in card.locator(".o_phobs_sync").inner_text()
    page.wait_for_selector(".o_dashboard_graph svg")
    assert card.locator(".o_phobs_status_reason").inner_text() == "1 conflict"
    page.wait_for_timeout(1000)   # the chart fades in; the picture is for the README
    screenshot("04-dashboard")

    # -- resolve the overbooking by upgrade: open it, Resolve, Apply (3 clicks) ------------
    card.locator("a[data-name='action_open_conflicts']").click()
    page.wait_for_selector(".o_list_view .o_data_row")
    rows = page.locator(".o_list_view .o_data_row")
    assert rows.count() == 1
    assert bookings[3]["channel_booking_id"] in rows.first.inner_text()
    clicks = 0
    rows.first.click()
    clicks += 1
    page.wait_for_selector(".o_form_view .o_statusbar_status")
    assert "No free" in page.locator(".o_form_view").inner_text()
    click_button(page, "Resolve")
    clicks += 1
    wizard = page.locator(".modal-dialog")
    wizard.wait_for()
    wizard_text = wizard.inner_text()
    assert "Agoda" in wizard_text and bookings[3]["channel_booking_id"] in wizard_text
    assert "upgrade" in wizard_text   # a free double is offered, already chosen
    screenshot("conflict-wizard")
    wizard.locator(".modal-footer button", has_text="Apply").click()
    clicks += 1
    wait_idle(page)
    page.wait_for_selector(".o_statusbar_status .btn-primary:has-text('Resolved')")
    assert clicks <= 3
    assert "placed in room" in page.locator(".o_form_view").inner_text()
    screenshot("05-conflict-resolved")
    agoda = rpc.call("hotel.reservation", "search_read",
                     [("phobs_reservation_id.external_id", "=", bookings[3]["reservation_id"])],
                     fields=["state", "note", "reservation_line"])
    assert [r["state"] for r in agoda] == ["confirm"]
    assert agoda[0]["reservation_line"] and "OVERBOOKED" not in (agoda[0]["note"] or "")

    # -- channel status and the dashboard after it -----------------------------------------
    open_sidebar_menu(page, "Channel Manager", "OTA Channels")
    booking_com = page.locator(".o_kanban_record", has_text="Booking.com").first
    booking_com.wait_for()
    assert booking_com.locator(".o_phobs_status_green").count() == 1
    screenshot("06-channels")

    backend = rpc.call("phobs.backend", "search_read", [("hotel_code", "=", hotel["code"])],
                       fields=["push_mode", "error_rate_threshold", "log_retention_days",
                               "webhook_secret_set", "last_connection_ok"])[0]
    assert backend["error_rate_threshold"] == 25 and backend["log_retention_days"] == 45
    assert backend["webhook_secret_set"] and backend["last_connection_ok"]
    front_desk = rpc.call("hotel.reservation", "search_count",
                          [("phobs_reservation_id.backend_id.hotel_code", "=", hotel["code"])])
    assert front_desk == 4
    assert not sandbox.messages(hotel["code"], "pending")


def test_receptionist_sees_the_dashboard_but_no_credentials(
        page, odoo_server, channel_manager_user, sandbox, sandbox_hotel, rpc, screenshot):
    page.clock.install()    # the dashboard's minute timer, run on demand below
    log_in(page, odoo_server.url, *channel_manager_user)
    open_app(page, "Hotel Management")
    open_sidebar_menu(page, "Channel Manager", "Dashboard")
    page.wait_for_selector(".o_phobs_backend_card")
    week = page.locator(".o_phobs_backend_card .o_phobs_bookings_week").first
    assert week.inner_text() == "4"
    screenshot("dashboard-as-receptionist")

    # A booking arrives while the dashboard is open: within a minute it shows, nobody reloads.
    single = next(code for code in sandbox_hotel["room_codes"] if code.startswith("SGL"))
    _book(sandbox, sandbox_hotel, "BDC", single, 20)
    backend_ids = rpc.call("phobs.backend", "search",
                           [("hotel_code", "=", sandbox_hotel["code"])])
    rpc.call("phobs.backend", "action_pull_now", backend_ids)
    assert week.inner_text() == "4"
    page.clock.run_for(61 * 1000)
    page.wait_for_function(
        "document.querySelector('.o_phobs_backend_card .o_phobs_bookings_week')"
        ".innerText.trim() === '5'")

    # The receptionist's Channel Manager menu holds their work only; no technical screens.
    sidebar = page.locator(".oe_secondary_menu:visible")
    section = sidebar.locator("li:has(> a.oe_menu_toggler:has-text('Channel Manager'))").first
    entries = sorted(name.strip() for name in
                     section.locator("a.oe_menu_leaf").all_inner_texts())
    allowed = {"Dashboard", "Channel Reservations", "Conflicts", "Booking Analysis"}
    assert {"Dashboard", "Channel Reservations", "Conflicts"} <= set(entries)
    assert all(name in allowed or "Report" in name for name in entries), entries
    for technical in ("API Calls", "Response Times", "Outbox", "Drift Audit", "Backends",
                      "Messages", "Errors by Code"):
        assert not any(technical in name for name in entries)

    open_menu_leaf(page, "Conflicts")
    page.wait_for_selector(".o_list_view, .oe_view_nocontent, .o_view_nocontent")
    open_menu_leaf(page, "Channel Reservations")
    page.wait_for_selector(".o_list_view .o_data_row")
    listing = page.locator(".o_list_view").inner_text()
    assert "Booking.com" in listing      # bookings named as the guest quotes them
    screenshot("reservations-as-receptionist")

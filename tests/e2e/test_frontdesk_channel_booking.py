"""A channel booking as the front desk sees it, and who may cancel it.

A receptionist (Hotel Management / User, no Channel Manager group) opens a Booking.com booking
of two nights for two adults and two children: the OTA, its number, the price per night and in
total, the guests with the children's ages, the requests and the masked card are on the form,
and nothing lets them cancel it. A manager cancels it with a reason: Phobs (the sandbox) shows
the booking cancelled.
"""
import time
import uuid
from datetime import date, timedelta

from harness.processes import ARTIFACTS
from odoo_ui import log_in, open_app, open_menu_leaf, wait_idle

SCREENSHOTS = ARTIFACTS / "screenshots"

RECEPTIONIST = ("frontdesk.receptionist@example.com", "frontdesk-receptionist-e2e")


def _channel_booking(sandbox, rpc):
    """A sandbox hotel of its own, its Phobs property, and one pulled Booking.com booking."""
    suffix = uuid.uuid4().hex[:4].upper()
    codes = {"SGL" + suffix: 1, "DBL" + suffix: 2}
    hotel = sandbox.new_hotel(codes)
    backend_id = rpc.call("phobs.backend", "create", {
        "name": "Hotel Riva (%s)" % hotel["code"], "hotel_code": hotel["code"],
        "environment": "demo", "base_url": sandbox.url, "auth_mode": "oauth2",
        "client_id": hotel["credentials"]["client_id"],
        "client_secret": hotel["credentials"]["client_secret"]})
    for code, units in codes.items():
        type_id = rpc.call("hotel.room.type", "create", {
            "name": "Riva %s %s" % ("Double" if code.startswith("DBL") else "Single", suffix),
            "phobs_backend_id": backend_id, "phobs_code": code})
        for number in range(1, units + 1):
            rpc.call("hotel.room", "create", {"name": "R-%s-%s-%d" % (suffix, code[:3], number),
                                              "room_categ_id": type_id, "capacity": 4,
                                              "list_price": 120})
    arrival = date.today() + timedelta(days=12)
    # Creating the room types and rooms sends availability in the background, first 0 (a type
    # without rooms), then the rooms' count: the OTA sells once Phobs holds the front desk's.
    _wait_sandbox_holds(sandbox, rpc, hotel["code"], backend_id, "DBL" + suffix, arrival, 2)
    booking = sandbox.book(
        hotel["code"], channel="BDC", card=True,
        comments=["Late arrival around 23:00", "Baby cot please"],
        room_stays=[{"room_type": "DBL" + suffix, "rate_plan": "BAR", "arrival": str(arrival),
                     "departure": str(arrival + timedelta(days=2)), "adults": 2,
                     "children": [5, 8]}])
    rpc.call("phobs.backend", "action_pull_now", [backend_id])
    reservation = rpc.call("hotel.reservation", "search_read",
                           [("phobs_channel_booking_id", "=", booking["channel_booking_id"])],
                           fields=["id", "reservation_no"])
    assert len(reservation) == 1, reservation
    return hotel, booking, reservation[0]


def _wait_sandbox_holds(sandbox, rpc, hotel_code, backend_id, room_type, arrival, rooms):
    deadline = time.monotonic() + 60
    while True:
        nights = sandbox.availability(hotel_code, room_type, arrival, arrival + timedelta(days=1))
        pending = rpc.call("phobs.outbox", "search_count", [("backend_id", "=", backend_id),
                                                            ("state", "=", "pending")])
        if not pending and set(nights.values()) == {rooms}:
            return
        assert time.monotonic() < deadline, (nights, pending)
        time.sleep(0.3)


def _open_reservation(page, number):
    open_app(page, "Hotel Management")
    open_menu_leaf(page, "Reservations")
    page.wait_for_selector(".o_list_view")
    search = page.locator(".o_searchview_input")
    search.click()
    page.wait_for_timeout(300)
    search.type(number, delay=30)  # key by key: Odoo 11's search box listens to key events
    # The first proposal of the search box: "Search Reservation or OTA number for: ...".
    page.wait_for_selector(".o_searchview_autocomplete li:first-child:has-text('Reservation or OTA number')")
    search.press("Enter")
    page.wait_for_selector(".o_searchview_facet:has-text('Reservation or OTA number')")
    rows = page.locator(".o_list_view .o_data_row")
    page.wait_for_function("document.querySelectorAll('.o_list_view .o_data_row').length === 1")
    assert rows.count() == 1
    rows.first.click()
    page.wait_for_selector(".o_form_view .o_phobs_banner")
    wait_idle(page)


def test_receptionist_sees_the_booking_as_sold_and_a_manager_cancels_it(
        browser, page, odoo_server, rpc, sandbox, channel_manager_manager, screenshot):
    rpc.ensure_user(*RECEPTIONIST, name="Rita Receptionist", email=RECEPTIONIST[0],
                    group_xmlids=["base.group_user", "hotel.group_hotel_user"])
    hotel, booking, reservation = _channel_booking(sandbox, rpc)

    # -- the receptionist finds it by the OTA number and reads what was sold -----------------
    log_in(page, odoo_server.url, *RECEPTIONIST)
    _open_reservation(page, booking["channel_booking_id"])
    form = page.locator(".o_form_view")
    text = form.inner_text()
    assert "Booked on Booking.com (%s): changes are sent to the channel" % (
        booking["channel_booking_id"]) in text
    assert booking["reservation_id"] in text                 # the Phobs id
    assert "{:,.2f}".format(float(booking["total"])) in text  # the total, in its currency
    assert booking["currency"] in text
    assert "2 adult(s), 2 child(ren) aged 5, 8" in text
    assert "per room" in text                                 # nightly prices
    assert "Late arrival around 23:00" in text
    assert "****" in text                                     # the card, masked
    assert form.locator("button:visible", has_text="Cancel Reservation").count() == 0
    assert form.locator("button:visible", has_text="Cancel Channel Booking").count() == 0
    assert "R-" in form.locator(".o_phobs_rooms").inner_text()  # the room number
    page.set_viewport_size({"width": 1366, "height": 1250})  # the whole channel section
    screenshot("01-receptionist-channel-booking")

    # -- the manager cancels it with a reason ------------------------------------------------
    manager_context = browser.new_context(viewport={"width": 1366, "height": 860},
                                          locale="en-US")
    manager = manager_context.new_page()
    manager.set_default_timeout(30000)
    try:
        log_in(manager, odoo_server.url, *channel_manager_manager)
        _open_reservation(manager, reservation["reservation_no"])
        manager.locator(".o_form_view button:visible", has_text="Cancel Channel Booking").click()
        dialog = manager.locator(".modal-dialog")
        dialog.wait_for()
        dialog.locator(".o_field_widget[name='reason']").fill(
            "Guest phoned: flight cancelled, Booking.com agreed to waive the fee.")
        manager.screenshot(path=str(SCREENSHOTS / "frontdesk-02-manager-cancel-wizard.png"),
                           full_page=True)
        dialog.locator("button", has_text="Cancel the booking").click()
        manager.wait_for_selector(".modal-dialog", state="detached")
        wait_idle(manager)
        manager.wait_for_selector(".o_statusbar_status .btn-primary:has-text('Cancel')")
        assert "flight cancelled" in manager.locator(".o_mail_thread").inner_text()
    finally:
        manager_context.close()

    # The upload leaves right after the commit (in the background): Phobs shows it cancelled.
    deadline = time.monotonic() + 30
    status = None
    while time.monotonic() < deadline:
        status = sandbox.call("GET", "/bookings/%s" % booking["reservation_id"])["status"]
        if status == "Cancel":
            break
        time.sleep(0.5)
    assert status == "Cancel"
    binding = rpc.call("phobs.reservation", "search_read",
                       [("external_id", "=", booking["reservation_id"])],
                       fields=["status", "sync_state"])[0]
    deadline = time.monotonic() + 10
    while binding["status"] != "Cancel" and time.monotonic() < deadline:
        time.sleep(0.5)
        binding = rpc.call("phobs.reservation", "search_read",
                           [("external_id", "=", booking["reservation_id"])],
                           fields=["status", "sync_state"])[0]
    assert (binding["status"], binding["sync_state"]) == ("Cancel", "cancelled")

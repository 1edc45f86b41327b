"""A manager finds the bookings of a channel this hotel does not know, and makes it known.

A signed push from a channel code we have never seen (its name carrying markup) lands as a
booking without creating a channel; the manager opens Channel Manager > Unknown Channels, sees
the code and the name as plain text, and creates the channel from the booking.
"""
import time
import uuid

import httpx

from harness.inbound_corpus import raw, shifted
from odoo_ui import log_in, open_app, open_sidebar_menu, wait_idle
from phobs_channel_manager.phobs_api.webhook import sign

FIXTURE = "20_unknown_channel_html_name.xml"
SECRET = "whsec-e2e-unknown-channels"


def _backend(rpc, hotel):
    found = rpc.call("phobs.backend", "search", [("hotel_code", "=", hotel["code"])],
                     context={"active_test": False})
    if found:
        rpc.call("phobs.backend", "write", found, {"active": True, "webhook_secret": SECRET})
        return found[0]
    return rpc.call("phobs.backend", "create", {
        "name": "Unknown channels %s" % hotel["code"], "hotel_code": hotel["code"],
        "environment": "demo", "base_url": "http://127.0.0.1:9", "auth_mode": "oauth2",
        "client_id": "e2e", "client_secret": "e2e", "webhook_secret": SECRET})


def _push(url, body):
    stamp = str(int(time.time()))
    return httpx.post(url, content=body, timeout=60, headers={
        "Content-Type": "text/xml; charset=utf-8", "X-Phobs-Timestamp": stamp,
        "X-Phobs-Signature": sign(SECRET, stamp, body)})


def test_manager_creates_a_channel_from_an_unknown_code(
        page, odoo_server, channel_manager_manager, sandbox_hotel, rpc, screenshot):
    from datetime import date

    hotel = sandbox_hotel
    backend_id = _backend(rpc, hotel)
    hotel["map_room_types"](backend_id)
    double = next(code for code in hotel["room_codes"] if code.startswith("DBL"))
    # Unique per run: the e2e database keeps what earlier runs committed.
    run = uuid.uuid4().hex[:6].upper()
    code, external_id = "ZZ" + run, "R-20-" + run
    body = (shifted(raw(FIXTURE), date.today(), hotel["code"])
            .replace(b'RoomTypeCode="DBL"', ('RoomTypeCode="%s"' % double).encode())
            .replace(b'"ZZOTA"', ('"%s"' % code).encode())
            .replace(b'ID="R-20"', ('ID="%s"' % external_id).encode())
            .replace(b'ID="M-20"', ('ID="M-20-%s"' % run).encode()))
    response = _push("%s/phobs/webhook/%d" % (odoo_server.url, backend_id), body)
    assert response.status_code == 200 and "<Success" in response.text, response.text
    deadline = time.monotonic() + 60
    while not rpc.call("phobs.reservation", "search", [("external_id", "=", external_id),
                                                       ("backend_id", "=", backend_id)]):
        assert time.monotonic() < deadline, "the pushed booking was not applied"
        time.sleep(0.5)
    assert not rpc.call("phobs.channel", "search", [("code", "=", code)],
                        context={"active_test": False})

    log_in(page, odoo_server.url, *channel_manager_manager)
    open_app(page, "Hotel Management")
    open_sidebar_menu(page, "Channel Manager", "Unknown Channels")
    page.locator(".o_group_header", has_text=code).first.click()
    wait_idle(page)
    row = page.locator(".o_data_row", has_text=code).first
    assert external_id in row.inner_text()
    assert "Shiny OTA alert(1)" in row.inner_text()
    assert page.locator("script:has-text('alert(1)')").count() == 0
    screenshot("01-unknown-channels")

    row.locator("input[type=checkbox]").first.check()
    page.locator(".o_cp_sidebar button:has-text('Action')").click()
    page.locator(".o_cp_sidebar a:has-text('Create channel from code')").click()
    page.wait_for_selector(".o_form_view")
    wait_idle(page)
    assert "Shiny OTA alert(1)" in page.locator(".o_form_view").inner_text()
    screenshot("02-channel-created")
    [channel] = rpc.call("phobs.channel", "search_read", [("code", "=", code)], ["name"])
    assert channel["name"] == "Shiny OTA alert(1)"
    [booking] = rpc.call("phobs.reservation", "search_read", [("external_id", "=", external_id),
                                                              ("backend_id", "=", backend_id)],
                         ["channel_id"])
    assert booking["channel_id"][0] == channel["id"]

"""What a push is answered with and checked against, as the push path reads it in plain SQL:
the front-desk number (drawn from the sequence hotel_reservation numbers with, the same for a
redelivery, carried by the booking once applied, distinct for pushes stored at the same moment)
and the backend's webhook secret (decrypted once per process, yet a new secret counts at once)."""
import re
import threading
import time
import uuid

import httpx
import odoo

from odoo.addons.phobs_channel_manager.phobs_api.messages.res_notif import (
    parse_hotel_res_notif_rs)
from odoo.addons.phobs_channel_manager.phobs_api.soap import parse_message
from odoo.addons.phobs_channel_manager.phobs_api.webhook import sign

from committed_setup import committed_hotel
from harness.processes import OdooServer
from webhook_case import WebhookCase


def told_numbers(response):
    """The front-desk numbers a push reply names, per Phobs reservation id."""
    assert response.status_code == 200, response.text
    ack = parse_hotel_res_notif_rs(parse_message(response.content))
    return {confirmation.reservation_id: confirmation.pms_id for confirmation in ack.confirmations}


class TestPushNumbers(WebhookCase):

    def sequence(self):
        return self.env["ir.sequence"].search([("code", "=", "hotel.reservation")], limit=1)

    def test_the_number_in_the_reply_is_the_one_the_booking_gets(self):
        told = told_numbers(self._post(self._valid_body()))

        self.assertEqual(len(told), 1)
        number = list(told.values())[0]
        self.assertRegex(number, r"^R/\d{5}$")  # hotel_reservation's own prefix and padding
        self.sync_service().apply_pending()
        self.assertEqual(self.front_desk().mapped("reservation_no"), [number])
        self.assertEqual(self.bindings().pms_ref, number)

    def test_a_redelivered_push_is_told_the_same_number(self):
        body = self._valid_body()
        first = told_numbers(self._post(body))
        again = told_numbers(self._post(body))
        self.assertEqual(again, first)
        self.assertEqual(self._stored(), self.messages_before + 1)

    def test_numbers_follow_the_sequence_and_each_push_gets_its_own(self):
        before = self.sequence().number_next_actual
        # Every booking arrives on the same day: the sandbox hotel has three rooms then.
        numbers = [list(told_numbers(self._post(self._valid_body(room_type=code))).values())[0]
                   for code in ("DBL", "DBL", "SGL")]
        self.assertEqual(len(set(numbers)), 3)
        self.assertEqual([int(number[2:]) for number in numbers],
                         list(range(before, before + 3)))

    def test_a_sequence_with_date_placeholders_is_drawn_by_the_orm(self):
        self.sequence().write({"prefix": "R%(year)s/", "suffix": "-%(month)s"})
        number = list(told_numbers(self._post(self._valid_body())).values())[0]
        self.assertRegex(number, r"^R%s/\d{5}-%s$" % (time.strftime("%Y"), time.strftime("%m")))

    def test_a_new_webhook_secret_counts_at_once(self):
        self.assertEqual(self._post(self._valid_body()).status_code, 200)
        self.backend.webhook_secret = "whsec-rotated"

        body = self._valid_body(room_type="SGL")
        self.assertEqual(self._post(body).status_code, 401)
        self.assertEqual(self._post(body, secret="whsec-rotated").status_code, 200)


def test_pushes_stored_at_the_same_moment_get_distinct_numbers(database):
    """Two server processes store pushes at once: every reply names a number of its own, and
    every booking carries the number its reply named."""
    sandbox, hotel, room, backend_id = committed_hotel(database, "N", 10)
    secret = "whsec-" + uuid.uuid4().hex
    with odoo.api.Environment.manage(), odoo.registry(database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["phobs.backend"].browse(backend_id).webhook_secret = secret
    for day in range(8):
        sandbox.book(hotel["code"], room_type=room, rate_plan="BAR", channel="BDC",
                     arrival="2027-03-%02d" % (1 + 2 * day), departure="2027-03-%02d" % (2 + 2 * day))
    bodies = [_push_body(message["xml"]) for message in sandbox.call("GET", "/messages", params={
        "hotel": hotel["code"], "include_xml": "1", "state": "pending"})["messages"]]
    server = OdooServer(database, workers=2).wait_ready()
    try:
        url = "%s/phobs/webhook/%d" % (server.url, backend_id)
        start = threading.Barrier(len(bodies))
        replies = [None] * len(bodies)

        def push(index):
            stamp = str(int(time.time()))
            start.wait()
            replies[index] = httpx.post(url, content=bodies[index], timeout=60, headers={
                "Content-Type": "text/xml; charset=utf-8", "X-Phobs-Timestamp": stamp,
                "X-Phobs-Signature": sign(secret, stamp, bodies[index])})

        threads = [threading.Thread(target=push, args=(index,)) for index in range(len(bodies))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        told = {}
        for reply in replies:
            told.update(told_numbers(reply))
        assert len(told) == len(bodies)
        assert len(set(told.values())) == len(bodies), told
        deadline = time.monotonic() + 90
        while _numbers(database, backend_id) != told:
            assert time.monotonic() < deadline, (_numbers(database, backend_id), told)
            time.sleep(0.2)
    finally:
        server.stop()


def _push_body(xml):
    return (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<OTA_HotelResNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="1.0" '
        'EchoToken="%s" TimeStamp="2026-11-24T10:00:00Z"><HotelReservations>%s'
        '</HotelReservations></OTA_HotelResNotifRQ></soap:Body></soap:Envelope>'
        % (uuid.uuid4().hex, re.sub(r"^<\?xml[^>]*\?>", "", xml))).encode()


def _numbers(database, backend_id):
    """The front-desk number of each applied booking of the backend, per Phobs id."""
    with odoo.api.Environment.manage(), odoo.registry(database).cursor() as cr:
        cr.execute("SELECT p.external_id, r.reservation_no FROM hotel_reservation r "
                   "JOIN phobs_reservation p ON p.id = r.phobs_reservation_id "
                   "WHERE p.backend_id = %s", (backend_id,))
        return dict(cr.fetchall())

"""A PhobsCase that posts to the push endpoint over real HTTP, for the push refusal tests of the
Odoo layer and the attack tests of the security layer."""
import re
import time

import httpx

from odoo.addons.phobs_channel_manager.phobs_api.webhook import sign

from phobs_case import PhobsCase


class WebhookCase(PhobsCase):

    def setUp(self):
        super().setUp()
        self.url = "%s/phobs/webhook/%d" % (self.odoo_url, self.backend.id)
        self.secret = "whsec-" + self.hotel["code"]
        self.messages_before = self._stored()

    def _stored(self):
        return self.env["phobs.message"].search_count([("backend_id", "=", self.backend.id)])

    def _post(self, body, secret=None, timestamp=None, headers=None):
        timestamp = timestamp or str(int(time.time()))
        sent = {"Content-Type": "text/xml; charset=utf-8", "X-Phobs-Timestamp": timestamp,
                "X-Phobs-Signature": sign(secret or self.secret, timestamp, body)}
        sent.update(headers or {})
        return httpx.post(self.url, content=body, headers=sent, timeout=30)

    def _valid_body(self, **booking):
        booked = self.book(arrival=4, **booking)
        messages = self.sandbox.call("GET", "/messages", params={
            "hotel": self.hotel["code"], "include_xml": "1"})["messages"]
        message = [m for m in messages if m["reservation_id"] == booked["reservation_id"]][0]
        return (
            '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
            '<OTA_HotelResNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="1.0" '
            'EchoToken="e1" TimeStamp="2026-11-24T10:00:00Z"><HotelReservations>%s'
            '</HotelReservations></OTA_HotelResNotifRQ></soap:Body></soap:Envelope>'
            % re.sub(r"^<\?xml[^>]*\?>", "", message["xml"])).encode()

    def assertRefused(self, response, status, words):
        """The status (and reason), and nothing written: no message, no booking."""
        self.assertEqual(response.status_code, status)
        if words:
            self.assertIn(words, response.text)
        self.assertEqual(self._stored(), self.messages_before)
        self.assertFalse(self.bindings())

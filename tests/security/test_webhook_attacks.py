"""Attacks on the push endpoint, over real HTTP: forged, replayed and mistimed signatures, unsafe
XML (entity expansion, external entities, an external DTD), oversized and undecodable bodies, an
unknown backend, and script in guest data. Each asserts the HTTP status (and its reason) and
that nothing was written: no message, no channel booking, no front-desk reservation.

Parser-level twins of these refusals live in tests/unit/phobs_api (test_xml, test_webhook,
test_reservation_xml); content that is authentic but wrong (unknown room type, bad dates,
negative amounts) is the Odoo layer's tests/odoo/test_reservation_push.py."""
import http.server
import threading
import time

import httpx

from webhook_case import WebhookCase

SCRIPT = '<script>alert("x")</script>'
IMG = '<img src=x onerror=alert(1)>'


class TestWebhookAttacks(WebhookCase):

    def test_wrong_signature(self):
        self.assertRefused(self._post(self._valid_body(), secret="not-the-secret"), 401,
                           "signature does not match")

    def test_missing_signature(self):
        body = self._valid_body()
        response = httpx.post(self.url, content=body, timeout=30)
        self.assertRefused(response, 401, "missing")

    def test_replayed_timestamp(self):
        old = str(int(time.time()) - 3600)
        self.assertRefused(self._post(self._valid_body(), timestamp=old), 401, "window")

    def test_malformed_xml(self):
        response = self._post(b"<soap:Envelope><unclosed>")
        self.assertRefused(response, 400, "malformed")
        self.assertEqual(response.text.count("<soap:Envelope"), 1)
        self.assertIn("<faultcode>soap:Client</faultcode>", response.text)

    def test_entity_expansion_is_refused(self):
        bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                b'<lolz>&lol2;</lolz>')
        self.assertRefused(self._post(bomb), 400, "malformed")

    def test_external_entity_is_refused(self):
        xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               b'<r>&x;</r>')
        response = self._post(xxe)
        self.assertRefused(response, 400, "malformed")
        self.assertNotIn("root:", response.text)

    def test_non_utf8_body(self):
        body = '<?xml version="1.0" encoding="ISO-8859-1"?><r>caf\xe9</r>'.encode("latin-1")
        self.assertRefused(self._post(body), 400, "malformed")

    def test_oversized_body(self):
        body = b"<r>" + b"x" * (2 * 1024 * 1024 + 10) + b"</r>"
        self.assertRefused(self._post(body), 413, None)

    def test_unknown_backend(self):
        response = httpx.post("%s/phobs/webhook/999999" % self.odoo_url, content=b"<r/>",
                              timeout=30)
        self.assertRefused(response, 404, None)

    def test_timestamps_that_are_not_whole_ascii_seconds_are_refused_even_when_signed(self):
        body = self._valid_body()
        now = int(time.time())
        for timestamp in ("nan", "NaN", "inf", "-inf", "%d.0" % now, "%de0" % now, "+%d" % now,
                          "%d" % now + "0" * 12):
            response = self._post(body, timestamp=timestamp)
            self.assertRefused(response, 401, "malformed")
        # The same body, signed with a proper timestamp, is accepted: the refusal was the time.
        self.assertEqual(self._post(body).status_code, 200)

    def test_external_dtd_is_never_fetched(self):
        fetched = []

        class Recorder(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                fetched.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'<!ENTITY x "pwned">')

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            body = ('<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:%d/evil.dtd">'
                    '<r>&x;</r>' % server.server_port).encode()
            self.assertRefused(self._post(body), 400, "malformed")
        finally:
            server.shutdown()
            server.server_close()
        self.assertEqual(fetched, [])

    def test_script_in_guest_data_is_stored_as_text_and_never_rendered(self):
        body = self._valid_body(guest={"given_name": SCRIPT, "surname": IMG},
                                comments=[SCRIPT + " late arrival " + IMG])
        response = self._post(body)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertNotIn("<script", response.text)
        self.sync_service().apply_pending()
        binding = self.bindings()
        self.assertEqual(len(binding), 1)
        # Kept as sent (nothing lost), as plain text ...
        self.assertIn(SCRIPT, binding.guest_name)
        self.assertIn(IMG, binding.guest_name)
        self.assertIn(SCRIPT, (binding.comments or "") + (binding.special_requests or ""))
        reservation = self.front_desk()
        self.assertTrue(reservation)
        self.assertIn(SCRIPT, reservation.partner_id.name)
        # ... and every HTML the front desk renders (chatter of the booking, its reservation, the
        # guest and the backend) holds it escaped, never as markup.
        notes = self.env["mail.message"].search([
            "|", "|", "|",
            "&", ("model", "=", "phobs.reservation"), ("res_id", "in", binding.ids),
            "&", ("model", "=", "hotel.reservation"), ("res_id", "in", reservation.ids),
            "&", ("model", "=", "res.partner"), ("res_id", "in", reservation.partner_id.ids),
            "&", ("model", "=", "phobs.backend"), ("res_id", "=", self.backend.id)])
        for note in notes:
            self.assertNotIn("<script", note.body or "")
            self.assertNotIn("<img src=x", note.body or "")
        # The screens show these fields as text: no view of ours renders raw HTML.
        views = self.env["ir.ui.view"].search([("model", "in", [
            "phobs.reservation", "hotel.reservation", "phobs.backend", "res.partner"])])
        for view in views.filtered(lambda v: "phobs" in (v.xml_id or "") or "frontdesk" in (
                v.xml_id or "")):
            self.assertNotIn("t-raw", view.arch_db)
            self.assertNotIn('widget="html"', view.arch_db)

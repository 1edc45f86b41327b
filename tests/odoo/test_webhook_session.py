"""Phobs keeps no cookie: a push leaves no Odoo session behind on disk, where Odoo would
otherwise write one per push for a session nobody sends back."""
from pathlib import Path

import httpx
from odoo.tools import config

from webhook_case import WebhookCase


class TestWebhookSession(WebhookCase):

    def sessions(self):
        return set(Path(config.session_dir).iterdir())

    def test_a_push_writes_no_session(self):
        before = self.sessions()
        response = self._post(self._valid_body())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.sessions(), before)

    def test_other_routes_still_keep_their_sessions(self):
        before = self.sessions()
        self.assertEqual(httpx.get(self.odoo_url + "/phobs/health", timeout=10).status_code, 200)
        self.assertEqual(len(self.sessions() - before), 1)

"""What every delivery from Phobs is checked against, read from the backend in one query.

A push is answered while Phobs waits, and through the ORM these few values cost more than the
rest of the push: reading the backend reads all of its columns, and the date today reads the
whole user (for a time zone). Pulled pages are checked against the same facts.
"""
from collections import namedtuple
from datetime import date

from odoo import fields, models

from ..phobs_api.bounds import BoundsPolicy

#: ``webhook_secret_token``: the ciphertext, opened with ``_phobs_open_secret`` when needed;
#: ``mapped_codes``: the mapped room type codes (a frozenset), in the same query when the PMS
#: bridge gives them as SQL, else from ``_phobs_room_type_codes``.
IntakeFacts = namedtuple("IntakeFacts",
                         "hotel_code webhook_secret_token bounds today mapped_codes")

_FACTS_SQL = """
    SELECT b.hotel_code, b.webhook_secret_encrypted, b.bounds_past_days, b.bounds_future_days,
           b.bounds_max_nights,
           (SELECT p.tz FROM res_users u JOIN res_partner p ON p.id = u.partner_id
             WHERE u.id = %%(uid)s),
           %s
      FROM phobs_backend b WHERE b.id = %%(backend_id)s
"""


class PhobsBackendIntake(models.Model):
    _inherit = "phobs.backend"

    def _phobs_intake_facts(self):
        """The backend's :class:`IntakeFacts`, or None when the backend does not exist."""
        self.ensure_one()
        self.env.cr.execute(_FACTS_SQL % self._phobs_mapped_codes_sql(),
                            {"uid": self.env.uid, "backend_id": self.id})
        row = self.env.cr.fetchone()
        if not row:
            return None
        hotel_code, token, past_days, future_days, max_nights, user_tz, codes = row
        bounds = BoundsPolicy(past_days=past_days, future_days=future_days,
                              max_nights=max_nights)
        if codes is None:
            codes = self._phobs_room_type_codes()
        return IntakeFacts(hotel_code, token, bounds, self._phobs_intake_today(user_tz),
                           frozenset(codes))

    def _phobs_intake_today(self, user_tz):
        """The date today as ``fields.Date.context_today`` tells it for this environment (the
        context's time zone, else the user's), without reading the user again."""
        tz = self.env.context.get("tz") or user_tz
        if not tz:
            return date.today()
        return fields.Date.from_string(fields.Date.context_today(self.with_context(tz=tz)))

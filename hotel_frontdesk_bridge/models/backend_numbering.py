"""The front-desk number a channel booking will carry, drawn when Phobs is acknowledged.

Every push draws one while Phobs waits for the reply, so it is drawn in one query: the sequence
``hotel_reservation`` numbers its reservations with, picked as ``ir.sequence.next_by_code``
picks it (the user's company first, then a shared one), and its next value. The number is the
one the ORM would give (prefix, zero padding, suffix); a sequence the query cannot draw alike (a
prefix with date placeholders, yearly ranges, gap-free numbering) is drawn by the ORM instead.
The booking is later created with exactly this number (``phobs_reservation_no``).
"""
from odoo import models

RESERVATION_SEQUENCE_CODE = "hotel.reservation"

# The PostgreSQL sequence behind a "standard" ir.sequence is ir_sequence_%03d. nextval() runs
# only for the one sequence picked, and only when plain SQL can draw it as the ORM would.
_DRAW_SQL = """
    SELECT s.id, s.prefix, s.suffix, s.padding,
           CASE WHEN s.implementation = 'standard' AND NOT s.use_date_range
                     AND strpos(coalesce(s.prefix, '') || coalesce(s.suffix, ''), '%%') = 0
                THEN nextval(('ir_sequence_' || CASE WHEN s.id < 1000
                                                     THEN lpad(s.id::text, 3, '0')
                                                     ELSE s.id::text END)::regclass)
           END
      FROM (SELECT id, prefix, suffix, padding, implementation, use_date_range
              FROM ir_sequence
             WHERE code = %(code)s AND active
               AND (company_id = coalesce(%(company)s,
                                          (SELECT company_id FROM res_users WHERE id = %(uid)s))
                    OR company_id IS NULL)
             ORDER BY company_id LIMIT 1) s
"""


class PhobsBackendNumbering(models.Model):
    _inherit = "phobs.backend"

    def _phobs_new_pms_ref(self):
        self.env.cr.execute(_DRAW_SQL, {"code": RESERVATION_SEQUENCE_CODE, "uid": self.env.uid,
                                        "company": self.env.context.get("force_company")})
        row = self.env.cr.fetchone()
        if not row:
            return ""
        _sequence_id, prefix, suffix, padding, number = row
        if number is None:
            return self.env["ir.sequence"].sudo().next_by_code(RESERVATION_SEQUENCE_CODE) or ""
        return "%s%0*d%s" % (prefix or "", padding, number, suffix or "")

from odoo import api, fields, models

from ..phobs_api import ari


class PhobsAriState(models.Model):
    """What Phobs last accepted, per day: the base that outbound updates are diffed against.

    ``value`` is the canonical text of :mod:`phobs_api.ari`: an integer for availability, amount
    and currency for a rate, all five restrictions as ``key=value`` pairs, so equal values
    compare equal as strings.
    """

    _name = "phobs.ari.state"
    _description = "Phobs Accepted ARI Value"
    _order = "day"

    backend_id = fields.Many2one("phobs.backend", required=True, ondelete="cascade", index=True)
    kind = fields.Selection([(ari.AVAILABILITY, "Availability"),
                             (ari.RESTRICTIONS, "Restrictions"), (ari.RATES, "Rates")],
                            required=True)
    room_type_code = fields.Char(required=True)
    rate_plan_code = fields.Char(default="")
    day = fields.Date(required=True)
    value = fields.Char(required=True)
    accepted_at = fields.Datetime(default=fields.Datetime.now)

    _sql_constraints = [
        ("day_unique", "unique(backend_id, kind, room_type_code, rate_plan_code, day)",
         "One accepted value per backend, kind, room type, rate plan and day."),
    ]

    @api.model
    def _accepted_values(self, backend, kind, pairs, date_from, date_to):
        """``{(room_type_code, rate_plan_code, day): value}`` for these (room type, rate plan)
        pairs in the range."""
        pairs = sorted({(code, plan or "") for code, plan in pairs})
        if not pairs:
            return {}
        self.env.cr.execute("""
            SELECT room_type_code, rate_plan_code, day, value FROM phobs_ari_state
             WHERE backend_id = %s AND kind = %s AND (room_type_code, rate_plan_code) IN %s
               AND day BETWEEN %s AND %s
        """, (backend.id, kind, tuple(pairs), date_from, date_to))
        # Odoo's cursor reads dates as text; a horizon has a few hundred distinct days for tens
        # of thousands of rows, so each is parsed once.
        days = {}
        values = {}
        for code, plan, day, value in self.env.cr.fetchall():
            if day not in days:
                days[day] = fields.Date.from_string(day) if isinstance(day, str) else day
            values[(code, plan, days[day])] = value
        return values

    @api.model
    def _store_values(self, backend, kind, values):
        """Upserts accepted ``{(room_type_code, rate_plan_code, day): value}``, one statement
        per thousand days."""
        if not values:
            return
        rows = [(backend.id, kind, code, plan or "", day, value)
                for (code, plan, day), value in values.items()]
        for start in range(0, len(rows), 1000):
            chunk = rows[start:start + 1000]
            self.env.cr.execute("""
                INSERT INTO phobs_ari_state
                    (backend_id, kind, room_type_code, rate_plan_code, day, value, accepted_at,
                     create_uid, write_uid, create_date, write_date)
                SELECT b, k, c, r, d::date, v, now() at time zone 'UTC', %s, %s,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM unnest(%s::int[], %s::varchar[], %s::varchar[], %s::varchar[],
                              %s::varchar[], %s::varchar[]) AS t(b, k, c, r, d, v)
                ON CONFLICT (backend_id, kind, room_type_code, rate_plan_code, day)
                DO UPDATE SET value = EXCLUDED.value, accepted_at = EXCLUDED.accepted_at,
                              write_date = EXCLUDED.write_date
            """, (self.env.uid, self.env.uid,
                  [r[0] for r in chunk], [r[1] for r in chunk], [r[2] for r in chunk],
                  [r[3] for r in chunk], [str(r[4]) for r in chunk], [r[5] for r in chunk]))
        # Only this model's stored values changed; the rest of the cache stays good.
        self.invalidate_cache(["value", "accepted_at", "write_date"])

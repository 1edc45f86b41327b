from odoo import api, fields, models, tools


class PhobsBookingReport(models.Model):
    """Channel bookings for managers: bookings, room nights, revenue, ADR, cancellations and
    lead time per channel and month, in the property's currency.

    One row per Phobs reservation (its latest version), read from a SQL view. Revenue and room
    nights count bookings that stand (a cancelled booking counts as a cancellation only);
    amounts are converted from the booking's currency to the property's at the rate of the
    booking day, as Odoo's accounting would. ADR (average daily rate) is revenue per room night
    of each group, not an average of averages, so :meth:`read_group` computes it per group.
    """

    _name = "phobs.booking.report"
    _description = "Channel Bookings Analysis"
    _auto = False
    _order = "booked_on desc"
    _rec_name = "booked_on"

    backend_id = fields.Many2one("phobs.backend", string="Property", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    channel_id = fields.Many2one("phobs.channel", string="Channel", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    booked_on = fields.Date(string="Booked on", readonly=True)
    arrival = fields.Date(readonly=True)
    status = fields.Selection([("Book", "Booked"), ("Commit", "Committed"),
                               ("Modify", "Modified"), ("Cancel", "Cancelled")], readonly=True)
    bookings = fields.Integer(string="Bookings", readonly=True,
                              help="Bookings that stand (not cancelled).")
    cancellations = fields.Integer(readonly=True)
    room_nights = fields.Integer(string="Room nights", readonly=True)
    revenue = fields.Monetary(currency_field="currency_id", readonly=True,
                              help="What the guests pay, in the property's currency.")
    adr = fields.Monetary(string="ADR", currency_field="currency_id", readonly=True,
                          group_operator="sum",
                          help="Average daily rate: revenue per room night.")
    lead_time_days = fields.Float(string="Lead time (days)", group_operator="avg",
                                  readonly=True, help="Days from booking to arrival, on average.")

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW phobs_booking_report AS (
                WITH bookings AS (
                    SELECT r.id, r.backend_id, b.company_id, r.channel_id,
                           b.currency_id AS property_currency_id, r.currency_id, r.status,
                           COALESCE(r.booked_at, r.create_date)::date AS booked_on,
                           r.arrival, COALESCE(r.amount_total, 0) AS amount,
                           (SELECT COALESCE(SUM(s.units * (s.departure - s.arrival)), 0)
                              FROM phobs_reservation_stay s WHERE s.reservation_id = r.id)
                               AS nights
                      FROM phobs_reservation r
                      JOIN phobs_backend b ON b.id = r.backend_id
                ), converted AS (
                    SELECT bk.*,
                           CASE WHEN bk.currency_id IS NULL
                                  OR bk.currency_id = bk.property_currency_id THEN bk.amount
                                ELSE bk.amount * COALESCE((
                                    SELECT rate FROM res_currency_rate
                                     WHERE currency_id = bk.property_currency_id
                                       AND name <= bk.booked_on
                                       AND (company_id IS NULL OR company_id = bk.company_id)
                                     ORDER BY company_id, name DESC LIMIT 1), 1)
                                   / COALESCE(NULLIF((
                                    SELECT rate FROM res_currency_rate
                                     WHERE currency_id = bk.currency_id
                                       AND name <= bk.booked_on
                                       AND (company_id IS NULL OR company_id = bk.company_id)
                                     ORDER BY company_id, name DESC LIMIT 1), 0), 1)
                           END AS property_amount
                      FROM bookings bk
                )
                SELECT id, backend_id, company_id, channel_id,
                       property_currency_id AS currency_id, booked_on, arrival, status,
                       CASE WHEN status = 'Cancel' THEN 0 ELSE 1 END AS bookings,
                       CASE WHEN status = 'Cancel' THEN 1 ELSE 0 END AS cancellations,
                       CASE WHEN status = 'Cancel' THEN 0 ELSE nights END AS room_nights,
                       CASE WHEN status = 'Cancel' THEN 0 ELSE property_amount END AS revenue,
                       CASE WHEN status = 'Cancel' OR nights = 0 THEN 0
                            ELSE property_amount / nights END AS adr,
                       GREATEST(arrival - booked_on, 0) AS lead_time_days
                  FROM converted
            )
        """)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        """ADR of a group is its revenue over its room nights (a plain sum or average of
        per-booking ADRs would weigh a one-night booking like a fortnight)."""
        fields = list(fields or [])
        wanted = [f.split(":")[0] for f in fields]
        extra = [name for name in ("revenue", "room_nights") if "adr" in wanted
                 and name not in wanted]
        groups = super().read_group(domain, fields + extra, groupby, offset=offset, limit=limit,
                                    orderby=orderby, lazy=lazy)
        if "adr" in wanted:
            for group in groups:
                nights = group.get("room_nights") or 0
                group["adr"] = (group.get("revenue") or 0) / nights if nights else 0
        return groups

from odoo import api, fields, models

from ..phobs_api import ari

KINDS = [(ari.AVAILABILITY, "Availability"), (ari.RESTRICTIONS, "Restrictions"),
         (ari.RATES, "Rates"), ("reservation", "Reservation upload")]


class PhobsOutbox(models.Model):
    """Work to send to Phobs, written in the same transaction as the change that caused it.

    A row says "this (backend, kind, room type, rate plan, date range) may differ from what
    Phobs holds" or "this front-desk reservation must be uploaded". The sender recomputes the
    current values when it runs, so several rows for the same days cost one message. Rows are
    claimed with FOR UPDATE SKIP LOCKED, so several Odoo workers never send the same row twice.
    """

    _name = "phobs.outbox"
    _description = "Phobs Outbox"
    _order = "next_attempt_at, id"

    backend_id = fields.Many2one("phobs.backend", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True, readonly=True)
    kind = fields.Selection(KINDS, required=True, index=True)
    room_type_code = fields.Char()
    rate_plan_code = fields.Char()
    date_from = fields.Date()
    date_to = fields.Date(help="Inclusive.")
    phobs_reservation_id = fields.Many2one("phobs.reservation", ondelete="cascade")
    res_status = fields.Char(help="Commit, Modify or Cancel, for reservation uploads.")
    pms_ref = fields.Char(help="The front-desk record an upload describes (model,id).")
    force = fields.Boolean(
        help="Send these days even where Phobs already accepted the same value (full resync, "
             "audit corrections).")
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Sent"), ("dead", "Dead letter")],
        required=True, default="pending", index=True)
    attempts = fields.Integer(default=0)
    next_attempt_at = fields.Datetime(default=fields.Datetime.now, index=True)
    last_error = fields.Text()
    error_kind = fields.Selection(
        [("retryable", "Temporary"), ("mapping", "Configuration (mapping)"),
         ("auth", "Authentication"), ("business", "Rejected by Phobs"), ("bug", "Internal")])
    done_at = fields.Datetime()

    @api.model
    def _claim(self, backend, kinds, limit=500):
        """Locks due pending rows of a backend for this transaction, skipping rows another
        worker holds."""
        self.env.cr.execute("""
            SELECT id FROM phobs_outbox
             WHERE backend_id = %s AND state = 'pending' AND kind IN %s
               AND (next_attempt_at IS NULL OR next_attempt_at <= (clock_timestamp() at time zone 'UTC'))
             ORDER BY id
             LIMIT %s
             FOR UPDATE SKIP LOCKED
        """, (backend.id, tuple(kinds), limit))
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def action_replay(self):
        """Staff replay of dead letters: they are tried again from the first attempt. Only a
        Channel Manager / Manager may send them again."""
        self.env["phobs.backend"]._phobs_check_manager()
        self.filtered(lambda row: row.state == "dead").write({
            "state": "pending", "attempts": 0, "next_attempt_at": fields.Datetime.now(),
            "last_error": False, "error_kind": False})
        return True

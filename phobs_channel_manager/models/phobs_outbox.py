import logging
from datetime import timedelta

import psycopg2.errors

from odoo import _, api, fields, models

from ..phobs_api import ari
from ..phobs_api.ota_codes import explain
from .phobs_backend import MANAGER

_logger = logging.getLogger(__name__)

#: An outbox row a flush may send now.
_DUE = """state = 'pending' AND (next_attempt_at IS NULL
                                 OR next_attempt_at <= (clock_timestamp() at time zone 'UTC'))"""

KINDS = [(ari.AVAILABILITY, "Availability"), (ari.RESTRICTIONS, "Restrictions"),
         (ari.RATES, "Rates"), ("reservation", "Reservation upload")]
STATES = [("pending", "Waiting to be sent"), ("done", "Sent"), ("dead", "Failed (dead letter)"),
          ("replayed", "Rebuilt"), ("discarded", "Discarded")]
#: States a row never leaves by itself; kept for the log period, then purged.
SETTLED = ("done", "replayed", "discarded")
_KIND_ADVICE = {
    "mapping": _("A room type or rate plan code is not known to Phobs. Fix the mapping on the "
                 "backend, then Replay."),
    "auth": _("Phobs refused the credentials. Fix them on the backend, run Test connection, "
              "then Replay."),
    "retryable": _("Phobs could not be reached several times in a row. Replay once it answers "
                   "again."),
    "business": _("Phobs refused this update; see the reason below."),
    "bug": _("The front desk could not prepare this update. Check the affected booking, then "
             "Replay."),
}


class PhobsOutbox(models.Model):
    """Work to send to Phobs, written in the same transaction as the change that caused it.

    A row says "this (backend, kind, room type, rate plan, date range) may differ from what
    Phobs holds" or "this front-desk reservation must be uploaded". The sender recomputes the
    current values when it runs, so several rows for the same days cost one message. Rows are
    claimed with FOR UPDATE SKIP LOCKED, so several Odoo workers never send the same row twice.
    Settled rows (sent, rebuilt, discarded) stay for the backend's log period as a record of
    what went out.
    """

    _name = "phobs.outbox"
    _description = "Phobs Outbox"
    _order = "next_attempt_at, id"
    _rec_name = "subject"

    backend_id = fields.Many2one("phobs.backend", string="Property connection", required=True,
                                 ondelete="cascade", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True, readonly=True)
    kind = fields.Selection(KINDS, string="What", required=True, index=True)
    room_type_code = fields.Char(string="Room type code")
    rate_plan_code = fields.Char(string="Rate plan code")
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To", help="Inclusive.")
    phobs_reservation_id = fields.Many2one("phobs.reservation", string="Channel reservation",
                                           ondelete="cascade")
    res_status = fields.Char(help="Commit, Modify or Cancel, for reservation uploads.")
    pms_ref = fields.Char(string="Front-desk booking",
                          help="The front-desk record an upload describes (model,id).")
    force = fields.Boolean(
        help="Send these days even where Phobs already accepted the same value (full resync, "
             "audit corrections).")
    state = fields.Selection(STATES, string="Status", required=True, default="pending",
                             index=True)
    attempts = fields.Integer(default=0)
    next_attempt_at = fields.Datetime(string="Next try", default=fields.Datetime.now, index=True)
    last_error = fields.Text(string="Technical error", groups=MANAGER)
    error_kind = fields.Selection(
        [("retryable", "Temporary"), ("mapping", "Configuration (mapping)"),
         ("auth", "Authentication"), ("business", "Rejected by Phobs"), ("bug", "Internal")],
        string="Kind of failure")
    done_at = fields.Datetime(string="Sent at")
    subject = fields.Char(string="Update", compute="_compute_subject",
                          help="What this update is about, in hotel words.")
    explanation = fields.Char(string="What went wrong", compute="_compute_explanation",
                              help="Why Phobs did not take this update and what to do.")

    def _compute_subject(self):
        kinds = dict(KINDS)
        for row in self:
            if row.kind == "reservation":
                booking = row.phobs_reservation_id.display_name or row._front_desk_name()
                row.subject = _("Upload of %s") % (booking or row.pms_ref or "?")
                continue
            parts = [kinds.get(row.kind, row.kind), row.room_type_code or ""]
            if row.rate_plan_code:
                parts.append(_("plan %s") % row.rate_plan_code)
            days = " - ".join(
                fields.Date.from_string(day).strftime("%d %b %Y")
                for day in (row.date_from, row.date_to) if day)
            row.subject = "%s %s" % (" ".join(part for part in parts if part), days)

    def _front_desk_name(self):
        model, _sep, record_id = (self.pms_ref or "").partition(",")
        if model in self.env and record_id.isdigit():
            record = self.env[model].sudo().browse(int(record_id)).exists()
            return record.display_name if record else False
        return False

    def _compute_explanation(self):
        for row in self:
            if row.state != "dead":
                row.explanation = False
                continue
            error = row.sudo().last_error or ""
            words = explain(error=error) if error else ""
            advice = _KIND_ADVICE.get(row.error_kind, "")
            row.explanation = " ".join(part for part in (words, advice) if part) or _(
                "Not sent; Replay to try again.")

    def _check_manager(self):
        """Replaying or discarding changes what Phobs receives: managers only."""
        self.env["phobs.backend"]._phobs_check_manager()

    def init(self):
        # One row per backend, rewritten by every flush holding the backend's flush lock: a
        # flush that cannot rewrite it started its transaction before another flush committed.
        self.env.cr.execute("""
            CREATE TABLE IF NOT EXISTS phobs_outbox_flush_turn (
                backend_id integer PRIMARY KEY,
                flushes bigint NOT NULL DEFAULT 0)
        """)

    @api.model
    def _take_flush_turn(self, backend):
        """Whether this transaction may flush the backend's outbox; call it holding the flush
        lock, before claiming anything.

        Transactions are REPEATABLE READ and take their snapshot at their first statement,
        often before the flush lock. A transaction that began before another flush committed
        sees neither what that flush told Phobs (the accepted values its diff is made against)
        nor the front-desk changes it sent: computing and sending from that snapshot puts an
        older figure back at Phobs, recorded as accepted, and nothing pending is left to
        correct it. Such a transaction flushes nothing; the next run takes the rows."""
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute("""
                    INSERT INTO phobs_outbox_flush_turn AS turn (backend_id, flushes)
                    VALUES (%s, 1)
                    ON CONFLICT (backend_id) DO UPDATE SET flushes = turn.flushes + 1
                """, (backend.id,), log_exceptions=False)
            return True
        except psycopg2.errors.SerializationFailure:
            _logger.info("Outbox of backend %s flushed after this transaction began; its rows "
                         "are left to the next run", backend.id)
            return False

    @api.model
    def _any_due(self, backend):
        """Whether this transaction sees a due pending row of the backend (no lock taken)."""
        self.env.cr.execute("SELECT 1 FROM phobs_outbox WHERE backend_id = %s AND " + _DUE
                            + " LIMIT 1", (backend.id,))
        return bool(self.env.cr.fetchone())

    @api.model
    def _claim(self, backend, kinds, limit=500):
        """Locks due pending rows of a backend for this transaction, skipping rows another
        worker holds.

        Transactions are REPEATABLE READ: when another worker changed one of the rows after
        this transaction's snapshot (it sent or rescheduled it), locking fails to serialize.
        Those rows are that worker's news; this run claims nothing and the next run, with a
        fresh snapshot, takes what is still due."""
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute("""
                    SELECT id FROM phobs_outbox
                     WHERE backend_id = %s AND kind IN %s AND """ + _DUE + """
                     ORDER BY id
                     LIMIT %s
                     FOR UPDATE SKIP LOCKED
                """, (backend.id, tuple(kinds), limit), log_exceptions=False)
                return self.browse([row[0] for row in self.env.cr.fetchall()])
        except psycopg2.errors.SerializationFailure:
            _logger.info("Outbox of backend %s changed by another worker since this transaction "
                         "began; its rows are left to the next run", backend.id)
            return self.browse()

    def action_replay(self):
        """Staff replay of dead letters, rebuilt from today's data and mapping.

        Values are recomputed when a row is sent, so a row whose room type is still mapped
        goes back to pending as it is (forced, so Phobs gets the days even if it once took
        them). A row naming a code the backend no longer maps (a typo fixed since) is
        retired as *Rebuilt* and its days are marked again for every code mapped today.
        Reservation uploads are exported afresh from the front-desk booking when sent.
        """
        self._check_manager()
        rows = self.sudo().filtered(lambda row: row.state == "dead")
        retry = {"state": "pending", "attempts": 0, "next_attempt_at": fields.Datetime.now(),
                 "last_error": False, "error_kind": False, "force": True}
        for row in rows:
            backend = row.backend_id
            if row.kind == "reservation" or row.room_type_code in backend._phobs_codes_for(
                    row.kind, row.rate_plan_code):
                row.write(retry)
                continue
            row.write({"state": "replayed", "next_attempt_at": False})
            codes = backend._phobs_codes_for(row.kind, False)
            if codes and row.date_from and row.date_to:
                backend.with_context(phobs_no_flush_trigger=True)._phobs_mark_dirty(
                    row.kind, codes, row.date_from, row.date_to, force=True)
        rows.mapped("backend_id")._phobs_trigger_flush_after_commit()
        return True

    def action_discard(self):
        """Staff decide a dead letter needs no sending (the days are past, the plan retired)."""
        self._check_manager()
        self.sudo().filtered(lambda row: row.state in ("dead", "pending")).write(
            {"state": "discarded", "next_attempt_at": False})
        return True

    @api.model
    def _purge_settled(self, backend, now=None):
        """Deletes settled rows older than the backend's log retention; returns how many."""
        now = now or fields.Datetime.from_string(fields.Datetime.now())
        cutoff = now - timedelta(days=backend.sudo().log_retention_days)
        self.env.cr.execute("""
            DELETE FROM phobs_outbox
             WHERE backend_id = %s AND state IN %s AND COALESCE(write_date, create_date) < %s
        """, (backend.id, SETTLED, cutoff))
        purged = self.env.cr.rowcount
        self.invalidate_cache()
        return purged

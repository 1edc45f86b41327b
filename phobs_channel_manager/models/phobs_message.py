import json

from odoo import _, fields, models
from odoo.exceptions import AccessError

from ..phobs_api import ari
from ..phobs_api.dates import last_night
from ..phobs_api.ota_codes import explain
from ..services import background
from ..services.reservation_apply import ReservationApplier
from .phobs_backend import MANAGER


#: Messages "Apply again" applies in the request itself; more go to the background.
INLINE_RETRY_LIMIT = 20


class PhobsMessage(models.Model):
    """Every reservation message exchanged with Phobs, kept as received or sent.

    Inbound messages are unique per (backend, message id): the message id (``UniqueID`` Type 16)
    is the idempotency key of a delivery, so a redelivery finds the stored message and its
    outcome instead of applying it again. Card data is masked before the body is stored.
    """

    _name = "phobs.message"
    _description = "Phobs Message"
    _order = "id desc"
    _rec_name = "subject"

    backend_id = fields.Many2one("phobs.backend", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True, readonly=True)
    channel_id = fields.Many2one(
        "phobs.channel", index=True, readonly=True,
        help="The OTA the reservation came from, when the message said so.")
    direction = fields.Selection([("in", "Inbound"), ("out", "Outbound")], required=True)
    source = fields.Selection(
        [("pull", "Pull"), ("push", "Push (webhook)"), ("upload", "Front-desk upload")],
        required=True)
    operation = fields.Char(required=True)
    message_id = fields.Char(string="Message ID", index=True, copy=False)
    reservation_external_id = fields.Char(string="Phobs Reservation ID", index=True)
    phobs_reservation_id = fields.Many2one("phobs.reservation", ondelete="set null", index=True)
    status = fields.Char(string="Reservation Status")
    version_at = fields.Datetime(string="Changed at Phobs on")
    body = fields.Text(string="Message as exchanged (XML)", groups=MANAGER,
                       help="The message as exchanged, with payment card data masked.")
    state = fields.Selection(
        [("received", "Received"), ("processed", "Processed"), ("ignored", "Ignored (older)"),
         ("failed", "Failed"), ("sent", "Sent"), ("done", "Accepted by Phobs")],
        required=True, default="received", index=True)
    error = fields.Text(string="Technical error")
    pms_ref = fields.Char(string="Front-desk Reference")
    acknowledged_at = fields.Datetime(readonly=True)
    room_stays = fields.Text(
        readonly=True, help="The rooms of this version as JSON [[room type, arrival, departure, "
        "units]]: until the message is applied, the availability counts them as taken.")

    subject = fields.Char(string="Booking", compute="_compute_subject",
                          help="The booking this message is about, as the front desk names it.")
    explanation = fields.Char(string="What went wrong", compute="_compute_explanation")

    _sql_constraints = [
        ("message_unique", "unique(backend_id, direction, message_id)",
         "A Phobs message is stored once per backend and direction."),
    ]

    def _insert_stored(self, values):
        """``create(values)`` in one INSERT, for the push path that Phobs waits on: what the ORM
        would write (the backend's company, creator and dates) without its per-record work
        (prefetching the backend, recomputing the related company, re-reading the row).

        ``values`` holds stored columns only, ``state`` included (the one default here)."""
        assert "state" in values
        unknown = [name for name in values if not self._fields[name].column_type
                   or self._fields[name].compute or self._fields[name].related]
        assert not unknown, unknown
        row = {name: (None if value is False else value) for name, value in values.items()}
        row.update(create_uid=self.env.uid, write_uid=self.env.uid)
        columns = list(row)
        self.env.cr.execute(
            'INSERT INTO phobs_message (%s, company_id, create_date, write_date) '
            'VALUES (%s, (SELECT company_id FROM phobs_backend WHERE id = %%(backend_id)s), '
            "(now() at time zone 'UTC'), (now() at time zone 'UTC')) RETURNING id"
            % (", ".join('"%s"' % name for name in columns),
               ", ".join("%%(%s)s" % name for name in columns)), row)
        return self.browse(self.env.cr.fetchone()[0])

    def write(self, values):
        """A stored booking not yet applied counts in the availability (the bridge's
        ``_phobs_pending_rooms``); one that fails to apply stops counting, and one applied again
        counts again: its nights are sent again (applying or ignoring one marks them itself)."""
        if values.get("state") in ("failed", "received"):
            moved = self.filtered(lambda m: m.direction == "in" and m.room_stays
                                  and m.state in ("failed", "received")
                                  and m.state != values["state"])
            for message in moved:
                message._phobs_mark_stays_dirty()
        return super().write(values)

    def _phobs_mark_stays_dirty(self):
        backend = self.backend_id.sudo()
        for code, arrival, departure, _units in json.loads(self.room_stays):
            last = last_night(fields.Date.from_string(departure))
            backend._phobs_mark_dirty(ari.AVAILABILITY, [code], arrival,
                                      fields.Date.to_string(last), force=True)

    def _compute_subject(self):
        statuses = {"Book": _("new"), "Commit": _("new"), "Modify": _("change"),
                    "Cancel": _("cancellation")}
        for message in self:
            booking = message.phobs_reservation_id.display_ref or " ".join(
                part for part in (message.channel_id.name, message.reservation_external_id)
                if part) or message.message_id or _("Message %s") % message.id
            status = statuses.get(message.status)
            message.subject = "%s (%s)" % (booking, status) if status else booking

    def _compute_explanation(self):
        for message in self:
            error = message.sudo().error
            if message.state != "failed" or not error:
                message.explanation = False
                continue
            # Without a known code, the error's own words, minus the exception class name.
            prefix, _sep, words = error.partition(": ")
            plain = words if words and prefix.replace(".", "").isidentifier() else error
            message.explanation = explain(error=error) or plain

    def action_retry(self):
        """Applies failed inbound reservations again, once staff fixed the cause (a room type
        mapped, say). A few (what a person selects) are applied in this request, so the form
        shows the outcome when it reloads; a large selection is applied in the background
        right after the commit."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(_("Only Channel Manager managers can apply messages again."))
        retried = self.sudo().filtered(
            lambda m: m.direction == "in" and m.state == "failed" and m.body)
        retried.write({"state": "received", "error": False})
        inline = retried if len(retried) <= INLINE_RETRY_LIMIT else retried.browse()
        for backend in inline.mapped("backend_id"):
            applier = ReservationApplier(self.sudo().env, backend)
            for message in inline.filtered(lambda m, b=backend: m.backend_id == b):
                applier.apply_now(message)
        later = retried - inline
        if later:
            background.run_after_commit(self.env.cr, later.mapped("backend_id").ids,
                                        background.APPLY)
        return {"type": "ir.actions.client", "tag": "reload"}

"""A note on the front-desk reservations for every version of a channel booking, saying what
it changed (dates, rooms, price, guests): staff see it in the chatter without comparing."""
import json

from odoo import _, models
from odoo.tools import html_escape

from .hotel_reservation_channel import _guests, _money

LABELS = (("dates", "Dates"), ("rooms", "Rooms"), ("price", "Price"), ("guests", "Guests"))


def version_summary(binding):
    stays = binding.stay_ids
    periods = sorted({(stay.arrival, stay.departure) for stay in stays})
    return {
        "dates": "; ".join("%s - %s" % period for period in periods),
        "rooms": ", ".join("%s x %d" % (stay.room_type_code, stay.units) for stay in stays),
        "price": _money(binding.amount_total, binding.currency_id),
        "guests": "; ".join("%s: %s" % (stay.room_type_code, _guests(stay)) for stay in stays),
    }


class PhobsBackendVersionNotes(models.Model):
    _inherit = "phobs.backend"

    def _phobs_note_version(self, binding, reservations, previous):
        """Posts what this version says (first) or changes (later) on each reservation."""
        channel = binding.channel_id.name or binding.channel_code or _("the channel")
        if binding.status == "Cancel":
            body = _("Cancelled by %s.") % html_escape(channel)
            if binding.penalty_amount:
                body += " " + _("Cancellation penalty: %s.") % html_escape(
                    _money(binding.penalty_amount, binding.currency_id))
            summary = None
        else:
            summary = version_summary(binding)
            before = json.loads(previous) if previous else None
            if before is None:
                title = _("Booked on %s (%s)") % (channel, binding.channel_booking_id or "-")
                changes = [(label, summary[key]) for key, label in LABELS]
            else:
                title = _("Modified by %s") % channel
                changes = [(label, "%s &rarr; %s" % (html_escape(before.get(key, "")),
                                                     html_escape(summary[key])))
                           for key, label in LABELS if before.get(key) != summary[key]]
                changes = [(label, value) for label, value in changes] or [
                    (_("No change"), _("dates, rooms, price and guests as before"))]
            items = "".join("<li><b>%s:</b> %s</li>" % (
                html_escape(_(label)), value if before else html_escape(value))
                for label, value in changes)
            body = "<p>%s</p><ul>%s</ul>" % (html_escape(title), items)
        for reservation in reservations:
            post_note(reservation, body)
            if summary is not None:
                reservation.phobs_version_summary = json.dumps(summary)


def post_note(record, body):
    """An internal note in the record's chatter. Without followers nobody is to be notified:
    Odoo 11 would still format the message for an empty list of recipients (about 15 queries
    of a booking's apply), which the context key that mail.mail's own messages use skips."""
    if not record.message_follower_ids:
        record = record.with_context(message_create_from_mail_mail=True)
    record.message_post(body=body, subtype="mail.mt_note")

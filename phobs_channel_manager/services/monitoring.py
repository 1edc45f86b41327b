"""PhobsMonitoringService: records every exchange with Phobs and gathers the figures staff see.

The queries live here; the arithmetic over their rows is :mod:`.monitoring_figures` (pure,
unit-tested), alerts are the error-handling service's, and amounts in other currencies are
converted by :mod:`.money`. Exchanges are recorded in a transaction of their own
(:meth:`BackendService.in_own_transaction`): they happened whatever becomes of the business
transaction around them.
"""
from datetime import datetime, timedelta

import pytz
from odoo import fields
from odoo.tools.misc import formatLang

from .base import BackendService
from .error_handling import ALERT_PREFIX, newest_calls
from .money import money_converter
from .monitoring_figures import (
    STATUS_LABELS,
    TRAFFIC_WINDOW_DAYS,
    ago,
    backend_status,
    channel_status,
    failing_streak,
    format_ms,
    format_rate,
    summarize_calls,
    summarize_channel_traffic,
    summarize_reservations,
)

#: Operations (as the client names them) per sync flow, for "last sync" figures.
OUTBOUND_OPERATIONS = ("send_availability", "send_restrictions", "send_rates",
                       "upload_reservations")
PULL_OPERATIONS = ("pull_reservations",)
CALL_WINDOW_HOURS = 24
#: A stored booking is applied within seconds (background) or a minute (cron); one still
#: waiting after this long means neither runs.
STALLED_AFTER_MINUTES = 5
#: How far back the failures since the last success are counted (a red streak needs 3).
STREAK_LOOKBACK = 50


class PhobsMonitoringService(BackendService):
    def record_exchange(self, exchange):
        """Called by the client after every HTTP attempt (bodies and secrets never reach here)."""
        self.in_own_transaction(
            lambda env, backend: env["phobs.api.call"]._record(backend, exchange))

    # -- figures ------------------------------------------------------------------------

    def _tz(self):
        name = self.backend.sudo().company_id.partner_id.tz or self.env.user.tz or "UTC"
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    @staticmethod
    def _local_day(moment, tz):
        if moment is None:
            return None
        if isinstance(moment, str):
            moment = fields.Datetime.from_string(moment)
        return pytz.utc.localize(moment).astimezone(tz).date()

    def _query(self, sql, params):
        self.env.cr.execute(sql, params)
        return self.env.cr.fetchall()

    def call_rows(self, since):
        return self._query("""
            SELECT operation, success, duration_ms FROM phobs_api_call
             WHERE backend_id = %s AND create_date >= %s
        """, (self.backend.id, since))

    def reservation_rows(self, since):
        """``(channel_id, booked_at, amount in the backend's currency, status)``."""
        rows = self._query("""
            SELECT channel_id, COALESCE(booked_at, create_date), amount_total, currency_id, status
              FROM phobs_reservation
             WHERE backend_id = %s AND COALESCE(booked_at, create_date) >= %s
        """, (self.backend.id, since))
        to_currency = money_converter(self.env, self.backend.sudo().currency_id,
                                      self.backend.sudo().company_id)
        return [(channel, at, to_currency(amount, currency), status)
                for channel, at, amount, currency, status in rows]

    def last_sync(self):
        """``{flow: datetime or None}`` for pull, push (webhook) and outbound."""
        rows = self._query("""
            SELECT 'pull', max(create_date) FROM phobs_api_call
             WHERE backend_id = %(id)s AND success AND operation IN %(pull)s
            UNION ALL
            SELECT 'outbound', max(create_date) FROM phobs_api_call
             WHERE backend_id = %(id)s AND success AND operation IN %(outbound)s
            UNION ALL
            SELECT 'push', max(create_date) FROM phobs_message
             WHERE backend_id = %(id)s AND direction = 'in' AND source = 'push'
        """, {"id": self.backend.id, "pull": PULL_OPERATIONS, "outbound": OUTBOUND_OPERATIONS})
        return dict(rows)

    def counts(self):
        rows = self._query("""
            SELECT 'open_conflicts', count(*) FROM phobs_conflict
             WHERE backend_id = %(id)s AND state = 'open'
            UNION ALL
            SELECT 'dead_letters', count(*) FROM phobs_outbox
             WHERE backend_id = %(id)s AND state = 'dead'
            UNION ALL
            SELECT 'failed_messages', count(*) FROM phobs_message
             WHERE backend_id = %(id)s AND state = 'failed'
            UNION ALL
            SELECT 'stalled_messages', count(*) FROM phobs_message
             WHERE backend_id = %(id)s AND direction = 'in' AND state = 'received'
               AND write_date < %(stalled_before)s
            UNION ALL
            SELECT 'open_alerts', count(*) FROM mail_activity
             WHERE res_model = 'phobs.backend' AND res_id = %(id)s AND summary LIKE %(alert)s
        """, {"id": self.backend.id, "alert": ALERT_PREFIX + "%",
              "stalled_before": datetime.utcnow() - timedelta(minutes=STALLED_AFTER_MINUTES)})
        return dict(rows)

    def dashboard(self, now=None):
        """Every figure of the backend's dashboard card, JSON-ready."""
        now = now or fields.Datetime.from_string(fields.Datetime.now())
        backend = self.backend.sudo()
        tz = self._tz()
        today = self._local_day(now, tz)
        overall, operations = summarize_calls(
            self.call_rows(now - timedelta(hours=CALL_WINDOW_HOURS)))
        reservations = summarize_reservations(
            [(channel, self._local_day(at, tz), amount, status)
             for channel, at, amount, status in self.reservation_rows(
                 now - timedelta(days=TRAFFIC_WINDOW_DAYS + 1))], today)
        counts = self.counts()
        newest = newest_calls(self.env.cr, self.backend.id, STREAK_LOOKBACK)
        streak = failing_streak(newest)
        status = backend_status(
            overall, backend.error_rate_threshold,
            newest_error=newest[0][1] if newest and not newest[0][0] else None,
            open_conflicts=counts.get("open_conflicts", 0),
            dead_letters=counts.get("dead_letters", 0),
            stalled_messages=counts.get("stalled_messages", 0), streak=streak,
            ever_succeeded=streak < len(newest))
        currency = backend.currency_id

        def money(amount):
            return formatLang(self.env, amount, currency_obj=currency)

        channels = self.env["phobs.channel"].sudo().browse(
            [cid for cid in reservations["by_channel"] if cid])
        names = {channel.id: channel.name for channel in channels}
        by_channel = sorted(
            ({"name": names.get(cid) or "Unknown channel", "today": figures["today"],
              "week": figures["week"], "revenue_week": money(figures["revenue_week"])}
             for cid, figures in reservations["by_channel"].items()),
            key=lambda row: (-row["week"], row["name"]))
        last_sync = self.last_sync()
        flows = []
        for flow, label in (("pull", "Pull"), ("push", "Push"), ("outbound", "Outbound")):
            at = last_sync.get(flow)
            if isinstance(at, str):
                at = fields.Datetime.from_string(at)
            flows.append({"flow": flow, "label": label,
                          "ago": ago((now - at).total_seconds() if at else None)})
        return {
            "status": status,
            "status_label": STATUS_LABELS[status],
            "calls": overall["calls"],
            "failed_calls": overall["failed"],
            "failing_streak": streak,
            "success_rate": format_rate(overall["success_rate"]),
            "median_ms": format_ms(overall["median_ms"]),
            "p95_ms": format_ms(overall["p95_ms"]),
            "operations": [dict(op, success_rate=format_rate(op["success_rate"]),
                                median_ms=format_ms(op["median_ms"]),
                                p95_ms=format_ms(op["p95_ms"])) for op in operations],
            "reservations_today": reservations["today"]["count"],
            "reservations_week": reservations["week"]["count"],
            "revenue_today": money(reservations["today"]["revenue"]),
            "revenue_week": money(reservations["week"]["revenue"]),
            "channels": by_channel,
            "by_day": [(day.isoformat(), count) for day, count in reservations["by_day"]],
            "last_sync": flows,
            "open_conflicts": counts.get("open_conflicts", 0),
            "dead_letters": counts.get("dead_letters", 0),
            "failed_messages": counts.get("failed_messages", 0),
            "stalled_messages": counts.get("stalled_messages", 0),
            "open_alerts": counts.get("open_alerts", 0),
        }

    @classmethod
    def channel_figures(cls, env, channel_ids, now=None):
        """Per channel, over the backends the current user can see: status, traffic and
        bookings. ``{channel_id: {status, health, reservations}}``."""
        now = now or fields.Datetime.from_string(fields.Datetime.now())
        backends = env["phobs.backend"].search([])
        if not channel_ids or not backends:
            return {}
        since = now - timedelta(days=TRAFFIC_WINDOW_DAYS + 1)
        env.cr.execute("""
            SELECT COALESCE(m.channel_id, r.channel_id), m.state <> 'failed', m.create_date,
                   m.error
              FROM phobs_message m
              LEFT JOIN phobs_reservation r ON r.id = m.phobs_reservation_id
             WHERE m.direction = 'in' AND m.backend_id IN %s AND m.create_date >= %s
               AND COALESCE(m.channel_id, r.channel_id) IN %s
        """, (tuple(backends.ids), now - timedelta(days=TRAFFIC_WINDOW_DAYS), tuple(channel_ids)))
        traffic = summarize_channel_traffic(env.cr.fetchall())
        env.cr.execute("""
            SELECT channel_id, count(*) FROM phobs_conflict
             WHERE state = 'open' AND backend_id IN %s AND channel_id IN %s GROUP BY channel_id
        """, (tuple(backends.ids), tuple(channel_ids)))
        conflicts = dict(env.cr.fetchall())
        # Hotel-local "today" of the first backend: channels span backends of one company.
        service = cls(env, backends[:1])
        tz = service._tz()
        env.cr.execute("""
            SELECT channel_id, COALESCE(booked_at, create_date), amount_total, currency_id, status
              FROM phobs_reservation
             WHERE backend_id IN %s AND channel_id IN %s AND COALESCE(booked_at, create_date) >= %s
        """, (tuple(backends.ids), tuple(channel_ids), since))
        rows = env.cr.fetchall()
        company = env.user.company_id
        to_currency = money_converter(env, company.currency_id, company)
        bookings = summarize_reservations(
            [(cid, cls._local_day(at, tz), to_currency(amount, currency), status)
             for cid, at, amount, currency, status in rows], cls._local_day(now, tz))
        result = {}
        for channel_id in channel_ids:
            health = traffic.get(channel_id)
            result[channel_id] = {
                "status": channel_status(health, conflicts.get(channel_id, 0)),
                "health": health,
                "open_conflicts": conflicts.get(channel_id, 0),
                "reservations": bookings["by_channel"].get(channel_id, {
                    "today": 0, "week": 0, "revenue_today": 0.0, "revenue_week": 0.0}),
            }
        return result

    # -- retention ----------------------------------------------------------------------

    def purge(self, now=None):
        """Deletes API calls and processed messages older than the backend's retention.

        Failed and unprocessed messages stay until staff deal with them. Returns
        ``(calls, messages)`` deleted.
        """
        now = now or fields.Datetime.from_string(fields.Datetime.now())
        cutoff = now - timedelta(days=self.backend.sudo().log_retention_days)
        cr = self.env.cr
        cr.execute("DELETE FROM phobs_api_call WHERE backend_id = %s AND create_date < %s",
                   (self.backend.id, cutoff))
        calls = cr.rowcount
        cr.execute("""
            DELETE FROM phobs_message
             WHERE backend_id = %s AND state IN ('processed', 'ignored', 'done')
               AND create_date < %s
        """, (self.backend.id, cutoff))
        messages = cr.rowcount
        self.env["phobs.api.call"].invalidate_cache()
        self.env["phobs.message"].invalidate_cache()
        return calls, messages

"""PhobsMonitoringService: records every exchange with Phobs and aggregates the figures.

Two halves. The functions at the top are the arithmetic of the dashboard (success rates,
percentiles, per-day and per-channel sums, status colours, alert decisions): pure functions over
rows, importable without Odoo and unit-tested on their own. The service below runs the queries,
hands their rows to those functions, raises alerts and purges old logs.
"""
import contextlib
import logging
import math
from datetime import datetime, timedelta

from .base import BackendService

_logger = logging.getLogger(__name__)

#: Operations (as the client names them) per sync flow, for "last sync" figures.
OUTBOUND_OPERATIONS = ("send_availability", "send_restrictions", "send_rates",
                       "upload_reservations")
PULL_OPERATIONS = ("pull_reservations",)
OPERATION_LABELS = {
    "pull_reservations": "Pull reservations",
    "acknowledge": "Acknowledge",
    "upload_reservations": "Upload reservations",
    "send_availability": "Availability",
    "send_restrictions": "Restrictions",
    "send_rates": "Rates",
    "check_connection": "Test connection",
    "get_webhook": "Read webhook",
    "register_webhook": "Register webhook",
}
AUTH_ERROR = "PhobsAuthError"
#: Below this success rate (percent) a channel or a backend is red whatever its threshold.
RED_BELOW = 80.0
#: An error-rate alert needs at least this many calls (or the whole window, if smaller).
MIN_CALLS_FOR_RATE = 5
CALL_WINDOW_HOURS = 24
TRAFFIC_WINDOW_DAYS = 7
#: A stored booking is applied within seconds (background) or a minute (cron); one still
#: waiting after this long means neither runs.
STALLED_AFTER_MINUTES = 5

STATUS_LABELS = {"green": "Healthy", "amber": "Degraded", "red": "Failing", "none": "No traffic"}
ALERT_PREFIX = "Phobs alert"
ALERT_SUMMARIES = {
    "auth": ALERT_PREFIX + ": authentication refused",
    "error_rate": ALERT_PREFIX + ": error rate above threshold",
}


# -- pure aggregation ------------------------------------------------------------------------

def success_rate(ok, total):
    """Percent of ``ok`` in ``total`` rounded to 0.1, or None when there was nothing."""
    if not total:
        return None
    return round(100.0 * ok / total, 1)


def percentile(values, pct):
    """The ``pct`` percentile by linear interpolation between closest ranks (numpy's default
    method); None for no values."""
    data = sorted(float(v) for v in values if v is not None)
    if not data:
        return None
    rank = (len(data) - 1) * pct / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return data[int(rank)]
    return data[low] + (data[high] - data[low]) * (rank - low)


def summarize_calls(rows):
    """Per-operation and overall figures of API calls.

    ``rows``: ``(operation, success, duration_ms)``. Returns ``(overall, operations)`` where each
    is a dict ``{operation, label, calls, ok, failed, success_rate, median_ms, p95_ms}`` and
    ``operations`` is sorted by number of calls, then name.
    """
    by_operation = {}
    for operation, success, duration in rows:
        by_operation.setdefault(operation, []).append((bool(success), duration))

    def stats(operation, items):
        ok = sum(1 for success, _duration in items if success)
        durations = [duration for _success, duration in items]
        return {
            "operation": operation,
            "label": OPERATION_LABELS.get(operation, operation or "All"),
            "calls": len(items), "ok": ok, "failed": len(items) - ok,
            "success_rate": success_rate(ok, len(items)),
            "median_ms": percentile(durations, 50), "p95_ms": percentile(durations, 95),
        }

    operations = sorted((stats(op, items) for op, items in by_operation.items()),
                        key=lambda s: (-s["calls"], s["operation"]))
    everything = [item for items in by_operation.values() for item in items]
    return stats(None, everything), operations


def summarize_reservations(rows, today, days=TRAFFIC_WINDOW_DAYS):
    """Bookings and revenue today and over the last ``days`` days (today included).

    ``rows``: ``(channel_id, day, amount, status)`` with ``day`` the hotel-local date the
    booking was made; cancelled bookings (status ``Cancel``) count for nothing. Returns
    ``{"today": {count, revenue}, "week": {...}, "by_channel": {id: {today, week, revenue_today,
    revenue_week}}, "by_day": [(day, count), ...]}`` with every day of the window in ``by_day``.
    """
    first = today - timedelta(days=days - 1)
    result = {"today": {"count": 0, "revenue": 0.0}, "week": {"count": 0, "revenue": 0.0},
              "by_channel": {}}
    per_day = {first + timedelta(days=n): 0 for n in range(days)}
    for channel_id, day, amount, status in rows:
        if status == "Cancel" or day is None or not first <= day <= today:
            continue
        amount = float(amount or 0.0)
        channel = result["by_channel"].setdefault(
            channel_id, {"today": 0, "week": 0, "revenue_today": 0.0, "revenue_week": 0.0})
        result["week"]["count"] += 1
        result["week"]["revenue"] += amount
        channel["week"] += 1
        channel["revenue_week"] += amount
        if day == today:
            result["today"]["count"] += 1
            result["today"]["revenue"] += amount
            channel["today"] += 1
            channel["revenue_today"] += amount
        per_day[day] += 1
    result["by_day"] = sorted(per_day.items())
    return result


def summarize_channel_traffic(rows):
    """Health of each channel's inbound traffic.

    ``rows``: ``(channel_id, ok, at, error)``, one per reservation message from the channel.
    Returns ``{channel_id: {total, failed, success_rate, last_at, last_ok, last_error,
    last_error_at}}``.
    """
    result = {}
    for channel_id, ok, at, error in rows:
        health = result.setdefault(channel_id, {
            "total": 0, "failed": 0, "last_at": None, "last_ok": True,
            "last_error": None, "last_error_at": None})
        health["total"] += 1
        if not ok:
            health["failed"] += 1
            if health["last_error_at"] is None or at > health["last_error_at"]:
                health["last_error_at"], health["last_error"] = at, error
        if health["last_at"] is None or at >= health["last_at"]:
            health["last_at"], health["last_ok"] = at, bool(ok)
    for health in result.values():
        health["success_rate"] = success_rate(health["total"] - health["failed"], health["total"])
    return result


def channel_status(health, open_conflicts=0):
    """green / amber / red / none for one channel.

    Red: its most recent message failed, or fewer than RED_BELOW % of its messages went
    through. Amber: some failed, or one of its bookings waits in an open conflict. None: no
    traffic and nothing open.
    """
    if not health or not health.get("total"):
        return "amber" if open_conflicts else "none"
    if not health["last_ok"] or (health["success_rate"] or 0.0) < RED_BELOW:
        return "red"
    if health["failed"] or open_conflicts:
        return "amber"
    return "green"


def backend_status(overall, threshold, newest_error=None, open_conflicts=0, dead_letters=0,
                   stalled_messages=0):
    """green / amber / red / none for one backend from its recent API calls.

    Red: the newest call was refused for authentication, or the error rate passed the
    backend's threshold, or the success rate fell below RED_BELOW %. Amber: some calls failed
    (but fewer than the threshold), conflicts or dead letters wait for staff, or stored
    bookings have waited too long to be applied (neither the background job nor the cron runs).
    """
    waiting = open_conflicts or dead_letters or stalled_messages
    calls = (overall or {}).get("calls", 0)
    if not calls:
        return "amber" if waiting else "none"
    rate = overall["success_rate"]
    error_rate = 100.0 - rate
    if newest_error == AUTH_ERROR or error_rate > threshold or rate < RED_BELOW:
        return "red"
    if overall["failed"] or waiting:
        return "amber"
    return "green"


def alerts_due(recent, threshold, window):
    """Which alerts the newest calls call for.

    ``recent``: ``(success, error)`` of the latest calls, newest first. Returns a list of
    ``(kind, detail)``: ``("auth", None)`` when the newest call was refused for authentication
    (a refusal the client cured by refreshing its token is followed by a success, so it never
    is the newest), ``("error_rate", rate)`` when the error rate over the last ``window`` calls
    passed ``threshold`` percent (with at least MIN_CALLS_FOR_RATE calls, or the whole window
    when it is smaller).
    """
    due = []
    recent = list(recent)[:max(window, 1)]
    if recent and not recent[0][0] and recent[0][1] == AUTH_ERROR:
        due.append(("auth", None))
    if len(recent) >= min(window, MIN_CALLS_FOR_RATE):
        failed = sum(1 for success, _error in recent if not success)
        rate = round(100.0 * failed / len(recent), 1)
        if rate > threshold:
            due.append(("error_rate", rate))
    return due


def ago(seconds):
    """``5 min ago`` style age of a past event; ``never`` for None."""
    if seconds is None:
        return "never"
    seconds = max(0, int(seconds))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return "%d min ago" % (seconds // 60)
    if seconds < 2 * 86400:
        return "%d h ago" % (seconds // 3600)
    return "%d days ago" % (seconds // 86400)


def format_ms(value):
    return "-" if value is None else "%d ms" % round(value)


def format_rate(value):
    return "-" if value is None else ("%.1f %%" % value).replace(".0 %", " %")


# -- the service -----------------------------------------------------------------------------

class PhobsMonitoringService(BackendService):
    """Records exchanges and raises alerts in a transaction of their own, committed at once:
    an exchange happened whatever becomes of the business transaction around it, and a pull
    that fails rolls that transaction back (it must, to release its lock), which would
    otherwise erase the very calls and alerts that say why it failed.
    """

    #: How long the own transaction waits for a lock before falling back to the caller's.
    LOCK_TIMEOUT = "3s"

    def record_exchange(self, exchange):
        """Called by the client after every HTTP attempt (bodies and secrets never reach here)."""
        self._autonomously(lambda env, backend: env["phobs.api.call"]._record(backend, exchange))

    def _autonomously(self, func):
        """``func(env, backend)`` as superuser in its own committed transaction; in the
        caller's transaction when the backend is not committed yet (it was created in it) or
        the own transaction cannot get its locks in time."""
        import psycopg2
        from odoo import SUPERUSER_ID, api
        try:
            with api.Environment.manage(), self._own_cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                cr.execute("SELECT 1 FROM phobs_backend WHERE id = %s", (self.backend.id,))
                if cr.fetchone():
                    return func(env, env["phobs.backend"].browse(self.backend.id))
        except psycopg2.Error as err:
            _logger.warning("Phobs monitoring wrote in the caller's transaction: %s", err)
        with self.env.cr.savepoint():
            env = self.env(user=SUPERUSER_ID)
            return func(env, env["phobs.backend"].browse(self.backend.id))

    @contextlib.contextmanager
    def _own_cursor(self):
        cr = self.env.registry.cursor()
        try:
            if cr is not self.env.cr:  # in Odoo's test mode every cursor is the test cursor
                cr.execute("SET LOCAL lock_timeout = %s", (self.LOCK_TIMEOUT,))
            yield cr
            cr.commit()
        finally:
            cr.close()

    # -- figures ------------------------------------------------------------------------

    def _tz(self):
        import pytz
        name = self.backend.sudo().company_id.partner_id.tz or self.env.user.tz or "UTC"
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    @staticmethod
    def _local_day(moment, tz):
        import pytz
        if moment is None:
            return None
        if isinstance(moment, str):
            from odoo import fields
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

    @staticmethod
    def newest_calls(cr, backend_id, limit):
        cr.execute("""
            SELECT success, error FROM phobs_api_call
             WHERE backend_id = %s ORDER BY id DESC LIMIT %s
        """, (backend_id, max(limit, 1)))
        return cr.fetchall()

    def dashboard(self, now=None):
        """Every figure of the backend's dashboard card, JSON-ready."""
        from odoo import fields
        from odoo.tools.misc import formatLang
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
        newest = self.newest_calls(self.env.cr, self.backend.id, 1)
        status = backend_status(
            overall, backend.error_rate_threshold,
            newest_error=newest[0][1] if newest and not newest[0][0] else None,
            open_conflicts=counts.get("open_conflicts", 0),
            dead_letters=counts.get("dead_letters", 0),
            stalled_messages=counts.get("stalled_messages", 0))
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
        from odoo import fields
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

    # -- alerts -------------------------------------------------------------------------

    def check_alerts(self):
        """Raises the alerts the newest calls call for (once: an open alert is not repeated).
        Returns the kinds raised.

        Called when a client session ends, so a token refresh that cured an expired token is
        never mistaken for refused credentials.
        """
        return self._autonomously(self._check_alerts)

    def _check_alerts(self, env, backend):
        due = alerts_due(self.newest_calls(env.cr, backend.id, backend.error_rate_window),
                         backend.error_rate_threshold, backend.error_rate_window)
        return [kind for kind, detail in due if self._raise_alert(env, backend, kind, detail)]

    @staticmethod
    def _raise_alert(env, backend, kind, detail):
        from odoo import fields
        summary = ALERT_SUMMARIES[kind]
        Activity = env["mail.activity"]
        if Activity.search_count([("res_model", "=", "phobs.backend"),
                                  ("res_id", "=", backend.id), ("summary", "=", summary)]):
            return False
        if kind == "auth":
            note = ("Phobs refused the credentials of %s. Channel bookings are not arriving and "
                    "availability is not sent until they are fixed: check the API key and "
                    "secret (or username and password) and run Test connection."
                    % backend.name)
        else:
            note = ("%s%% of the last %d calls to Phobs for %s failed (alert threshold %s%%). "
                    "See Channel Manager > Error Log for what Phobs answered."
                    % (detail, backend.error_rate_window, backend.name,
                       backend.error_rate_threshold))
        activity_type = env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model = env["ir.model"]._get("phobs.backend")
        for user in backend._phobs_alert_users():
            Activity.create({
                "res_model_id": model.id, "res_id": backend.id, "user_id": user.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "summary": summary, "note": note,
                "date_deadline": fields.Date.context_today(backend),
            })
        backend.message_post(body="%s: %s" % (summary, note), subtype="mail.mt_note",
                             message_type="comment")
        _logger.warning("%s for Phobs backend %s", summary, backend.id)
        return True

    # -- retention ----------------------------------------------------------------------

    def purge(self, now=None):
        """Deletes API calls and processed messages older than the backend's retention.

        Failed and unprocessed messages stay until staff deal with them. Returns
        ``(calls, messages)`` deleted.
        """
        from odoo import fields
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


def money_converter(env, target, company):
    """``convert(amount, currency_id)`` into ``target`` at today's rate, so that bookings in
    several currencies add up (Odoo 12+ ``_convert``, Odoo 11 ``compute``)."""
    from odoo import fields
    today = fields.Date.context_today(env.user)
    Currency = env["res.currency"].sudo()

    def convert(amount, currency_id):
        amount = float(amount or 0.0)
        if not amount or not currency_id or currency_id == target.id:
            return amount
        source = Currency.browse(currency_id)
        if hasattr(source, "_convert"):
            return source._convert(amount, target, company, today, round=False)
        return source.with_context(date=today).compute(amount, target, round=False)
    return convert

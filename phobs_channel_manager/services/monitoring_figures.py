"""The dashboard's arithmetic: success rates, percentiles, per-day and per-channel sums,
status colours and alert decisions. Pure functions over plain rows, importable without Odoo and
unit-tested on their own; :mod:`.monitoring` runs the queries that feed them.
"""
import math
from datetime import timedelta

#: The client's operation names as staff read them.
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
#: Bookings and channel traffic are summed over this many days (today included).
TRAFFIC_WINDOW_DAYS = 7
#: Health colours and the labels staff read, for backends and channels alike (every figure
#: covers a recent window: a day of calls, a week of bookings).
STATUSES = [("green", "Healthy"), ("amber", "Degraded"), ("red", "Failing"),
            ("none", "No recent traffic")]
STATUS_LABELS = dict(STATUSES)


#: Calls failing in a row (since the last success) that make a backend red.
RED_STREAK = 3


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


def failing_streak(recent):
    """How many of the newest calls failed since the last one that went through.

    ``recent``: ``(success, error)`` newest first."""
    streak = 0
    for success, _error in recent:
        if success:
            break
        streak += 1
    return streak


def backend_status(overall, threshold, newest_error=None, open_conflicts=0, dead_letters=0,
                   stalled_messages=0, streak=None, ever_succeeded=True):
    """green / amber / red / none for one backend from its recent API calls.

    With ``streak`` (the calls failed since the last success, :func:`failing_streak`), health
    is judged on those calls only: failures that a later success put behind us do not count.
    Red: the newest call was refused for authentication, RED_STREAK calls in a row failed, or
    no call has gone through at all (``ever_succeeded`` false: a connection that never worked).
    Amber: the newest call failed, conflicts or dead letters wait for staff, or stored bookings
    have waited too long to be applied (neither the background job nor the cron runs).

    Without ``streak``, the 24-hour rates decide: red when the error rate passed the backend's
    threshold or the success rate fell below RED_BELOW %, amber when some calls failed.
    """
    waiting = open_conflicts or dead_letters or stalled_messages
    calls = (overall or {}).get("calls", 0)
    if not calls:
        return "amber" if waiting else "none"
    if streak is not None:
        if newest_error == AUTH_ERROR or streak >= RED_STREAK or (streak and not ever_succeeded):
            return "red"
        return "amber" if streak or waiting else "green"
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

"""The dashboard card's headline reason: why a property is not simply healthy, in words.

Pure (no Odoo), so the wording is unit-tested: "2 conflicts, 13 failed bookings" rather than
"Degraded (100 % of 32 calls went through)".
"""


def _count(number, one, many):
    return "%d %s" % (number, one if number == 1 else many)


def headline_reason(figures):
    """The reason behind the card's status, from :meth:`PhobsMonitoringService.dashboard`'s
    figures; the most urgent first."""
    parts = []
    for key, one, many in (
            ("open_conflicts", "conflict", "conflicts"),
            ("failed_messages", "failed booking", "failed bookings"),
            ("dead_letters", "update not sent", "updates not sent"),
            ("stalled_messages", "booking waiting to be applied",
             "bookings waiting to be applied"),
            ("failing_streak", "call to Phobs failed since the last success",
             "calls to Phobs failed since the last success"),
            ("open_alerts", "open alert", "open alerts")):
        if figures.get(key):
            parts.append(_count(figures[key], one, many))
    if parts:
        return ", ".join(parts)
    calls = figures.get("calls") or 0
    if figures.get("failed_calls"):
        return "calls go through again (%d of %d failed in 24 h)" % (
            figures["failed_calls"], calls)
    if calls:
        return "all %s went through" % _count(calls, "call", "calls")
    return "no calls to Phobs in 24 h"

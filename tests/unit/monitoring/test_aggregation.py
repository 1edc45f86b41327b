"""The dashboard's arithmetic, without Odoo: rates, percentiles, per-day and per-channel sums,
status colours and alert decisions over plain rows."""
from datetime import date, datetime, timedelta

import pytest

from phobs_channel_manager.services.monitoring_figures import (
    AUTH_ERROR,
    ago,
    alerts_due,
    backend_status,
    channel_status,
    format_ms,
    format_rate,
    percentile,
    success_rate,
    summarize_calls,
    summarize_channel_traffic,
    summarize_reservations,
)


@pytest.mark.parametrize("ok, total, expected", [
    (0, 0, None), (3, 3, 100.0), (0, 4, 0.0), (2, 3, 66.7), (199, 200, 99.5),
])
def test_success_rate(ok, total, expected):
    assert success_rate(ok, total) == expected


@pytest.mark.parametrize("values, pct, expected", [
    ([], 50, None),
    ([None], 50, None),
    ([42], 50, 42.0),
    ([42], 95, 42.0),
    ([1, 2, 3], 50, 2.0),
    ([4, 1, 3, 2], 50, 2.5),              # unsorted input; median of an even count
    ([10, 20, 30, 40, 50], 95, 48.0),     # 4 * 0.95 = 3.8 -> 40 + 0.8 * 10
    (list(range(1, 101)), 95, 95.05),     # numpy.percentile(range(1, 101), 95)
    ([5, None, 15], 50, 10.0),            # calls without a duration are left out
])
def test_percentile_interpolates_between_closest_ranks(values, pct, expected):
    assert percentile(values, pct) == pytest.approx(expected) if expected is not None \
        else percentile(values, pct) is None


def test_summarize_calls_per_operation_and_overall():
    rows = [
        ("pull_reservations", True, 100.0), ("pull_reservations", True, 300.0),
        ("pull_reservations", False, 200.0), ("send_availability", True, 50.0),
        ("acknowledge", True, 20.0), ("acknowledge", True, 40.0),
        ("pull_reservations", True, 400.0),
    ]
    overall, operations = summarize_calls(rows)

    assert overall["calls"] == 7 and overall["ok"] == 6 and overall["failed"] == 1
    assert overall["success_rate"] == 85.7
    assert overall["median_ms"] == 100.0
    assert [op["operation"] for op in operations] == [
        "pull_reservations", "acknowledge", "send_availability"]
    pull = operations[0]
    assert (pull["calls"], pull["failed"], pull["success_rate"]) == (4, 1, 75.0)
    assert pull["median_ms"] == 250.0
    assert pull["p95_ms"] == pytest.approx(385.0)
    assert pull["label"] == "Pull reservations"
    assert operations[1]["median_ms"] == 30.0


def test_summarize_calls_of_nothing():
    overall, operations = summarize_calls([])
    assert operations == []
    assert overall["calls"] == 0 and overall["success_rate"] is None
    assert overall["median_ms"] is None and overall["p95_ms"] is None


def test_summarize_reservations_today_week_channels_and_days():
    today = date(2024, 7, 10)
    rows = [
        (1, today, 200.0, "Book"),
        (1, today, 150.5, "Modify"),
        (2, today - timedelta(days=1), 300.0, "Commit"),
        (2, today - timedelta(days=6), 100.0, "Book"),       # first day of the window
        (2, today - timedelta(days=7), 999.0, "Book"),       # outside the 7 days
        (1, today, 500.0, "Cancel"),                         # cancelled: counts for nothing
        (3, today + timedelta(days=1), 80.0, "Book"),        # clock skew: not in the window
        (None, today - timedelta(days=2), 10.0, "Book"),     # no channel: totals only
    ]
    result = summarize_reservations(rows, today)

    assert result["today"] == {"count": 2, "revenue": 350.5}
    assert result["week"] == {"count": 5, "revenue": 760.5}
    assert result["by_channel"][1] == {"today": 2, "week": 2, "revenue_today": 350.5,
                                       "revenue_week": 350.5}
    assert result["by_channel"][2] == {"today": 0, "week": 2, "revenue_today": 0.0,
                                       "revenue_week": 400.0}
    assert 3 not in result["by_channel"]
    days = result["by_day"]
    assert [day for day, _count in days] == [today - timedelta(days=n) for n in range(6, -1, -1)]
    assert dict(days) == {today - timedelta(days=6): 1, today - timedelta(days=5): 0,
                          today - timedelta(days=4): 0, today - timedelta(days=3): 0,
                          today - timedelta(days=2): 1, today - timedelta(days=1): 1, today: 2}


def test_channel_traffic_and_status():
    t0 = datetime(2024, 7, 10, 8, 0)
    rows = [
        (1, True, t0, None), (1, True, t0 + timedelta(minutes=5), None),
        (2, True, t0, None), (2, False, t0 + timedelta(minutes=1), "UserError: unknown room"),
        (2, True, t0 + timedelta(minutes=9), None),
        (3, True, t0, None), (3, False, t0 + timedelta(minutes=3), "bad"),
        (4, False, t0, "x"), (4, True, t0 + timedelta(minutes=1), None),
        (4, False, t0 + timedelta(minutes=2), "y"),
    ]
    traffic = summarize_channel_traffic(rows)

    assert traffic[1]["success_rate"] == 100.0 and traffic[1]["last_ok"]
    assert traffic[2]["failed"] == 1 and traffic[2]["last_ok"]
    assert traffic[2]["last_error"] == "UserError: unknown room"
    assert traffic[3]["last_ok"] is False
    assert traffic[4]["last_error"] == "y" and traffic[4]["success_rate"] == 33.3

    assert channel_status(traffic[1]) == "green"
    assert channel_status(traffic[1], open_conflicts=1) == "amber"
    assert channel_status(traffic[2]) == "red"          # 66.7 % < 80 %
    assert channel_status(traffic[3]) == "red"          # the latest failed
    assert channel_status(None) == "none"
    assert channel_status(None, open_conflicts=2) == "amber"
    many = summarize_channel_traffic([(5, True, t0 + timedelta(minutes=n), None)
                                      for n in range(9)] + [(5, False, t0, "old")])
    assert channel_status(many[5]) == "amber"           # 90 %, and the latest went through


@pytest.mark.parametrize("calls, failed, threshold, newest, conflicts, dead, expected", [
    (0, 0, 20, None, 0, 0, "none"),
    (0, 0, 20, None, 1, 0, "amber"),
    (10, 0, 20, None, 0, 0, "green"),
    (10, 1, 20, None, 0, 0, "amber"),
    (10, 0, 20, None, 0, 2, "amber"),
    (10, 3, 20, None, 0, 0, "red"),                     # 30 % errors > 20 % threshold
    (10, 1, 5, None, 0, 0, "red"),                      # 10 % > 5 %
    (10, 1, 20, AUTH_ERROR, 0, 0, "red"),               # credentials refused just now
    (10, 1, 20, "PhobsServerError", 0, 0, "amber"),
    (10, 2, 50, None, 0, 0, "amber"),                   # 80 % success: not below RED_BELOW
])
def test_backend_status(calls, failed, threshold, newest, conflicts, dead, expected):
    overall = {"calls": calls, "failed": failed, "ok": calls - failed,
               "success_rate": success_rate(calls - failed, calls)}
    assert backend_status(overall, threshold, newest, conflicts, dead) == expected


def test_bookings_waiting_too_long_to_be_applied_turn_the_backend_amber():
    healthy = {"calls": 10, "failed": 0, "ok": 10, "success_rate": 100.0}
    assert backend_status(healthy, 20, stalled_messages=1) == "amber"
    assert backend_status(None, 20, stalled_messages=2) == "amber"
    assert backend_status(healthy, 20, stalled_messages=0) == "green"


def test_alerts_due_for_refused_credentials_only_when_newest():
    assert alerts_due([(False, AUTH_ERROR)], 50, 20) == [("auth", None)]
    # an expired token the client refreshed: the refusal is followed by a success
    assert alerts_due([(True, None), (False, AUTH_ERROR)], 50, 20) == []
    assert alerts_due([(False, "PhobsServerError")], 50, 20) == []


def test_alerts_due_for_the_error_rate_over_the_window():
    failing = [(False, "PhobsServerError")] * 3 + [(True, None)] * 7
    assert alerts_due(failing, 20, 10) == [("error_rate", 30.0)]
    assert alerts_due(failing, 30, 10) == []             # passes means more than
    # only the newest `window` calls count
    assert alerts_due([(True, None)] * 10 + failing, 20, 10) == []
    # too few calls for a rate
    assert alerts_due([(False, "PhobsServerError")] * 4, 20, 10) == []
    assert alerts_due([(False, "PhobsServerError")] * 3, 20, 3) == [("error_rate", 100.0)]
    both = alerts_due([(False, AUTH_ERROR)] * 6, 20, 10)
    assert both == [("auth", None), ("error_rate", 100.0)]


@pytest.mark.parametrize("seconds, expected", [
    (None, "never"), (0, "just now"), (59, "just now"), (60, "1 min ago"),
    (3599, "59 min ago"), (3600, "1 h ago"), (47 * 3600, "47 h ago"),
    (2 * 86400, "2 days ago"), (-5, "just now"),
])
def test_ago(seconds, expected):
    assert ago(seconds) == expected


def test_formatting():
    assert format_ms(None) == "-" and format_ms(123.6) == "124 ms"
    assert format_rate(None) == "-" and format_rate(100.0) == "100 %"
    assert format_rate(85.7) == "85.7 %"


def test_health_is_judged_on_the_calls_since_the_last_success():
    from phobs_channel_manager.services.monitoring_figures import failing_streak
    ok, server, auth = (True, None), (False, "PhobsServerError"), (False, AUTH_ERROR)
    assert failing_streak([ok, server, server]) == 0
    assert failing_streak([server, server, ok, server]) == 2
    assert failing_streak([]) == 0
    # 30 % of the day's calls failed, but the newest went through: healthy again.
    bad_day = {"calls": 10, "failed": 3, "ok": 7, "success_rate": 70.0}
    assert backend_status(bad_day, 20, streak=0) == "green"
    assert backend_status(bad_day, 20, "PhobsServerError", streak=1) == "amber"
    assert backend_status(bad_day, 20, "PhobsServerError", streak=3) == "red"
    assert backend_status(bad_day, 20, AUTH_ERROR, streak=1) == "red"
    assert backend_status(bad_day, 20, streak=0, open_conflicts=1) == "amber"
    # A connection that never worked is failing, even after a single call.
    first = {"calls": 1, "failed": 1, "ok": 0, "success_rate": 0.0}
    assert backend_status(first, 20, "PhobsServerError", streak=1, ever_succeeded=False) == "red"

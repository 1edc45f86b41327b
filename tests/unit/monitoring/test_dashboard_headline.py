from phobs_channel_manager.services.dashboard_headline import headline_reason


def test_the_headline_names_what_waits_for_staff_most_urgent_first():
    figures = {"open_conflicts": 2, "failed_messages": 13, "dead_letters": 1, "calls": 32,
               "failed_calls": 0}
    assert headline_reason(figures) == "2 conflicts, 13 failed bookings, 1 update not sent"


def test_a_healthy_or_quiet_property_says_so():
    assert headline_reason({"calls": 32}) == "all 32 calls went through"
    assert headline_reason({"calls": 1}) == "all 1 call went through"
    assert headline_reason({}) == "no calls to Phobs in 24 h"


def test_failures_since_the_last_success_and_alerts_are_counted_in_words():
    assert headline_reason({"calls": 10, "failing_streak": 1, "open_alerts": 2}) == (
        "1 call to Phobs failed since the last success, 2 open alerts")


def test_failures_a_later_success_put_behind_are_not_a_reason():
    assert headline_reason({"calls": 32, "failed_calls": 5, "failing_streak": 0}) == (
        "calls go through again (5 of 32 failed in 24 h)")

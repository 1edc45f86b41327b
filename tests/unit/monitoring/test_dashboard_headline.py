from phobs_channel_manager.services.dashboard_headline import headline_reason


def test_the_headline_names_what_waits_for_staff_most_urgent_first():
    figures = {"open_conflicts": 2, "failed_messages": 13, "dead_letters": 1, "calls": 32,
               "failed_calls": 0}
    assert headline_reason(figures) == "2 conflicts, 13 failed bookings, 1 update not sent"


def test_a_healthy_or_quiet_property_says_so():
    assert headline_reason({"calls": 32}) == "all 32 calls went through"
    assert headline_reason({"calls": 1}) == "all 1 call went through"
    assert headline_reason({}) == "no calls to Phobs in 24 h"


def test_failed_calls_and_alerts_are_counted_in_words():
    assert headline_reason({"calls": 10, "failed_calls": 1, "open_alerts": 2}) == (
        "1 failed call to Phobs in 24 h, 2 open alerts")

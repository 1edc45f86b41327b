"""Benchmark (a): a full 365-day ARI refresh for 20 room types x 3 rate plans.

Compares what the client sends (equal consecutive days collapsed into ranges, messages within the
profile's budget) with the naive per-day encoding: requests, message elements, bytes, and the
local compute time (collapse + build + serialise, no network). Prints one line per figure.
"""
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from phobs_channel_manager.phobs_api.messages.avail_notif import build_hotel_avail_notif_rq
from phobs_channel_manager.phobs_api.messages.rate_amount_notif import (
    build_hotel_rate_amount_notif_rq)
from phobs_channel_manager.phobs_api.profile import DEFAULT_PROFILE
from phobs_channel_manager.phobs_api.ranges import batches, collapse
from phobs_channel_manager.phobs_api.records import AvailabilityRun, RateRun
from phobs_channel_manager.phobs_api.xml import to_bytes

ROOM_TYPES = ["RT%02d" % n for n in range(20)]
RATE_PLANS = ["BAR", "NRF", "HB"]
DAYS = 365


def hotel_year(seed=2026):
    """Plausible inventory: availability drifts with bookings, prices move by season and weekday."""
    rng = random.Random(seed)
    start = date(2027, 1, 1)
    days = [start + timedelta(days=n) for n in range(DAYS)]
    availability, rates = {}, {}
    for room_type in ROOM_TYPES:
        units = rng.randint(4, 30)
        level, per_day = units, {}
        for day in days:
            if rng.random() < 0.12:
                level = max(0, min(units, level + rng.choice((-2, -1, 1))))
            per_day[day] = level
        availability[room_type] = per_day
        base = Decimal(rng.randint(60, 220))
        for plan_index, plan in enumerate(RATE_PLANS):
            per_day = {}
            for day in days:
                season = Decimal("1.35") if day.month in (6, 7, 8) else Decimal("1")
                weekend = Decimal("1.15") if day.weekday() >= 4 else Decimal("1")
                discount = (Decimal("0.9"), Decimal("1"), Decimal("1.2"))[plan_index]
                per_day[day] = (base * season * weekend * discount).quantize(Decimal("0.01"))
            rates[(room_type, plan)] = per_day
    return days, availability, rates


def build(availability_runs, rate_runs):
    from datetime import datetime, timezone
    stamp = {"echo_token": "bench", "timestamp": datetime.now(timezone.utc)}
    budget = DEFAULT_PROFILE.message_budget
    bodies = [to_bytes(build_hotel_avail_notif_rq("BENCH", chunk, **stamp))
              for chunk in batches(availability_runs, budget)]
    bodies += [to_bytes(build_hotel_rate_amount_notif_rq("BENCH", chunk, **stamp))
               for chunk in batches(rate_runs, budget)]
    return bodies


def compressed(availability, rates):
    availability_runs = [AvailabilityRun(rt, run.start, run.end, run.value)
                         for rt, per_day in availability.items() for run in collapse(per_day)]
    rate_runs = [RateRun(rt, plan, run.start, run.end, run.value, "EUR")
                 for (rt, plan), per_day in rates.items() for run in collapse(per_day)]
    return availability_runs, rate_runs


def naive(availability, rates):
    availability_runs = [AvailabilityRun(rt, day, day, value)
                         for rt, per_day in availability.items() for day, value in per_day.items()]
    rate_runs = [RateRun(rt, plan, day, day, value, "EUR")
                 for (rt, plan), per_day in rates.items() for day, value in per_day.items()]
    return availability_runs, rate_runs


def main(repeat=5):
    days, availability, rates = hotel_year()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        runs = compressed(availability, rates)
        bodies = build(*runs)
        timings.append(time.perf_counter() - started)
    naive_runs = naive(availability, rates)
    naive_elements = sum(len(r) for r in naive_runs)
    naive_bytes = sum(len(b) for b in build(*naive_runs))
    elements = sum(len(r) for r in runs)
    sent_bytes = sum(len(b) for b in bodies)
    print("ari_refresh.scope: %d room types x %d rate plans x %d days" % (
        len(ROOM_TYPES), len(RATE_PLANS), len(days)))
    print("ari_refresh.requests: %d (naive one request per day and item: %d, %.2f%%)" % (
        len(bodies), naive_elements, 100.0 * len(bodies) / naive_elements))
    print("ari_refresh.elements: %d (naive %d, %.2f%%)" % (
        elements, naive_elements, 100.0 * elements / naive_elements))
    print("ari_refresh.bytes: %d (naive per-day elements in budgeted messages: %d, %.2f%%)" % (
        sent_bytes, naive_bytes, 100.0 * sent_bytes / naive_bytes))
    print("ari_refresh.compute_seconds: median %.3f, max %.3f over %d runs" % (
        statistics.median(timings), max(timings), repeat))


if __name__ == "__main__":
    sys.exit(main())

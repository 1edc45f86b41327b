"""Failures while sending availability, rates and restrictions: retried, dead-lettered, replayed.

With the sandbox failing about 30 % of the ARI requests (5xx, 429 with Retry-After, timeouts),
repeated flushes leave every dirty row either accepted or in the dead letter; once the faults
stop, replaying the dead letter brings the drift between the sandbox and Odoo to zero. Unknown
codes at Phobs are configuration problems: dead letter at once, the rest still sent.
"""
import dataclasses
import json
from unittest import mock

from odoo.addons.phobs_channel_manager.phobs_api import ari
from odoo.addons.phobs_channel_manager.phobs_api.retry import RetryPolicy
from odoo.addons.phobs_channel_manager.services.channel_manager import (
    PhobsChannelManagerService,
)

from ari_case import BAR_AND_NRF, INVENTORY_PATHS, AriCase
from harness.processes import ARTIFACTS


def faults(seed):
    """About 30 % of the ARI requests fail before they take effect, or time out after."""
    rules = []
    for path in INVENTORY_PATHS:
        rules += [
            {"kind": "http_500", "probability": 0.10, "path": path},
            {"kind": "http_503", "probability": 0.08, "path": path, "retry_after": 0},
            {"kind": "http_429", "probability": 0.08, "path": path, "retry_after": 0},
            {"kind": "latency", "probability": 0.06, "path": path, "latency_ms": 700},
        ]
    return {"rules": rules, "seed": seed}


class TestFaultsAndDeadLetter(AriCase):
    room_types = {"SGL": 2, "DBL": 3}
    sandbox_rate_plans = BAR_AND_NRF

    def setUp(self):
        super().setUp()
        self.bar = self.rate_plan("BAR", ["SGL", "DBL"])
        self.nrf = self.rate_plan("NRF", ["DBL"])
        for plan, code, amount in ((self.bar, "SGL", 70), (self.bar, "DBL", 110),
                                   (self.nrf, "DBL", 95)):
            for first in range(0, 360, 30):  # a price per month: many rows, several ranges
                self.price(plan, code, first, first + 29, amount + first // 30)
        self.env["phobs.restriction"]._phobs_apply(
            self.bar, [], ari.matching_days(self.day(20), self.day(80), [5]), {"min_los": 2})
        self.front_desk_booking("DBL", 12, 3)
        self.front_desk_booking("SGL", 40, 2)
        # Not retried inside one flush and a short read timeout: every fault reaches the outbox,
        # which retries across flushes; two failed flushes and a row is dead.
        self.backend.write({"retry_max_attempts": 2, "retry_base_seconds": 1})
        original = PhobsChannelManagerService.client_config

        def impatient(service):
            return dataclasses.replace(original(service), read_timeout=0.5,
                                       retry=RetryPolicy(max_attempts=1))
        patcher = mock.patch.object(PhobsChannelManagerService, "client_config", impatient)
        patcher.start()
        self.addCleanup(patcher.stop)

    def _change(self, round_number):
        """One round of front-desk and revenue work: a price, a restriction, a booking."""
        month = (round_number * 7) % 12
        plan, code = ((self.bar, "SGL"), (self.bar, "DBL"), (self.nrf, "DBL"))[round_number % 3]
        entry = self.env["phobs.rate.price"].search([
            ("rate_plan_id", "=", plan.id), ("room_type_code", "=", code),
            ("date_from", "=", str(self.day(month * 30)))])
        entry.amount += 1
        first = self.day(5 + round_number * 11 % 300)
        self.env["phobs.restriction"]._phobs_apply(
            plan, [code], ari.matching_days(first, first), {"closed_to_arrival": True})
        if round_number % 2:
            self.front_desk_booking(code, 100 + round_number * 3, 2, room_index=1)

    def test_under_faults_every_row_ends_accepted_or_dead_and_replay_removes_the_drift(self):
        self.inventory_service().full_resync()
        start = self.outbox()
        self.sandbox.call("POST", "/faults", json=faults(seed=5))

        flushes = []
        for round_number in range(30):
            self._change(round_number)
            flushes += self.drain(rounds=1, strict=False)
        flushes += self.drain()

        rules = self.sandbox.call("GET", "/faults")["rules"]
        self.sandbox.call("DELETE", "/faults")
        fired = sum(rule["fired"] for rule in rules)
        rows = self.outbox() - start
        done = rows.filtered(lambda row: row.state == "done")
        dead = rows.filtered(lambda row: row.state == "dead")
        report = {"rows": len(rows), "done": len(done), "dead": len(dead), "faults_fired": fired,
                  "flushes": len(flushes), "requests": sum(f.requests for f in flushes),
                  "failed_batches": sum(f.failed_batches for f in flushes)}
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "inventory-faults.json").write_text(json.dumps(report, indent=2))
        print("ari under faults: %s" % json.dumps(report, sort_keys=True))
        self.assertEqual(len(done) + len(dead), len(rows))
        self.assertGreater(fired, 10)
        self.assertGreater(fired * 5, report["requests"], "about 30 % of the requests failed")
        self.assertTrue(dead, "with two attempts some rows must have failed twice")
        self.assertEqual(set(dead.mapped("error_kind")), {"retryable"})
        self.assertEqual(set(dead.mapped("attempts")), {2})
        self.assertTrue(self.sandbox_drift(), "dead rows' days are not at Phobs yet")

        dead.action_replay()
        self.drain()

        self.assertEqual(set(rows.mapped("state")), {"done"})
        self.assertEqual(self.sandbox_drift(), [])
        self.assertEqual(self.inventory_service().audit(), [])


class TestMappingErrors(AriCase):
    room_types = {"SGL": 1, "DBL": 2, "SUI": 1}
    # Phobs knows neither the suite nor the GHOST rate plan.
    sandbox_rate_plans = [{"code": "BAR", "name": "Best Available Rate",
                           "room_types": ["SGL", "DBL"]}]

    def setUp(self):
        super().setUp()
        self.sandbox.call("PUT", "/hotels/%s" % self.hotel["code"], json=dict(
            {key: value for key, value in self.hotel.items() if key != "code"},
            room_types=[{"code": "SGL", "name": "SGL", "units": 1},
                        {"code": "DBL", "name": "DBL", "units": 2}]))
        self.bar = self.rate_plan("BAR", ["SGL", "DBL"])
        self.ghost = self.rate_plan("GHOST", ["DBL"])
        for plan, code in ((self.bar, "SGL"), (self.bar, "DBL"), (self.ghost, "DBL")):
            self.price(plan, code, 0, 364, 100)

    def test_unknown_codes_go_straight_to_the_dead_letter_and_the_rest_is_sent(self):
        result = self.inventory_service().full_resync()

        self.assertTrue(result.failed_batches)
        dead = self.outbox("dead")
        self.assertEqual({(row.kind, row.room_type_code, row.rate_plan_code or "") for row in dead},
                         {("availability", "SUI", ""), ("rates", "DBL", "GHOST"),
                          ("restrictions", "DBL", "GHOST")})
        self.assertEqual(set(dead.mapped("error_kind")), {"mapping"})
        self.assertEqual(set(dead.mapped("attempts")), {1})
        self.assertTrue(all("PhobsMappingError" in row.last_error for row in dead))
        self.assertFalse(self.outbox("pending"))
        # The known codes travelled in spite of the unknown ones sharing their messages.
        drift = self.sandbox_drift()
        self.assertEqual(sorted({(d.kind, d.room_type_code, d.rate_plan_code) for d in drift}),
                         [("availability", "SUI", ""), ("rates", "DBL", "GHOST"),
                          ("restrictions", "DBL", "GHOST")])
        self.assertEqual(self.sandbox_values("rates", [("DBL", "BAR")], self.day(3), self.day(3)),
                         {("DBL", "BAR", self.day(3)): "100.00 EUR"})

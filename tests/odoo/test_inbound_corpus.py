"""The inbound corpus through the real service: signed pushes over HTTP and pulled pages, stored,
acknowledged and applied; the bindings, stays and nightly prices checked row by row against the
expectations table (tests/harness/inbound_corpus.py), and refusals checked to store nothing but
the failure shown in the Error Log.
"""
import time
from datetime import date

import httpx

from odoo.exceptions import AccessError

from odoo.addons.phobs_channel_manager.phobs_api.messages.read import parse_res_retrieve_rs
from odoo.addons.phobs_channel_manager.phobs_api.webhook import sign

from odoo.addons.hotel_frontdesk_bridge.stay_calendar import stay_dates

from harness.inbound_corpus import EXPECTED, raw, shift_date, shift_text, shifted
from phobs_case import PhobsCase

PUSHED = [
    "01_push_soap_base_per_night.xml", "02_push_bare_rq.xml", "05_push_bare_without_namespace.xml",
    "06_rate_total_without_base.xml", "07_rate_base_and_total.xml", "10_unit_multiplier_days.xml",
    "11_rate_time_unit_week.xml", "12_rate_full_duration.xml", "14_roomstay_total_only.xml",
    "15_global_total_only.xml", "16_global_total_two_stays.xml", "17_global_total_with_fee.xml",
    "18_pos_on_root.xml", "19_channel_from_resid_source.xml", "20_unknown_channel_html_name.xml",
    "22_resguestrph_child_form.xml", "23_guest_counts_global_only.xml",
    "24_children_by_age.xml", "25_children_by_age_qualifying_code.xml",
    "26_comments_and_special_requests.xml", "28_card_plaintext.xml", "30_card_token.xml",
    "31_card_number_attribute.xml", "32_card_deposit_payments.xml",
    "35_two_stays_equal_dates.xml", "36_two_stays_different_dates.xml",
    "37_units_in_one_room_rate.xml", "38_units_total_not_divisible.xml",
    "39_status_commited_spelling.xml", "40_status_on_rq_root.xml",
    "42_cancel_with_penalty.xml", "44_timespan_duration.xml", "46_currency_jpy.xml",
]
PULLED = ["03_pull_soap_resretrieve.xml", "04_pull_bare_resretrieve.xml"]
REFUSED = [
    "47_refused_stay_in_9999.xml", "48_refused_stay_in_1900.xml", "49_refused_100_nights.xml",
    "50_refused_amount_1e400.xml", "51_refused_amount_nan.xml", "53_refused_negative_amount.xml",
    "54_refused_long_reservation_id.xml", "55_refused_guest_count_100.xml",
    "56_refused_100_units.xml", "57_refused_rate_time_unit_month.xml",
    "58_refused_two_currencies.xml", "59_refused_overlapping_rates.xml",
]
BINDING_FIELDS = ("status", "channel_code", "channel_name", "amount_total", "special_requests",
                  "comments", "card_type", "card_last4", "card_expiry", "payment_card",
                  "penalty_amount", "guest_name", "channel_booking_id")
STAY_FIELDS = ("room_type_code", "units", "adults", "children", "child_ages", "guest_names")


class TestInboundCorpus(PhobsCase):
    # Every fixture books the same January nights and stays in the front desk: enough rooms that
    # none of them becomes an overbooking.
    room_types = {"SGL": 40, "DBL": 40}

    def setUp(self):
        super().setUp()
        self.url = "%s/phobs/webhook/%d" % (self.odoo_url, self.backend.id)
        self.today = date.today()
        self.manager = self.env["res.users"].create({
            "name": "Channel manager", "login": "cm-%s" % self.hotel["code"],
            "groups_id": [(6, 0, [self.env.ref("phobs_channel_manager.group_phobs_manager").id,
                                  self.env.ref("base.group_user").id])]})
        self.cm_user = self.env["res.users"].create({
            "name": "Channel user", "login": "cu-%s" % self.hotel["code"],
            "groups_id": [(6, 0, [self.env.ref("phobs_channel_manager.group_phobs_user").id,
                                  self.env.ref("base.group_user").id])]})

    # -- helpers ------------------------------------------------------------------------

    def body(self, name):
        return shifted(raw(name), self.today, self.hotel["code"])

    def push(self, body):
        stamp = str(int(time.time()))
        return httpx.post(self.url, content=body, timeout=60, headers={
            "Content-Type": "text/xml; charset=utf-8", "X-Phobs-Timestamp": stamp,
            "X-Phobs-Signature": sign("whsec-" + self.hotel["code"], stamp, body)})

    def binding(self, external_id):
        return self.env["phobs.reservation"].search([
            ("backend_id", "=", self.backend.id), ("external_id", "=", external_id)])

    def assertStored(self, name, row):
        binding = self.binding(row["external_id"])
        self.assertEqual(len(binding), 1, "%s: %s not stored" % (name, row["external_id"]))
        for field in BINDING_FIELDS:
            self.assertEqual(binding[field], row[field], "%s: %s" % (name, field))
        if row["currency_code"]:
            self.assertEqual(binding.currency_id.name, row["currency_code"], name)
        known = self.env["phobs.channel"].with_context(active_test=False).search(
            [("code", "=", row["channel_code"])])
        self.assertEqual(binding.channel_id, known, "%s: channel" % name)
        stays = binding.stay_ids.sorted(lambda s: (s.arrival, s.id))
        self.assertEqual(len(stays), len(row["stays"]), name)
        cents = 0
        for stay, want in zip(stays, row["stays"]):
            for field in STAY_FIELDS:
                self.assertEqual(stay[field], want[field], "%s: stay %s" % (name, field))
            self.assertEqual((stay.arrival, stay.departure),
                             (shift_date(want["arrival"], self.today),
                              shift_date(want["departure"], self.today)), name)
            nights = stay.night_ids.sorted("night")
            self.assertEqual(nights.mapped("amount"), want["nights"], "%s: nights" % name)
            self.assertEqual(len(set(nights.mapped("night"))), len(want["nights"]), name)
            self.assertEqual(nights[:1].night, stay.arrival, name)
            cents += sum(round(n.amount * 100) for n in nights) * stay.units
            self.assertAlmostEqual(stay.amount, sum(nights.mapped("amount")) * stay.units, 2)
        if row["stays"]:
            self.assertEqual(cents, round(binding.amount_total * 100),
                             "%s: nights x rooms must total the OTA total" % name)
        self.assertFrontDesk(name, binding)
        return binding

    def assertFrontDesk(self, name, binding):
        """What the front desk holds for the booking: one reservation per stay period holding
        the stay's rooms for its own nights, and a folio totalling the OTA total to the cent, in
        the booking's currency (a cancelled booking keeps only its penalty, if any)."""
        reservations = binding.hotel_reservation_ids
        folio = self.env["hotel.folio"].search([("phobs_reservation_id", "=", binding.id)])
        if binding.status == "Cancel":
            self.assertFalse(reservations.filtered(lambda r: r.state != "cancel"),
                             "%s: a cancelled booking holds no room" % name)
            if folio:  # a cancel of a booking never seen has no folio to charge
                charged = sum(folio.filtered(lambda f: f.state != "cancel")
                              .mapped("amount_total"))
                self.assertAlmostEqual(charged, binding.penalty_amount, 2, "%s: penalty" % name)
            return
        self.assertEqual(binding.sync_state, "applied", "%s: %s" % (name, binding.sync_error))
        periods = {}
        for stay in binding.stay_ids:
            key = (str(stay.arrival), str(stay.departure))
            periods[key] = periods.get(key, 0) + stay.units
        self.assertEqual(len(reservations), len(periods), "%s: reservations per period" % name)
        tz = self.backend._phobs_tz()
        for reservation in reservations:
            self.assertEqual(reservation.state, "confirm", name)
            arrival, departure = stay_dates(reservation.checkin, reservation.checkout, tz)
            period = (str(arrival), str(departure))
            self.assertIn(period, periods, "%s: a reservation outside every stay" % name)
            held = self.env["hotel.room.reservation.line"].search(
                [("reservation_id", "=", reservation.id)])
            self.assertEqual(len(held.mapped("room_id")), periods.pop(period),
                             "%s: rooms for %s-%s" % ((name,) + period))
        self.assertEqual(len(folio), 1, "%s: one folio" % name)
        self.assertEqual(folio.currency_id, binding.currency_id, "%s: folio currency" % name)
        self.assertAlmostEqual(folio.amount_total, binding.amount_total, 2,
                               "%s: folio total = OTA total" % name)

    # -- the corpus -----------------------------------------------------------------------

    def test_pushed_corpus_is_stored_as_sold(self):
        for name in PUSHED:
            with self.subTest(fixture=name):
                response = self.push(self.body(name))
                self.assertEqual(response.status_code, 200, name)
                self.assertIn("<Success/>", response.text.replace("<Success />", "<Success/>"))
                self.sync_service().apply_pending()
                for row in EXPECTED[name]:
                    self.assertStored(name, row)

    def test_pulled_corpus_is_stored_as_sold(self):
        service = self.sync_service()
        for name in PULLED:
            with self.subTest(fixture=name):
                batch = parse_res_retrieve_rs(self.body(name))
                outcomes = [service.receiver.accept(reservation, "pull")
                            for reservation in batch.reservations]
                self.assertTrue(outcomes and all(o.ok for o in outcomes), name)
                service.apply_pending()
                for row in EXPECTED[name]:
                    self.assertStored(name, row)

    def test_refused_corpus_stores_nothing_but_the_failure(self):
        ErrorLog = self.env["phobs.error.log"]
        for name in REFUSED:
            with self.subTest(fixture=name):
                reason = shift_text(EXPECTED[name][0]["refused"], self.today)
                before = ErrorLog.search_count([("backend_id", "=", self.backend.id)])
                response = self.push(self.body(name))
                self.assertEqual(response.status_code, 200, name)
                self.assertIn("<Errors>", response.text, name)
                self.assertIn('Code="450"', response.text, name)
                self.assertIn(reason[:200], response.text, name)
                self.assertFalse(self.bindings(), name)
                self.assertFalse(self.front_desk(), name)
                messages = self.env["phobs.message"].search([("backend_id", "=", self.backend.id)])
                self.assertEqual(set(messages.mapped("state")), {"failed"}, name)
                self.assertTrue(any(reason in (m.error or "") for m in messages), name)
                self.assertFalse(any(len(m.message_id or "") > 64 for m in messages))
                self.assertEqual(ErrorLog.search_count([("backend_id", "=", self.backend.id)]),
                                 before + 1, name)
        self.assertEqual(self.sync_service().apply_pending(), 0)

    def test_bounds_follow_the_backend_settings_over_http(self):
        body = self.body("49_refused_100_nights.xml")
        self.assertIn(b"Errors", self.push(body).content)
        self.assertFalse(self.bindings())
        self.backend.bounds_max_nights = 100
        response = self.push(body)
        self.assertIn("<Success", response.text)
        self.sync_service().apply_pending()
        self.assertEqual(self.bindings().mapped("stay_ids.night_ids").mapped("amount"),
                         [90.0] * 100)

    def test_stay_date_bounds_just_inside_and_just_outside_over_http(self):
        """Default bounds: a stay may start 365 days back and end 730 days ahead."""
        template = raw("15_global_total_only.xml").replace(
            b'HotelCode="HOTEL1"', ('HotelCode="%s"' % self.hotel["code"]).encode())
        day = lambda offset: str(self.day(offset)).encode()  # noqa: E731
        cases = [(b"R-IN-PAST", -365, -363, True), (b"R-OUT-PAST", -366, -364, False),
                 (b"R-IN-AHEAD", 728, 730, True), (b"R-OUT-AHEAD", 729, 731, False)]
        for reservation_id, start, end, accepted in cases:
            with self.subTest(reservation=reservation_id):
                body = (template.replace(b'ID="R-15"', b'ID="' + reservation_id + b'"')
                        .replace(b'ID="M-15"', b'ID="M' + reservation_id[1:] + b'"')
                        .replace(b'Start="2027-01-10" End="2027-01-12"',
                                 b'Start="' + day(start) + b'" End="' + day(end) + b'"'))
                response = self.push(body)
                self.assertEqual(response.status_code, 200)
                self.assertEqual("<Success" in response.text, accepted, response.text)
                message = self.env["phobs.message"].search(
                    [("backend_id", "=", self.backend.id),
                     ("message_id", "=", "M" + reservation_id[1:].decode())])
                self.assertEqual(message.state, "received" if accepted else "failed")
                if not accepted:
                    self.assertIn("lies outside the dates this property accepts", message.error)
        self.sync_service().apply_pending()
        self.assertEqual(sorted(self.bindings().mapped("external_id")),
                         ["R-IN-AHEAD", "R-IN-PAST"])

    def test_unknown_channel_is_kept_on_the_booking_and_created_by_a_manager(self):
        channels_before = self.env["phobs.channel"].with_context(active_test=False).search([])
        self.push(self.body("20_unknown_channel_html_name.xml"))
        self.sync_service().apply_pending()
        binding = self.binding("R-20")
        self.assertEqual(self.env["phobs.channel"].with_context(active_test=False).search([]),
                         channels_before)
        self.assertEqual((binding.channel_id.id, binding.channel_code, binding.channel_name),
                         (False, "ZZOTA", "Shiny OTA alert(1)"))
        listed = self.env["phobs.reservation"].search(
            [("channel_id", "=", False), ("channel_code", "!=", False),
             ("backend_id", "=", self.backend.id)])
        self.assertEqual(listed, binding)
        grouped = self.env["phobs.reservation"].read_group(
            [("id", "in", listed.ids)], ["channel_code"], ["channel_code"])
        self.assertEqual([(g["channel_code"], g["channel_code_count"]) for g in grouped],
                         [("ZZOTA", 1)])

        with self.assertRaises(AccessError):
            binding.sudo(self.cm_user).action_create_channel_from_code()
        self.assertFalse(self.env["phobs.channel"].search([("code", "=", "ZZOTA")]))

        binding.sudo(self.manager).action_create_channel_from_code()
        channel = self.env["phobs.channel"].search([("code", "=", "ZZOTA")])
        self.assertEqual(channel.name, "Shiny OTA alert(1)")
        self.assertNotIn("<", channel.name)
        self.assertEqual(binding.channel_id, channel)

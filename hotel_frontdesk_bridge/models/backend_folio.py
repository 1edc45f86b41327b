"""A channel booking's folio: the OTA's nightly prices in the booking's currency, so that
folio and invoice total what the guest bought, to the cent.

Taxes: an OTA price is what the guest pays, taxes included. A room line keeps only the room
product's taxes that are *included in the price*: the VAT is then accounted inside the total
(the invoice shows it) and ``amount_total`` stays the OTA total; a tax that would be *added on
top* is left off, because it would charge the guest more than the channel sold.
"""
import logging
from datetime import timedelta
from decimal import Decimal

from odoo import _, fields, models

from odoo.addons.phobs_channel_manager.services.base import is_concurrent_write
from odoo.addons.phobs_channel_manager.services.batch_lookups import lookups_of
from odoo.addons.phobs_channel_manager.services.error_handling import describe

from ..folio_prices import StayPrices, room_prices, runs
from ..stay_calendar import checkin_instant, checkout_instant

_logger = logging.getLogger(__name__)

FOLIO_CONTEXT = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}


def binding_room_prices(binding):
    """``{stay id: [[(night, price)] per room]}`` of a channel booking, as the folio bills it."""
    return room_prices([
        StayPrices(stay.id, fields.Date.from_string(stay.arrival),
                   fields.Date.from_string(stay.departure), stay.units,
                   Decimal(str(stay.amount)) if stay.amount else None,
                   {fields.Date.from_string(n.night): Decimal(str(n.amount))
                    for n in stay.night_ids})
        for stay in binding.stay_ids], Decimal(str(binding.amount_total or 0)),
        minor_units=binding.currency_id.decimal_places if binding.currency_id else 2)


class PhobsBackendFolio(models.Model):
    _inherit = "phobs.backend"

    phobs_auto_folio = fields.Boolean(
        string="Folio for channel bookings", default=True,
        help="Each channel booking gets a folio carrying its nightly prices as soon as it is "
             "placed, updated by its modifications and cancelled with it.")

    @staticmethod
    def _phobs_folio_due():
        """The booking's values once placed (the caller writes them with the placement's
        outcome): its version note and folio follow in the apply run's second stage."""
        return {"folio_state": "pending", "folio_error": False}

    def _phobs_folios_pending(self):
        return self.env["phobs.reservation"].sudo().search(
            [("backend_id", "=", self.id), ("folio_state", "=", "pending")], order="id")

    def _phobs_build_folio(self, binding):
        """The second stage of a placed booking: the note saying what its version changed, then
        its folio."""
        if binding.sync_state == "conflict":
            # Nothing placed to bill; resolving the conflict places the guest.
            binding.write({"folio_state": False, "folio_error": False})
            return
        try:
            with self.env.cr.savepoint():
                reservations = self._phobs_front_desk_reservations(binding)
                self._phobs_note_version(binding, reservations,
                                         reservations[:1].phobs_version_summary)
        except Exception as err:  # noqa: BLE001 - a note never holds up the folio
            if is_concurrent_write(err):
                raise
            _logger.exception("Version note of channel booking %s could not be posted",
                              binding.external_id)
        self._phobs_sync_folio_safely(binding)

    def _phobs_sync_folio_safely(self, binding):
        """The rooms matter more than the folio: a folio that cannot be built is said on the
        booking for staff (Create Folio retries) and does not undo the placement."""
        try:
            with self.env.cr.savepoint():
                self._phobs_sync_folio(binding)
        except Exception as err:  # noqa: BLE001 - reported on the booking, placement kept
            lookups_of(self.env.context).clear()  # what the savepoint made may be gone
            if is_concurrent_write(err):
                raise  # another worker's; the booking stays pending for the next run
            _logger.exception("Folio of channel booking %s could not be built", binding.external_id)
            binding.write({"folio_state": "failed", "folio_error": describe(err)})
            for reservation in binding.hotel_reservation_ids[:1]:
                reservation.message_post(body=_("The folio of this channel booking could not be "
                                                "built: %s") % err)

    def _phobs_sync_folio(self, binding, force=False):
        """Creates or updates the folio of a placed channel booking (cancels it with the
        booking) and records it on the booking. An invoiced folio is left alone: staff get an
        activity with the difference."""
        if not (self.phobs_auto_folio or force):
            if binding.folio_state:
                binding.write({"folio_state": False, "folio_error": False})
            return None
        folio = self._phobs_write_folio(binding)
        state = "built" if folio else False
        if binding.folio_state != state or binding.folio_error:
            binding.write({"folio_state": state, "folio_error": False})
        return folio

    def _phobs_write_folio(self, binding):
        reservations = binding.hotel_reservation_ids.sorted(
            lambda r: (r.reservation_no != binding.pms_ref, r.checkin))
        folio = self._phobs_folio_of(binding)
        cancelled = binding.status == "Cancel"
        if not folio and (cancelled or not reservations):
            return None
        if folio and self._phobs_folio_invoiced(folio):
            self._phobs_folio_difference_activity(folio, binding)
            return folio
        room_lines = [] if cancelled else self._phobs_room_lines(binding, reservations)
        service_lines = self._phobs_penalty_lines(binding) if cancelled else []
        if cancelled and not service_lines:
            folio.order_id.with_context(**FOLIO_CONTEXT).action_cancel()
            return folio
        values = self._phobs_folio_values(binding, reservations[:1], room_lines, service_lines)
        if folio:
            order = folio.order_id.with_context(**FOLIO_CONTEXT)
            order.write({"state": "draft"})  # confirmed lines cannot be replaced otherwise
            folio.room_lines.unlink()
            folio.service_lines.unlink()
            folio.with_context(**FOLIO_CONTEXT).write(values)
        else:
            folio = self.env["hotel.folio"].sudo().with_context(**FOLIO_CONTEXT).create(values)
        reservations.sudo().with_context(phobs_from_channel=True, **FOLIO_CONTEXT).write(
            {"folio_id": [(4, folio.id)]})
        folio.action_confirm()
        return folio

    def _phobs_folio_of(self, binding):
        return self.env["hotel.folio"].sudo().search(
            [("phobs_reservation_id", "=", binding.id)], limit=1, order="id desc")

    @staticmethod
    def _phobs_folio_invoiced(folio):
        return bool(folio.order_id.invoice_ids.filtered(lambda inv: inv.state != "cancel"))

    def _phobs_folio_values(self, binding, primary, room_lines, service_lines):
        channel = binding.channel_id
        guest = primary.partner_id or self._phobs_partner(binding)
        payer = channel.partner_id if channel.payment_collect == "channel" and channel.partner_id \
            else guest
        # Folio dates are the first reservation's: OCA hotel_reservation copies them onto that
        # reservation's room when the folio is written; each line carries its own nights.
        return {
            "phobs_reservation_id": binding.id,
            "reservation_id": primary.id,
            "partner_id": guest.id,
            "partner_invoice_id": payer.id,
            "partner_shipping_id": guest.id,
            "pricelist_id": primary.pricelist_id.id or self._phobs_pricelist(binding, guest).id,
            "warehouse_id": primary.warehouse_id.id,
            # The default sales channel of the folio's (superuser) creation, looked up once per
            # batch rather than per folio.
            "team_id": lookups_of(self.env.context).get(
                ("sales team",), lambda: self.env["crm.team"].sudo()._get_default_team_id().id),
            "company_id": self.company_id.id,
            "date_order": min(fields.Datetime.now(), self._phobs_before(primary.checkin)),
            "checkin_date": primary.checkin,
            "checkout_date": primary.checkout,
            "client_order_ref": binding.channel_booking_id or binding.external_id,
            "note": _("Channel booking %s via %s (Phobs %s).") % (
                binding.channel_booking_id or "-", channel.name or "-", binding.external_id),
            "room_lines": [(0, 0, line) for line in room_lines],
            "service_lines": [(0, 0, line) for line in service_lines],
        }

    @staticmethod
    def _phobs_before(instant):
        """A minute before ``instant``: OCA wants each line's check-in after the order date."""
        return fields.Datetime.to_string(fields.Datetime.from_string(instant)
                                         - timedelta(minutes=1))

    def _phobs_stay_rooms(self, binding, reservations):
        """``{stay: rooms}``: the rooms each stay holds, from its period's reservation lines
        (created in stay order, so stays of one type and period match lines in order)."""
        result = {}
        by_period = {self._phobs_period_of(r): r for r in reservations}
        for (arrival, departure), stays in self._phobs_periods(binding).items():
            reservation = by_period.get((arrival, departure))
            lines = list(reservation.reservation_line.sorted("id")) if reservation else []
            for stay in stays:
                line = next((l for l in lines if l.name == stay.room_type_code), None)
                if line:
                    lines.remove(line)
                result[stay] = line.reserve.sorted("name") if line else self.env["hotel.room"]
        return result

    def _phobs_room_lines(self, binding, reservations):
        """One folio line per room and run of nights at one price."""
        prices = binding_room_prices(binding)
        tz = self._phobs_tz()
        lines = []
        for stay, rooms in self._phobs_stay_rooms(binding, reservations).items():
            for room, nightly in zip(rooms, prices[stay.id]):
                product = room.product_id
                for run in runs(nightly):
                    lines.append({
                        "product_id": product.id,
                        "product_uom": product.uom_id.id,
                        "name": _("%s (%s) %s - %s: %d night(s) x %s") % (
                            room.name, stay.room_type_code, run.first, run.departure, run.nights,
                            run.price),
                        "product_uom_qty": run.nights,
                        "price_unit": float(run.price),
                        "tax_id": [(6, 0, self._phobs_included_taxes(product).ids)],
                        "checkin_date": checkin_instant(run.first, tz),
                        "checkout_date": checkout_instant(run.departure, tz),
                    })
        return lines

    def _phobs_penalty_lines(self, binding):
        if not binding.penalty_amount:
            return []
        product = self.env.ref("hotel_frontdesk_bridge.product_cancellation_penalty")
        return [{"product_id": product.id, "product_uom": product.uom_id.id,
                 "name": _("Cancellation penalty, channel booking %s") % (
                     binding.channel_booking_id or binding.external_id),
                 "product_uom_qty": 1, "price_unit": binding.penalty_amount,
                 "tax_id": [(6, 0, self._phobs_included_taxes(product).ids)]}]

    def _phobs_included_taxes(self, product):
        return product.taxes_id.filtered(
            lambda tax: tax.price_include and tax.company_id == self.company_id)

    def _phobs_folio_difference_activity(self, folio, binding):
        """The folio was invoiced: what the channel booking now says is for staff to settle."""
        new_total = binding.penalty_amount if binding.status == "Cancel" else binding.amount_total
        difference = (new_total or 0.0) - folio.amount_total
        if not folio.currency_id.is_zero(difference):
            order = folio.order_id
            self.env["mail.activity"].sudo().create({
                "res_model_id": self.env["ir.model"]._get_id("sale.order"),
                "res_id": order.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "user_id": order.user_id.id or self.env.uid,
                "summary": _("Channel booking changed after invoicing"),
                "note": _("Channel booking %s (%s) now totals %.2f %s; the invoiced folio %s "
                          "totals %.2f: a difference of %+.2f to credit or invoice.") % (
                    binding.channel_booking_id or "-", binding.status, new_total or 0.0,
                    folio.currency_id.name, folio.name, folio.amount_total, difference),
            })

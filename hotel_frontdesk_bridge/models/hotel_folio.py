from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class HotelFolio(models.Model):
    """A channel booking's folio says who collects the payment and what the channel earns."""

    _inherit = "hotel.folio"

    phobs_reservation_id = fields.Many2one("phobs.reservation", string="Channel Booking",
                                           readonly=True, index=True, copy=False)
    phobs_channel_id = fields.Many2one(related="phobs_reservation_id.channel_id", readonly=True,
                                       string="Channel")
    phobs_payment_collect = fields.Selection(related="phobs_channel_id.payment_collect",
                                             readonly=True, string="Who collects")
    phobs_commission_percent = fields.Float(related="phobs_channel_id.commission_percent",
                                            readonly=True, string="Channel commission (%)")
    phobs_commission_amount = fields.Monetary(
        compute="_compute_phobs_commission", string="Channel commission",
        currency_field="currency_id")

    @api.depends("amount_total", "phobs_commission_percent")
    def _compute_phobs_commission(self):
        for folio in self:
            folio.phobs_commission_amount = folio.currency_id.round(
                folio.amount_total * (folio.phobs_commission_percent or 0.0) / 100.0)

    @api.constrains("room_lines")
    def folio_room_lines(self):
        """OCA refuses a room twice on one folio. A channel booking may have the same room on
        nights at different prices (one line per price) or in two disjoint stays: a room is
        refused twice only for overlapping nights."""
        for folio in self:
            lines = folio.room_lines
            for line in lines:
                for other in lines:
                    if other.id < line.id and other.product_id == line.product_id \
                            and other.checkin_date < line.checkout_date \
                            and line.checkin_date < other.checkout_date:
                        raise ValidationError(_("You Cannot Take Same Room Twice"))

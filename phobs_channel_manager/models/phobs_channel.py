from odoo import api, fields, models

from ..phobs_api import ari
from ..services.monitoring import PhobsMonitoringService
from ..services.monitoring_figures import STATUSES, format_rate
from ..services.money import money_converter

#: What the channel's plans send that a change of each setting may move.
_SYNCED_KINDS = {
    "rate_markup_percent": (ari.RATES,),
    "sync_rates": (ari.RATES,),
    "sync_availability": (ari.RESTRICTIONS,),
    "enabled": (ari.RATES, ari.RESTRICTIONS),
    "active": (ari.RATES, ari.RESTRICTIONS),
}


class PhobsChannel(models.Model):
    """An online travel agency Phobs distributes the hotel to (Booking.com, Expedia, ...).

    ``code`` is what Phobs sends as the booking channel's ``CompanyName/@Code``.
    """

    _name = "phobs.channel"
    _description = "OTA Channel"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=False)
    code = fields.Char(required=True, help="The channel code Phobs uses in reservations.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    enabled = fields.Boolean(
        default=True, help="Disabled channels get no availability or rates from this hotel.")
    commission_percent = fields.Float(digits=(5, 2), string="Commission (%)")
    payment_collect = fields.Selection(
        [("hotel", "Hotel collects from the guest"),
         ("channel", "Channel collects (virtual card / payout)")],
        string="Who collects", default="hotel", required=True,
        help="When the channel collects, the folio of its bookings is invoiced to the channel's "
             "partner.")
    partner_id = fields.Many2one("res.partner", string="Channel partner",
                                 help="The OTA as a partner: invoiced when the channel collects.")
    rate_markup_percent = fields.Float(
        digits=(5, 2), help="Added to the hotel's rates before they are sent for this channel.")
    sync_availability = fields.Boolean(default=True)
    sync_rates = fields.Boolean(default=True)
    color = fields.Integer()
    reservation_count = fields.Integer(compute="_compute_reservation_count")
    status = fields.Selection(
        STATUSES, compute="_compute_traffic",
        help="From the last 7 days of this channel's reservation messages: red when the latest "
             "failed or fewer than 80% went through, amber when some failed or a booking waits "
             "in an open conflict.")
    status_message = fields.Char(compute="_compute_traffic")
    success_rate = fields.Float(compute="_compute_traffic", string="Success rate (%)",
                                digits=(5, 1))
    last_error = fields.Char(compute="_compute_traffic")
    open_conflict_count = fields.Integer(compute="_compute_traffic", string="Open conflicts")
    reservations_today = fields.Integer(compute="_compute_traffic", string="Bookings today")
    reservations_week = fields.Integer(compute="_compute_traffic", string="Bookings 7 days")
    currency_id = fields.Many2one("res.currency", compute="_compute_traffic")
    revenue_today = fields.Monetary(compute="_compute_traffic", string="Revenue today")
    revenue_week = fields.Monetary(compute="_compute_traffic", string="Revenue 7 days")

    _sql_constraints = [
        ("code_unique", "unique(code)", "Each channel code can be used once."),
    ]

    def _compute_reservation_count(self):
        groups = self.env["phobs.reservation"].read_group(
            [("channel_id", "in", self.ids)], ["channel_id"], ["channel_id"])
        counts = {group["channel_id"][0]: group["channel_id_count"] for group in groups}
        for channel in self:
            channel.reservation_count = counts.get(channel.id, 0)

    def _compute_traffic(self):
        figures = PhobsMonitoringService.channel_figures(self.env, [c.id for c in self if c.id])
        # The figures come in the company's currency; staff read them in the property's
        # (the backend's), the currency the dashboard shows.
        company = self.env.user.company_id
        currency = (self.env["phobs.backend"].sudo()._phobs_default_backend().currency_id
                    or company.currency_id)
        convert = money_converter(self.env, currency, company)
        for channel in self:
            data = figures.get(channel.id) or {"status": "none", "health": None,
                                               "open_conflicts": 0, "reservations": {}}
            health = data["health"] or {}
            bookings = data["reservations"]
            channel.status = data["status"]
            channel.success_rate = health.get("success_rate") or 0.0
            channel.last_error = health.get("last_error") or False
            channel.open_conflict_count = data["open_conflicts"]
            channel.reservations_today = bookings.get("today", 0)
            channel.reservations_week = bookings.get("week", 0)
            channel.currency_id = currency
            channel.revenue_today = convert(bookings.get("revenue_today", 0.0),
                                            company.currency_id.id)
            channel.revenue_week = convert(bookings.get("revenue_week", 0.0),
                                           company.currency_id.id)
            channel.status_message = self._status_message(data)

    @staticmethod
    def _status_message(data):
        health = data["health"]
        parts = []
        if health:
            parts.append("%d of %d messages went through in 7 days (%s)" % (
                health["total"] - health["failed"], health["total"],
                format_rate(health["success_rate"])))
            if not health["last_ok"]:
                parts.append("the latest failed")
        else:
            parts.append("No reservation messages in 7 days")
        if data["open_conflicts"]:
            parts.append("%d open conflict(s)" % data["open_conflicts"])
        return "; ".join(parts)

    def write(self, vals):
        """The channel's plans send their prices and restrictions again over the horizon (only
        the days that differ from what Phobs accepted travel), in every backend selling them."""
        kinds = sorted({kind for name in vals for kind in _SYNCED_KINDS.get(name, ())})
        result = super().write(vals)
        if kinds:
            plans = self.env["phobs.rate.plan"].sudo().search([("channel_id", "in", self.ids)])
            plans._phobs_mark_horizon_dirty(kinds=kinds)
        return result

    @api.model
    def _for_code(self, code):
        """The channel a booking names by its code, or nothing. A code we do not know does
        not create a channel (any authenticated sender could otherwise add active channels with
        any name): the booking keeps the code and name as received, managers see them under
        Unknown channels and create the channel from there."""
        code = (code or "").strip()
        if not code:
            return self.browse()
        return self.with_context(active_test=False).search([("code", "=", code)], limit=1)

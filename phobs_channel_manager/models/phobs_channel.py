from odoo import api, fields, models


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
    commission_percent = fields.Float(digits=(5, 2))
    rate_markup_percent = fields.Float(
        digits=(5, 2), help="Added to the hotel's rates before they are sent for this channel.")
    sync_availability = fields.Boolean(default=True)
    sync_rates = fields.Boolean(default=True)
    color = fields.Integer()
    reservation_count = fields.Integer(compute="_compute_reservation_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "Each channel code can be used once."),
    ]

    def _compute_reservation_count(self):
        groups = self.env["phobs.reservation"].read_group(
            [("channel_id", "in", self.ids)], ["channel_id"], ["channel_id"])
        counts = {group["channel_id"][0]: group["channel_id_count"] for group in groups}
        for channel in self:
            channel.reservation_count = counts.get(channel.id, 0)

    @api.model
    def _find_or_create(self, code, name=None):
        """The channel for a code Phobs sent; an unknown OTA is created rather than rejected,
        because refusing a booking that the guest already paid would lose it."""
        if not code and not name:
            return self.browse()
        code = (code or name).strip()
        channel = self.with_context(active_test=False).search([("code", "=", code)], limit=1)
        if not channel:
            channel = self.create({"code": code, "name": name or code, "sequence": 100})
        return channel

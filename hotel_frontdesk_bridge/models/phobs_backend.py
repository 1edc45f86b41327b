from odoo import fields, models

from odoo.addons.phobs_channel_manager.services.batch_lookups import lookups_of


class PhobsBackend(models.Model):
    """The OCA hotel front desk behind the channel manager's PMS hooks.

    The hooks live one concern per file, as connector components would: availability
    (``backend_availability``), placing Phobs bookings at the front desk (``backend_import``),
    their folio (``backend_folio``), guests (``backend_guests``) and front-desk changes uploaded
    to Phobs (``backend_export``). This file holds the settings they share.
    """

    _inherit = "phobs.backend"

    pricelist_id = fields.Many2one(
        "product.pricelist", string="Pricelist for channel bookings",
        help="Used for front-desk reservations created from channel bookings when it is in the "
             "booking's currency; otherwise a pricelist in that currency is found or created.")

    def _phobs_tz(self):
        """The hotel's time zone (its company's), the same for every user of the front desk."""
        # Once per batch of applied bookings: each new guest makes the ORM read the company again.
        return lookups_of(self.env.context).get(
            ("tz", self.id), lambda: self.company_id.partner_id.tz or "UTC")

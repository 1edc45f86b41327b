from odoo import models

from ..phobs_api import ari


class ProductPricelistItem(models.Model):
    """A pricelist rule that changes moves the rates of the Phobs rate plans priced by that
    pricelist, or by a pricelist based on it."""

    _name = "product.pricelist.item"
    _inherit = ["product.pricelist.item", "phobs.dirty.mixin"]

    def _phobs_mark_dirty(self):
        pricelists = self.mapped("pricelist_id")
        if not pricelists:
            return
        Item = self.sudo()
        seen = self.env["product.pricelist"]
        while pricelists - seen:
            seen |= pricelists
            pricelists |= Item.search([("base", "=", "pricelist"),
                                       ("base_pricelist_id", "in", pricelists.ids)]
                                      ).mapped("pricelist_id")
        plans = self.env["phobs.rate.plan"].sudo().search([
            ("price_source", "=", "pricelist"), ("pricelist_id", "in", seen.ids)])
        plans._phobs_mark_horizon_dirty(kinds=(ari.RATES,))

"""The guest of a channel booking as a front-desk partner."""
from odoo import _, models


class PhobsBackendGuests(models.Model):
    _inherit = "phobs.backend"

    def _phobs_partner(self, binding):
        # A guest record needs no chatter, followers or notifications of its own creation.
        Partner = self.env["res.partner"].sudo().with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True)
        partner = Partner.browse()
        if binding.guest_email:
            partner = Partner.search([("email", "=ilike", binding.guest_email)], limit=1)
        if not partner and binding.guest_name:
            partner = Partner.search([("name", "=ilike", binding.guest_name),
                                      ("email", "=", False)], limit=1)
        if not partner:
            country = self.env["res.country"].search(
                [("code", "=", (binding.guest_country_code or "").upper())], limit=1)
            partner = Partner.create({
                "name": binding.guest_name or binding.guest_email or _("Channel guest %s")
                % binding.external_id,
                "email": binding.guest_email or False,
                "phone": binding.guest_phone or False,
                "country_id": country.id or False,
                "customer": True,
            })
        return partner

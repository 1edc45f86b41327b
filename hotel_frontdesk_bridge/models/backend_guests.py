"""The guest of a channel booking as a front-desk partner."""
from odoo import _, models

from odoo.addons.phobs_channel_manager.services.batch_lookups import lookups_of

from .res_partner import COMPANY_DEFAULTS

#: A guest record needs no chatter, followers, avatar or mail of its own creation; applying a
#: backlog of bookings is faster without them too.
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True,
         "mail_notrack": True, "no_reset_password": True}


class PhobsBackendGuests(models.Model):
    _inherit = "phobs.backend"

    def _phobs_partner(self, binding):
        """An existing guest with exactly this email (case aside), else a new guest.

        Only an exact email identifies a person: no pattern (a ``%`` or ``_`` in an email is a
        character, not a wildcard), no name, and never the partner of an internal user, whose
        record must not collect strangers' bookings.
        """
        Partner = self.env["res.partner"].sudo().with_context(**QUIET)
        partner = self._phobs_partner_by_email(binding.guest_email)
        if partner:
            return Partner.browse(partner.id)
        lookups = lookups_of(self.env.context)
        country = lookups.get(("country", (binding.guest_country_code or "").upper()),
                              lambda: self._phobs_country(binding.guest_country_code))
        # Odoo renders a default avatar for every new partner unless in install mode, which on
        # res.partner.create changes nothing else (see base/res/res_partner.py); the company's
        # defaults need no lookup (res_partner.py here).
        guest = Partner.with_context(install_mode=True, **{COMPANY_DEFAULTS: True}).create({
            "name": binding.guest_name or binding.guest_email
            or _("Channel guest %s") % binding.external_id,
            "email": binding.guest_email or False,
            "phone": binding.guest_phone or False,
            "street": binding.guest_street or False,
            "city": binding.guest_city or False,
            "zip": binding.guest_zip or False,
            "country_id": country.id or False,
            "company_id": self.company_id.id,
            "customer": True,
        })
        lookups.get(("new guest", guest.id), lambda: True)  # no pricelist of its own
        return Partner.browse(guest.id)

    def _phobs_country(self, code):
        # Country codes are unique: no need for the ordered (by translated name) search.
        self.env.cr.execute("SELECT id FROM res_country WHERE code = %s", ((code or "").upper(),))
        row = self.env.cr.fetchone()
        return self.env["res.country"].browse(row[0] if row else [])

    def _phobs_partner_by_email(self, email):
        email = (email or "").strip().lower()
        if not email:
            return self.env["res.partner"].browse()
        self.env.cr.execute("""
            SELECT p.id FROM res_partner p
             WHERE lower(p.email) = %s AND p.active
               AND NOT EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = p.id AND u.share IS NOT TRUE)
               AND (p.company_id IS NULL OR p.company_id = %s)
             ORDER BY p.id LIMIT 1""", (email, self.company_id.id))
        row = self.env.cr.fetchone()
        return self.env["res.partner"].browse(row[0] if row else [])

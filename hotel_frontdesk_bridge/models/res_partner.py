"""Channel guests: found by email through an index, created without looking up defaults that
would store nothing."""
from odoo import models

#: Context key under which a new partner keeps the company's defaults of its company-dependent
#: fields by holding no property of its own.
COMPANY_DEFAULTS = "phobs_company_defaults"


class ResPartner(models.Model):
    _inherit = "res.partner"

    def init(self):
        # Every channel booking looks its guest up by email, case aside (backend_guests.py):
        # without this index each lookup reads the whole partner table.
        self.env.cr.execute("CREATE INDEX IF NOT EXISTS res_partner_phobs_lower_email_index "
                            "ON res_partner (lower(email))")

    def _add_missing_default_values(self, values):
        """Under ``phobs_company_defaults`` the company-dependent fields (receivable and payable
        accounts, pricelist, payment terms, stock locations, ...) are left out of the new
        partner's values unless the context or a user default (ir.default) sets them.

        Their default is the company's own property, and writing a company default stores no
        property (ir.property.set_multi), while reading a partner without one gives the company
        default: the partner reads exactly as before. Odoo would otherwise look each default up
        and then write it back as nothing, some 55 queries per guest.
        """
        if not self.env.context.get(COMPANY_DEFAULTS):
            return super()._add_missing_default_values(values)
        user_defaults = self.env["ir.default"].get_model_defaults(self._name)
        skipped = [name for name, field in self._fields.items()
                   if field.company_dependent and name not in values
                   and "default_" + name not in self.env.context and name not in user_defaults]
        values = super()._add_missing_default_values(dict(values, **dict.fromkeys(skipped)))
        for name in skipped:
            del values[name]
        return values

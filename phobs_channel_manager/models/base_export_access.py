"""Export obeys record rules, for every model.

Odoo 11's ``export_data`` reads the given ids without checking record rules: stored fields of a
forbidden record fail, but non-stored computed and related fields are computed anyway. So a user
of one company could export, by id, what the channel manager adds to another company's
front-desk reservation (the channel booking number, say) although ``read`` refuses it. The check
costs one query and changes nothing for exports of records the user can see, which are all the
web client ever asks for.
"""
from odoo import models


class Base(models.AbstractModel):
    _inherit = "base"

    def export_data(self, fields_to_export, raw_data=False):
        self.check_access_rights("read")
        self.check_access_rule("read")
        return super().export_data(fields_to_export, raw_data=raw_data)

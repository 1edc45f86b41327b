from odoo import fields, models


class PhobsBackend(models.Model):
    """One Phobs property (hotel) this database is connected to."""

    _name = "phobs.backend"
    _description = "Phobs Backend"
    _order = "name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id)
    hotel_code = fields.Char(
        required=True, help="The property code Phobs assigned to this hotel (HotelCode).")
    environment = fields.Selection(
        [("demo", "Demo (local sandbox)"), ("production", "Production")],
        required=True, default="demo")
    base_url = fields.Char(
        string="Base URL", required=True, default="http://127.0.0.1:8099",
        help="Root of the Phobs PMS interface for the chosen environment.")

    _sql_constraints = [
        ("hotel_code_company_unique", "unique(hotel_code, company_id)",
         "A hotel code can be connected only once per company."),
    ]

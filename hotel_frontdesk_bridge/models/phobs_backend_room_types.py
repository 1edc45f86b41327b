"""``phobs.backend``: its front-desk room types, mapped in place on the backend form.

The *Room types* tab lists the hotel's types this Phobs property sells with their codes, editable
there, and what Phobs did with each code; *Add room types* links types not yet sold.
"""
from odoo import api, fields, models

HOTEL_USER = "hotel.group_hotel_user"


class PhobsBackend(models.Model):
    _inherit = "phobs.backend"

    # Front-desk records: shown to those who may read the hotel's room types.
    phobs_room_type_ids = fields.One2many(
        "hotel.room.type", "phobs_backend_id", string="Room types", groups=HOTEL_USER,
        help="The front-desk room types this property sells, with the code Phobs knows each by.")
    phobs_room_type_add_ids = fields.Many2many(
        "hotel.room.type", string="Add room types", groups=HOTEL_USER,
        compute="_compute_phobs_room_type_add_ids",
        inverse="_inverse_phobs_room_type_add_ids",
        help="Front-desk room types to sell through this property; give each its Phobs code "
             "in the list.")

    def _compute_phobs_room_type_add_ids(self):
        for backend in self:
            backend.phobs_room_type_add_ids = False

    def _inverse_phobs_room_type_add_ids(self):
        for backend in self:
            backend.phobs_room_type_add_ids.write({"phobs_backend_id": backend.id})


class HotelRoomType(models.Model):
    _inherit = "hotel.room.type"

    phobs_mapping_state = fields.Selection(
        [("accepted", "Accepted by Phobs"), ("refused", "Refused by Phobs"),
         ("unsent", "Not sent yet"), ("unmapped", "No code")],
        string="At Phobs", compute="_compute_phobs_mapping")
    phobs_mapping_message = fields.Char(string="What Phobs said",
                                        compute="_compute_phobs_mapping")

    @api.depends("phobs_code", "phobs_backend_id")
    def _compute_phobs_mapping(self):
        verdicts = {backend: backend._phobs_mapping_verdicts()
                    for backend in self.sudo().mapped("phobs_backend_id")}
        for room_type in self:
            backend = room_type.sudo().phobs_backend_id
            state, words = verdicts.get(backend, {}).get(
                room_type.phobs_code, ("unmapped", False)) if room_type.phobs_code else (
                "unmapped", False)
            room_type.phobs_mapping_state = state
            room_type.phobs_mapping_message = words

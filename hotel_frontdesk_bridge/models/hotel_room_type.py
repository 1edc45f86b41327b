from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

ALL_KINDS = ("availability", "restrictions", "rates")


class HotelRoomType(models.Model):
    """A front-desk room type as one Phobs property knows it (its InvTypeCode there).

    Codes are scoped per property: two hotels of one database may both call a type "DBL".
    """

    _inherit = "hotel.room.type"

    # restrict: deleting a property must not leave types with codes that no property owns;
    # a property that is given up is archived, or its types are moved first.
    phobs_backend_id = fields.Many2one(
        "phobs.backend", string="Phobs Property", index=True, ondelete="restrict",
        default=lambda self: self._default_phobs_backend_id(),
        help="The Phobs property (backend) that sells this type under its code.")
    phobs_code = fields.Char(
        string="Phobs Room Type Code", copy=False,
        help="The room type code (InvTypeCode) of this type in its Phobs property. Types "
             "without a code are not distributed.")

    _sql_constraints = [
        ("phobs_code_unique", "unique(phobs_backend_id, phobs_code)",
         "Each Phobs room type code maps to one type per Phobs property."),
    ]

    @api.model
    def _default_phobs_backend_id(self):
        """The only active backend of the user's company, so one hotel needs no extra click."""
        backends = self.env["phobs.backend"].sudo().search(
            [("company_id", "=", self.env.user.company_id.id)], limit=2)
        return backends.id if len(backends) == 1 else False

    @api.constrains("phobs_code", "phobs_backend_id")
    def _check_phobs_backend(self):
        for room_type in self.sudo():
            if room_type.phobs_code and not room_type.phobs_backend_id:
                raise ValidationError(_("Room type %s has a Phobs code: choose the Phobs "
                                        "property it belongs to.") % room_type.name)

    @api.model
    def create(self, vals):
        room_type = super().create(vals)
        if room_type.phobs_code:
            room_type._phobs_mark_horizon_dirty(kinds=ALL_KINDS)
        return room_type

    def write(self, vals):
        mapping = {"phobs_code", "phobs_backend_id"} & set(vals)
        before = self._phobs_codes_by_backend() if mapping else None
        result = super().write(vals)
        if mapping:
            self._phobs_mark_horizon_dirty(extra=before, kinds=ALL_KINDS)
        return result

    def _phobs_codes_by_backend(self):
        """``{backend: {codes}}`` of these types that an active Phobs property sells."""
        result = defaultdict(set)
        for room_type in self.sudo():
            backend = room_type.phobs_backend_id
            if room_type.phobs_code and backend.active:
                result[backend].add(room_type.phobs_code)
        return result

    def _phobs_mark_horizon_dirty(self, extra=None, kinds=("availability",)):
        """A type's whole horizon may change when its rooms or its mapping change; a new
        mapping also needs the type's rates and restrictions. Only the property owning the type
        (and, through ``extra``, the one that owned it before) is marked."""
        by_backend = self._phobs_codes_by_backend()
        for backend, codes in (extra or {}).items():
            by_backend[backend] |= codes
        for backend, codes in by_backend.items():
            first, last = backend._phobs_horizon()
            for kind in kinds:
                backend._phobs_mark_dirty(kind, sorted(codes), first, last)

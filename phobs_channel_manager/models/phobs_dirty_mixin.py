from odoo import api, models


class PhobsDirtyMixin(models.AbstractModel):
    """A record whose every change may move what Phobs sells (prices, restrictions, rules).

    Marks the outbox before a write or unlink (what the record covered) and after a create or
    write (what it covers now), in the same transaction as the change.
    """

    _name = "phobs.dirty.mixin"
    _description = "Marks the Phobs outbox on every change"

    @api.model
    def create(self, vals):
        record = super().create(vals)
        record._phobs_mark_dirty()
        return record

    def write(self, vals):
        self._phobs_mark_dirty()
        result = super().write(vals)
        self._phobs_mark_dirty()
        return result

    def unlink(self):
        self._phobs_mark_dirty()
        return super().unlink()

    def _phobs_mark_dirty(self):
        raise NotImplementedError("%s must say which outbox rows its changes mark" % self._name)

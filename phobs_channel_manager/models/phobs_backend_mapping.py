"""``phobs.backend``: is the room type mapping right? What Phobs said about each code.

Phobs offers no list of a property's room types to check against, so a code is judged by what
Phobs did with it: availability accepted (the code is known), or refused as a mapping error
(a dead letter naming the code). Test connection and the *Room types* tab say so in words.
"""
from odoo import _, models

from ..phobs_api.ota_codes import explain


class PhobsBackendMapping(models.Model):
    _inherit = "phobs.backend"

    def _phobs_codes_for(self, kind, rate_plan_code=False):
        """Room type codes this backend sends today for ``kind`` (and the plan, if given)."""
        self.ensure_one()
        if kind == "availability":
            return list(self._phobs_room_type_codes())
        domain = [("backend_id", "=", self.id)]
        if rate_plan_code:
            domain.append(("code", "=", rate_plan_code))
        plans = self.env["phobs.rate.plan"].sudo().search(domain)
        return sorted({code for plan in plans for code in plan._room_type_code_list()})

    def _phobs_mapping_verdicts(self):
        """``{code: (state, words)}`` for every mapped room type code; state is ``accepted``,
        ``refused`` or ``unsent``."""
        self.ensure_one()
        codes = self._phobs_room_type_codes()
        if not codes:
            return {}
        refused = {}
        for row in self.env["phobs.outbox"].sudo().search([
                ("backend_id", "=", self.id), ("state", "=", "dead"),
                ("kind", "=", "availability"), ("error_kind", "=", "mapping"),
                ("room_type_code", "in", list(codes))], order="id desc"):
            refused.setdefault(row.room_type_code, row.last_error)
        self.env.cr.execute("""
            SELECT DISTINCT room_type_code FROM phobs_ari_state
             WHERE backend_id = %s AND kind = 'availability' AND room_type_code IN %s
        """, (self.id, tuple(codes)))
        accepted = {code for code, in self.env.cr.fetchall()}
        verdicts = {}
        for code in codes:
            if code in refused:
                reason = explain(error=refused[code]) or refused[code]
                verdicts[code] = ("refused", _(
                    "Phobs refused room type code %s: %s Correct the code to the one Phobs "
                    "gave for this room type, then replay its dead letters.") % (code, reason))
            elif code in accepted:
                verdicts[code] = ("accepted", _("Accepted by Phobs"))
            else:
                verdicts[code] = ("unsent", _("Not sent yet"))
        return verdicts

    def _phobs_mapping_problems(self):
        """One line per refused room type code, for Test connection's result."""
        return [words for state, words in self._phobs_mapping_verdicts().values()
                if state == "refused"]

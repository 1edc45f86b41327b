from dataclasses import asdict, replace

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..phobs_api import ari
from ..phobs_api.ari import OPEN, Restriction, overlay
from ..phobs_api.dates import clip, days_between
from ..phobs_api.ranges import collapse


class PhobsRestriction(models.Model):
    """Restrictions of one room type in one rate plan over a date range (both inclusive).

    Ranges of the same room type and rate plan never overlap, so each day has one value; days
    no record covers are open (no minimum or maximum stay, open to arrival, departure and
    sale). Every change marks the days dirty in the same transaction. Bulk edits go through
    :meth:`_phobs_apply` (the wizard), which splits and merges ranges as needed.
    """

    _name = "phobs.restriction"
    _inherit = ["phobs.plan.range.mixin", "phobs.dirty.mixin"]
    _description = "Phobs Restriction"
    _order = "rate_plan_id, room_type_code, date_from"

    min_los = fields.Integer(string="Minimum stay (nights)", default=1,
                             help="Nights; 1: no minimum.")
    max_los = fields.Integer(string="Maximum stay (nights)", default=0,
                             help="Nights; leave 0 for no maximum.")
    min_stay_label = fields.Char(string="Min. stay", compute="_compute_stay_labels")
    max_stay_label = fields.Char(string="Max. stay", compute="_compute_stay_labels")
    closed_to_arrival = fields.Boolean()
    closed_to_departure = fields.Boolean()
    stop_sell = fields.Boolean(help="Not sold at all on these days.")
    summary = fields.Char(compute="_compute_summary")

    _sql_constraints = [
        ("dates_ordered", "CHECK(date_from <= date_to)", "A restriction ends after it starts."),
        ("min_los_positive", "CHECK(min_los >= 1)", "The minimum stay is at least one night."),
        ("max_los_valid", "CHECK(max_los = 0 OR max_los >= min_los)",
         "The maximum stay is 0 (none) or at least the minimum stay."),
    ]

    @api.depends("min_los", "max_los", "closed_to_arrival", "closed_to_departure", "stop_sell")
    def _compute_summary(self):
        for restriction in self:
            restriction.summary = restriction._phobs_value().describe()

    @api.depends("min_los", "max_los")
    def _compute_stay_labels(self):
        """Lists read "no minimum"/"no maximum" rather than a 1 or 0 that looks like a limit."""
        for restriction in self:
            restriction.min_stay_label = (_("%d nights") % restriction.min_los
                                          if restriction.min_los > 1 else _("no minimum"))
            restriction.max_stay_label = (_("%d nights") % restriction.max_los
                                          if restriction.max_los else _("no maximum"))

    @api.constrains("room_type_code", "rate_plan_id")
    def _check_room_type_code(self):
        for restriction in self:
            if restriction.room_type_code not in restriction.rate_plan_id._room_type_code_list():
                raise ValidationError(_("Rate plan %s does not sell room type %s.") % (
                    restriction.rate_plan_id.code, restriction.room_type_code))

    @api.constrains("rate_plan_id", "room_type_code", "date_from", "date_to")
    def _check_no_overlap(self):
        self.env.cr.execute("""
            SELECT a.id FROM phobs_restriction a
              JOIN phobs_restriction b
                ON a.rate_plan_id = b.rate_plan_id AND a.room_type_code = b.room_type_code
               AND a.id <> b.id AND a.date_from <= b.date_to AND b.date_from <= a.date_to
             WHERE a.id IN %s LIMIT 1
        """, (tuple(self.ids),))
        if self.env.cr.fetchone():
            raise ValidationError(_("Restrictions of the same room type and rate plan cannot "
                                    "overlap: edit the existing range or use Edit in bulk."))

    # business methods -------------------------------------------------------------------

    def _phobs_value(self):
        self.ensure_one()
        return Restriction(min_los=max(1, self.min_los), max_los=max(0, self.max_los),
                           closed_to_arrival=self.closed_to_arrival,
                           closed_to_departure=self.closed_to_departure,
                           stop_sell=self.stop_sell)

    def _phobs_mark_dirty(self):
        if self.env.context.get("phobs_restriction_bulk"):
            return
        for restriction in self:
            restriction.backend_id._phobs_mark_dirty(
                ari.RESTRICTIONS, [restriction.room_type_code], restriction.date_from,
                restriction.date_to, rate_plan_code=restriction.rate_plan_id.code)

    @api.model
    def _phobs_values(self, plan, codes, date_from, date_to):
        """``{(room_type_code, plan code, day): encoded restriction or None}`` for the codes
        the plan sells; a disabled channel's plan is stopped on every day."""
        codes = [code for code in codes if code in plan._room_type_code_list()]
        if not codes or not plan._phobs_sends(ari.RESTRICTIONS):
            return {}
        stopped = bool(plan.channel_id) and not plan.channel_id.enabled
        per_day = {}
        for restriction in self.sudo().search([
                ("rate_plan_id", "=", plan.id), ("room_type_code", "in", codes),
                ("date_from", "<=", fields.Date.to_string(date_to)),
                ("date_to", ">=", fields.Date.to_string(date_from))]):
            value = restriction._phobs_value()
            for day in days_between(*clip(fields.Date.from_string(restriction.date_from),
                                          fields.Date.from_string(restriction.date_to),
                                          date_from, date_to)):
                per_day[(restriction.room_type_code, day)] = value
        plan_code, days = plan.code, list(days_between(date_from, date_to))
        encoded = {}  # a plan has a few distinct restrictions over a year: each encoded once
        values = {}
        for code in codes:
            for day in days:
                value = per_day.get((code, day), OPEN)
                if value not in encoded:
                    sent = replace(value, stop_sell=True) if stopped else value
                    encoded[value] = sent.encode()
                values[(code, plan_code, day)] = encoded[value]
        return values

    @api.model
    def _phobs_apply(self, plans, codes, days, changes):
        """Bulk edit: ``changes`` (restriction fields -> value) on ``days`` for each plan and
        each of ``codes`` it sells (every code it sells when ``codes`` is empty).

        The other fields of a day keep their value. The affected ranges are rewritten as the
        fewest non-overlapping records, open days dropped, and the days marked dirty once.
        Runs with the caller's rights: only Channel Manager / Managers may edit restrictions.
        """
        days = sorted(set(days))
        if not days or not changes:
            return 0
        first, last = days[0], days[-1]
        bulk = self.with_context(phobs_restriction_bulk=True)
        touched = 0
        for plan in plans:
            sold = plan._room_type_code_list()
            for code in [c for c in (codes or sold) if c in sold]:
                existing = bulk.search([
                    ("rate_plan_id", "=", plan.id), ("room_type_code", "=", code),
                    ("date_from", "<=", fields.Date.to_string(last)),
                    ("date_to", ">=", fields.Date.to_string(first))])
                per_day = {}
                for restriction in existing:
                    for day in days_between(fields.Date.from_string(restriction.date_from),
                                            fields.Date.from_string(restriction.date_to)):
                        per_day[day] = restriction._phobs_value()
                per_day = overlay(per_day, days, changes)
                span = sorted(per_day)
                existing.unlink()
                for run in collapse({day: value for day, value in per_day.items()
                                     if value != OPEN}):
                    bulk.create(dict(asdict(run.value), rate_plan_id=plan.id, room_type_code=code,
                                     date_from=fields.Date.to_string(run.start),
                                     date_to=fields.Date.to_string(run.end)))
                plan.backend_id._phobs_mark_dirty(ari.RESTRICTIONS, [code], span[0], span[-1],
                                                  rate_plan_code=plan.code)
                touched += 1
        return touched

import re
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..phobs_api import ari
from ..phobs_api.ari import apply_markup, encode_rate
from ..phobs_api.dates import clip, days_between

_CODE_SPLIT = re.compile(r"[\s,;]+")


def split_codes(text):
    """Room type codes as staff type them (separated by spaces, commas or semicolons): sorted,
    each once."""
    return sorted({code for code in _CODE_SPLIT.split(text or "") if code})
#: Changing one of these may change every price or restriction the plan sends.
_SYNCED_FIELDS = {"code", "backend_id", "room_type_codes", "currency_id", "price_source",
                  "pricelist_id", "channel_id", "active"}


class PhobsRatePlan(models.Model):
    """A rate plan as Phobs knows it (its RatePlanCode): the room types it sells and where its
    nightly prices come from.

    Prices come from an Odoo pricelist (the price of the room type's room product on each day)
    or from explicit prices per room type and date range (:class:`PhobsRatePrice`). A plan tied
    to one OTA channel gets that channel's rate markup added to its prices, and follows the
    channel's switches: no rates when its rate sync is off or the channel is disabled, no
    restrictions when its availability sync is off, and a stop-sell while it is disabled.
    """

    _name = "phobs.rate.plan"
    _description = "Phobs Rate Plan"
    _order = "backend_id, sequence, code"

    name = fields.Char(required=True)
    code = fields.Char(required=True, help="The rate plan code in Phobs (RatePlanCode).")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    backend_id = fields.Many2one("phobs.backend", required=True, ondelete="cascade", index=True)
    room_type_codes = fields.Char(
        string="Room Type Codes",
        help="The Phobs room type codes (InvTypeCode) this plan sells, separated by commas.")
    currency_id = fields.Many2one(
        "res.currency", required=True,
        default=lambda self: self.env.user.company_id.currency_id)
    price_source = fields.Selection(
        [("pricelist", "Odoo pricelist"), ("fixed", "Prices per date range")],
        required=True, default="fixed",
        help="Odoo pricelist: each night costs the pricelist's price of the room type's room "
             "product on that day (the cheapest room of the type). Prices per date range: the "
             "prices entered below; a later entry overrides an earlier one on the days both "
             "cover, and nights without a price are not sent.")
    pricelist_id = fields.Many2one("product.pricelist")
    price_ids = fields.One2many("phobs.rate.price", "rate_plan_id", string="Prices")
    channel_id = fields.Many2one(
        "phobs.channel", string="Channel",
        help="Set when Phobs sells this plan on one OTA channel only: the channel's rate markup "
             "is added to the prices sent, and the channel's switches apply.")
    restriction_count = fields.Integer(compute="_compute_restriction_count")

    _sql_constraints = [
        ("code_backend_unique", "unique(backend_id, code)",
         "A rate plan code can be used once per backend."),
    ]

    def _compute_restriction_count(self):
        groups = self.env["phobs.restriction"].read_group(
            [("rate_plan_id", "in", self.ids)], ["rate_plan_id"], ["rate_plan_id"])
        counts = {group["rate_plan_id"][0]: group["rate_plan_id_count"] for group in groups}
        for plan in self:
            plan.restriction_count = counts.get(plan.id, 0)

    @api.onchange("pricelist_id")
    def _onchange_pricelist_id(self):
        if self.pricelist_id:
            self.currency_id = self.pricelist_id.currency_id

    @api.constrains("price_source", "pricelist_id", "currency_id")
    def _check_pricelist(self):
        for plan in self:
            if plan.price_source != "pricelist":
                continue
            if not plan.pricelist_id:
                raise ValidationError(_("Rate plan %s takes its prices from a pricelist: choose "
                                        "one.") % plan.code)
            if plan.pricelist_id.currency_id != plan.currency_id:
                raise ValidationError(_("Rate plan %s must use the currency of its pricelist "
                                        "(%s).") % (plan.code, plan.pricelist_id.currency_id.name))

    @api.constrains("room_type_codes")
    def _check_room_type_codes(self):
        for plan in self:
            if any(len(code) > 32 for code in plan._room_type_code_list()):
                raise ValidationError(_("A room type code has at most 32 characters."))

    @api.model
    def create(self, vals):
        plan = super().create(vals)
        plan._phobs_mark_horizon_dirty()
        return plan

    def write(self, vals):
        before = {plan.id: plan._room_type_code_list() for plan in self}
        result = super().write(vals)
        changed = self.filtered(lambda plan: _SYNCED_FIELDS & set(vals)
                                or plan._room_type_code_list() != before[plan.id])
        changed._phobs_mark_horizon_dirty()
        return result

    def action_view_restrictions(self):
        self.ensure_one()
        action = self.env.ref("phobs_channel_manager.phobs_restriction_action").read()[0]
        action["domain"] = [("rate_plan_id", "=", self.id)]
        action["context"] = {"default_rate_plan_id": self.id}
        return action

    # business methods -------------------------------------------------------------------

    def _room_type_code_list(self):
        self.ensure_one()
        return split_codes(self.room_type_codes)

    def _phobs_mark_horizon_dirty(self, kinds=(ari.RATES, ari.RESTRICTIONS)):
        """Everything this plan sends over the backend's horizon may have changed."""
        for plan in self.filtered("active"):
            backend = plan.backend_id
            first, last = backend._phobs_horizon()
            for kind in kinds:
                backend._phobs_mark_dirty(kind, plan._room_type_code_list(), first, last,
                                          rate_plan_code=plan.code)

    def _phobs_sends(self, kind):
        """Whether this plan's ``kind`` (rates or restrictions) goes to Phobs at all."""
        self.ensure_one()
        channel = self.channel_id
        if not self.active:
            return False
        if not channel:
            return True
        if kind == ari.RATES:
            return channel.enabled and channel.sync_rates
        return channel.sync_availability or not channel.enabled

    def _phobs_rate_values(self, codes, date_from, date_to):
        """``{(room_type_code, plan code, day): "amount CUR" or None}`` for the codes this plan
        sells: the base price plus the channel's markup, rounded to the currency."""
        self.ensure_one()
        codes = [code for code in codes if code in self._room_type_code_list()]
        if not codes or not self._phobs_sends(ari.RATES):
            return {}
        base = self._phobs_base_prices(codes, date_from, date_to)
        places = self.currency_id.decimal_places
        markup = self.channel_id.rate_markup_percent if self.channel_id else 0
        currency, plan_code = self.currency_id.name, self.code
        days = list(days_between(date_from, date_to))
        # A plan has a few distinct prices over a year: each is marked up and encoded once.
        encoded = {None: None}
        values = {}
        for code in codes:
            for day in days:
                price = base.get((code, day))
                if price not in encoded:
                    encoded[price] = encode_rate(apply_markup(price, markup, places), currency)
                values[(code, plan_code, day)] = encoded[price]
        return values

    def _phobs_base_prices(self, codes, date_from, date_to):
        """``{(room_type_code, day): Decimal}`` before any markup; days without a price absent."""
        if self.price_source == "pricelist":
            return self._phobs_pricelist_prices(codes, date_from, date_to)
        prices = {}
        entries = self.env["phobs.rate.price"].sudo().search([
            ("rate_plan_id", "=", self.id), ("room_type_code", "in", codes),
            ("date_from", "<=", fields.Date.to_string(date_to)),
            ("date_to", ">=", fields.Date.to_string(date_from))], order="id")
        for entry in entries:
            amount = Decimal(str(entry.amount))
            for day in days_between(*clip(fields.Date.from_string(entry.date_from),
                                          fields.Date.from_string(entry.date_to),
                                          date_from, date_to)):
                prices[(entry.room_type_code, day)] = amount
        return prices

    def _phobs_pricelist_prices(self, codes, date_from, date_to):
        """The pricelist's price of the cheapest room product of each type, day by day.

        Odoo prices a day through the pricelist rules valid on it, so days whose valid rules
        are the same get the same prices: each such set of rules is computed once (a 365-day
        horizon costs a few computations, not 365), unless a currency conversion, whose rate
        changes by the day, takes part.
        """
        products = self.backend_id._phobs_room_type_products(codes)
        every = self.env["product.product"].sudo().browse(
            sorted({product.id for found in products.values() for product in found}))
        if not every:
            return {}
        pricelist = self.pricelist_id.sudo()
        rules_of_day = self._phobs_pricelist_rules_of_day(pricelist, every)
        computed = {}
        prices = {}
        for day in days_between(date_from, date_to):
            stamp = fields.Date.to_string(day)
            key = rules_of_day(stamp)
            if key not in computed:
                # Odoo 11 reads the date of a pricelist based on another one from the context.
                computed[key] = pricelist.with_context(date=stamp)._compute_price_rule(
                    [(product, 1.0, False) for product in every], date=stamp)
            found = computed[key]
            for code, room_products in products.items():
                amounts = [found[product.id][0] for product in room_products
                           if found.get(product.id) and found[product.id][0] is not False]
                if amounts:
                    prices[(code, day)] = max(Decimal(0), Decimal(str(min(amounts))))
        return prices

    @staticmethod
    def _phobs_pricelist_rules_of_day(pricelist, products):
        """A function giving, for a day, what its prices depend on: the ids of the rules valid
        that day in the pricelist and the pricelists it is based on; the day itself when
        currencies are converted."""
        chain = pricelist
        todo = pricelist
        while todo:
            based_on = todo.mapped("item_ids").filtered(
                lambda item: item.base == "pricelist").mapped("base_pricelist_id") - chain
            chain |= based_on
            todo = based_on
        if len(chain.mapped("currency_id") | products.mapped("currency_id")) > 1:
            return lambda stamp: stamp
        rules = [(item.id, item.date_start or "", item.date_end or "")
                 for item in chain.mapped("item_ids")]
        return lambda stamp: frozenset(
            rule for rule, start, end in rules
            if (not start or start <= stamp) and (not end or end >= stamp))

from datetime import date
from decimal import Decimal

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

from ..phobs_api import ari
from ..phobs_api import ari_grid
from ..phobs_api.ari_grid import PriceEntry
from ..phobs_api.dates import clip, days_between

MANAGER = "phobs_channel_manager.group_phobs_manager"
#: How far a bulk edit may reach at once, as the restriction wizard allows.
MAX_EDIT_DAYS = 1100


class PhobsAriGrid(models.AbstractModel):
    """The server side of the Rates & Availability grid (the ``phobs_ari_grid`` client action).

    :meth:`read_window` answers one window in one call: per property its room types, their
    free and sold rooms, and per rate plan the price Phobs is sent, the restrictions, and
    whether Phobs has accepted them. :meth:`write_cells` and :meth:`bulk_edit` change prices
    through ``phobs.rate.price`` and restrictions through ``phobs.restriction``, whose changes
    mark the outbox in the same transaction; nothing here talks to Phobs.
    """

    _name = "phobs.ari.grid"
    _description = "Rates and Availability Grid"

    # -- reading ---------------------------------------------------------------------------

    @api.model
    def read_window(self, date_from=None, size=31):
        """Everything the grid shows for ``size`` days from ``date_from`` (default today)."""
        today = fields.Date.from_string(fields.Date.context_today(self))
        first = fields.Date.from_string(date_from) if date_from else today
        try:
            days = ari_grid.window_days(first, int(size))
        except ValueError as err:
            raise UserError(str(err)) from err
        backends = self.env["phobs.backend"].search([])
        return {
            "days": [fields.Date.to_string(day) for day in days],
            "today": fields.Date.to_string(today),
            "size": len(days),
            "sizes": list(ari_grid.WINDOW_SIZES),
            "can_edit": self._phobs_grid_is_manager(),
            "backends": [self._read_backend(backend, days) for backend in backends],
        }

    def _read_backend(self, backend, days):
        first, last = days[0], days[-1]
        plans = self.env["phobs.rate.plan"].search(
            [("backend_id", "=", backend.id), ("active", "=", True)])
        # Plain values read once: the per-day loops below run thousands of times.
        headers = [self._plan_header(plan) for plan in plans]
        codes = sorted(set(backend._phobs_room_type_codes())
                       | {code for header in headers for code in header["sells"]})
        summary = backend._phobs_room_type_summary(codes)
        horizon = backend._phobs_horizon()
        context = {"days": days, "trouble": self._outbox_trouble(backend, first, last),
                   "sent_days": {day for day in days if horizon[0] <= day <= horizon[1]},
                   "accepted": self._accepted(backend, first, last),
                   "stored": self._stored_restrictions(plans, codes, first, last)}
        free = self._free_rooms(backend, codes, first, last)
        values = {plan.id: self._plan_values(plan, header, first, last)
                  for plan, header in zip(plans, headers)}
        room_types = []
        for code in codes:
            info = summary.get(code) or {}
            rooms = info.get("rooms")
            room_types.append({
                "code": code,
                "name": info.get("name") or code,
                "rooms": rooms,
                "availability": [self._availability_cell(code, day, free, rooms, context)
                                 for day in days],
                "plans": [self._plan_row(header, code, values[header["id"]], context)
                          for header in headers if code in header["sells"]],
            })
        return {"id": backend.id, "name": backend.name, "hotel_code": backend.hotel_code,
                "currency": backend.currency_id.name, "room_types": room_types,
                "horizon": [fields.Date.to_string(day) for day in horizon],
                "available": free is not None}

    def _plan_header(self, plan):
        return {"id": plan.id, "code": plan.code, "name": plan.name,
                "currency": plan.currency_id.name,
                "price_source": plan.price_source,
                "pricelist": plan.pricelist_id.display_name if plan.pricelist_id else None,
                "markup": plan.channel_id.rate_markup_percent if plan.channel_id else 0,
                "sends_rates": plan._phobs_sends("rates"),
                "sends_restrictions": plan._phobs_sends("restrictions"),
                "sells": set(plan._room_type_code_list())}

    def _availability_cell(self, code, day, free, rooms, context):
        if free is None or code not in free:
            return {"free": None, "sold": None, "state": None}
        count = free[code].get(day, 0)
        state = None
        if day in context["sent_days"]:
            state = ari_grid.cell_state(
                ari.encode_availability(count),
                context["accepted"].get((ari.AVAILABILITY, code, "", day)),
                ari_grid.trouble_at(context["trouble"], ari.AVAILABILITY, code, "", day))
        return {"free": count, "sold": None if rooms is None else max(0, rooms - count),
                "state": state}

    def _plan_row(self, header, code, values, context):
        plan_code, accepted, trouble = header["code"], context["accepted"], context["trouble"]
        cells = []
        for day in context["days"]:
            restriction = context["stored"].get((header["id"], code, day), ari.OPEN)
            base = values["base"].get((code, day))
            sent = values["rates"].get((code, plan_code, day))
            sent_restriction = values["restrictions"].get((code, plan_code, day))
            state = None
            if day in context["sent_days"]:
                state = ari_grid.worst(ari_grid.cell_state(
                    computed, accepted.get((kind, code, plan_code, day)),
                    ari_grid.trouble_at(trouble, kind, code, plan_code, day))
                    for kind, computed in ((ari.RATES, sent), (ari.RESTRICTIONS, sent_restriction)))
            shown = ari.decode_rate(sent)[0] if sent else base
            cells.append({
                "price": None if shown is None else format(shown, "f"),
                "base": None if base is None else format(base, "f"),
                "min_los": restriction.min_los,
                "max_los": restriction.max_los,
                "closed_to_arrival": restriction.closed_to_arrival,
                "closed_to_departure": restriction.closed_to_departure,
                "stop_sell": restriction.stop_sell,
                "state": state,
            })
        row = {key: value for key, value in header.items() if key != "sells"}
        row["cells"] = cells
        return row

    def _plan_values(self, plan, header, first, last):
        """Base prices (what staff enter), and the rates and restrictions the inventory service
        would send now (markup, rounding and a disabled channel's stop-sell included)."""
        sold = sorted(header["sells"])
        rates = plan._phobs_rate_values(sold, first, last)
        if rates and not header["markup"]:
            # Sent as entered: no second pass over the prices (a pricelist is costly).
            base = {(code, day): ari.decode_rate(value)[0]
                    for (code, _plan, day), value in rates.items() if value is not None}
        else:
            base = plan._phobs_base_prices(sold, first, last)
        return {"base": base, "rates": rates,
                "restrictions": self.env["phobs.restriction"]._phobs_values(
                    plan, sold, first, last)}

    def _stored_restrictions(self, plans, codes, first, last):
        """``{(plan id, code, day): Restriction}`` as staff set them (open days absent)."""
        result = {}
        for record in self.env["phobs.restriction"].search([
                ("rate_plan_id", "in", plans.ids), ("room_type_code", "in", codes),
                ("date_from", "<=", fields.Date.to_string(last)),
                ("date_to", ">=", fields.Date.to_string(first))]):
            value = record._phobs_value()
            for day in days_between(*clip(fields.Date.from_string(record.date_from),
                                          fields.Date.from_string(record.date_to), first, last)):
                result[(record.rate_plan_id.id, record.room_type_code, day)] = value
        return result

    def _free_rooms(self, backend, codes, first, last):
        """The PMS bridge's count of sellable rooms, or None when no bridge can tell."""
        if not codes:
            return {}
        try:
            return backend.sudo()._phobs_compute_availability(codes, first, last)
        except NotImplementedError:
            return None

    def _accepted(self, backend, first, last):
        """``{(kind, code, plan, day): value}`` Phobs last accepted, in one query."""
        self.env.cr.execute("""
            SELECT kind, room_type_code, rate_plan_code, day, value FROM phobs_ari_state
             WHERE backend_id = %s AND day BETWEEN %s AND %s
        """, (backend.id, first, last))
        return {(kind, code, plan or "", _as_date(day)): value
                for kind, code, plan, day, value in self.env.cr.fetchall()}

    def _outbox_trouble(self, backend, first, last):
        self.env.cr.execute("""
            SELECT kind, room_type_code, rate_plan_code, date_from, date_to,
                   state = 'dead' OR last_error IS NOT NULL
              FROM phobs_outbox
             WHERE backend_id = %s AND state IN ('pending', 'dead') AND kind IN %s
               AND date_from <= %s AND date_to >= %s
        """, (backend.id, tuple(ari.KINDS), last, first))
        rows = [ari_grid.OutboxRow(kind, code or "", plan or "", _as_date(start), _as_date(end),
                                   failed)
                for kind, code, plan, start, end, failed in self.env.cr.fetchall()]
        return ari_grid.outbox_index(rows, first, last)

    # -- editing ---------------------------------------------------------------------------

    @api.model
    def write_cells(self, cells, changes):
        """Applies ``changes`` to grid cells ``[{"plan_id", "code", "day"}]`` (one or a
        selected range). Returns the number of (plan, room type) rows changed."""
        # Edits are for Channel Manager / Managers: refused before anything is queued.
        self.env["phobs.backend"]._phobs_check_manager()
        edit = self._parse(changes)
        targets = {}
        try:
            for cell in cells:
                key = (int(cell["plan_id"]), str(cell["code"]))
                targets.setdefault(key, set()).add(date.fromisoformat(cell["day"]))
        except (KeyError, TypeError, ValueError) as err:
            raise UserError(_("A cell of the grid could not be read (%s): reload the grid.")
                            % err) from err
        return self._apply(targets, edit)

    @api.model
    def bulk_edit(self, date_from, date_to, weekdays, plan_ids, codes, changes):
        """Applies ``changes`` on the days of ``date_from..date_to`` falling on ``weekdays``
        (Monday 0), for the chosen plans and the room types among ``codes`` each sells
        (all it sells when ``codes`` is empty)."""
        # Edits are for Channel Manager / Managers: refused before anything is queued.
        self.env["phobs.backend"]._phobs_check_manager()
        edit = self._parse(changes)
        first, last = fields.Date.from_string(date_from), fields.Date.from_string(date_to)
        if first > last:
            raise UserError(_("The date range ends before it starts."))
        if (last - first).days >= MAX_EDIT_DAYS:
            raise UserError(_("Edit at most three years at once."))
        days = set(ari.matching_days(first, last, [int(day) for day in weekdays]))
        if not days:
            raise UserError(_("No day of the range falls on the chosen weekdays."))
        plans = self.env["phobs.rate.plan"].browse([int(pid) for pid in plan_ids]).exists()
        if not plans:
            raise UserError(_("Choose at least one rate plan."))
        targets = {}
        for plan in plans:
            sold = plan._room_type_code_list()
            for code in [code for code in (codes or sold) if code in sold]:
                targets[(plan.id, code)] = set(days)
        if not targets:
            raise UserError(_("None of the chosen rate plans sells the chosen room types."))
        return self._apply(targets, edit)

    def _parse(self, changes):
        try:
            edit = ari_grid.parse_edit(changes or {})
        except ValueError as err:
            raise UserError(_("This change cannot be made: %s.") % err) from err
        if not edit:
            raise UserError(_("Nothing to change: enter a price or choose a restriction."))
        return edit

    def _apply(self, targets, edit):
        """Writes the edit for ``{(plan id, code): days}`` as the calling manager, so the
        access rules of prices and restrictions apply and their outbox marks are made in this
        transaction."""
        today = fields.Date.from_string(fields.Date.context_today(self))
        plans = self.env["phobs.rate.plan"].browse({plan_id for plan_id, _code in targets})
        plans = {plan.id: plan for plan in plans.exists()}
        for (plan_id, code), days in sorted(targets.items()):
            plan = plans.get(plan_id)
            if plan is None:
                raise UserError(_("A rate plan of the grid no longer exists: reload the grid."))
            if code not in plan._room_type_code_list():
                raise UserError(_("Rate plan %s does not sell room type %s.") % (plan.code, code))
            if min(days) < today:
                raise UserError(_("Days before today cannot be changed: they are not sold any "
                                  "more."))
            if edit.price is not None:
                self._set_price(plan, code, days, edit.price)
            if edit.restrictions:
                try:
                    self.env["phobs.restriction"]._phobs_apply(plan, [code], days,
                                                               edit.restrictions)
                except ValueError as err:
                    raise UserError(_("These restrictions contradict each other on %s %s: %s")
                                    % (plan.code, code, err)) from err
        return len(targets)

    def _set_price(self, plan, code, days, amount):
        if plan.price_source != "fixed":
            raise UserError(_("Rate plan %s takes its prices from the pricelist %s: change "
                              "them there.") % (plan.code, plan.pricelist_id.display_name))
        Price = self.env["phobs.rate.price"]
        existing = Price.search([("rate_plan_id", "=", plan.id), ("room_type_code", "=", code)])
        entries = [PriceEntry(entry.id, fields.Date.from_string(entry.date_from),
                              fields.Date.from_string(entry.date_to),
                              Decimal(str(entry.amount))) for entry in existing]
        obsolete, runs = ari_grid.rewrite_prices(entries, days, amount)
        Price.browse(obsolete).unlink()
        for run in runs:
            Price.create({"rate_plan_id": plan.id, "room_type_code": code,
                          "date_from": fields.Date.to_string(run.start),
                          "date_to": fields.Date.to_string(run.end),
                          "amount": float(run.value)})

    # -- rights ----------------------------------------------------------------------------

    def _phobs_grid_is_manager(self):
        """Whether the grid offers editing; the edits themselves check again."""
        return self.env.uid == SUPERUSER_ID or self.env.user.has_group(MANAGER)


def _as_date(value):
    """Odoo 11 reads dates as text; ``fromisoformat`` is many times faster than strptime."""
    return date.fromisoformat(value) if isinstance(value, str) else value


"""Amounts in several currencies brought into one, so that the dashboard can add them up."""
from odoo import fields


def money_converter(env, target, company):
    """``convert(amount, currency_id)`` into ``target`` at today's rate, so that bookings in
    several currencies add up (Odoo 12+ ``_convert``, Odoo 11 ``compute``)."""
    today = fields.Date.context_today(env.user)
    Currency = env["res.currency"].sudo()

    def convert(amount, currency_id):
        amount = float(amount or 0.0)
        if not amount or not currency_id or currency_id == target.id:
            return amount
        source = Currency.browse(currency_id)
        if hasattr(source, "_convert"):
            return source._convert(amount, target, company, today, round=False)
        return source.with_context(date=today).compute(amount, target, round=False)
    return convert

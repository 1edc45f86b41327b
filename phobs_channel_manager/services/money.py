"""Amounts in several currencies brought into one, so that the dashboard can add them up."""
from odoo import fields

from .odoo11 import convert_currency


def money_converter(env, target, company):
    """``convert(amount, currency_id)`` into ``target`` at today's rate, so that bookings in
    several currencies add up."""
    today = fields.Date.context_today(env.user)
    Currency = env["res.currency"].sudo()

    def convert(amount, currency_id):
        amount = float(amount or 0.0)
        if not amount or not currency_id or currency_id == target.id:
            return amount
        return convert_currency(Currency.browse(currency_id), amount, target, company, today)
    return convert

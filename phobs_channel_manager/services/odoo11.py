"""The Odoo 11 calls a later Odoo renamed or dropped, in one place.

Only Odoo 11 is installed and tested here (README, "Supported versions"), so only the Odoo 11
form is written; each function names what replaced it, and a port to a later Odoo changes this
file, not the services.
"""
from odoo import api


def after_commit(cr, func):
    """Runs ``func`` once the transaction of ``cr`` commits, never if it rolls back.
    (Odoo 13+: ``cr.postcommit.add(func)``.)"""
    cr.after("commit", func)


def thread_environment():
    """The scope a thread's own environments need. (Dropped in Odoo 15, which needs none.)"""
    return api.Environment.manage()


def forget_cache(env):
    """Drops every record value the environments of this transaction hold in memory.
    (Odoo 16+: ``env.invalidate_all()``.)"""
    env.cache.invalidate()


def convert_currency(source, amount, target, company, day):
    """``amount`` in currency ``source`` as ``target`` at the rate of ``day``, unrounded.
    (Odoo 12+: ``source._convert(amount, target, company, day, round=False)``; ``company`` is
    for them.)"""
    return source.with_context(date=day).compute(amount, target, round=False)

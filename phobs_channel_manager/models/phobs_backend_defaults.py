"""``phobs.backend``: defaults that fit where it runs and the checks that keep Production safe.

A new backend takes its currency from its company and its base URL from its environment (the
local sandbox for Demo, nothing for Production: Phobs gives each hotel its address). Production
refuses plain ``http://`` and loopback addresses, for the Phobs base URL and for the public URL
Phobs pushes bookings to: credentials and guest data must not travel in clear text, and Phobs
cannot reach ``127.0.0.1`` of this server.
"""
import os

from odoo import _, api, models
from odoo.exceptions import ValidationError

from ..phobs_api.url_policy import SANDBOX_URL, production_url_problem


def sandbox_url(env):
    """The sandbox the demo uses: a system parameter, else the environment, else the default
    port of ``python -m phobs_sandbox``."""
    configured = env["ir.config_parameter"].sudo().get_param("phobs.sandbox_url")
    if configured:
        return configured
    port = os.environ.get("PHOBS_SANDBOX_PORT")
    return "http://127.0.0.1:%s" % port if port else SANDBOX_URL


class PhobsBackendDefaults(models.Model):
    _inherit = "phobs.backend"

    @api.model
    def _phobs_default_base_url(self, environment):
        return sandbox_url(self.env) if environment == "demo" else False

    @api.onchange("environment")
    def _onchange_environment_base_url(self):
        """Switching environment proposes that environment's address, never the other's."""
        sandbox = sandbox_url(self.env)
        if self.environment == "production" and self.base_url == sandbox:
            self.base_url = False
        elif self.environment == "demo" and not self.base_url:
            self.base_url = sandbox

    @api.onchange("company_id")
    def _onchange_company_currency(self):
        if self.company_id:
            self.currency_id = self.company_id.currency_id

    @api.constrains("environment", "base_url", "public_url")
    def _check_production_urls(self):
        for backend in self.sudo():
            if backend.environment != "production":
                continue
            problem = (production_url_problem(backend.base_url, _("The Phobs base URL"))
                       or production_url_problem(backend.public_url,
                                                 _("The public URL of this Odoo")))
            if problem:
                raise ValidationError(problem)

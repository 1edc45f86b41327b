"""HTTP endpoints of the channel manager. Thin: authenticate, cap, hand over to one service call."""
import json

from odoo import http
from odoo.http import request



class PhobsController(http.Controller):

    @http.route("/phobs/health", type="http", auth="none", methods=["GET"], csrf=False)
    def health(self):
        """Liveness probe for load balancers and for Phobs' own connectivity checks."""
        body = json.dumps({"status": "ok", "service": "phobs_channel_manager"})
        return request.make_response(body, headers=[("Content-Type", "application/json")])

"""HTTP endpoints of the channel manager. Thin: authenticate, cap, hand over to one service call."""
import json
import logging

from odoo import SUPERUSER_ID, api, http
from odoo.http import request

from ..phobs_api.throttle import FailureLimiter
from ..phobs_api.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER
from ..phobs_api.xml import DEFAULT_MAX_BYTES
from ..services.reservation_sync import PhobsReservationSyncService

_logger = logging.getLogger(__name__)
SOAP_CONTENT_TYPE = "text/xml; charset=utf-8"
#: Failed authentications a backend's webhook tolerates per minute (per server process) before
#: it answers 429 without reading the body or touching the database.
AUTH_FAILURE_LIMIT = 10
AUTH_FAILURE_WINDOW_SECONDS = 60
auth_failures = FailureLimiter(AUTH_FAILURE_LIMIT, AUTH_FAILURE_WINDOW_SECONDS)


class PhobsController(http.Controller):

    @http.route("/phobs/health", type="http", auth="none", methods=["GET"], csrf=False)
    def health(self):
        """Liveness probe for load balancers and for Phobs' own connectivity checks."""
        body = json.dumps({"status": "ok", "service": "phobs_channel_manager"})
        return request.make_response(body, headers=[("Content-Type", "application/json")])

    @http.route("/phobs/webhook/<int:backend_id>", type="http", auth="none", methods=["POST"],
                csrf=False)
    def webhook(self, backend_id, **_params):
        """Phobs pushes OTA_HotelResNotifRQ here; the reply acknowledges what was stored."""
        retry_after = auth_failures.retry_after(backend_id)
        if retry_after:
            _logger.warning("Phobs push for backend %s refused: too many failed "
                            "authentications, retry in %ss", backend_id, retry_after)
            response = self._reply(429, b"")
            response.headers["Retry-After"] = str(retry_after)
            return response
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > DEFAULT_MAX_BYTES:
            _logger.warning("Refused Phobs push of %s bytes for backend %s",
                            httprequest.content_length, backend_id)
            return self._reply(413, b"")
        body = httprequest.stream.read(DEFAULT_MAX_BYTES + 1)
        if len(body) > DEFAULT_MAX_BYTES:
            _logger.warning("Refused oversized Phobs push for backend %s", backend_id)
            return self._reply(413, b"")
        env = api.Environment(request.cr, SUPERUSER_ID, {})
        backend = env["phobs.backend"].browse(backend_id).exists()
        if not backend:
            _logger.warning("Phobs push for unknown backend %s", backend_id)
            return self._reply(404, b"")
        reply = PhobsReservationSyncService(env, backend).receive_push(
            body, httprequest.headers.get(TIMESTAMP_HEADER),
            httprequest.headers.get(SIGNATURE_HEADER))
        if reply.status == 401:
            auth_failures.record_failure(backend_id)
        return self._reply(reply.status, reply.body)

    @staticmethod
    def _reply(status, body):
        response = request.make_response(body, headers=[("Content-Type", SOAP_CONTENT_TYPE)])
        response.status_code = status
        return response

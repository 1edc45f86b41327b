"""HTTP endpoints of the channel manager. Thin: cap, authenticate, hand over to one service call.

The push endpoint under a flood of forged requests: the signature of every request is checked
first (an HMAC over at most 2 MB, microseconds to a few milliseconds), so a correctly signed push
from Phobs is always accepted, whatever else hits the same backend from the same address. Only
sources that fail authentication are throttled: after ``AUTH_FAILURE_LIMIT`` failures within
``AUTH_FAILURE_WINDOW_SECONDS`` a (backend, client address) pair gets 429 with Retry-After instead
of 401, and its refusals are no longer logged one by one. Nothing is written for a refused
request.
"""
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
#: Failed authentications one client address may make against one backend's webhook per
#: minute (counted per server process) before it is answered 429 instead of 401.
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
        httprequest = request.httprequest
        # Odoo gives a request without a session cookie a new session and writes it to disk
        # after the reply; Phobs never sends it back, so none is written for a push.
        request.session.modified = False
        if (httprequest.content_length or 0) > DEFAULT_MAX_BYTES:
            _logger.warning("Refused Phobs push of %s bytes for backend %s",
                            httprequest.content_length, backend_id)
            return self._reply(413, b"")
        body = httprequest.stream.read(DEFAULT_MAX_BYTES + 1)
        if len(body) > DEFAULT_MAX_BYTES:
            _logger.warning("Refused oversized Phobs push for backend %s", backend_id)
            return self._reply(413, b"")
        env = api.Environment(request.cr, SUPERUSER_ID, {})
        # An unknown backend is answered 404 by the service, from the one query a push starts with.
        backend = env["phobs.backend"].browse(backend_id)
        source = (backend_id, httprequest.remote_addr)
        throttled = bool(auth_failures.retry_after(source))
        reply = PhobsReservationSyncService(env, backend).receive_push(
            body, httprequest.headers.get(TIMESTAMP_HEADER),
            httprequest.headers.get(SIGNATURE_HEADER), log_refusal=not throttled)
        if reply.status != 401:
            return self._reply(reply.status, reply.body)
        auth_failures.record_failure(source)
        if not throttled:
            if auth_failures.retry_after(source):
                _logger.warning("Phobs pushes for backend %s from %s failed authentication %d "
                                "times within %ds: answering 429 until the failures age",
                                backend_id, httprequest.remote_addr, AUTH_FAILURE_LIMIT,
                                AUTH_FAILURE_WINDOW_SECONDS)
            return self._reply(reply.status, reply.body)
        response = self._reply(429, b"")
        response.headers["Retry-After"] = str(auth_failures.retry_after(source))
        return response

    @staticmethod
    def _reply(status, body):
        response = request.make_response(body, headers=[("Content-Type", SOAP_CONTENT_TYPE)])
        response.status_code = status
        return response

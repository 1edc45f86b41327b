"""PhobsChannelManagerService: the one door to Phobs.

Everything that talks to Phobs goes through here: the other services open a :meth:`client`
session (every exchange recorded, alerts checked when it ends), and the backend's buttons call
:meth:`check_connection` and :meth:`register_webhook`. No model touches the client itself.
"""
import contextlib
import logging

from ..phobs_api.client import PhobsClient
from ..phobs_api.client_types import ClientConfig
from ..phobs_api.errors import PhobsError
from ..phobs_api.retry import RetryPolicy, operations_answering_again
from .base import BackendService
from .error_handling import PhobsErrorHandlingService
from .monitoring import PhobsMonitoringService

_logger = logging.getLogger(__name__)


class PhobsChannelManagerService(BackendService):
    def client_config(self):
        backend = self.backend.sudo()
        return ClientConfig(
            base_url=backend.base_url.rstrip("/"),
            hotel_code=backend.hotel_code,
            auth_mode=backend.auth_mode,
            client_id=backend.client_id or None,
            client_secret=backend._phobs_secret("client_secret"),
            username=backend.username or None,
            password=backend._phobs_secret("password"),
            retry=RetryPolicy(max_attempts=3, base_delay=0.5, max_delay=5.0),
            verify=backend.environment == "production",
        )

    @contextlib.contextmanager
    def client(self):
        """A connected client whose every exchange is recorded by the monitoring service.

        When the session ends (normally or with a Phobs error) the error handling checks
        whether the calls recorded call for an alert.
        """
        monitoring = PhobsMonitoringService(self.env, self.backend)
        outcomes = []  # (operation, went through) per HTTP attempt of this session

        def on_exchange(exchange):
            outcomes.append((exchange.operation, exchange.error is None))
            monitoring.record_exchange(exchange)

        client = PhobsClient(self.client_config(), on_exchange=on_exchange)
        try:
            yield client
        except PhobsError:
            self._check_alerts()
            raise
        else:
            self._check_alerts()
        finally:
            client.close()
        answering = operations_answering_again(outcomes)
        if answering:
            self._resume_waiting_updates(answering)

    def _check_alerts(self):
        try:
            PhobsErrorHandlingService(self.env, self.backend).check_alerts()
        except Exception:  # an alert must never turn a sync into a failure
            _logger.exception("Phobs alert check failed")

    def _resume_waiting_updates(self, operations):
        try:
            PhobsErrorHandlingService(self.env, self.backend).resume_waiting(operations)
        except Exception:  # an optimisation: the backoff still brings the rows back
            _logger.exception("Could not bring the outbox of Phobs backend %s forward",
                              self.backend.id)

    def register_webhook(self, url):
        """Tells Phobs to push reservations to ``url``, signed with the backend's webhook
        secret; returns what Phobs now holds (:class:`WebhookInfo`)."""
        with self.client() as client:
            return client.register_webhook(url, self.backend._phobs_secret("webhook_secret"))

    def check_connection(self):
        """(ok, message) in words a receptionist can act on; never raises for Phobs errors."""
        try:
            with self.client() as client:
                result = client.check_connection()
        except (PhobsError, ValueError) as err:
            return False, str(err)
        return result.ok, result.message

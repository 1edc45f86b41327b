"""PhobsChannelManagerService: the one place a backend record becomes a Phobs client."""
import contextlib
import logging

from ..phobs_api.client import ClientConfig, PhobsClient
from ..phobs_api.errors import PhobsError
from ..phobs_api.retry import RetryPolicy
from .base import BackendService
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

        When the session ends (normally or with a Phobs error) the monitoring checks whether
        the calls it recorded call for an alert.
        """
        monitoring = PhobsMonitoringService(self.env, self.backend)
        client = PhobsClient(self.client_config(), on_exchange=monitoring.record_exchange)
        try:
            yield client
        except PhobsError:
            self._check_alerts(monitoring)
            raise
        else:
            self._check_alerts(monitoring)
        finally:
            client.close()

    @staticmethod
    def _check_alerts(monitoring):
        try:
            monitoring.check_alerts()
        except Exception:  # an alert must never turn a sync into a failure
            _logger.exception("Phobs alert check failed")

    def check_connection(self):
        """(ok, message) in words a receptionist can act on; never raises for Phobs errors."""
        try:
            with self.client() as client:
                result = client.check_connection()
        except (PhobsError, ValueError) as err:
            return False, str(err)
        return result.ok, result.message

"""PhobsMonitoringService: records every exchange with Phobs and aggregates the figures."""


class PhobsMonitoringService:
    def __init__(self, env, backend):
        self.env = env
        self.backend = backend

    def record_exchange(self, exchange):
        """Called by the client after every HTTP attempt (bodies and secrets never reach here)."""
        self.env["phobs.api.call"]._record(self.backend, exchange)

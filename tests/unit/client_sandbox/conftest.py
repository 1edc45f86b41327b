"""The real ``PhobsClient`` against the real sandbox process, over loopback, with no mocks.

One sandbox process serves this folder (fault rules are global to a sandbox, so it is not the
session-wide shared one); every test gets hotels of its own, and fault rules are cleared around
each test. Clients retry with tiny delays so the folder stays fast.
"""
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from harness.sandbox import Sandbox
from phobs_channel_manager.phobs_api import ClientConfig, PhobsClient, RetryPolicy

#: Fast retries: real sleeps, but short ones (a Retry-After up to 1 s is still honoured).
FAST_RETRY = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=1.0)
ROOM_TYPES = {"SGL": 40, "DBL": 80, "APT": 20}
RATE_PLANS = [
    {"code": "BAR", "name": "Best Available Rate", "room_types": ["SGL", "DBL", "APT"]},
    {"code": "NRF", "name": "Non-refundable", "room_types": ["DBL"]},
]


def first_day():
    """Tomorrow: clear of any hotel-local 'today' edge."""
    return date.today() + timedelta(days=1)


@dataclass
class Connection:
    """A client plus everything it reported: one ``Exchange`` per attempt, every retry sleep."""

    client: PhobsClient
    hotel: dict
    exchanges: list = field(default_factory=list)
    sleeps: list = field(default_factory=list)

    def attempts(self, operation=None):
        return [e for e in self.exchanges if operation is None or e.operation == operation]


class Peer:
    """Control-API helpers on top of the harness ``Sandbox``."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.url = sandbox.url
        self._clients = []

    def call(self, method, path, **kwargs):
        return self.sandbox.call(method, path, **kwargs)

    def new_hotel(self, room_types=None, rate_plans=None):
        return self.sandbox.new_hotel(dict(room_types or ROOM_TYPES),
                                      rate_plans=rate_plans or RATE_PLANS)

    def connect(self, hotel, auth_mode="oauth2", *, retry=FAST_RETRY, **overrides):
        creds = hotel["credentials"]
        settings = dict(base_url=self.url, hotel_code=hotel["code"], auth_mode=auth_mode,
                        retry=retry, connect_timeout=5.0, read_timeout=10.0)
        if auth_mode == "oauth2":
            settings.update(client_id=creds["client_id"], client_secret=creds["client_secret"])
        else:
            settings.update(username=creds["username"], password=creds["password"])
        settings.update(overrides)
        connection = Connection(client=None, hotel=hotel)

        def sleep(seconds):
            connection.sleeps.append(seconds)
            time.sleep(seconds)

        connection.client = PhobsClient(ClientConfig(**settings),
                                        on_exchange=connection.exchanges.append, sleep=sleep)
        self._clients.append(connection.client)
        return connection

    def faults(self, *rules):
        return self.call("POST", "/faults", json={"rules": list(rules)})["rules"]

    def clear_faults(self):
        self.call("DELETE", "/faults")

    def stats(self):
        return self.call("GET", "/stats")

    def availability(self, hotel, room_type, start, end):
        return self.sandbox.availability(hotel["code"], room_type, start, end)

    def messages(self, hotel, state=None):
        return self.sandbox.messages(hotel["code"], state)

    def close_clients(self):
        for client in self._clients:
            client.close()
        self._clients.clear()


def counter(stats, scope, name, metric="requests"):
    """One traffic counter of ``GET /_control/stats`` (0 when never counted)."""
    return stats[scope].get(name, {}).get(metric, 0)


def logged(stats, operation, echo_token):
    """How many requests of ``operation`` the sandbox saw carrying ``echo_token``."""
    return stats["echo_tokens"].get(operation, []).count(echo_token)


@pytest.fixture(scope="package")
def sandbox_process():
    sandbox = Sandbox("--seed", "23").wait_ready()
    yield sandbox
    sandbox.stop()


@pytest.fixture
def peer(sandbox_process):
    peer = Peer(sandbox_process)
    peer.clear_faults()
    yield peer
    peer.clear_faults()
    peer.close_clients()


@pytest.fixture
def hotel(peer):
    return peer.new_hotel()

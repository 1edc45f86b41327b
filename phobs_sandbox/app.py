"""The sandbox assembled: one store and the services around it, started and stopped together."""
from .auth import Auth
from .bookings import Bookings
from .channels import Simulator
from .control import ControlApi
from .faults import Faults
from .operations import Operations
from .push import Pusher
from .state import Store


class Sandbox:
    def __init__(self, hotels=(), db=":memory:", token_ttl=3600, seed=None, push=False,
                 page_size=100, push_retry_base=1.0, log_availability=False):
        self.store = Store(db, log_availability)
        for hotel in hotels:
            self.store.put_hotel(hotel)
        self.auth = Auth(self.store, token_ttl)
        self.faults = Faults(seed)
        self.pusher = Pusher(self.store, self.faults, retry_base=push_retry_base)
        self.bookings = Bookings(self.store, on_message=self.pusher.notify)
        self.simulator = Simulator(self.store, self.bookings, seed)
        self.operations = Operations(self.store, self.bookings, self.faults, page_size)
        self.control = ControlApi(self)
        self.push_default = push
        self.pusher.set_enabled(push)

    def start(self, simulate_every=None):
        self.pusher.start()
        if simulate_every:
            self.simulator.start(simulate_every)

    def reset(self):
        """Forget everything that happened; keep the hotels (and their webhooks and tokens)."""
        self.store.reset()
        self.faults.clear()
        self.pusher.set_enabled(self.push_default)

    def stop(self):
        self.simulator.stop()
        self.pusher.stop()
        self.store.close()

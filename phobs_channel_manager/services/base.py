"""BackendService: what every service of a Phobs backend shares.

A service is a plain class over ``(env, backend)``. This base holds the constructor, the
PostgreSQL advisory locks (every namespace of this addon in one table, so two flows can never
pick the same key by accident) and the lookups several services make by external id.
"""
import contextlib
import logging
import time
from datetime import datetime

import psycopg2
from odoo import SUPERUSER_ID, api

from .data_mapper import SERVER_DATETIME

_logger = logging.getLogger(__name__)

#: Our advisory-lock namespaces, the first key of ``pg_advisory_lock(namespace, backend id)``;
#: their values ("PHOB", "PHOA", "PHOF" in ASCII) keep them apart from other users of the locks.
LOCK_NAMESPACES = {
    "pull": 0x50484F42,  # one pull per backend at a time (session lock)
    "apply": 0x50484F41,  # one worker applies a backend's stored messages (session lock)
    "flush": 0x50484F46,  # one outbox flush per backend (transaction lock)
}
LOCK_POLL_SECONDS = 0.25
#: How long a transaction of its own waits for a lock before falling back to the caller's.
OWN_TRANSACTION_LOCK_TIMEOUT = "3s"


class BackendService:
    def __init__(self, env, backend):
        backend.ensure_one()
        self.env = env
        self.backend = backend

    # -- advisory locks --------------------------------------------------------------------

    @contextlib.contextmanager
    def advisory_lock(self, name, wait_seconds=0):
        """A session lock on this backend for the flow ``name``; yields whether it was taken
        (waiting up to ``wait_seconds`` for another worker to let it go).

        A session lock outlives the commits that make each step of a long flow durable. If
        the body raises, its transaction is rolled back before the lock is released: an
        aborted transaction could not even release it.
        """
        key = (LOCK_NAMESPACES[name], self.backend.id)
        deadline = time.monotonic() + wait_seconds
        while not self._fetch_one("SELECT pg_try_advisory_lock(%s, %s)", key):
            if time.monotonic() >= deadline:
                yield False
                return
            time.sleep(LOCK_POLL_SECONDS)
        try:
            yield True
        except Exception:
            self.env.cr.rollback()
            raise
        finally:
            self.env.cr.execute("SELECT pg_advisory_unlock(%s, %s)", key)

    def try_transaction_lock(self, name):
        """A lock on this backend for the flow ``name`` held until the transaction ends;
        False when another transaction holds it."""
        return self._fetch_one("SELECT pg_try_advisory_xact_lock(%s, %s)",
                               (LOCK_NAMESPACES[name], self.backend.id))

    def _fetch_one(self, sql, params):
        self.env.cr.execute(sql, params)
        return self.env.cr.fetchone()[0]

    # -- a transaction of its own ---------------------------------------------------------

    def in_own_transaction(self, func):
        """``func(env, backend)`` as superuser in its own transaction, committed at once.

        For what happened whatever becomes of the caller's transaction: the record of an
        exchange with Phobs, an alert. A pull that fails rolls its transaction back (it must, to
        release its lock), which would otherwise erase the very calls and alerts that say why
        it failed. Falls back to the caller's transaction when the backend is not committed yet
        (it was created in it) or the own transaction cannot get its locks in time.
        """
        try:
            with api.Environment.manage(), self._own_cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                cr.execute("SELECT 1 FROM phobs_backend WHERE id = %s", (self.backend.id,))
                if cr.fetchone():
                    return func(env, env["phobs.backend"].browse(self.backend.id))
        except psycopg2.Error as err:
            _logger.warning("Phobs monitoring wrote in the caller's transaction: %s", err)
        with self.env.cr.savepoint():
            env = self.env(user=SUPERUSER_ID)
            return func(env, env["phobs.backend"].browse(self.backend.id))

    @contextlib.contextmanager
    def _own_cursor(self):
        cr = self.env.registry.cursor()
        try:
            if cr is not self.env.cr:  # in Odoo's test mode every cursor is the test cursor
                cr.execute("SET LOCAL lock_timeout = %s", (OWN_TRANSACTION_LOCK_TIMEOUT,))
            yield cr
            cr.commit()
        finally:
            cr.close()

    # -- lookups ---------------------------------------------------------------------------

    def binding(self, external_id):
        """The ``phobs.reservation`` of this backend for a Phobs reservation id (or none)."""
        return self.env["phobs.reservation"].sudo().search([
            ("backend_id", "=", self.backend.id), ("external_id", "=", external_id)])

    def inbound_message(self, message_id):
        """The stored inbound ``phobs.message`` with this delivery key (or none)."""
        return self.env["phobs.message"].sudo().search([
            ("backend_id", "=", self.backend.id), ("direction", "=", "in"),
            ("message_id", "=", message_id)])


#: Unique violation, serialization failure, deadlock: another worker is writing the same row.
CONCURRENT_WRITE_CODES = {"23505", "40001", "40P01"}


def is_concurrent_write(error):
    """Whether ``error`` means another worker stored or applied the same thing at this moment."""
    return getattr(error, "pgcode", None) in CONCURRENT_WRITE_CODES


def server_now():
    """Now, as Odoo stores a datetime (naive UTC text)."""
    return datetime.utcnow().strftime(SERVER_DATETIME)

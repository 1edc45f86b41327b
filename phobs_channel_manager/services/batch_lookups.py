"""What applying a batch of stored messages looks up once rather than once per booking."""

#: Context key under which the applier hands its lookups to the PMS bridge.
CONTEXT_KEY = "phobs_batch_lookups"


class BatchLookups:
    """Records found by a key (a channel or currency by code, a pricelist by currency), kept for
    one batch of messages. Emptied after each batch, so that what staff change is seen by the
    next one, and when a message fails: its rolled back savepoint may have taken a record
    found or made with it. Compared and hashed by identity, as a context value must be."""

    def __init__(self):
        self._found = {}

    def get(self, key, find):
        """The record under ``key``, found by ``find()`` the first time."""
        if key not in self._found:
            self._found[key] = find()
        return self._found[key]

    def clear(self):
        self._found.clear()


def lookups_of(context):
    """The applier's lookups, or fresh ones that remember nothing beyond this call."""
    return context.get(CONTEXT_KEY) or BatchLookups()

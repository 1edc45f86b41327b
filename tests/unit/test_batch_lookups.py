"""A batch of applied messages finds each looked-up record once, and forgets it when told."""
from phobs_channel_manager.services.batch_lookups import CONTEXT_KEY, BatchLookups, lookups_of


def test_a_key_is_found_once_until_cleared():
    lookups = BatchLookups()
    calls = []

    def find():
        calls.append(1)
        return "EUR#%d" % len(calls)

    assert lookups.get(("currency", "EUR"), find) == "EUR#1"
    assert lookups.get(("currency", "EUR"), find) == "EUR#1"
    assert len(calls) == 1
    lookups.clear()  # a failed message's savepoint may have rolled the record back
    assert lookups.get(("currency", "EUR"), find) == "EUR#2"


def test_outside_a_batch_nothing_is_remembered_between_calls():
    assert lookups_of({}) is not lookups_of({})
    lookups = BatchLookups()
    assert lookups_of({CONTEXT_KEY: lookups}) is lookups


def test_lookups_are_compared_by_identity_as_a_context_value_must_be():
    first, second = BatchLookups(), BatchLookups()
    assert first != second
    assert len({first, second, first}) == 2

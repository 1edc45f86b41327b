from dataclasses import replace
from datetime import datetime, timezone
from types import MappingProxyType

import pytest

from phobs_channel_manager.phobs_api.errors import PhobsProtocolError
from phobs_channel_manager.phobs_api.profile import DEFAULT_PROFILE
from phobs_channel_manager.phobs_api.records import ResStatus


@pytest.mark.parametrize(
    "spelling, status",
    [("Book", ResStatus.BOOK), ("commit", ResStatus.COMMIT), ("Commited", ResStatus.COMMIT),
     ("Committed", ResStatus.COMMIT), (" Modify ", ResStatus.MODIFY),
     ("Cancelled", ResStatus.CANCEL), ("Cancel", ResStatus.CANCEL)],
)
def test_status_spellings_are_normalised(spelling, status):
    assert DEFAULT_PROFILE.parse_status(spelling) is status


def test_unknown_status_is_refused():
    with pytest.raises(PhobsProtocolError, match="unknown ResStatus 'Pending'"):
        DEFAULT_PROFILE.parse_status("Pending")


def test_a_dialect_changes_spelling_as_data():
    profile = replace(DEFAULT_PROFILE, status_spellings=MappingProxyType(
        {**DEFAULT_PROFILE.status_spellings, ResStatus.COMMIT: "Commited"}))
    assert profile.wire_status(ResStatus.COMMIT) == "Commited"
    assert profile.parse_status("Commited") is ResStatus.COMMIT
    assert DEFAULT_PROFILE.wire_status("Commit") == "Commit"


def test_timestamps_need_an_offset():
    assert DEFAULT_PROFILE.format_timestamp(
        datetime(2024, 1, 2, 3, 4, 5, 678, tzinfo=timezone.utc)) == "2024-01-02T03:04:05+00:00"
    with pytest.raises(ValueError):
        DEFAULT_PROFILE.format_timestamp(datetime(2024, 1, 2))


def test_profile_is_immutable():
    with pytest.raises(AttributeError):
        DEFAULT_PROFILE.page_size = 5
    with pytest.raises(TypeError):
        DEFAULT_PROFILE.status_spellings[ResStatus.BOOK] = "x"

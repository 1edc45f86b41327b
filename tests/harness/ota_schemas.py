"""Where the OTA 2016B schemas that built messages are validated against live.

They are not part of this repository (they are the OpenTravel Alliance's, not ours): they sit
in the ``shared`` folder beside the checkout, or wherever ``PHOBS_OTA_XSD_DIR`` points. A clone
made elsewhere from a local checkout (``git clone . /tmp/fresh``, as CI does) finds them beside
the checkout it was cloned from.
"""
import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NAME = "ota-xsd-2016B"


def ota_xsd_dir():
    """The schema folder to use; the first candidate when none exists, for the error message."""
    if os.environ.get("PHOBS_OTA_XSD_DIR"):
        return Path(os.environ["PHOBS_OTA_XSD_DIR"])
    candidates = [REPO.parent / "shared" / NAME]
    origin = _local_origin()
    if origin:
        candidates.append(origin.parent / "shared" / NAME)
    return next((path for path in candidates if path.is_dir()), candidates[0])


def _local_origin():
    """The checkout this one was cloned from, when that is a folder on this machine."""
    try:
        url = subprocess.run(["git", "-C", str(REPO), "config", "--get", "remote.origin.url"],
                             capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(url[len("file://"):] if url.startswith("file://") else url)
    return path.resolve() if url and path.is_dir() else None

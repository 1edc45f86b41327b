"""The table that turns what Phobs answered into words staff can act on."""
import pytest

from phobs_channel_manager.phobs_api import errors, ota_codes
from phobs_channel_manager.phobs_api.ota_codes import code_in_text, code_title, explain, first_code
from phobs_channel_manager.phobs_api.retry import RETRYABLE_OTA_CODES


def test_every_code_the_protocol_names_is_explained():
    named = set(errors.MAPPING_CODES) | set(RETRYABLE_OTA_CODES) | {"15", "320", "321", "450",
                                                                     "497"}
    assert named <= set(ota_codes.OTA_ERROR_CODES)
    for code, (title, words) in ota_codes.OTA_ERROR_CODES.items():
        assert code.isdigit() and title and len(words) > 20


def test_every_client_error_class_is_explained():
    classes = {name for name in dir(errors)
               if name.startswith("Phobs") and name.endswith(("Error", "Fault"))}
    assert classes <= set(ota_codes.ERROR_CLASSES)


@pytest.mark.parametrize("kwargs, expected", [
    ({"code": "402"}, "OTA 402 (Invalid room type): Phobs does not know this room type code"),
    ({"code": 737}, "OTA 737 (Throttled)"),
    ({"error": "PhobsMappingError: [type 3 code 436] rate BAR2"}, "OTA 436 (Rate plan does not"),
    ({"error": "PhobsAuthError", "http_status": 401}, "Phobs refused the credentials"),
    ({"http_status": 503}, "temporarily unavailable (HTTP 503)"),
    ({"error": "[type 12] something odd"}, "Processing exception at Phobs"),
    ({"error_type": "4"}, "Authentication failed"),
    ({"code": "9999"}, "OTA 9999: a code this module has no explanation for"),
])
def test_explain_picks_the_most_specific_entry(kwargs, expected):
    assert explain(**kwargs).startswith(expected) or expected in explain(**kwargs)


def test_explain_knows_nothing_about_nothing():
    assert explain() == ""
    assert explain(error="UserError: Unknown Phobs room type code(s) XX") == ""


def test_helpers():
    assert first_code("402,436") == "402"
    assert first_code(" , 15") == "15"
    assert first_code("") is None and first_code(None) is None
    assert code_in_text("[type 3 code 783] rate plan X is not sold") == "783"
    assert code_in_text("no code here") is None
    assert code_title("448") == "System error" and code_title(None) is None

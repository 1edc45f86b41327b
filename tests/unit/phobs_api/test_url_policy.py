import pytest

from phobs_channel_manager.phobs_api.url_policy import is_loopback, production_url_problem


@pytest.mark.parametrize("url, words", [
    ("http://pms.phobs.net", "https://"),
    ("https://127.0.0.1:8099", "this machine"),
    ("https://127.5.5.5", "this machine"),
    ("https://[::1]:8443", "this machine"),
    ("https://localhost/phobs", "this machine"),
    ("https://odoo.localhost", "this machine"),
    ("https://0.0.0.0", "this machine"),
])
def test_production_refuses_clear_text_and_this_machine(url, words):
    problem = production_url_problem(url, "The Phobs base URL")
    assert problem and words in problem and problem.startswith("The Phobs base URL")


@pytest.mark.parametrize("url", ["https://pms.phobs.net", "https://10.0.0.5:8443", "", None])
def test_public_https_addresses_and_empty_values_pass(url):
    assert production_url_problem(url, "x") is None


def test_loopback_names():
    assert is_loopback("LOCALHOST") and not is_loopback("phobs.net") and not is_loopback(None)

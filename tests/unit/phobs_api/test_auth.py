import base64
import pickle
import threading

import httpx
import pytest

from phobs_channel_manager.phobs_api.auth import PASSWORD_TEXT, OAuth2TokenCache, Secret, wsse_header
from phobs_channel_manager.phobs_api.errors import PhobsAuthError, PhobsProtocolError, PhobsServerError, PhobsTimeoutError
from phobs_channel_manager.phobs_api.xml import WSSE_NS

BASE = "https://phobs.test"
pytestmark = pytest.mark.respx(base_url=BASE)


def test_secret_never_shows_itself():
    secret = Secret("hunter2")
    assert repr(secret) == "***" and str(secret) == "***" and f"{secret}" == "***"
    assert "hunter2" not in repr({"s": secret, "t": [secret]})
    assert secret.reveal() == "hunter2"
    assert secret == Secret("hunter2") and secret != Secret("other")
    assert Secret(secret).reveal() == "hunter2"
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    with pytest.raises(TypeError):
        Secret(1234)


def test_wsse_header_is_a_password_text_username_token():
    security = wsse_header("frontdesk", Secret("s3cret"))
    ns = {"wsse": WSSE_NS}
    assert security.tag == f"{{{WSSE_NS}}}Security"
    assert security.findtext("wsse:UsernameToken/wsse:Username", namespaces=ns) == "frontdesk"
    password = security.find("wsse:UsernameToken/wsse:Password", namespaces=ns)
    assert (password.text, password.get("Type")) == ("s3cret", PASSWORD_TEXT)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def token(n, expires_in=3600):
    return httpx.Response(200, json={"access_token": f"tok-{n}", "token_type": "Bearer",
                                     "expires_in": expires_in})


@pytest.fixture
def http():
    with httpx.Client(base_url=BASE) as client:
        yield client


def test_token_is_fetched_with_basic_auth_and_cached(respx_mock, http):
    route = respx_mock.post("/auth/token").mock(side_effect=[token(1), token(2)])
    cache = OAuth2TokenCache(http, "/auth/token", "cid", Secret("csecret"), clock=Clock())
    assert cache.get() == "tok-1" and cache.get() == "tok-1"
    assert route.call_count == 1
    request = route.calls[0].request
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"cid:csecret").decode()
    assert request.content == b"grant_type=client_credentials"


def test_token_refreshes_before_expiry_and_on_demand(respx_mock, http):
    respx_mock.post("/auth/token").mock(side_effect=[token(1, 600), token(2, 600), token(3)])
    clock = Clock()
    cache = OAuth2TokenCache(http, "/auth/token", "cid", "csecret", refresh_margin=60, clock=clock)
    assert cache.get() == "tok-1"
    clock.now += 539
    assert cache.get() == "tok-1"
    clock.now += 1
    assert cache.get() == "tok-2"
    cache.invalidate()
    assert cache.get() == "tok-3"


def test_concurrent_callers_share_one_fetch(respx_mock, http):
    gate = threading.Event()

    def slow_token(request):
        gate.wait(2)
        return token(1)

    route = respx_mock.post("/auth/token").mock(side_effect=slow_token)
    cache = OAuth2TokenCache(http, "/auth/token", "cid", "csecret")
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get())) for _ in range(8)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join(5)
    assert results == ["tok-1"] * 8 and route.call_count == 1


@pytest.mark.parametrize(
    "response, cls, match",
    [
        (httpx.Response(401, json={"error": "invalid_client"}), PhobsAuthError, "refused"),
        (httpx.Response(400, json={"error": "invalid_request"}), PhobsAuthError, "refused"),
        (httpx.Response(503, headers={"Retry-After": "4"}), PhobsServerError, "503"),
        (httpx.Response(200, text="<html/>"), PhobsProtocolError, "other than JSON"),
        (httpx.Response(200, json=["tok"]), PhobsProtocolError, "without an access_token"),
        (httpx.Response(200, json={"access_token": ""}), PhobsProtocolError, "without an access_token"),
        (httpx.Response(200, json={"access_token": "t", "expires_in": "soon"}), PhobsProtocolError,
         "expires_in"),
        (httpx.ReadTimeout("slow"), PhobsTimeoutError, "ReadTimeout"),
    ],
)
def test_token_failures_are_typed_and_carry_no_secret(respx_mock, http, response, cls, match):
    respx_mock.post("/auth/token").mock(side_effect=[response])
    cache = OAuth2TokenCache(http, "/auth/token", "cid", "csecret")
    with pytest.raises(cls, match=match) as caught:
        cache.get()
    assert "csecret" not in str(caught.value) and "csecret" not in repr(cache)
    if isinstance(caught.value, PhobsServerError):
        assert caught.value.retry_after == 4
    if isinstance(caught.value, PhobsAuthError):
        assert not caught.value.expired

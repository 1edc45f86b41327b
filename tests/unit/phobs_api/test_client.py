"""PhobsClient against a scripted Phobs (respx): auth, retries, echo tokens, monitoring."""
import base64
import json
import logging
from dataclasses import replace
from datetime import date
from decimal import Decimal

import httpx
import pytest

from phobs_api_samples import STAMP, make_reservation
from harness.ota_peer import (
    build_hotel_avail_notif_rs,
    build_hotel_rate_amount_notif_rs,
    build_notif_report_rs,
    build_res_retrieve_rs,
    parse_hotel_avail_notif_rq,
    parse_hotel_rate_amount_notif_rq,
    parse_notif_report_rq,
)
from phobs_channel_manager.phobs_api import (
    AvailabilityRun,
    ClientConfig,
    DEFAULT_PROFILE,
    OtaError,
    PhobsAuthError,
    PhobsClient,
    PhobsMappingError,
    PhobsProtocolError,
    PhobsServerError,
    PhobsSoapFault,
    PhobsThrottledError,
    PhobsTimeoutError,
    PhobsTransportError,
    RateRun,
    ResStatus,
    RestrictionRun,
    RetryPolicy,
    Secret,
)
from phobs_channel_manager.phobs_api.messages.read import build_read_rq
from phobs_channel_manager.phobs_api.messages.res_notif import build_hotel_res_notif_rs, parse_hotel_res_notif_rq
from phobs_channel_manager.phobs_api.records import Confirmation
from phobs_channel_manager.phobs_api.soap import build_envelope, build_fault, parse_envelope
from phobs_channel_manager.phobs_api.xml import WSSE_NS, to_bytes

BASE = "https://phobs.test"
pytestmark = pytest.mark.respx(base_url=BASE)

SECRETS = ("csecret", "wsse-pass", "tok-1", "tok-2", "hook-secret")


def soap(rs, status=200, headers=None):
    return httpx.Response(status, content=to_bytes(build_envelope(rs)),
                          headers={"Content-Type": "text/xml; charset=utf-8", **(headers or {})})


def reply(builder, status=200, headers=None, **kwargs):
    """Answer with ``builder`` echoing the request's EchoToken."""
    def respond(request):
        rq = parse_envelope(request.content)
        return soap(builder(echo_token=rq.get("EchoToken"), timestamp=STAMP, **kwargs),
                    status, headers)
    return respond


def fault(code, text, status, headers=None):
    return httpx.Response(status, content=to_bytes(build_fault(code, text)), headers=headers or {})


def script(*steps):
    """A respx side effect playing ``steps`` in order (responses, callables or exceptions)."""
    steps = list(steps)

    def respond(request):
        step = steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return step(request) if callable(step) else step
    return respond


def token(n):
    return httpx.Response(200, json={"access_token": f"tok-{n}", "token_type": "Bearer",
                                     "expires_in": 3600})


def echo_tokens(route):
    return [parse_envelope(call.request.content).get("EchoToken") for call in route.calls]


def payload(call):
    return parse_envelope(call.request.content)


PULL_OK = reply(build_res_retrieve_rs, reservations=[make_reservation()])
ERR_402 = reply(build_res_retrieve_rs, errors=[OtaError("3", "402", "Invalid room type")])
ERR_448 = reply(build_res_retrieve_rs, errors=[OtaError("12", "448", "System error")])
ERR_TYPE5 = reply(build_res_retrieve_rs, errors=[OtaError("5", None, "token expired")])


class Harness:
    def __init__(self, **config):
        self.exchanges, self.sleeps = [], []
        values = dict(base_url=BASE, hotel_code="HOTEL1", client_id="cid",
                      client_secret="csecret", retry=RetryPolicy(4, 0.5, 8))
        values.update(config)
        self.config = ClientConfig(**values)
        self.client = PhobsClient(self.config, on_exchange=self.exchanges.append,
                                  sleep=self.sleeps.append, now=lambda: STAMP)


@pytest.fixture
def oauth(respx_mock):
    h = Harness()
    h.token_route = respx_mock.post("/auth/token").mock(side_effect=script(token(1), token(2), token(3)))
    yield h
    h.client.close()


@pytest.fixture
def wsse():
    h = Harness(auth_mode="wsse", username="frontdesk", password="wsse-pass",
                client_id=None, client_secret=None)
    yield h
    h.client.close()


def test_pull_sends_a_valid_read_rq_with_bearer_and_reports_the_exchange(oauth, respx_mock, ota_schemas):
    route = respx_mock.post("/reservations").mock(side_effect=script(PULL_OK))
    batch = oauth.client.pull_reservations()
    assert batch.reservations == (make_reservation(),) and batch.rejected == ()
    request = route.calls[0].request
    assert request.headers["Authorization"] == "Bearer tok-1"
    assert request.headers["SOAPAction"] == '"OTA_ReadRQ"'
    assert request.headers["Content-Type"] == "text/xml; charset=utf-8"
    sent = parse_envelope(request.content)
    ota_schemas.assert_valid(sent)
    assert sent.find(".//{*}HotelReadRequest").get("HotelCode") == "HOTEL1"
    [exchange] = oauth.exchanges
    assert exchange.operation == "pull_reservations" and exchange.path == "/reservations"
    assert (exchange.http_status, exchange.attempt, exchange.error, exchange.ota_codes) == (200, 1, None, ())
    assert exchange.bytes_sent == len(request.content)
    assert exchange.bytes_received == len(route.calls[0].response.content)
    assert exchange.echo_token == sent.get("EchoToken") and exchange.duration_ms >= 0


def test_a_pull_reply_without_soap_envelope_is_read_like_an_enveloped_one(oauth, respx_mock):
    """Some peers answer with the bare OTA_ResRetrieveRS; it carries the same reservations."""
    def bare(request):
        rs = build_res_retrieve_rs(echo_token=parse_envelope(request.content).get("EchoToken"),
                                   timestamp=STAMP, reservations=[make_reservation()])
        return httpx.Response(200, content=to_bytes(rs),
                              headers={"Content-Type": "text/xml; charset=utf-8"})
    respx_mock.post("/reservations").mock(side_effect=script(bare))
    batch = oauth.client.pull_reservations()
    assert batch.reservations == (make_reservation(),) and batch.rejected == ()


def test_wsse_puts_credentials_in_the_soap_header_only(wsse, respx_mock):
    route = respx_mock.post("/reservations").mock(side_effect=script(PULL_OK))
    wsse.client.pull_reservations()
    request = route.calls[0].request
    assert "Authorization" not in request.headers
    envelope = request.content.decode()
    assert f'xmlns:wsse="{WSSE_NS}"' in envelope
    assert "<wsse:Username>frontdesk</wsse:Username>" in envelope and "wsse-pass" in envelope


def test_http_401_refreshes_the_token_once_and_repeats(oauth, respx_mock):
    route = respx_mock.post("/reservations").mock(side_effect=script(
        fault("soap:Client", "invalid or expired token", 401), PULL_OK))
    assert oauth.client.pull_reservations().reservations
    assert oauth.token_route.call_count == 2
    assert [c.request.headers["Authorization"] for c in route.calls] == ["Bearer tok-1", "Bearer tok-2"]
    assert len(set(echo_tokens(route))) == 1
    assert [(e.attempt, e.http_status, e.error) for e in oauth.exchanges] == [
        (1, 401, "PhobsAuthError"), (2, 200, None)]
    assert oauth.sleeps == []


def test_ota_error_type_5_refreshes_the_token_once_and_repeats(oauth, respx_mock):
    route = respx_mock.post("/reservations").mock(side_effect=script(ERR_TYPE5, PULL_OK))
    assert oauth.client.pull_reservations().reservations
    assert oauth.token_route.call_count == 2 and route.call_count == 2


def test_auth_failure_after_refresh_is_raised_not_retried(oauth, respx_mock):
    route = respx_mock.post("/reservations").mock(side_effect=script(
        fault("soap:Client", "invalid or expired token", 401),
        fault("soap:Client", "invalid or expired token", 401)))
    with pytest.raises(PhobsAuthError) as caught:
        oauth.client.pull_reservations()
    assert caught.value.http_status == 401 and isinstance(caught.value.__cause__, PhobsSoapFault)
    assert route.call_count == 2 and oauth.sleeps == []


def test_wsse_bad_credentials_fail_at_once(wsse, respx_mock):
    route = respx_mock.post("/reservations").mock(side_effect=script(
        reply(build_res_retrieve_rs, errors=[OtaError("4", None, "bad credentials")])))
    with pytest.raises(PhobsAuthError, match="bad credentials"):
        wsse.client.pull_reservations()
    assert route.call_count == 1


def test_transient_failures_are_retried_with_one_echo_token(oauth, respx_mock):
    route = respx_mock.post("/reservations").mock(side_effect=script(
        httpx.Response(503, headers={"Retry-After": "3"}),
        fault("soap:Server", "overloaded", 500),
        httpx.Response(429, headers={"Retry-After": "2"}),
        PULL_OK))
    assert oauth.client.pull_reservations().reservations
    tokens = echo_tokens(route)
    assert len(tokens) == 4 and len(set(tokens)) == 1
    assert [(e.attempt, e.http_status, e.error) for e in oauth.exchanges] == [
        (1, 503, "PhobsServerError"), (2, 500, "PhobsSoapFault"),
        (3, 429, "PhobsThrottledError"), (4, 200, None)]
    assert oauth.sleeps[0] >= 3 and oauth.sleeps[2] >= 2
    assert all(s <= 8 for s in oauth.sleeps)
    assert oauth.token_route.call_count == 1


def test_retryable_ota_code_is_retried(oauth, respx_mock):
    route = respx_mock.post("/reservations").mock(side_effect=script(ERR_448, PULL_OK))
    oauth.client.pull_reservations()
    assert route.call_count == 2
    assert oauth.exchanges[0].ota_codes == ("448",) and oauth.exchanges[0].http_status == 200


def test_timeouts_are_retried_and_reported(oauth, respx_mock):
    respx_mock.post("/reservations").mock(side_effect=script(httpx.ConnectTimeout("slow"), PULL_OK))
    oauth.client.pull_reservations()
    first = oauth.exchanges[0]
    assert (first.http_status, first.error, first.bytes_received) == (None, "PhobsTimeoutError", 0)


def test_retries_stop_at_the_policy_limit(oauth, respx_mock):
    route = respx_mock.post("/reservations").mock(
        side_effect=script(*[httpx.Response(502, text="<html>bad gateway</html>")] * 4))
    with pytest.raises(PhobsServerError, match="502"):
        oauth.client.pull_reservations()
    assert route.call_count == 4 and len(oauth.sleeps) == 3
    assert [e.attempt for e in oauth.exchanges] == [1, 2, 3, 4]


def test_transport_errors_exhaust_as_typed_errors(oauth, respx_mock):
    respx_mock.post("/reservations").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(PhobsTransportError) as caught:
        oauth.client.pull_reservations()
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_business_errors_are_not_retried(oauth, respx_mock):
    route = respx_mock.post("/reservations").mock(side_effect=script(ERR_402))
    with pytest.raises(PhobsMappingError) as caught:
        oauth.client.pull_reservations()
    assert caught.value.ota_codes == ("402",)
    assert route.call_count == 1 and oauth.sleeps == []
    assert oauth.exchanges[0].ota_codes == ("402",)
    assert oauth.exchanges[0].error == "PhobsMappingError"


@pytest.mark.parametrize(
    "response, cls, match",
    [
        (httpx.Response(200, text="<html>hello</html>"), PhobsProtocolError, "SOAP 1.1 Envelope"),
        (httpx.Response(200, text="garbage"), PhobsProtocolError, "malformed"),
        (fault("soap:Client", "bad request", 400), PhobsSoapFault, "bad request"),
        (httpx.Response(404, text="not found"), PhobsProtocolError, "404"),
        (httpx.Response(403, text=""), PhobsAuthError, "403"),
        (lambda r: soap(build_notif_report_rs(echo_token="x", timestamp=STAMP)), PhobsProtocolError,
         "expected OTA_ResRetrieveRS, got OTA_NotifReportRS"),
        (httpx.Response(200, content=b"<x>" + b"a" * 5000 + b"</x>"), PhobsProtocolError, "byte cap"),
    ],
)
def test_permanent_failures_are_raised_once(oauth, respx_mock, response, cls, match):
    client = PhobsClient(replace(oauth.config, max_response_bytes=4096),
                         on_exchange=oauth.exchanges.append, sleep=oauth.sleeps.append)
    route = respx_mock.post("/reservations").mock(side_effect=script(response))
    with pytest.raises(cls, match=match):
        client.pull_reservations()
    assert route.call_count == 1 and oauth.sleeps == []
    client.close()


def test_streamed_reply_over_the_cap_is_cut(oauth, respx_mock):
    def chunks():
        for _ in range(100):
            yield b"x" * 1024

    client = PhobsClient(replace(oauth.config, max_response_bytes=10_000), sleep=oauth.sleeps.append)
    respx_mock.post("/reservations").mock(
        side_effect=script(httpx.Response(200, content=chunks())))
    with pytest.raises(PhobsProtocolError, match="exceeds the 10000 byte cap"):
        client.pull_reservations()
    client.close()


def test_a_broken_monitor_does_not_break_the_exchange(respx_mock, caplog):
    respx_mock.post("/auth/token").mock(side_effect=script(token(1)))
    respx_mock.post("/reservations").mock(side_effect=script(PULL_OK))

    def broken(exchange):
        raise RuntimeError("monitor down")

    config = ClientConfig(base_url=BASE, hotel_code="H", client_id="cid", client_secret="csecret")
    with PhobsClient(config, on_exchange=broken) as client:
        assert client.pull_reservations().reservations
    assert "on_exchange callback failed" in caplog.text


def test_acknowledge_sends_successes_and_failures_separately(oauth, respx_mock, ota_schemas):
    route = respx_mock.post("/reservations").mock(side_effect=script(
        reply(build_notif_report_rs), reply(build_notif_report_rs)))
    results = oauth.client.acknowledge(
        successes=[("M-1", "odoo-1"), ("M-2", "odoo-2")],
        failures=[("M-3", OtaError("3", "450", "no room of that type"))])
    assert len(results) == 2 and route.call_count == 2
    for call in route.calls:
        ota_schemas.assert_valid(payload(call))
    first, second = (parse_notif_report_rq(payload(c)) for c in route.calls)
    assert [c.message_id for c in first.successes] == ["M-1", "M-2"] and not first.failures
    assert second.failures[0][0] == "M-3" and not second.successes
    assert oauth.client.acknowledge() == []


def test_upload_reservations(oauth, respx_mock, ota_schemas):
    route = respx_mock.post("/reservations").mock(side_effect=script(reply(
        build_hotel_res_notif_rs, confirmations=[Confirmation("M-5001", "R-1001", "odoo-1")])))
    [result] = oauth.client.upload_reservations([make_reservation(hotel_code=None)], ResStatus.CANCEL)
    assert result.ok and result.ack.confirmations[0].pms_id == "odoo-1"
    sent = payload(route.calls[0])
    ota_schemas.assert_valid(sent)
    uploaded = parse_hotel_res_notif_rq(sent).reservations[0]
    assert uploaded.status is ResStatus.CANCEL and uploaded.hotel_code == "HOTEL1"


D = date(2024, 6, 1)
AVAIL = [AvailabilityRun("DBL", D, D, n) for n in range(5)]
RESTRICTION = RestrictionRun("DBL", "BAR", D, D, stop_sell=True)
RATE = RateRun("DBL", "BAR", D, D, Decimal("10.00"), "EUR")


@pytest.fixture
def small_budget(respx_mock):
    h = Harness(profile=replace(DEFAULT_PROFILE, message_budget=2))
    respx_mock.post("/auth/token").mock(side_effect=script(token(1)))
    yield h
    h.client.close()


def test_inventory_is_batched_under_the_budget(small_budget, respx_mock, ota_schemas):
    route = respx_mock.post("/inventory").mock(side_effect=script(*[reply(build_hotel_avail_notif_rs)] * 3))
    results = small_budget.client.send_availability(AVAIL)
    assert [len(r.items) for r in results] == [2, 2, 1] and all(r.ok for r in results)
    assert len(set(echo_tokens(route))) == 3
    sent = [parse_hotel_avail_notif_rq(payload(c)) for c in route.calls]
    assert [run for notif in sent for run in notif.availability] == AVAIL
    for call in route.calls:
        ota_schemas.assert_valid(payload(call))


def test_a_refused_batch_does_not_stop_the_others(small_budget, respx_mock):
    respx_mock.post("/inventory").mock(side_effect=script(
        reply(build_hotel_avail_notif_rs),
        reply(build_hotel_avail_notif_rs, errors=[OtaError("3", "402", "Invalid room type")]),
        reply(build_hotel_avail_notif_rs)))
    results = small_budget.client.send_availability(AVAIL)
    assert [r.ok for r in results] == [True, False, True]
    assert isinstance(results[1].error, PhobsMappingError)


def test_after_retries_run_out_the_remaining_batches_wait(small_budget, respx_mock):
    route = respx_mock.post("/inventory").mock(side_effect=script(
        reply(build_hotel_avail_notif_rs), *[httpx.Response(429)] * 4))
    results = small_budget.client.send_availability(AVAIL)
    assert [r.ok for r in results] == [True, False, False]
    assert results[1].error is results[2].error and isinstance(results[2].error, PhobsThrottledError)
    assert route.call_count == 5
    assert [item for r in results for item in r.items] == AVAIL


def test_after_a_request_timed_out_for_good_the_session_sends_nothing_more(oauth, respx_mock):
    """A hanging Phobs costs a session one request's timeouts: the restrictions and rates that
    follow fail at once, retryable, and nothing more goes out."""
    respx_mock.post("/inventory").mock(side_effect=httpx.ReadTimeout("hangs"))
    (first,) = oauth.client.send_availability(AVAIL[:1])
    assert isinstance(first.error, PhobsTimeoutError)
    calls = len(respx_mock.calls)
    (restrictions,) = oauth.client.send_restrictions([RESTRICTION])
    (rate,) = oauth.client.send_rates([RATE])
    for result in (restrictions, rate):
        assert isinstance(result.error, PhobsTimeoutError) and "not attempted" in str(result.error)
    assert len(respx_mock.calls) == calls  # the token and the first request's attempts only


def test_a_connection_refused_does_not_stop_the_session(oauth, respx_mock):
    respx_mock.post("/reservations").mock(side_effect=httpx.ConnectError("refused"))
    rates = respx_mock.post("/rates").mock(side_effect=script(reply(build_hotel_rate_amount_notif_rs)))
    with pytest.raises(PhobsTransportError):
        oauth.client.pull_reservations()
    (rate,) = oauth.client.send_rates([RATE])
    assert rate.ok and rates.call_count == 1


def test_restrictions_and_rates_go_to_their_paths(oauth, respx_mock):
    inventory = respx_mock.post("/inventory").mock(side_effect=script(reply(build_hotel_avail_notif_rs)))
    rates = respx_mock.post("/rates").mock(side_effect=script(reply(build_hotel_rate_amount_notif_rs)))
    assert oauth.client.send_restrictions([RESTRICTION])[0].ok
    assert oauth.client.send_rates([RATE])[0].ok
    assert parse_hotel_avail_notif_rq(payload(inventory.calls[0])).restrictions == (RESTRICTION,)
    assert parse_hotel_rate_amount_notif_rq(payload(rates.calls[0])).rates == (RATE,)
    assert {e.operation for e in oauth.exchanges} == {"send_restrictions", "send_rates"}


def test_webhooks_with_bearer(oauth, respx_mock):
    get = respx_mock.get("/webhooks").mock(side_effect=script(
        httpx.Response(500), httpx.Response(200, json={"url": None, "has_secret": False})))
    put = respx_mock.put("/webhooks").mock(side_effect=script(
        httpx.Response(401, json={"error": "expired"}),
        httpx.Response(200, json={"url": "https://odoo.test/phobs", "has_secret": True})))
    assert oauth.client.get_webhook().url is None
    info = oauth.client.register_webhook("https://odoo.test/phobs", Secret("hook-secret"))
    assert (info.url, info.has_secret) == ("https://odoo.test/phobs", True)
    assert get.call_count == 2 and put.call_count == 2
    assert json.loads(put.calls[1].request.content) == {"url": "https://odoo.test/phobs",
                                                         "secret": "hook-secret"}
    assert put.calls[1].request.headers["Authorization"] == "Bearer tok-2"
    assert "hook-secret" not in repr(oauth.exchanges)


def test_webhooks_with_basic_auth_in_wsse_mode(wsse, respx_mock):
    route = respx_mock.get("/webhooks").mock(side_effect=script(
        httpx.Response(200, json={"url": "https://x.test", "has_secret": True})))
    assert wsse.client.get_webhook().has_secret
    expected = "Basic " + base64.b64encode(b"frontdesk:wsse-pass").decode()
    assert route.calls[0].request.headers["Authorization"] == expected


@pytest.mark.parametrize("body", [b"[1]", b"nope"])
def test_webhook_replies_must_be_json_objects(wsse, respx_mock, body):
    respx_mock.get("/webhooks").mock(side_effect=script(httpx.Response(200, content=body)))
    with pytest.raises(PhobsProtocolError):
        wsse.client.get_webhook()


def test_check_connection_fetches_a_fresh_token_and_reads_once(oauth, respx_mock):
    respx_mock.post("/reservations").mock(side_effect=script(PULL_OK, PULL_OK))
    oauth.client.pull_reservations()
    check = oauth.client.check_connection()
    assert check.ok and "hotel HOTEL1" in check.message and "1 undelivered" in check.message
    assert oauth.token_route.call_count == 2


def test_check_connection_reports_failure_without_retrying_or_leaking(respx_mock):
    h = Harness()
    respx_mock.post("/auth/token").mock(side_effect=script(
        httpx.Response(401, json={"error": "invalid_client"})))
    check = h.client.check_connection()
    assert not check.ok and "PhobsAuthError" in check.message and "csecret" not in check.message
    assert h.sleeps == []


def test_check_connection_does_not_retry_transient_errors(oauth, respx_mock):
    route = respx_mock.post("/reservations").mock(side_effect=script(httpx.Response(503)))
    assert not oauth.client.check_connection().ok
    assert route.call_count == 1


def test_secrets_stay_out_of_reprs_exchanges_and_logs(oauth, respx_mock, caplog):
    caplog.set_level(logging.DEBUG)
    respx_mock.post("/reservations").mock(side_effect=script(
        fault("soap:Client", "invalid or expired token", 401), PULL_OK))
    oauth.client.pull_reservations()
    visible = repr(oauth.config) + repr(oauth.client) + repr(oauth.exchanges) + caplog.text
    assert "phobs pull_reservations /reservations attempt 1 -> 401" in caplog.text
    for secret in SECRETS:
        assert secret not in visible


@pytest.mark.parametrize(
    "config, problem",
    [
        (dict(client_secret=None), "client_secret"),
        (dict(auth_mode="wsse"), "username, password"),
        (dict(auth_mode="basic"), "auth_mode"),
        (dict(hotel_code=""), "hotel_code"),
    ],
)
def test_config_is_validated(config, problem):
    values = dict(base_url=BASE, hotel_code="H", client_id="cid", client_secret="csecret")
    values.update(config)
    with pytest.raises(ValueError, match=problem):
        ClientConfig(**values)


def test_config_wraps_secrets_and_sets_explicit_timeouts():
    config = ClientConfig(base_url=BASE, hotel_code="H", auth_mode="wsse", username="u",
                          password="p", read_timeout=12)
    assert isinstance(config.password, Secret) and config.auth_mode == "wsse"
    assert config.timeout == httpx.Timeout(connect=10, read=12, write=30, pool=10)
    assert ClientConfig(base_url=BASE, hotel_code="H", client_id="c",
                        client_secret="s").auth_mode == "oauth2"


def test_send_sets_an_echo_token_when_the_payload_has_none(oauth, respx_mock):
    route = respx_mock.post("/reservations").mock(side_effect=script(PULL_OK))
    rq = build_read_rq("HOTEL1", echo_token="x", timestamp=STAMP)
    del rq.attrib["EchoToken"]
    rs = oauth.client.send("custom", "/reservations", rq)
    assert rs.get("EchoToken") == echo_tokens(route)[0] and len(echo_tokens(route)[0]) == 32

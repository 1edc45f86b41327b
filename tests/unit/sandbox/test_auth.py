"""Token endpoint, both SOAP auth modes, per-hotel credentials, and /webhooks registration."""
import time

import pytest

from . import ota_builders as ob
from .conftest import HOTEL_1, HOTEL_2, SandboxProcess, World, day


def _token(world, client_id, client_secret, **kwargs):
    return world.http.post("/auth/token", data={"grant_type": "client_credentials"},
                           auth=(client_id, client_secret), **kwargs)


def test_good_client_credentials_get_a_bearer_token(world):
    response = _token(world, "htl1-client", "htl1-secret")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and len(body["access_token"]) > 20
    assert response.headers["cache-control"] == "no-store"


def test_client_credentials_in_the_form_are_accepted_too(world):
    response = world.http.post("/auth/token", data={
        "grant_type": "client_credentials", "client_id": "htl2-client", "client_secret": "htl2-secret"})
    assert response.status_code == 200


@pytest.mark.parametrize("client_id, secret", [("htl1-client", "wrong"), ("nobody", "htl1-secret"),
                                               ("htl1-client", "htl2-secret")])
def test_bad_client_credentials_are_401_invalid_client(world, client_id, secret):
    response = _token(world, client_id, secret)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}


def test_other_grant_types_are_refused(world):
    response = world.http.post("/auth/token", data={"grant_type": "password"},
                               auth=("htl1-client", "htl1-secret"))
    assert response.status_code == 400
    assert response.json() == {"error": "unsupported_grant_type"}


def test_bearer_and_wsse_both_authenticate_soap(world):
    for auth in ("bearer", "wsse"):
        world.ok("/inventory", ob.avail_rq("HTL1", {"start": day(10), "end": day(10), "room_type": "DBL",
                                                    "limit": 1}), auth=auth)


def test_an_unknown_token_is_401_with_a_soap_fault(world):
    response = world.http.post("/inventory", content=ob.envelope(ob.avail_rq(
        "HTL1", {"start": day(10), "end": day(10), "room_type": "DBL", "limit": 1})),
        headers={"Authorization": "Bearer not-a-token", "Content-Type": "text/xml; charset=utf-8"})
    assert response.status_code == 401
    assert ob.fault_of(response.content) == ("soap:Client", "invalid or expired token")


def test_no_credentials_at_all_is_401(world):
    response = world.post("/reservations", ob.read_rq("HTL1"), auth=None)
    assert response.status_code == 401
    assert ob.fault_of(response.content)[0] == "soap:Client"


def test_a_wrong_wsse_password_is_error_type_4(world):
    bad = dict(HOTEL_1, credentials=dict(HOTEL_1["credentials"], password="guess"))
    rs = world.soap("/reservations", ob.read_rq("HTL1"), auth="wsse", hotel=bad)
    assert [t for t, _ in ob.errors_of(rs)] == ["4"]


@pytest.mark.parametrize("auth", ["bearer", "wsse"])
def test_credentials_of_one_hotel_do_not_open_another(world, auth):
    rs = world.soap("/reservations", ob.read_rq("HTL2"), auth=auth, hotel=HOTEL_1)
    assert [t for t, _ in ob.errors_of(rs)] == ["4"]


@pytest.mark.parametrize("auth", ["bearer", "wsse"])
def test_an_unknown_hotel_code_is_392(world, auth):
    rs = world.soap("/reservations", ob.read_rq("GHOST"), auth=auth)
    assert ob.errors_of(rs) == [("3", "392")]


def test_tokens_expire_after_the_configured_ttl(schemas):
    process = SandboxProcess("--token-ttl", "1")
    try:
        world = World(process.url, schemas)
        assert _token(world, "demo01-client", "demo01-secret").json()["expires_in"] == 1
        demo = {"code": "DEMO01",
                "credentials": {"client_id": "demo01-client", "client_secret": "demo01-secret"}}
        request = ob.read_rq("DEMO01")
        assert world.post("/reservations", request, hotel=demo).status_code == 200
        time.sleep(1.1)
        expired = world.post("/reservations", request, hotel=demo)
        assert expired.status_code == 401
        assert ob.fault_of(expired.content)[1] == "invalid or expired token"
        world.http.close()
    finally:
        assert process.stop() == 0


def test_webhooks_register_with_bearer_and_read_back_with_basic(world):
    headers = {"Authorization": "Bearer " + world.token(HOTEL_2)}
    assert world.http.get("/webhooks", headers=headers).json() == {"url": None, "has_secret": False}
    put = world.http.put("/webhooks", headers=headers,
                         json={"url": "http://127.0.0.1:9/hook", "secret": "s3"})
    assert put.status_code == 200
    assert put.json() == {"url": "http://127.0.0.1:9/hook", "has_secret": True}
    read = world.http.get("/webhooks", headers={"Authorization": ob.basic("htl2", "htl2-pass")})
    assert read.json() == {"url": "http://127.0.0.1:9/hook", "has_secret": True}
    mine = world.http.get("/webhooks", headers={"Authorization": ob.basic("htl1", "htl1-pass")})
    assert mine.json()["url"] is None


def test_webhooks_refuse_bad_credentials_and_bad_urls(world):
    assert world.http.get("/webhooks").status_code == 401
    assert world.http.get("/webhooks", headers={"Authorization": ob.basic("htl1", "nope")}).status_code == 401
    bad = world.http.put("/webhooks", headers={"Authorization": "Bearer " + world.token()},
                         json={"url": "ftp://example.com", "secret": "x"})
    assert bad.status_code == 400

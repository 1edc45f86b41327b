"""Our HTTP routes answer through the real Odoo server over loopback."""
import httpx


def test_health_route_answers_json(odoo_server):
    response = httpx.get(odoo_server.url + "/phobs/health", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"status": "ok", "service": "phobs_channel_manager"}


def test_health_route_refuses_other_methods(odoo_server):
    response = httpx.post(odoo_server.url + "/phobs/health", timeout=10)
    assert response.status_code == 405

"""A browser on the allowed origin can call the local API as it would call API Gateway."""

import pytest

from helpdesk.local.gateway import http_api_cors, load_template
from tests.e2e.conftest import ROOT, LocalStack

pytestmark = pytest.mark.e2e


def test_preflight_for_chat_sessions(stack: LocalStack) -> None:
    cors = http_api_cors(load_template(ROOT / "template.yaml"))
    assert cors is not None
    origin = cors.allow_origins[0]  # the template's default CorsOrigin: serve ran without --cors-origin
    with stack.client() as client:
        preflight = client.options("/chat/sessions", headers={
            "origin": origin, "access-control-request-method": "POST",
            "access-control-request-headers": "content-type"})
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == origin
        assert "POST" in preflight.headers["access-control-allow-methods"].split(",")
        created = client.post("/chat/sessions", json={"tenant_id": "acme"}, headers={"origin": origin})
        assert created.status_code == 201, created.text
        assert created.headers["access-control-allow-origin"] == origin

"""A browser on the allowed origin can call the local API as it would call API Gateway."""

import pytest

from helpdesk.local.gateway import template_parameter
from tests.e2e.conftest import ROOT, LocalStack

pytestmark = pytest.mark.e2e


def test_preflight_for_chat_sessions(stack: LocalStack) -> None:
    # The template's default CorsOrigin (serve ran without --cors-origin); the apps answer CORS themselves.
    origin = template_parameter(ROOT, "CorsOrigin").split(",")[0].strip()
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

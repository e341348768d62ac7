"""CORS per tenant on the chat API: each tenant's widget origins (its AI settings) may call it from a
browser, others may not; the other APIs keep the static CorsOrigin. Through the real lambda_handler (as
in AWS, where the HttpApi has no CorsConfiguration) and through the local gateway (`helpdesk serve`)."""

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpdesk import bootstrap
from helpdesk.local.gateway import LocalGateway, http_api_cors, load_template
from helpdesk.triage.settings import TriageSettings
from tests.conftest import http_event, rebuild
from tests.integration.chat.conftest import CHAT_SECRET

ROOT = Path(__file__).resolve().parents[3]
A, B, STATIC = "https://shop-a.example", "https://shop-b.example", "https://console.example"
Invoke = Callable[..., dict[str, Any]]


@pytest.fixture
def tenants(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_CHAT_TOKEN_SECRET", CHAT_SECRET)
    monkeypatch.setenv("HELPDESK_CORS_ORIGINS", STATIC)
    monkeypatch.setenv("HELPDESK_AI_PROVIDER", "offline")
    rebuild()
    # what an admin's PUT /assist/settings stores (the AI settings' admin API)
    for tenant, origins in (("acme", [A]), ("beta", [B])):
        bootstrap.container().triage_settings.put(tenant, TriageSettings(widget_origins=origins))


def preflight(invoke: Invoke, origin: str, path: str, tenant: str) -> dict[str, str]:
    r = invoke("chat_intake", http_event("OPTIONS", path, query={"tenant": tenant}, headers={
        "origin": origin, "access-control-request-method": "POST",
        # what the widget's POSTs carry (an Idempotency-Key each, sent again when an answer was lost)
        "access-control-request-headers": "content-type,authorization,idempotency-key"},
        template="chat_intake/start_session.json"))
    assert r["statusCode"] == 204
    return {k.lower(): v for k, v in r["headers"].items()}


def start(invoke: Invoke, origin: str, tenant: str) -> dict[str, Any]:
    return invoke("chat_intake", http_event("POST", "/chat/sessions", body={"tenant_id": tenant},
                                            query={"tenant": tenant}, headers={"origin": origin},
                                            template="chat_intake/start_session.json"))


def test_origin_a_is_allowed_for_acme_b_refused_and_b_allowed_for_beta(tenants: None, invoke: Invoke) -> None:
    ok = preflight(invoke, A, "/chat/sessions", "acme")
    assert ok["access-control-allow-origin"] == A
    assert "POST" in ok["access-control-allow-methods"]
    assert ok["access-control-allow-headers"] == "content-type,authorization,idempotency-key"
    assert "access-control-allow-origin" not in preflight(invoke, B, "/chat/sessions", "acme")
    assert preflight(invoke, B, "/chat/sessions", "beta")["access-control-allow-origin"] == B

    started = start(invoke, A, "acme")
    assert started["statusCode"] == 201
    assert started["headers"]["access-control-allow-origin"] == A
    # B on acme's chat: refused before anything happens (and the browser cannot read the answer)
    refused = start(invoke, B, "acme")
    assert refused["statusCode"] == 403
    assert refused["json"]["error"]["code"] == "forbidden"
    assert "access-control-allow-origin" not in {k.lower() for k in refused["headers"]}
    # naming another tenant in ?tenant= does not help: the session's own tenant decides
    sneaky = invoke("chat_intake", http_event("POST", "/chat/sessions", body={"tenant_id": "acme"},
                                              query={"tenant": "beta"}, headers={"origin": B},
                                              template="chat_intake/start_session.json"))
    assert sneaky["statusCode"] == 403
    assert start(invoke, B, "beta")["statusCode"] == 201

    # session routes: the session's tenant decides too
    session = started["json"]
    read = invoke("chat_intake", http_event(
        "GET", f"/chat/sessions/{session['id']}", query={"tenant": "acme"},
        headers={"origin": A, "authorization": f"Bearer {session['token']}"},
        template="chat_intake/get_transcript.json"))
    assert read["statusCode"] == 200
    assert read["headers"]["access-control-allow-origin"] == A
    other = invoke("chat_intake", http_event(
        "GET", f"/chat/sessions/{session['id']}", query={"tenant": "beta"},
        headers={"origin": B, "authorization": f"Bearer {session['token']}"},
        template="chat_intake/get_transcript.json"))
    assert other["statusCode"] == 403


def test_static_origin_everywhere_and_widget_origins_only_on_chat(tenants: None, invoke: Invoke) -> None:
    assert preflight(invoke, STATIC, "/chat/sessions", "acme")["access-control-allow-origin"] == STATIC
    tickets = invoke("ticket_commands", http_event("OPTIONS", "/tickets", query={"tenant": "acme"}, headers={
        "origin": A, "access-control-request-method": "GET"}))
    assert tickets["statusCode"] == 204
    assert "access-control-allow-origin" not in {k.lower() for k in tickets["headers"]}
    console = invoke("ticket_commands", http_event("OPTIONS", "/tickets", headers={
        "origin": STATIC, "access-control-request-method": "PATCH", "access-control-request-headers": "if-match"}))
    assert console["headers"]["access-control-allow-origin"] == STATIC
    assert start(invoke, STATIC, "acme")["statusCode"] == 201


def test_widget_origins_must_be_origins() -> None:
    assert TriageSettings(widget_origins=["https://Shop.Example/", "http://localhost:5173"]).widget_origins == [
        "https://shop.example", "http://localhost:5173"]
    for bad in ("shop.example", "https://shop.example/path", "https://*.example", "http://shop.example",
                "javascript:alert(1)"):
        with pytest.raises(ValueError):
            TriageSettings(widget_origins=[bad])


def test_the_local_gateway_routes_preflights_to_the_apps(tenants: None) -> None:
    template = load_template(ROOT / "template.yaml")
    assert http_api_cors(template) is None  # API Gateway must not answer CORS in the apps' place
    gateway = LocalGateway(ROOT)

    async def go(origin: str, tenant: str) -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://local") as client:
            return await client.options(f"/chat/sessions?tenant={tenant}", headers={
                "origin": origin, "access-control-request-method": "POST"})

    assert asyncio.run(go(A, "acme")).headers["access-control-allow-origin"] == A
    assert "access-control-allow-origin" not in asyncio.run(go(B, "acme")).headers
    assert asyncio.run(go(B, "beta")).headers["access-control-allow-origin"] == B

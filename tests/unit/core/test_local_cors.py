"""The local gateway applies the HttpApi's CorsConfiguration like API Gateway: it answers preflights
itself (any path, no authorization) and owns the CORS headers of every response."""

import asyncio
from pathlib import Path

import httpx
import pytest

from helpdesk.local.gateway import LocalGateway, http_api_cors, http_routes, load_template, template_parameter

ROOT = Path(__file__).resolve().parents[3]

TEMPLATE = """
Parameters:
  CorsOrigin: {Type: String, Default: "https://app.example"}
Resources:
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: [!Ref CorsOrigin]
        AllowHeaders: [authorization, content-type]
        AllowMethods: [GET, POST]
        ExposeHeaders: [etag]
        MaxAge: 600
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/echo/
      Events:
        Get: {Type: HttpApi, Properties: {Path: /things, Method: GET, ApiId: !Ref HttpApi}}
"""
APP = """
async def app(scope, receive, send):
    # a function that sets its own (wrong) CORS header: API Gateway replaces it
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"access-control-allow-origin", b"*")]})
    await send({"type": "http.response.body", "body": b"ok"})
"""


@pytest.fixture
def gateway(tmp_path: Path) -> LocalGateway:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "functions" / "echo").mkdir(parents=True)
    (tmp_path / "functions" / "echo" / "app.py").write_text(APP)
    return LocalGateway(tmp_path)


def call(gateway: LocalGateway, method: str, path: str, headers: dict[str, str]) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://local") as client:
            return await client.request(method, path, headers=headers)

    return asyncio.run(go())


def test_preflight_is_answered_for_allowed_origins_only(gateway: LocalGateway) -> None:
    ok = call(gateway, "OPTIONS", "/things", {"origin": "https://app.example", "access-control-request-method": "POST",
                                              "access-control-request-headers": "Authorization, Content-Type"})
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == "https://app.example"
    assert ok.headers["access-control-allow-methods"] == "GET,POST"
    assert ok.headers["access-control-allow-headers"] == "authorization,content-type"
    assert ok.headers["access-control-max-age"] == "600"
    # any path: API Gateway answers preflights before routing or authorization
    assert call(gateway, "OPTIONS", "/nowhere", {"origin": "https://app.example",
                                                 "access-control-request-method": "GET"}).status_code == 204

    for refused in ({"origin": "https://evil.example", "access-control-request-method": "GET"},
                    {"origin": "https://app.example", "access-control-request-method": "DELETE"},
                    {"origin": "https://app.example", "access-control-request-method": "GET",
                     "access-control-request-headers": "x-secret"}):
        response = call(gateway, "OPTIONS", "/things", refused)
        assert response.status_code == 204
        assert "access-control-allow-origin" not in response.headers


def test_responses_carry_the_configured_headers_only(gateway: LocalGateway) -> None:
    allowed = call(gateway, "GET", "/things", {"origin": "https://app.example"})
    assert allowed.text == "ok"
    assert allowed.headers.get_list("access-control-allow-origin") == ["https://app.example"]
    assert allowed.headers["access-control-expose-headers"] == "etag"
    other = call(gateway, "GET", "/things", {"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers  # the function's "*" is dropped
    assert "access-control-allow-origin" not in call(gateway, "GET", "/things", {}).headers
    assert call(gateway, "OPTIONS", "/things", {}).status_code != 204  # not a preflight: routed as usual


def test_the_real_template_leaves_cors_to_the_apps() -> None:
    """The HttpApi has no CorsConfiguration (the apps answer CORS, per tenant on chat: helpdesk.web.cors);
    every function gets the CorsOrigin parameter, and OPTIONS routes bring the preflights to the apps."""
    template = load_template(ROOT / "template.yaml")
    assert http_api_cors(template, {"CorsOrigin": "http://localhost:5173"}) is None
    env = template["Globals"]["Function"]["Environment"]["Variables"]
    assert env["HELPDESK_CORS_ORIGINS"] == {"Ref": "CorsOrigin"}
    assert template_parameter(ROOT, "CorsOrigin")
    preflights = {(r.path, r.function) for r in http_routes(template) if r.method == "OPTIONS"}
    assert preflights == {("/{proxy+}", "ticket_commands"), ("/chat/{proxy+}", "chat_intake")}

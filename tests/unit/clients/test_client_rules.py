"""API clients' rules without AWS: the route table, token scopes, the tenant cache, the admin rules (on in-memory
ports) and the authorizer-audience adapter (botocore's Stubber: moto has no apigatewayv2 GetAuthorizers)."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from helpdesk.clients.adapters.apigateway import ApiGatewayAudience
from helpdesk.clients.model import SCOPES, ApiClient, NewClient
from helpdesk.clients.scopes import ROUTE_SCOPES, token_scopes
from helpdesk.clients.service import ClientAdmin, ClientDirectory
from helpdesk.kernel.errors import Forbidden, NotFound, Unauthorized
from helpdesk.kernel.principal import Principal, Role
from helpdesk.local.gateway import http_routes, load_template
from helpdesk.web.claims import is_client_token

ROOT = Path(__file__).resolve().parents[3]
ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)


class Registry:
    def __init__(self) -> None:
        self.items: dict[str, ApiClient] = {}
        self.reads = 0

    def put(self, client: ApiClient) -> None:
        self.items[client.client_id] = client

    def get(self, client_id: str) -> ApiClient | None:
        self.reads += 1
        return self.items.get(client_id)

    def of_tenant(self, tenant_id: str) -> list[ApiClient]:
        return [c for c in self.items.values() if c.tenant_id == tenant_id]

    def delete(self, client: ApiClient) -> None:
        self.items.pop(client.client_id, None)

    def all_ids(self) -> list[str]:
        return list(self.items)


class AppClients:
    def __init__(self) -> None:
        self.made: dict[str, list[str]] = {}

    def create(self, name: str, scopes: list[str]) -> tuple[str, str]:
        client_id = f"c{len(self.made) + 1}"
        self.made[client_id] = scopes
        return client_id, "s3cret"

    def delete(self, client_id: str) -> None:
        self.made.pop(client_id, None)


def token(client_id: str, *scopes: str) -> dict[str, Any]:
    return {"sub": client_id, "client_id": client_id, "token_use": "access",
            "scope": " ".join(f"helpdesk/{s}" for s in scopes)}


def test_every_listed_route_exists_in_the_template_and_names_a_known_scope() -> None:
    routes = {(r.method, r.path) for r in http_routes(load_template(ROOT / "template.yaml"))}
    assert set(ROUTE_SCOPES) <= routes, sorted(set(ROUTE_SCOPES) - routes)
    assert set(ROUTE_SCOPES.values()) <= set(SCOPES)
    assert not [key for key in ROUTE_SCOPES if key[1].startswith("/clients")]  # clients never manage clients


def test_the_resource_server_in_the_template_has_every_scope() -> None:
    server = load_template(ROOT / "template.yaml")["Resources"]["ApiResourceServer"]["Properties"]
    assert server["Identifier"] == "helpdesk"
    assert {s["ScopeName"] for s in server["Scopes"]} == set(SCOPES)


def test_token_scopes_keep_only_our_resource_servers() -> None:
    assert token_scopes("helpdesk/tickets:read other/kb:write helpdesk/kb:read", "helpdesk") == {
        "tickets:read", "kb:read"}
    assert token_scopes("[helpdesk/tickets:read]", "helpdesk") == {"tickets:read"}  # API Gateway's list form
    assert token_scopes(["helpdesk/sla:read"], "helpdesk") == {"sla:read"}
    assert token_scopes(None, "helpdesk") == frozenset()


def test_client_tokens_are_told_from_peoples() -> None:
    assert is_client_token(token("c1", "tickets:read"))
    assert not is_client_token({**token("c1"), "username": "dana"})  # a person's access token
    assert not is_client_token({"sub": "u", "token_use": "id", "custom:tenant_id": "acme"})


def test_the_directory_checks_the_scope_first_and_caches_the_tenant() -> None:
    registry, now = Registry(), [0.0]
    registry.put(ApiClient(client_id="c1", tenant_id="acme", name="shop", scopes=["tickets:read"],
                           created_at=datetime(2026, 1, 1, tzinfo=UTC), created_by="root"))
    directory = ClientDirectory(registry, resource_server="helpdesk", monotonic=lambda: now[0], cache_seconds=60)

    principal = directory.principal(token("c1", "tickets:read"), "GET", "/tickets")
    assert (principal.tenant_id, principal.user_id, principal.scopes) == ("acme", "c1", ("tickets:read",))
    directory.principal(token("c1", "tickets:read"), "GET", "/tickets/{ticket_id}")
    assert registry.reads == 1
    with pytest.raises(Forbidden) as lacking:
        directory.principal(token("c1", "tickets:read"), "POST", "/tickets")
    assert lacking.value.details["required_scope"] == "helpdesk/tickets:write"
    with pytest.raises(Forbidden):
        directory.principal(token("c1", "tickets:read"), "GET", "/macros")  # people only
    with pytest.raises(Forbidden):
        directory.principal(token("c1", "tickets:read"), "GET", None)
    with pytest.raises(Unauthorized):
        directory.principal(token("ghost", "tickets:read"), "GET", "/tickets")

    registry.items.clear()  # deleted: still known until the cache entry expires
    directory.principal(token("c1", "tickets:read"), "GET", "/tickets")
    now[0] = 61.0
    with pytest.raises(Unauthorized):
        directory.principal(token("c1", "tickets:read"), "GET", "/tickets")


def test_admins_of_the_tenant_manage_its_clients() -> None:
    registry, app_clients = Registry(), AppClients()
    admin = ClientAdmin(registry, app_clients)
    issued = admin.create(ADMIN, NewClient(name="shop", scopes=["tickets:write", "tickets:write", "kb:read"]))
    assert issued.client.scopes == ["kb:read", "tickets:write"]
    assert app_clients.made == {issued.client.client_id: ["kb:read", "tickets:write"]}
    foreign = Principal(user_id="root", tenant_id="zeta", role=Role.ADMIN)
    with pytest.raises(NotFound):
        admin.delete(foreign, issued.client.client_id)
    for caller in (Principal(user_id="a", tenant_id="acme", role=Role.AGENT),
                   Principal(user_id="c1", tenant_id="acme", role=Role.ADMIN, scopes=("tickets:write",))):
        with pytest.raises(Forbidden):
            admin.listed(caller)
    admin.delete(ADMIN, issued.client.client_id)
    assert (registry.items, app_clients.made) == ({}, {})
    with pytest.raises(ValueError, match="unknown scopes"):
        NewClient(name="x", scopes=["tickets:delete"])


def test_a_client_whose_audience_change_fails_is_undone() -> None:
    class Failing:
        def add(self, *client_ids: str) -> None:
            raise RuntimeError("UpdateAuthorizer refused")

        def remove(self, client_id: str) -> None:
            raise AssertionError("not reached")

    registry, app_clients = Registry(), AppClients()
    with pytest.raises(RuntimeError):
        ClientAdmin(registry, app_clients, audience=Failing()).create(ADMIN, NewClient(name="s", scopes=["kb:read"]))
    assert (registry.items, app_clients.made) == ({}, {})


def test_the_audience_of_the_pools_authorizers_gets_and_loses_the_client() -> None:
    client = boto3.client("apigatewayv2", region_name="us-east-1")
    issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_POOL"
    ours = {"AuthorizerId": "au1", "Name": "CognitoJwt", "AuthorizerType": "JWT",
            "JwtConfiguration": {"Audience": ["console"], "Issuer": issuer}}
    other = {"AuthorizerId": "au2", "Name": "Other", "AuthorizerType": "JWT",
             "JwtConfiguration": {"Audience": ["x"], "Issuer": "https://example.com/issuer"}}
    apis = {"Items": [{"ApiId": "api1", "Name": "helpdesk", "ProtocolType": "HTTP",
                       "RouteSelectionExpression": "${request.method} ${request.path}"},
                      {"ApiId": "ws1", "Name": "chat", "ProtocolType": "WEBSOCKET",
                       "RouteSelectionExpression": "$request.body.action"}]}
    with Stubber(client) as stub:
        stub.add_response("get_apis", apis, {})
        stub.add_response("get_authorizers", {"Items": [ours, other]}, {"ApiId": "api1"})
        stub.add_response("update_authorizer", {}, {"ApiId": "api1", "AuthorizerId": "au1", "JwtConfiguration": {
            "Audience": ["console", "c1"], "Issuer": issuer}})
        ApiGatewayAudience("us-east-1_POOL", "us-east-1", client).add("c1")
        with_client = {**ours, "JwtConfiguration": {"Audience": ["console", "c1"], "Issuer": issuer}}
        stub.add_response("get_apis", apis, {})
        stub.add_response("get_authorizers", {"Items": [with_client]}, {"ApiId": "api1"})
        ApiGatewayAudience("us-east-1_POOL", "us-east-1", client).add("c1")  # already there: no update
        stub.add_response("get_apis", apis, {})
        stub.add_response("get_authorizers", {"Items": [with_client]}, {"ApiId": "api1"})
        stub.add_response("update_authorizer", {}, {"ApiId": "api1", "AuthorizerId": "au1", "JwtConfiguration": {
            "Audience": ["console"], "Issuer": issuer}})
        ApiGatewayAudience("us-east-1_POOL", "us-east-1", client).remove("c1")
        stub.assert_no_pending_responses()

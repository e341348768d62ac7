"""API clients through the real lambda_handlers on moto: an admin creates a Cognito app client (client
credentials, scopes of the resource server) at POST /clients; the client's token (as API Gateway's JWT
authorizer passes its claims) works in its tenant for the routes its scopes cover and is 403 elsewhere."""

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from tests.conftest import claims, http_event, rebuild

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
ADMIN = claims("root", "acme", "admin")
AGENT = claims("a1", "acme", "agent")
FOREIGN_ADMIN = claims("root", "zeta", "admin")
TICKET = {"subject": "Order 1042 not delivered", "description": "From the shop's integration"}
SCOPES = ["tickets:read", "tickets:write", "kb:read"]


class Audience:
    """The JWT authorizer's audience. moto has no apigatewayv2 GetAuthorizers, which ApiGatewayAudience needs
    (tests/unit/clients test that adapter against botocore's Stubber)."""

    def __init__(self, initial: list[str]) -> None:
        self.ids = list(initial)

    def add(self, *client_ids: str) -> None:
        self.ids += [c for c in dict.fromkeys(client_ids) if c not in self.ids]

    def remove(self, client_id: str) -> None:
        self.ids = [c for c in self.ids if c != client_id]


@pytest.fixture
def pool(aws: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A user pool with the template's resource server, and the JWT authorizer's audience."""
    idp = boto3.client("cognito-idp")
    pool_id = idp.create_user_pool(PoolName="helpdesk-users")["UserPool"]["Id"]
    idp.create_resource_server(UserPoolId=pool_id, Identifier="helpdesk", Name="Helpdesk API",
                               Scopes=[{"ScopeName": s, "ScopeDescription": s} for s in
                                       ("tickets:read", "tickets:write", "kb:read", "kb:write")])
    monkeypatch.setenv("HELPDESK_CLIENTS_USER_POOL_ID", pool_id)
    audience = Audience(["console-client"])
    rebuild(client_audience=audience)
    return {"pool_id": pool_id, "audience": audience}


def call(invoke: Invoke, function: str, method: str, path: str, who: dict[str, Any], body: Any = None,
         headers: dict[str, str] | None = None) -> dict[str, Any]:
    return invoke(function, http_event(method, path, body=body, claims_=who, headers=headers))


def client_claims(client_id: str, scopes: list[str]) -> dict[str, Any]:
    """What API Gateway's JWT authorizer passes for a Cognito client-credentials access token."""
    return {"sub": client_id, "client_id": client_id, "token_use": "access", "scope": " ".join(
        f"helpdesk/{s}" for s in scopes), "iss": "https://cognito-idp.us-east-1.amazonaws.com/pool",
        "exp": "4102444800", "jti": "j-1", "version": "2"}


def create(invoke: Invoke, scopes: list[str], who: dict[str, Any] = ADMIN, name: str = "shop") -> dict[str, Any]:
    return call(invoke, "clients_api", "POST", "/clients", who, {"name": name, "scopes": scopes})


def audience(pool: dict[str, Any]) -> list[str]:
    return list(pool["audience"].ids)


def test_an_admin_creates_a_cognito_client_credentials_client(pool: dict[str, Any], invoke: Invoke) -> None:
    created = create(invoke, SCOPES)
    assert created["statusCode"] == 201, created["json"]
    client_id = created["json"]["client"]["client_id"]
    assert created["json"]["client_secret"]
    assert created["headers"]["cache-control"] == "no-store"
    app_client = boto3.client("cognito-idp").describe_user_pool_client(
        UserPoolId=pool["pool_id"], ClientId=client_id)["UserPoolClient"]
    assert app_client["AllowedOAuthFlows"] == ["client_credentials"]
    assert sorted(app_client["AllowedOAuthScopes"]) == [f"helpdesk/{s}" for s in sorted(SCOPES)]
    assert app_client["ClientSecret"] == created["json"]["client_secret"]
    assert audience(pool) == ["console-client", client_id]  # the JWT authorizer accepts its tokens

    listed = call(invoke, "clients_api", "GET", "/clients", ADMIN)["json"]
    assert [c["client_id"] for c in listed] == [client_id]
    assert "client_secret" not in listed[0]
    assert call(invoke, "clients_api", "GET", "/clients", FOREIGN_ADMIN)["json"] == []
    assert call(invoke, "clients_api", "GET", f"/clients/{client_id}", FOREIGN_ADMIN)["statusCode"] == 404
    assert create(invoke, SCOPES, who=AGENT)["statusCode"] == 403
    unknown = create(invoke, ["tickets:read", "tickets:delete"])
    assert unknown["statusCode"] == 422

    entries = call(invoke, "audit_api", "GET", "/audit", ADMIN)["json"]["items"]
    assert [(e["kind"], e["action"], e["resource_id"]) for e in entries] == [("client", "created", client_id)]
    assert "secret" not in str(entries[0]["after"]).lower()

    other = create(invoke, ["kb:read"], who=FOREIGN_ADMIN)["json"]["client"]["client_id"]
    pool["audience"].ids = ["console-client"]  # a stack update set the template's audience again
    assert call(invoke, "clients_api", "DELETE", f"/clients/{client_id}", ADMIN)["statusCode"] == 204
    assert audience(pool) == ["console-client", other]  # the remaining client is accepted again
    pool["audience"].ids = ["console-client"]
    from helpdesk.bootstrap import container

    assert container().client_admin.sync_audience() == [other]  # `helpdesk client sync`
    assert audience(pool) == ["console-client", other]
    with pytest.raises(boto3.client("cognito-idp").exceptions.ResourceNotFoundException):
        boto3.client("cognito-idp").describe_user_pool_client(UserPoolId=pool["pool_id"], ClientId=client_id)
    assert call(invoke, "clients_api", "GET", "/clients", ADMIN)["json"] == []


def test_a_client_with_tickets_write_creates_one_ticket_for_two_posts_with_one_key(
        pool: dict[str, Any], invoke: Invoke) -> None:
    client_id = create(invoke, SCOPES)["json"]["client"]["client_id"]
    token = client_claims(client_id, ["tickets:write"])
    key = {"idempotency-key": "order-1042"}
    first = call(invoke, "ticket_commands", "POST", "/tickets", token, TICKET, headers=key)
    again = call(invoke, "ticket_commands", "POST", "/tickets", token, TICKET, headers=key)
    assert (first["statusCode"], again["statusCode"]) == (201, 201), first["json"]
    assert again["json"]["id"] == first["json"]["id"]
    assert again["headers"].get("idempotent-replayed") == "true"
    tickets = call(invoke, "ticket_commands", "GET", "/tickets", AGENT)["json"]["items"]
    assert [t["id"] for t in tickets] == [first["json"]["id"]]  # in the client's tenant, once

    # tickets:write does not read; tickets:read does, in the client's tenant only
    denied = call(invoke, "ticket_commands", "GET", "/tickets", token)
    assert denied["statusCode"] == 403
    assert denied["json"]["error"]["code"] == "forbidden"
    assert denied["json"]["error"]["details"]["required_scope"] == "helpdesk/tickets:read"
    reader = client_claims(client_id, ["tickets:read"])
    read = call(invoke, "ticket_commands", "GET", f"/tickets/{first['json']['id']}", reader)
    assert read["statusCode"] == 200, read["json"]


def test_routes_for_people_and_unknown_clients_are_refused(pool: dict[str, Any], invoke: Invoke) -> None:
    client_id = create(invoke, SCOPES)["json"]["client"]["client_id"]
    every_scope = client_claims(client_id, ["tickets:read", "tickets:write", "kb:read", "kb:write", "sla:write",
                                            "webhooks:write", "audit:read"])
    for function, path in (("clients_api", "/clients"), ("mail_admin", "/mail/settings")):
        refused = call(invoke, function, "GET", path, every_scope)
        assert refused["statusCode"] == 403, (path, refused["json"])
    assert create(invoke, SCOPES, who=every_scope)["statusCode"] == 403  # a client never makes clients
    # other resource servers' scopes count for nothing
    foreign = {**client_claims(client_id, []), "scope": "other/tickets:read"}
    assert call(invoke, "ticket_commands", "GET", "/tickets", foreign)["statusCode"] == 403
    ghost = client_claims("no-such-client", ["tickets:read"])
    assert call(invoke, "ticket_commands", "GET", "/tickets", ghost)["statusCode"] == 401

    assert call(invoke, "clients_api", "DELETE", f"/clients/{client_id}", ADMIN)["statusCode"] == 204
    rebuild(client_audience=pool["audience"])  # a new execution environment: nothing cached
    gone = call(invoke, "ticket_commands", "GET", "/tickets", client_claims(client_id, ["tickets:read"]))
    assert gone["statusCode"] == 401


def test_a_crm_reads_customers_and_links_a_contacts_second_address(pool: dict[str, Any], invoke: Invoke) -> None:
    """A CRM that merged two contacts keeps the helpdesk's customers as one: `customers:read` lists them and reads
    their notes and addresses, `customers:write` links the merged contact's address."""
    client_id = create(invoke, ["customers:read", "customers:write"])["json"]["client"]["client_id"]
    for email in ("dana@example.com", "dana.k@corp.example"):
        opened = call(invoke, "ticket_commands", "POST", "/tickets", AGENT, {**TICKET, "requester": {"email": email}})
        assert opened["statusCode"] == 201, opened["json"]
    addresses = "/customers/email%3Adana%40example.com/addresses"
    reader, writer = client_claims(client_id, ["customers:read"]), client_claims(client_id, ["customers:write"])
    assert call(invoke, "ticket_commands", "GET", addresses, reader)["json"]["addresses"] == []
    refused = call(invoke, "ticket_commands", "POST", addresses, reader, {"email": "dana.k@corp.example"})
    assert refused["json"]["error"]["details"]["required_scope"] == "helpdesk/customers:write"
    linked = call(invoke, "ticket_commands", "POST", addresses, writer, {"email": "dana.k@corp.example"})
    assert (linked["statusCode"], linked["json"]["moved"]) == (200, 1), linked["json"]
    notes = call(invoke, "directory_api", "PUT", "/customers/email%3Adana%40example.com/notes", writer,
                 {"notes": "Merged in the CRM from two contacts"}, headers={"if-match": '"0"'})
    assert notes["statusCode"] == 200, notes["json"]
    assert call(invoke, "directory_api", "GET", "/customers/email%3Adana%40example.com/notes", reader)["json"][
        "notes"] == "Merged in the CRM from two contacts"
    assert call(invoke, "ticket_search", "GET", "/customers", reader)["statusCode"] == 200  # the list, from the index
    assert call(invoke, "ticket_commands", "GET", "/tickets", reader)["statusCode"] == 403  # customers, not tickets

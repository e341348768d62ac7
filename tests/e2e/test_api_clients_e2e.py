"""API clients over HTTP against a real `helpdesk serve`: `helpdesk client create` prints an id and secret, the
local token endpoint issues a client-credentials token, and a client with `tickets:write` creates a ticket twice
with one `Idempotency-Key` and gets one ticket; a scope it lacks is 403."""

import json

import httpx
import pytest

from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.e2e


def test_a_client_gets_a_token_and_creates_one_ticket_for_two_posts(stack: LocalStack) -> None:
    made = stack.cli("client", "create", "--tenant", "acme", "--scopes", "tickets:write", "--scopes", "kb:read",
                     "--name", "shop")  # the option repeated, or comma-separated: both give every scope
    assert made.returncode == 0, made.stderr
    created = json.loads(made.stdout)
    client_id, secret = created["client_id"], created["client_secret"]
    assert created["scopes"] == ["kb:read", "tickets:write"]

    form = {"grant_type": "client_credentials"}
    wrong = httpx.post(f"{stack.url}/oauth2/token", data=form, auth=(client_id, secret + "x"), timeout=30)
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    too_much = httpx.post(f"{stack.url}/oauth2/token", data={**form, "scope": "helpdesk/tickets:read"},
                          auth=(client_id, secret), timeout=30)
    assert (too_much.status_code, too_much.json()["error"]) == (400, "invalid_scope")
    issued = httpx.post(f"{stack.url}/oauth2/token", data=form, auth=(client_id, secret), timeout=30)
    assert issued.status_code == 200, issued.text
    assert issued.json()["token_type"] == "Bearer"
    by_form = httpx.post(f"{stack.url}/oauth2/token", timeout=30, data={
        **form, "client_id": client_id, "client_secret": secret, "scope": "helpdesk/tickets:write"})
    assert by_form.status_code == 200, by_form.text

    integration = stack.client(issued.json()["access_token"])
    ticket = {"subject": "Order 1042 not delivered", "description": "Opened by the shop"}
    key = {"Idempotency-Key": "order-1042-v1"}
    first = integration.post("/tickets", json=ticket, headers=key)
    again = integration.post("/tickets", json=ticket, headers=key)
    assert (first.status_code, again.status_code) == (201, 201), first.text
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"

    agent = stack.client(stack.token("alex", "agent", "acme"))
    numbers = [t["id"] for t in agent.get("/tickets", params={"limit": "100"}).json()["items"]]
    assert numbers.count(first.json()["id"]) == 1

    lacking = integration.get(f"/tickets/{first.json()['id']}")  # tickets:read was not given
    assert lacking.status_code == 403
    assert lacking.json()["error"]["details"]["required_scope"] == "helpdesk/tickets:read"
    assert integration.get("/kb/articles").status_code == 200
    assert integration.get("/macros").status_code == 403  # people only

    listed = stack.cli("client", "list", "--tenant", "acme")
    assert client_id in listed.stdout
    assert stack.cli("client", "delete", client_id, "--tenant", "acme").returncode == 0
    refused = httpx.post(f"{stack.url}/oauth2/token", data=form, auth=(client_id, secret), timeout=30)
    assert refused.status_code == 401

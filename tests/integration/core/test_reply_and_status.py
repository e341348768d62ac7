""""Send and set pending" through the real ticket_commands handler on moto: an agent's reply or note sets the
ticket's status in the same write; a move the ticket cannot make, or solving without the fields the tenant
requires, writes nothing (the reply is not sent without the status, nor the other way round); customers cannot
set a status this way."""

from collections.abc import Callable
from typing import Any

from tests.conftest import claims, http_event

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

CUSTOMER = claims("c1", "acme", "customer", email="dana@example.com")
AGENT = claims("a1", "acme", "agent")
ADMIN = claims("root", "acme", "admin")


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None) -> dict[str, Any]:
    return invoke("ticket_commands", http_event(method, path, body=body, claims_=who))


def history(invoke: Invoke, ticket_id: str) -> list[tuple[str, Any]]:
    events = call(invoke, "GET", f"/tickets/{ticket_id}/events", AGENT)["json"]
    return [(e["type"], e["data"].get("to") if e["type"] == "status_changed" else e["data"].get("body"))
            for e in events if e["type"] in ("public_message", "internal_note", "status_changed")]


def test_an_agent_replies_and_sets_the_status_in_one_write(aws: None, invoke: Invoke) -> None:
    ticket = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Export fails", "description": "CSV"})["json"]
    path = f"/tickets/{ticket['id']}"

    sent = call(invoke, "POST", f"{path}/messages", AGENT, {"body": "Which browser?", "status": "pending"})
    assert sent["statusCode"] == 201, sent["json"]
    after = call(invoke, "GET", path, AGENT)["json"]
    assert (after["status"], after["version"]) == ("pending", ticket["version"] + 1)  # one write
    # the reply opens a new ticket (new -> open), then the agent's pending
    assert history(invoke, ticket["id"]) == [("public_message", "Which browser?"), ("status_changed", "open"),
                                             ("status_changed", "pending")]

    noted = call(invoke, "POST", f"{path}/messages", AGENT, {"body": "Fixed in 4.2", "public": False,
                                                            "status": "resolved"})
    assert noted["statusCode"] == 201, noted["json"]
    assert call(invoke, "GET", path, AGENT)["json"]["status"] == "resolved"
    # the same status again changes nothing but the message
    again = call(invoke, "POST", f"{path}/messages", AGENT, {"body": "Also in 4.1.9", "public": False,
                                                            "status": "resolved"})
    assert again["statusCode"] == 201
    assert history(invoke, ticket["id"])[-1] == ("internal_note", "Also in 4.1.9")


def test_what_the_status_refuses_writes_no_message(aws: None, invoke: Invoke) -> None:
    ticket = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Refund", "description": "d"})["json"]
    path = f"/tickets/{ticket['id']}"
    back_to_new = call(invoke, "POST", f"{path}/messages", AGENT, {"body": "Hello", "status": "new"})
    assert (back_to_new["statusCode"], back_to_new["json"]["error"]["code"]) == (409, "invalid_transition")

    fields = call(invoke, "PUT", "/ticket-fields", ADMIN, {"fields": [
        {"key": "plan", "label": "Plan", "type": "dropdown", "options": ["free", "pro"], "required_to_resolve": True}]})
    assert fields["statusCode"] == 200, fields["json"]
    unsolved = call(invoke, "POST", f"{path}/messages", AGENT, {"body": "Refunded.", "status": "resolved"})
    assert (unsolved["statusCode"], unsolved["json"]["error"]["code"]) == (422, "required_fields")
    assert history(invoke, ticket["id"]) == []  # the customer got no reply of a ticket left unsolved
    assert call(invoke, "GET", path, AGENT)["json"]["status"] == "new"

    by_customer = call(invoke, "POST", f"{path}/messages", CUSTOMER, {"body": "Done?", "status": "resolved"})
    assert by_customer["statusCode"] == 403
    for bad in ("solved", "", 3, None):
        refused = call(invoke, "POST", f"{path}/messages", AGENT, {"body": "x", "status": bad})
        assert refused["statusCode"] == (201 if bad is None else 422), (bad, refused["json"])

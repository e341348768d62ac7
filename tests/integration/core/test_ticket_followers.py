"""Followers through the real ticket_commands and directory_api handlers on moto: agents follow a ticket (or add a
colleague who may open it), following twice changes nothing, the history keeps it for the team, and customers
never see who follows."""

import json
from collections.abc import Callable
from typing import Any

from tests.conftest import EVENTS, claims, http_event

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

ROOT = claims("root", "acme", "admin")
CUSTOMER = claims("c1", "acme", "customer", email="dana@example.com")
FOREIGN_AGENT = claims("zed", "zeta", "agent")


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None) -> dict[str, Any]:
    function = "directory_api" if path.startswith(("/users", "/groups")) else "ticket_commands"
    return invoke(function, http_event(method, path, body=body, claims_=who))


def person(invoke: Invoke, email: str, role: str = "agent") -> tuple[str, dict[str, Any]]:
    """A directory user and the claims they sign in with."""
    made = call(invoke, "POST", "/users", ROOT, {"email": email, "name": email.split("@")[0].title(), "role": role})
    assert made["statusCode"] == 201, made["json"]
    user_id = made["json"]["id"]
    return user_id, claims(user_id, "acme", role, email=email)


def test_agents_follow_tickets_and_customers_never_see_it(aws: None, invoke: Invoke) -> None:
    alice_id, alice = person(invoke, "alice@acme.example")
    ada_id, _ = person(invoke, "ada@acme.example", role="admin")
    opened = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Export fails", "description": "CSV"})
    ticket_id = opened["json"]["id"]

    followed = call(invoke, "PUT", f"/tickets/{ticket_id}/followers/me", alice)
    assert followed["statusCode"] == 200, followed["json"]
    assert followed["json"]["followers"] == [alice_id]
    again = call(invoke, "PUT", f"/tickets/{ticket_id}/followers/{alice_id}", alice)  # a retry: nothing new
    assert (again["json"]["followers"], again["json"]["version"]) == ([alice_id], followed["json"]["version"])
    colleague = call(invoke, "PUT", f"/tickets/{ticket_id}/followers/{ada_id}", alice)
    assert colleague["json"]["followers"] == [alice_id, ada_id]

    assert call(invoke, "GET", f"/tickets/{ticket_id}", alice)["json"]["followers"] == [alice_id, ada_id]
    seen_by_customer = call(invoke, "GET", f"/tickets/{ticket_id}", CUSTOMER)["json"]
    assert seen_by_customer["followers"] == []
    team_history = [e["type"] for e in call(invoke, "GET", f"/tickets/{ticket_id}/events", alice)["json"]]
    assert team_history.count("followers_changed") == 2
    customer_history = call(invoke, "GET", f"/tickets/{ticket_id}/events", CUSTOMER)["json"]
    assert "followers_changed" not in [e["type"] for e in customer_history]

    # "Following": the tickets one follows, among the tenant's (another ticket nobody follows is not listed)
    call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Other", "description": "x"})
    listed = invoke("ticket_commands", http_event("GET", "/tickets", claims_=alice, query={"follower": "me"}))
    assert [t["id"] for t in listed["json"]["items"]] == [ticket_id]
    by_id = invoke("ticket_commands", http_event("GET", "/tickets", claims_=alice, query={"follower": ada_id}))
    assert [t["id"] for t in by_id["json"]["items"]] == [ticket_id]
    refused = invoke("ticket_commands", http_event("GET", "/tickets", claims_=CUSTOMER, query={"follower": "me"}))
    assert refused["statusCode"] == 403

    left = call(invoke, "DELETE", f"/tickets/{ticket_id}/followers/me", alice)
    assert left["json"]["followers"] == [ada_id]
    assert call(invoke, "DELETE", f"/tickets/{ticket_id}/followers/me", alice)["json"]["followers"] == [ada_id]
    listed = invoke("ticket_commands", http_event("GET", "/tickets", claims_=alice, query={"follower": "me"}))
    assert listed["json"]["items"] == []


def test_only_teammates_who_may_open_the_ticket_follow_it(aws: None, invoke: Invoke) -> None:
    _alice_id, alice = person(invoke, "alice@acme.example")
    otto_id, otto = person(invoke, "otto@acme.example")
    dana_id, _ = person(invoke, "dana@acme.example", role="customer")
    group = call(invoke, "POST", "/groups", ROOT, {"name": "Billing", "members": [otto_id]})
    assert group["statusCode"] == 201, group["json"]
    ticket_id = call(invoke, "POST", "/tickets", alice, {"subject": "Printer", "description": "Jammed"})["json"]["id"]
    # In a group, with access to every ticket (the directory's default): he may follow one in no group ...
    assert call(invoke, "PUT", f"/tickets/{ticket_id}/followers/{otto_id}", alice)["statusCode"] == 200
    call(invoke, "DELETE", f"/tickets/{ticket_id}/followers/{otto_id}", alice)
    # ... until an admin limits him to his groups' tickets.
    limited = call(invoke, "PATCH", f"/users/{otto_id}", ROOT, {"ticket_access": "groups"})
    assert limited["json"]["ticket_access"] == "groups", limited["json"]

    for user_id, why in ((otto_id, "in none of their groups"), (dana_id, "a customer"),
                         ("nobody", "not a user of this tenant")):
        refused = call(invoke, "PUT", f"/tickets/{ticket_id}/followers/{user_id}", alice)
        assert refused["statusCode"] == 422, refused["json"]
        assert refused["json"]["error"]["code"] == "invalid_assignment"
        assert refused["json"]["error"]["details"]["field"] == "followers"
        assert why in refused["json"]["error"]["message"]
    # Nor himself: the directory says which tickets he works, at once, whatever his token (issued before the
    # change) says: he cannot open the ticket any more (the mail he would get is checked against it too).
    assert call(invoke, "PUT", f"/tickets/{ticket_id}/followers/me", otto)["statusCode"] == 404
    call(invoke, "PATCH", f"/tickets/{ticket_id}", alice, {"group": "billing"})
    assert call(invoke, "PUT", f"/tickets/{ticket_id}/followers/me", otto)["json"]["followers"] == [otto_id]

    assert call(invoke, "PUT", f"/tickets/{ticket_id}/followers/me", CUSTOMER)["statusCode"] in (403, 404)
    assert call(invoke, "PUT", f"/tickets/{ticket_id}/followers/me", FOREIGN_AGENT)["statusCode"] == 404
    for bad in ("a%20b", "x" * 129, "a/b"):
        assert call(invoke, "PUT", f"/tickets/{ticket_id}/followers/{bad}", alice)["statusCode"] in (404, 422)


def test_the_sample_event_follows(aws: None, invoke: Invoke) -> None:
    event = json.loads((EVENTS / "ticket_commands" / "follow_ticket.json").read_text())
    assert invoke("ticket_commands", event)["statusCode"] == 404  # the sample names a ticket a fresh table lacks


def test_teammates_a_note_mentions_follow_the_ticket(aws: None, invoke: Invoke) -> None:
    """As in Zendesk: an agent @mentioned in an internal note follows the ticket from that write on, if they may
    open it; a public reply, the author, an unknown handle and an agent limited to other groups add nobody."""
    alice_id, alice = person(invoke, "alice@acme.example")
    otto_id, _ = person(invoke, "otto@acme.example")
    lea_id, _ = person(invoke, "lea@acme.example")
    call(invoke, "POST", "/groups", ROOT, {"name": "Hardware", "members": [lea_id]})
    call(invoke, "PATCH", f"/users/{lea_id}", ROOT, {"ticket_access": "groups"})
    opened = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Export fails", "description": "CSV"})
    ticket_id = opened["json"]["id"]

    public = call(invoke, "POST", f"/tickets/{ticket_id}/messages", alice, {"body": "@otto will look", "public": True})
    assert public["statusCode"] == 201, public["json"]
    assert call(invoke, "GET", f"/tickets/{ticket_id}", alice)["json"]["followers"] == []

    note = call(invoke, "POST", f"/tickets/{ticket_id}/messages", alice,
                {"body": "@otto @lea @alice @nobody could you check the export limits?", "public": False})
    assert note["statusCode"] == 201, note["json"]
    seen = call(invoke, "GET", f"/tickets/{ticket_id}", alice)["json"]
    assert seen["followers"] == [otto_id]  # not Lea (Hardware only), not the author, nobody unknown
    history = call(invoke, "GET", f"/tickets/{ticket_id}/events", alice)["json"]
    assert [e["type"] for e in history][-2:] == ["internal_note", "followers_changed"]  # one write
    again = call(invoke, "POST", f"/tickets/{ticket_id}/messages", alice, {"body": "@otto thanks", "public": False})
    assert again["statusCode"] == 201
    assert call(invoke, "GET", f"/tickets/{ticket_id}", alice)["json"]["followers"] == [otto_id]
    assert alice_id not in seen["followers"]


def test_teammates_a_macros_note_mentions_follow_the_ticket(aws: None, invoke: Invoke) -> None:
    """A macro's internal note is a note like a typed one: the teammates it @mentions follow (agent_tools)."""
    _alice_id, alice = person(invoke, "alice@acme.example")
    otto_id, _ = person(invoke, "otto@acme.example")
    ticket_id = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Refund", "description": "twice"})["json"]["id"]
    made = invoke("agent_tools", http_event("POST", "/macros", claims_=alice, body={
        "name": "Ask billing", "actions": {"note": "@otto please check the charges on {{ ticket.number }}"}}))
    assert made["statusCode"] == 201, made["json"]

    applied = invoke("agent_tools", http_event("POST", f"/tickets/{ticket_id}/macros/{made['json']['id']}/apply",
                                               claims_=alice))
    assert applied["statusCode"] == 200, applied["json"]
    assert call(invoke, "GET", f"/tickets/{ticket_id}", alice)["json"]["followers"] == [otto_id]
    history = [e["type"] for e in call(invoke, "GET", f"/tickets/{ticket_id}/events", alice)["json"]]
    assert history[-3:] == ["internal_note", "followers_changed", "macro_applied"]  # one write

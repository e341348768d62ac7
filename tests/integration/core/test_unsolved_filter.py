"""`GET /tickets?unsolved=true` and a saved view's `unsolved`: the tickets still to be solved (new, open, pending,
on hold), as Zendesk's "Your unsolved tickets" lists them, through the real ticket_commands and agent_tools handlers on
moto; with another filter (assignee, status) it narrows that one, for staff and customers alike."""

from collections.abc import Callable
from typing import Any

from helpdesk.bootstrap import container
from tests.conftest import claims, http_event
from tests.fakes import seed_directory

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

CUSTOMER = claims("c1", "acme", "customer", email="dana@example.com")
ALICE = claims("alice", "acme", "agent")


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None,
         query: dict[str, str] | None = None) -> dict[str, Any]:
    function = "agent_tools" if path.startswith("/views") else "ticket_commands"
    response = invoke(function, http_event(method, path, body=body, claims_=who, query=query))
    assert response["statusCode"] < 300, response["json"]
    return response


def subjects(response: dict[str, Any]) -> list[str]:
    return sorted(t["subject"] for t in response["json"]["items"])


def test_unsolved_lists_what_is_still_to_be_solved(aws: None, invoke: Invoke) -> None:
    seed_directory(container().directory_store, "acme", agents=["alice"])
    for subject, status in (("New one", None), ("Open one", "open"), ("Pending one", "pending"),
                            ("On hold one", "on_hold"), ("Solved one", "resolved"), ("Closed one", "closed")):
        ticket = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": subject, "description": "d"})["json"]
        changes: dict[str, Any] = {"assignee_id": "alice"}
        if status == "closed":
            call(invoke, "PATCH", f"/tickets/{ticket['id']}", ALICE, {"status": "resolved"})
        if status:
            changes["status"] = status
        call(invoke, "PATCH", f"/tickets/{ticket['id']}", ALICE, changes)["json"]
    unsolved = ["New one", "On hold one", "Open one", "Pending one"]

    assert subjects(call(invoke, "GET", "/tickets", ALICE, query={"unsolved": "true"})) == unsolved
    assert subjects(call(invoke, "GET", "/tickets", ALICE, query={"unsolved": "true", "assignee": "alice"})) \
        == unsolved
    assert subjects(call(invoke, "GET", "/tickets", ALICE, query={"unsolved": "true", "status": "pending"})) \
        == ["Pending one"]
    assert subjects(call(invoke, "GET", "/tickets", ALICE, query={"unsolved": "true", "status": "resolved"})) == []
    assert len(call(invoke, "GET", "/tickets", ALICE, query={"assignee": "alice"})["json"]["items"]) == 6

    # a customer's "open" is open or on hold; with unsolved it stays that, and "solved" with unsolved is nothing
    assert subjects(call(invoke, "GET", "/tickets", CUSTOMER, query={"unsolved": "true", "status": "open"})) \
        == ["On hold one", "Open one"]
    assert subjects(call(invoke, "GET", "/tickets", CUSTOMER, query={"unsolved": "true", "status": "resolved"})) \
        == []
    assert len(subjects(call(invoke, "GET", "/tickets", CUSTOMER, query={"unsolved": "true"}))) == 4

    mine = call(invoke, "POST", "/views", ALICE, {"name": "Your unsolved tickets",
                                                  "filters": {"assignee": "me", "unsolved": True}})["json"]
    assert subjects(call(invoke, "GET", f"/views/{mine['id']}/tickets", ALICE)) == unsolved
    counts = call(invoke, "GET", "/views/counts", ALICE)["json"]
    assert [c["count"] for c in counts] == [4]

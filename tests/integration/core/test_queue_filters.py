"""The queue's own filters through the real ticket_commands and agent_tools handlers on moto: `unsolved=true` (new,
open, pending, on hold: Zendesk's "Your unsolved tickets" with `assignee=me`) and `my_groups=true` (the tickets in the
groups of whoever asks: "Unsolved tickets in your groups"), on the list and as saved views' filters; with another
filter they narrow it; customers may not ask for the team's groups, an agent in no group gets none."""

from collections.abc import Callable
from typing import Any

from helpdesk.bootstrap import container
from tests.conftest import claims, http_event
from tests.fakes import seed_directory

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

CUSTOMER = claims("c1", "acme", "customer", email="dana@example.com")
ALICE = claims("alice", "acme", "agent")
OTTO = claims("otto", "acme", "agent")


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None,
         query: dict[str, str] | None = None) -> dict[str, Any]:
    function = "agent_tools" if path.startswith("/views") else "ticket_commands"
    response = invoke(function, http_event(method, path, body=body, claims_=who, query=query))
    assert response["statusCode"] < 300, response["json"]
    return response


def subjects(response: dict[str, Any]) -> list[str]:
    assert response["statusCode"] == 200, response["json"]
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


def test_my_groups_lists_the_tickets_of_the_callers_groups(aws: None, invoke: Invoke) -> None:
    seed_directory(container().directory_store, "acme", agents=["otto"],
                   groups={"billing": ["alice"], "shipping": ["alice"], "hardware": []})
    for subject, group in (("Refund", "billing"), ("Parcel lost", "shipping"), ("Broken fan", "hardware"),
                           ("No group", None)):
        made = call(invoke, "POST", "/tickets", ALICE, {"subject": subject, "description": "d",
                                                         "requester": {"id": "c1", "email": "dana@example.com"},
                                                         **({"group": group} if group else {})})
        assert made["statusCode"] == 201, made["json"]

    assert subjects(call(invoke, "GET", "/tickets", ALICE, query={"my_groups": "true"})) == ["Parcel lost", "Refund"]
    assert subjects(call(invoke, "GET", "/tickets", ALICE, query={"my_groups": "true", "group": "billing"})) \
        == ["Refund"]
    assert subjects(call(invoke, "GET", "/tickets", OTTO, query={"my_groups": "true"})) == []  # in no group
    refused = invoke("ticket_commands", http_event("GET", "/tickets", claims_=CUSTOMER, query={"my_groups": "true"}))
    assert refused["statusCode"] == 403

    view = call(invoke, "POST", "/views", claims("ada", "acme", "admin"), {
        "name": "Unsolved tickets in your groups", "scope": "tenant", "filters": {"my_groups": True, "unsolved": True}})
    assert view["statusCode"] == 201, view["json"]
    path = f"/views/{view['json']['id']}/tickets"
    assert subjects(call(invoke, "GET", path, ALICE)) == ["Parcel lost", "Refund"]
    assert subjects(call(invoke, "GET", path, OTTO)) == []  # the same view, Otto's groups


def test_link_type_lists_the_open_problems_and_their_incidents(aws: None, invoke: Invoke) -> None:
    """`link_type=child` lists the problems (tickets holding incidents), `parent` the incidents, on the list, as a
    saved view and in its count; a link removed leaves the list."""
    made = {subject: call(invoke, "POST", "/tickets", CUSTOMER, {"subject": subject, "description": "d"})["json"]
            for subject in ("Sync stopped", "No sync since 9:00", "Invoice wrong")}
    problem = call(invoke, "POST", "/tickets", ALICE, {"subject": "Sync outage", "description": "Many report it.",
                                                       "links": [{"type": "child",
                                                                  "ticket_id": made["Sync stopped"]["id"]}]})["json"]
    call(invoke, "POST", f"/tickets/{problem['id']}/links", ALICE,
         {"type": "child", "ticket_id": made["No sync since 9:00"]["id"]})
    solved = call(invoke, "POST", "/tickets", ALICE, {"subject": "Old outage", "description": "d", "links": [
        {"type": "child", "ticket_id": made["Invoice wrong"]["id"]}]})["json"]
    call(invoke, "PATCH", f"/tickets/{solved['id']}", ALICE, {"status": "resolved"})
    call(invoke, "POST", f"/tickets/{made['Invoice wrong']['id']}/links", ALICE,
         {"type": "related", "ticket_id": made["Sync stopped"]["id"]})

    assert subjects(call(invoke, "GET", "/tickets", ALICE, query={"link_type": "child"})) == ["Old outage",
                                                                                              "Sync outage"]
    assert subjects(call(invoke, "GET", "/tickets", ALICE, query={"link_type": "child", "unsolved": "true"})) \
        == ["Sync outage"]
    assert subjects(call(invoke, "GET", "/tickets", ALICE, query={"link_type": "parent"})) == [
        "Invoice wrong", "No sync since 9:00", "Sync stopped"]
    assert subjects(call(invoke, "GET", "/tickets", CUSTOMER, query={"link_type": "parent"})) == [
        "Invoice wrong", "No sync since 9:00", "Sync stopped"]  # their own tickets, as they see their links
    assert subjects(call(invoke, "GET", "/tickets", CUSTOMER, query={"link_type": "child"})) == []
    refused = invoke("ticket_commands", http_event("GET", "/tickets", claims_=ALICE, query={"link_type": "problem"}))
    assert (refused["statusCode"], refused["json"]["error"]["code"]) == (400, "invalid_query_parameter")

    view = call(invoke, "POST", "/views", ALICE, {"name": "Open problems",
                                                  "filters": {"link_type": "child", "unsolved": True}})["json"]
    assert subjects(call(invoke, "GET", f"/views/{view['id']}/tickets", ALICE)) == ["Sync outage"]
    assert [c["count"] for c in call(invoke, "GET", "/views/counts", ALICE)["json"]] == [1]

    for child in ("Sync stopped", "No sync since 9:00"):
        unlinked = invoke("ticket_commands", http_event("DELETE", f"/tickets/{problem['id']}/links/child/"
                                                                  f"{made[child]['id']}", claims_=ALICE))
        assert unlinked["statusCode"] == 200, unlinked["json"]
    assert subjects(call(invoke, "GET", f"/views/{view['id']}/tickets", ALICE)) == []  # no incidents: no problem

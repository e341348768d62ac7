"""Snooze through the real ticket_commands and agent_tools handlers on moto (DynamoDB's filter on the ticket's
`snoozed_until`): out of the queues and saved views until its time, back when the customer writes, refused for bad
times and solved tickets, invisible to customers."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import claims, http_event

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

CUSTOMER = claims("c1", "acme", "customer", email="dana@example.com")
ALICE = claims("alice", "acme", "agent")


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None,
         query: dict[str, str] | None = None) -> dict[str, Any]:
    function = "agent_tools" if path.startswith("/views") else "ticket_commands"
    return invoke(function, http_event(method, path, body=body, claims_=who, query=query))


def listed(invoke: Invoke, **query: str) -> list[str]:
    response = call(invoke, "GET", "/tickets", ALICE, query=query)
    assert response["statusCode"] == 200, response["json"]
    return sorted(t["subject"] for t in response["json"]["items"])


def test_a_snoozed_ticket_is_out_of_the_queues_until_the_customer_writes(aws: None, invoke: Invoke) -> None:
    jammed = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Printer jammed", "description": "page 3"})["json"]
    call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Toner low", "description": "black"})
    until = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)

    snoozed = call(invoke, "PATCH", f"/tickets/{jammed['id']}", ALICE, {"snoozed_until": until.isoformat()})
    assert snoozed["statusCode"] == 200, snoozed["json"]
    assert datetime.fromisoformat(snoozed["json"]["snoozed_until"]) == until
    assert listed(invoke, snoozed="false") == ["Toner low"]
    assert listed(invoke, snoozed="true") == ["Printer jammed"]
    assert listed(invoke) == ["Printer jammed", "Toner low"]  # integrations listing everything still get both
    assert listed(invoke, status="new", snoozed="false") == ["Toner low"]

    view = call(invoke, "POST", "/views", ALICE, {"name": "New", "filters": {"status": "new"}})
    assert view["statusCode"] == 201, view["json"]
    assert view["json"]["filters"]["snoozed"] is False  # a saved view leaves snoozed tickets out, as the queues do
    counts = call(invoke, "GET", "/views/counts", ALICE)["json"]
    assert [c["count"] for c in counts] == [1]
    everything = call(invoke, "POST", "/views", ALICE, {"name": "All new", "filters": {"status": "new",
                                                                                        "snoozed": None}})
    assert len(call(invoke, "GET", f"/views/{everything['json']['id']}/tickets", ALICE)["json"]["items"]) == 2

    seen = call(invoke, "GET", f"/tickets/{jammed['id']}", CUSTOMER)["json"]
    assert seen["snoozed_until"] is None
    history = call(invoke, "GET", f"/tickets/{jammed['id']}/events", CUSTOMER)["json"]
    assert "snoozed" not in {e["type"] for e in history}
    assert call(invoke, "GET", "/tickets", CUSTOMER, query={"snoozed": "false"})["statusCode"] == 403
    assert call(invoke, "PATCH", f"/tickets/{jammed['id']}", CUSTOMER,
                {"snoozed_until": until.isoformat()})["statusCode"] == 403

    reply = call(invoke, "POST", f"/tickets/{jammed['id']}/messages", CUSTOMER, {"body": "It jams on page 4 now"})
    assert reply["statusCode"] == 201
    assert listed(invoke, snoozed="false") == ["Printer jammed", "Toner low"]
    team_history = call(invoke, "GET", f"/tickets/{jammed['id']}/events", ALICE)["json"]
    assert [e["data"].get("woke") for e in team_history if e["type"] == "snoozed"] == [None, "customer_replied"]


def test_bad_snooze_times_are_refused_and_change_nothing(aws: None, invoke: Invoke) -> None:
    ticket = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Export fails", "description": "CSV"})["json"]
    path = f"/tickets/{ticket['id']}"
    now = datetime.now(UTC)
    not_times: list[Any] = ["tomorrow", "2026-03-09T09:00:00", True, {}]  # words, no time zone, not a time
    for bad in not_times:
        refused = call(invoke, "PATCH", path, ALICE, {"snoozed_until": bad})
        assert (refused["statusCode"], refused["json"]["error"]["code"]) == (422, "validation_error"), bad
    for out_of_range in (now - timedelta(hours=1), now + timedelta(days=400)):
        refused = call(invoke, "PATCH", path, ALICE, {"snoozed_until": out_of_range.isoformat()})
        assert (refused["statusCode"], refused["json"]["error"]["code"]) == (400, "invalid_input")
        assert refused["json"]["error"]["details"] == {"field": "snoozed_until"}
    call(invoke, "PATCH", path, ALICE, {"status": "resolved"})
    solved = call(invoke, "PATCH", path, ALICE, {"snoozed_until": (now + timedelta(days=1)).isoformat()})
    assert (solved["statusCode"], solved["json"]["error"]["code"]) == (409, "invalid_transition")
    assert call(invoke, "GET", path, ALICE)["json"]["snoozed_until"] is None


def test_a_bulk_change_snoozes_the_tickets_it_may(aws: None, invoke: Invoke) -> None:
    """Snooze from the queue's ticks: each unsolved ticket snoozed, a solved one left as it is (conflict)."""
    ids = [call(invoke, "POST", "/tickets", CUSTOMER, {"subject": s, "description": "d"})["json"]["id"]
           for s in ("Invoice copy", "VAT number", "Refund")]
    call(invoke, "PATCH", f"/tickets/{ids[2]}", ALICE, {"status": "resolved"})
    until = (datetime.now(UTC) + timedelta(days=3)).isoformat()

    bulk = invoke("agent_tools", http_event("POST", "/tickets/bulk", claims_=ALICE,
                                            body={"ids": ids, "changes": {"snoozed_until": until}}))

    assert bulk["statusCode"] == 200, bulk["json"]
    outcomes = {r["id"]: (r["outcome"], r.get("code")) for r in bulk["json"]["results"]}
    assert outcomes == {ids[0]: ("updated", None), ids[1]: ("updated", None),
                        ids[2]: ("conflict", "invalid_transition")}
    assert listed(invoke, snoozed="true") == ["Invoice copy", "VAT number"]

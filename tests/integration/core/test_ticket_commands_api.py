"""The ticket commands API through its real lambda_handler, with API Gateway v2 events, on moto."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import EVENTS, claims, http_event
from tests.fakes import seed_directory

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

CUSTOMER = claims("c1", "acme", "customer", email="dana@example.com")
OTHER_CUSTOMER = claims("c2", "acme", "customer")
FOREIGN_CUSTOMER = claims("z1", "zeta", "customer")
AGENT = claims("a1", "acme", "agent")
BILLING_AGENT = claims("a2", "acme", "agent", groups=["billing"])
ADMIN = claims("root", "acme", "admin")


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any] | None, body: Any = None,
         query: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return invoke("ticket_commands", http_event(method, path, body=body, claims_=who, query=query, headers=headers))


def create(invoke: Invoke, who: dict[str, Any] = CUSTOMER, **fields: Any) -> dict[str, Any]:
    body = {"subject": "Cannot log in", "description": "Password reset loops", **fields}
    response = call(invoke, "POST", "/tickets", who, body)
    assert response["statusCode"] == 201, response["json"]
    return dict(response["json"])


def test_sample_events_run_against_the_handler(aws: None, invoke: Invoke) -> None:
    created = invoke("ticket_commands", json.loads((EVENTS / "ticket_commands/create_ticket.json").read_text()))
    assert created["statusCode"] == 201
    assert created["json"]["number"] == "T-000001"
    assert created["json"]["priority"] == "normal"  # a customer describes; the team prioritises
    listed = invoke("ticket_commands", json.loads((EVENTS / "ticket_commands/list_tickets.json").read_text()))
    assert listed["statusCode"] == 200
    health = invoke("ticket_commands", json.loads((EVENTS / "ticket_commands/health.json").read_text()))
    assert health["json"] == {"status": "ok"}


def test_queue_reply_and_first_response(aws: None, invoke: Invoke) -> None:
    ticket = create(invoke)
    assert (ticket["status"], ticket["number"]) == ("new", "T-000001")
    queue = call(invoke, "GET", "/tickets", AGENT, query={"status": "new"})["json"]
    assert [t["id"] for t in queue["items"]] == [ticket["id"]]

    reply = call(invoke, "POST", f"/tickets/{ticket['id']}/messages", AGENT, {"body": "Try now", "public": True})
    assert reply["statusCode"] == 201
    after = call(invoke, "GET", f"/tickets/{ticket['id']}", AGENT)["json"]
    assert after["status"] == "open"
    assert after["first_response_at"] is not None
    assert call(invoke, "GET", "/tickets", AGENT, query={"status": "new"})["json"]["items"] == []
    assert [t["id"] for t in call(invoke, "GET", "/tickets", AGENT, query={"status": "open"})["json"]["items"]] \
        == [ticket["id"]]


def test_staff_open_a_ticket_for_an_address_and_it_is_that_persons(aws: None, invoke: Invoke) -> None:
    ticket = create(invoke, AGENT, requester={"email": "Dana@Example.com", "name": "Dana"})
    assert ticket["requester"]["id"] == "email:dana@example.com"  # the key mail gives the same person
    dana = {**CUSTOMER, "email_verified": "true"}  # dana@example.com signed in with her address verified
    assert [t["id"] for t in call(invoke, "GET", "/tickets", dana)["json"]["items"]] == [ticket["id"]]
    nobody = call(invoke, "POST", "/tickets", AGENT, {"subject": "s", "description": "d", "requester": {"name": "X"}})
    assert (nobody["statusCode"], nobody["json"]["error"]["code"]) == (422, "validation_error")
    # An address replies could not reach (a typo taken on the phone) is refused, naming the field; nothing is stored.
    typo = call(invoke, "POST", "/tickets", AGENT, {"subject": "s", "description": "d",
                                                    "requester": {"email": "dana@example", "name": "Dana"}})
    assert (typo["statusCode"], typo["json"]["error"]["code"]) == (422, "validation_error")
    [problem] = typo["json"]["error"]["details"]["errors"]
    assert problem["loc"][:2] == ["body", "requester"]
    assert "not an e-mail address" in problem["msg"]
    assert len(call(invoke, "GET", "/tickets", AGENT)["json"]["items"]) == 1


def test_a_tickets_requester_key_lists_that_persons_tickets(aws: None, invoke: Invoke) -> None:
    """The console's "Other tickets from ..." panel: `requester_key` is what `?requester=` takes, whichever way the
    ticket came in (staff for an address, the customer signed in), and only the caller's tenant is searched."""
    by_staff = create(invoke, AGENT, requester={"email": "Dana@Example.com", "name": "Dana"})
    dana = {**CUSTOMER, "email_verified": "true"}
    by_dana = create(invoke, dana, subject="Invoice missing")
    create(invoke, OTHER_CUSTOMER)
    assert by_staff["requester_key"] == by_dana["requester_key"] == "email:dana@example.com"
    listed = call(invoke, "GET", "/tickets", AGENT, query={"requester": by_staff["requester_key"]})["json"]["items"]
    assert [t["id"] for t in listed] == [by_dana["id"], by_staff["id"]]  # newest first
    foreign = claims("za", "zeta", "admin")
    assert call(invoke, "GET", "/tickets", foreign, query={"requester": by_staff["requester_key"]})["json"]["items"] \
        == []


def test_tenant_and_customer_isolation(aws: None, invoke: Invoke) -> None:
    ticket = create(invoke)
    missing = call(invoke, "GET", "/tickets/does-not-exist", FOREIGN_CUSTOMER)
    for who in (FOREIGN_CUSTOMER, OTHER_CUSTOMER, claims("za", "zeta", "agent")):
        response = call(invoke, "GET", f"/tickets/{ticket['id']}", who)
        assert response["statusCode"] == 404
        assert response["json"]["error"]["code"] == missing["json"]["error"]["code"] == "not_found"
        assert call(invoke, "POST", f"/tickets/{ticket['id']}/messages", who, {"body": "hi"})["statusCode"] == 404
    assert call(invoke, "GET", "/tickets", OTHER_CUSTOMER)["json"]["items"] == []
    assert call(invoke, "GET", "/tickets", claims("za", "zeta", "admin"))["json"]["items"] == []
    # a customer asking for someone else's tickets gets nothing, not an error that confirms they exist
    assert call(invoke, "GET", "/tickets", OTHER_CUSTOMER, query={"requester": "c1"})["json"]["items"] == []


def test_customers_never_see_internal_notes_or_ai_context(aws: None, invoke: Invoke) -> None:
    ticket = create(invoke)
    call(invoke, "POST", f"/tickets/{ticket['id']}/messages", AGENT, {"body": "VIP, be nice", "public": False})
    call(invoke, "POST", f"/tickets/{ticket['id']}/messages", AGENT, {"body": "Hello!", "public": True})
    staff_view = [e["type"] for e in call(invoke, "GET", f"/tickets/{ticket['id']}/events", AGENT)["json"]]
    customer_view = [e["type"] for e in call(invoke, "GET", f"/tickets/{ticket['id']}/events", CUSTOMER)["json"]]
    assert "internal_note" in staff_view
    assert "internal_note" not in customer_view
    assert customer_view == ["created", "public_message", "status_changed"]
    assert call(invoke, "GET", f"/tickets/{ticket['id']}", CUSTOMER)["json"]["ai"] is None
    note = call(invoke, "POST", f"/tickets/{ticket['id']}/messages", CUSTOMER, {"body": "x", "public": False})
    assert note["statusCode"] == 403


def test_roles_on_patch(aws: None, invoke: Invoke) -> None:
    from helpdesk.bootstrap import container

    seed_directory(container().directory_store, "acme", groups={"billing": ["a1"]})
    ticket = create(invoke)
    path = f"/tickets/{ticket['id']}"
    assert call(invoke, "PATCH", path, CUSTOMER, {"priority": "urgent"})["statusCode"] == 403
    updated = call(invoke, "PATCH", path, AGENT, {"priority": "urgent", "group": "billing", "tags": ["VIP", "vip"],
                                                  "assignee_id": "a1"})
    assert updated["statusCode"] == 200
    assert (updated["json"]["priority"], updated["json"]["tags"]) == ("urgent", ["vip"])
    types = [e["type"] for e in call(invoke, "GET", f"{path}/events", ADMIN)["json"]]
    assert types == ["created", "priority_changed", "assignee_changed", "group_changed", "tags_changed"]
    assert call(invoke, "PATCH", path, CUSTOMER, {"status": "resolved"})["json"]["status"] == "resolved"


def test_group_limited_agents(aws: None, invoke: Invoke) -> None:
    from helpdesk.bootstrap import container

    seed_directory(container().directory_store, "acme", groups={"billing": ["a2"]}, limited=["a2"])
    billing = create(invoke, who=AGENT, subject="Refund", group="billing")
    general = create(invoke, who=AGENT, subject="Other")
    listed = call(invoke, "GET", "/tickets", BILLING_AGENT)["json"]["items"]
    assert [t["id"] for t in listed] == [billing["id"]]
    assert call(invoke, "GET", f"/tickets/{general['id']}", BILLING_AGENT)["statusCode"] == 404
    call(invoke, "PATCH", f"/tickets/{general['id']}", ADMIN, {"assignee_id": "a2"})
    assert call(invoke, "GET", f"/tickets/{general['id']}", BILLING_AGENT)["statusCode"] == 200


def test_filters_and_cursor_pagination(aws: None, invoke: Invoke) -> None:
    ids = [create(invoke, subject=f"s{i}")["id"] for i in range(7)]
    for i, ticket_id in enumerate(ids):  # tags and priorities are the team's: an agent sets them
        change = {"priority": "high" if i % 2 else "low", **({"tags": ["t"]} if i < 3 else {})}
        assert call(invoke, "PATCH", f"/tickets/{ticket_id}", AGENT, change)["statusCode"] == 200
    seen: list[str] = []
    cursor: str | None = None
    while True:
        query = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = call(invoke, "GET", "/tickets", AGENT, query=query)["json"]
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(ids))  # newest first, each exactly once
    high = call(invoke, "GET", "/tickets", AGENT, query={"status": "new", "priority": "high"})["json"]["items"]
    assert {t["id"] for t in high} == {ids[i] for i in (1, 3, 5)}
    tagged = call(invoke, "GET", "/tickets", AGENT, query={"tag": "t"})["json"]["items"]
    assert {t["id"] for t in tagged} == set(ids[:3])
    mine = call(invoke, "GET", "/tickets", CUSTOMER, query={"limit": "100"})["json"]["items"]
    assert len(mine) == 7
    assert {tuple(t["tags"]) for t in mine} == {()}  # the team's labels: customers see none, nor filter by them
    assert call(invoke, "GET", "/tickets", CUSTOMER, query={"tag": "t"})["statusCode"] == 403
    for the_teams in ({"tags": ["vip"]}, {"priority": "urgent"}):
        assert call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "s", "description": "d",
                                                            **the_teams})["statusCode"] == 403


@pytest.mark.parametrize(("body", "status", "code"), [
    ("{not json", 400, "malformed_json"),
    ({"subject": "s", "description": "d", "colour": "red"}, 422, "validation_error"),
    ({"subject": "s", "description": "d", "priority": "whenever"}, 422, "validation_error"),
    ({"subject": 5, "description": "d"}, 422, "validation_error"),
    ({"subject": "s"}, 422, "validation_error"),
    ({"subject": "s", "description": "   "}, 422, "validation_error"),
    ({"subject": "s", "description": "x" * (256 * 1024 + 1)}, 413, "payload_too_large"),
])
def test_bad_input_is_rejected_and_nothing_is_written(aws: None, invoke: Invoke, body: Any, status: int,
                                                      code: str) -> None:
    response = call(invoke, "POST", "/tickets", CUSTOMER, body)
    assert response["statusCode"] == status
    assert response["json"]["error"]["code"] == code
    assert set(response["json"]["error"]) == {"code", "message", "details"}
    assert call(invoke, "GET", "/tickets", AGENT)["json"]["items"] == []


def test_auth_errors(aws: None, invoke: Invoke) -> None:
    response = call(invoke, "GET", "/tickets", None)
    assert response["statusCode"] == 401
    assert response["json"]["error"]["code"] == "unauthorized"
    bad_role = call(invoke, "GET", "/tickets", {"sub": "x", "custom:tenant_id": "acme", "custom:role": "root"})
    assert bad_role["statusCode"] == 401


def test_invalid_transition_and_stale_version_are_409(aws: None, invoke: Invoke) -> None:
    ticket = create(invoke)
    path = f"/tickets/{ticket['id']}"
    closed = call(invoke, "PATCH", path, AGENT, {"status": "closed"})
    assert closed["json"]["status"] == "closed"
    reopen = call(invoke, "PATCH", path, AGENT, {"status": "open"})
    assert reopen["statusCode"] == 409
    assert reopen["json"]["error"]["code"] == "invalid_transition"
    assert call(invoke, "POST", f"{path}/messages", CUSTOMER, {"body": "hello?"})["statusCode"] == 409

    other = create(invoke)
    etag = call(invoke, "GET", f"/tickets/{other['id']}", AGENT)["headers"]["etag"]
    call(invoke, "PATCH", f"/tickets/{other['id']}", ADMIN, {"priority": "low"})
    stale = call(invoke, "PATCH", f"/tickets/{other['id']}", AGENT, {"priority": "high"}, headers={"if-match": etag})
    assert stale["statusCode"] == 409
    assert stale["json"]["error"]["code"] == "concurrent_update"
    assert call(invoke, "GET", f"/tickets/{other['id']}", AGENT)["json"]["priority"] == "low"
    # `If-Match: *` asks only that the ticket exists (RFC 9110): it was a 409 whatever the version
    anything = call(invoke, "PATCH", f"/tickets/{other['id']}", AGENT, {"priority": "high"}, headers={"if-match": "*"})
    assert (anything["statusCode"], anything["json"]["priority"]) == (200, "high")


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain", ""])
def test_a_body_not_sent_as_json_is_told_so(aws: None, invoke: Invoke, content_type: str) -> None:
    """`curl -d '{...}'` sends form encoding; FastAPI then reads no JSON and the 422 said only "Input should be a
    valid dictionary"."""
    event = http_event("POST", "/tickets", body={"subject": "Printer", "description": "It jams."}, claims_=AGENT,
                       headers={"content-type": content_type})
    response = invoke("ticket_commands", event)
    assert response["statusCode"] == 400
    assert response["json"]["error"]["code"] == "json_expected"
    assert "Content-Type: application/json" in response["json"]["error"]["message"]
    merge_patch = http_event("POST", "/tickets", body={"subject": "Printer", "description": "It jams."},
                             claims_=AGENT, headers={"content-type": "application/merge-patch+json; charset=utf-8"})
    assert invoke("ticket_commands", merge_patch)["statusCode"] == 201


def test_openapi_document_is_served(aws: None, invoke: Invoke) -> None:
    doc = call(invoke, "GET", "/openapi.json", None)["json"]
    assert {"/tickets", "/tickets/{ticket_id}", "/tickets/{ticket_id}/messages"} <= set(doc["paths"])


def test_agents_rename_a_ticket_and_customers_see_the_subject_not_the_change(aws: None, invoke: Invoke) -> None:
    ticket = create(invoke, subject="HELP!!!")
    path = f"/tickets/{ticket['id']}"
    renamed = call(invoke, "PATCH", path, AGENT, {"subject": "  Password reset\n loops  "})
    assert renamed["statusCode"] == 200, renamed["json"]
    assert renamed["json"]["subject"] == "Password reset loops"  # one line, as the queue shows it
    events = call(invoke, "GET", f"{path}/events", AGENT)["json"]
    assert [(e["type"], e["data"]) for e in events if e["type"] == "subject_changed"] == [
        ("subject_changed", {"from": "HELP!!!", "to": "Password reset loops"})]
    assert call(invoke, "PATCH", path, AGENT, {"subject": "Password reset loops"})["statusCode"] == 200
    assert len(call(invoke, "GET", f"{path}/events", AGENT)["json"]) == len(events)  # the same name: no event
    assert call(invoke, "GET", path, CUSTOMER)["json"]["subject"] == "Password reset loops"
    assert "subject_changed" not in [e["type"] for e in call(invoke, "GET", f"{path}/events", CUSTOMER)["json"]]
    assert call(invoke, "PATCH", path, CUSTOMER, {"subject": "Mine"})["statusCode"] == 403


@pytest.mark.parametrize("body", [{"subject": None}, {"subject": " \n "}, {"subject": "x" * 501}, {"subject": 7}])
def test_a_subject_that_is_no_subject_is_refused(aws: None, invoke: Invoke, body: dict[str, Any]) -> None:
    ticket = create(invoke)
    response = call(invoke, "PATCH", f"/tickets/{ticket['id']}", AGENT, body)
    assert (response["statusCode"], response["json"]["error"]["code"]) == (422, "validation_error")
    assert call(invoke, "GET", f"/tickets/{ticket['id']}", AGENT)["json"]["subject"] == "Cannot log in"


def test_a_customer_s_open_tickets_include_those_the_team_put_on_hold(aws: None, invoke: Invoke) -> None:
    held, waiting, other = create(invoke)["id"], create(invoke)["id"], create(invoke, OTHER_CUSTOMER)["id"]
    for ticket_id, status in ((held, "on_hold"), (waiting, "pending"), (other, "on_hold")):
        assert call(invoke, "PATCH", f"/tickets/{ticket_id}", AGENT, {"status": status})["statusCode"] == 200

    def listed(who: dict[str, Any], status: str) -> list[tuple[str, str]]:
        response = call(invoke, "GET", "/tickets", who, query={"status": status})
        assert response["statusCode"] == 200, response["json"]
        return [(t["id"], t["status"]) for t in response["json"]["items"]]

    assert listed(CUSTOMER, "open") == [(held, "open")]  # as the ticket shows it: in work
    assert listed(CUSTOMER, "pending") == [(waiting, "pending")]
    assert listed(AGENT, "on_hold") == [(other, "on_hold"), (held, "on_hold")]
    assert listed(AGENT, "open") == []
    refused = call(invoke, "GET", "/tickets", CUSTOMER, query={"status": "on_hold"})
    assert (refused["statusCode"], refused["json"]["error"]["code"]) == (403, "forbidden")


def test_a_ticket_carries_its_latest_public_message_on_one_line_for_lists(aws: None, invoke: Invoke) -> None:
    """FreeScout's conversation list: the latest public message under the subject, and who wrote it (the customer:
    they wait for the team). Notes never; a long message on one line, cut at a word."""
    ticket = create(invoke, description="Password reset\nloops back to the sign-in page")

    def latest(who: dict[str, Any] = AGENT) -> tuple[str, bool]:
        listed = call(invoke, "GET", "/tickets", who)["json"]["items"]
        [item] = [t for t in listed if t["id"] == ticket["id"]]
        assert item["latest_message"] == call(invoke, "GET", f"/tickets/{ticket['id']}", who)["json"]["latest_message"]
        return item["latest_message"]["text"], item["latest_message"]["from_customer"]

    assert latest() == ("Password reset loops back to the sign-in page", True)
    call(invoke, "POST", f"/tickets/{ticket['id']}/messages", AGENT, {"body": "Which browser?", "public": True})
    assert latest() == ("Which browser?", False)
    call(invoke, "POST", f"/tickets/{ticket['id']}/messages", AGENT, {"body": "internal: SSO?", "public": False})
    assert latest() == ("Which browser?", False)
    assert latest(CUSTOMER) == ("Which browser?", False)  # the customer's list shows the team's answer too
    call(invoke, "POST", f"/tickets/{ticket['id']}/messages", CUSTOMER, {"body": "Firefox 133 " * 40, "public": True})
    text, from_customer = latest()
    assert from_customer
    assert len(text) <= 200
    assert text.endswith("133…")

"""One reply to a problem ticket and its incidents (`POST /tickets/{id}/messages` with `children: true`), through
the real ticket_commands and email_send handlers on moto: each child ticket takes the reply as its own message,
greeted by its own customer's name, and with the status asked; its customer gets their own mail. A child already
solved or closed is skipped; a child the agent may not open is named and the others go on; what the request
itself gets wrong writes nothing anywhere."""

from typing import Any

import pytest

from helpdesk import bootstrap
from helpdesk.mail.local import plain_text
from tests.conftest import claims, http_event
from tests.iam_calls import Call, denied

AGENT = claims("a1", "acme", "agent")
CUSTOMER = {**claims("c1", "acme", "customer", email="dana@customer.example"), "email_verified": "true"}
REPLY = "Hello {{ requester.first_name | default('there', true) }},\n\nthe outage is over: sync works again."


def call(invoke: Any, method: str, path: str, body: Any = None, who: dict[str, Any] = AGENT) -> dict[str, Any]:
    answer: dict[str, Any] = invoke("ticket_commands", http_event(method, path, body=body, claims_=who))
    return answer


def incident(mail: Any, name: str, address: str, number: int) -> str:
    created = mail.deliver(mail.compose(sender=f"{name} <{address}>", subject="Sync stopped",
                                        body="Since 9:00 nothing syncs.\n", message_id=f"i{number}@customer.example"),
                           f"ses-i{number}")
    ticket_id: str = created["ticket_id"]
    return ticket_id


def bodies(invoke: Any, ticket_id: str) -> list[str]:
    events = call(invoke, "GET", f"/tickets/{ticket_id}/events")["json"]
    return [e["data"]["body"] for e in events if e["type"] == "public_message" and not e["data"]["from_customer"]]


def test_the_reply_reaches_every_incident_in_its_customers_name(mail: Any, invoke: Any, recorded: list[Call]) -> None:
    dana = incident(mail, "Dana Example", "dana@customer.example", 1)
    eve = incident(mail, "Eve Jansen", "eve@customer.example", 2)
    solved = incident(mail, "Olu Ade", "olu@customer.example", 3)
    assert call(invoke, "PATCH", f"/tickets/{solved}", {"status": "resolved"})["statusCode"] == 200
    problem = call(invoke, "POST", "/tickets", {"subject": "Sync outage", "description": "Many report it.",
                                                "requester": {"name": "Alice Agent", "email": "alice@acme.example"}}
                   )["json"]
    for child in (dana, eve, solved):
        linked = call(invoke, "POST", f"/tickets/{problem['id']}/links", {"type": "child", "ticket_id": child})
        assert linked["statusCode"] == 200, linked["json"]
    mail.stream()  # the receipts and the like, before the reply
    before = len(mail.sent())
    recorded.clear()

    sent = call(invoke, "POST", f"/tickets/{problem['id']}/messages",
                {"body": REPLY, "status": "resolved", "children": True})

    assert sent["statusCode"] == 201, sent["json"]
    assert denied("TicketCommandsFunction", recorded) == []  # the function's own grants suffice
    assert sent["json"]["data"]["body"].startswith("Hello Alice,")  # the problem's own requester
    outcomes = {r["id"]: (r["outcome"], r["code"], r["number"]) for r in sent["json"]["children"]}
    assert outcomes == {dana: ("updated", None, "T-000001"), eve: ("updated", None, "T-000002"),
                        solved: ("skipped", "already_resolved", "T-000003")}
    assert bodies(invoke, dana) == ["Hello Dana,\n\nthe outage is over: sync works again."]
    assert bodies(invoke, eve) == ["Hello Eve,\n\nthe outage is over: sync works again."]
    assert bodies(invoke, solved) == []  # nothing more to a customer who has their answer
    assert {call(invoke, "GET", f"/tickets/{t}")["json"]["status"] for t in (dana, eve)} == {"resolved"}
    [told] = [e for e in call(invoke, "GET", f"/tickets/{dana}/events")["json"] if e["type"] == "public_message"
              and not e["data"]["from_customer"]]
    assert (told["data"]["parent_id"], told["data"]["parent_number"]) == (problem["id"], "T-000004")  # the team's
    shown = call(invoke, "GET", f"/tickets/{dana}/events", who=CUSTOMER)["json"]
    assert [e["data"]["body"] for e in shown if e["type"] == "public_message"][-1].startswith("Hello Dana,")
    assert not [e for e in shown if "parent_id" in e["data"] or "parent_number" in e["data"]]  # not the customer's

    assert mail.stream() == {"batchItemFailures": []}
    replies = {str(m["To"]): plain_text(m) for m in mail.sent()[before:] if "Auto-Submitted" not in m}
    assert "Hello Dana," in replies["dana@customer.example"]
    assert "Hello Eve," in replies["eve@customer.example"]
    assert "olu@customer.example" not in replies

    # sent again (a second update): the solved ones are skipped, nothing is written on them
    again = call(invoke, "POST", f"/tickets/{problem['id']}/messages",
                 {"body": "Root cause: an expired certificate.", "status": "resolved", "children": True})
    assert [r["outcome"] for r in again["json"]["children"]] == ["skipped"] * 3


def test_a_child_the_agent_may_not_open_is_named_and_the_others_go_on(mail: Any, invoke: Any) -> None:
    dana = incident(mail, "Dana Example", "dana@customer.example", 1)
    eve = incident(mail, "Eve Jansen", "eve@customer.example", 2)
    problem = call(invoke, "POST", "/tickets", {"subject": "Sync outage", "description": "d"})["json"]
    for child in (dana, eve):
        call(invoke, "POST", f"/tickets/{problem['id']}/links", {"type": "child", "ticket_id": child})
    closed = call(invoke, "PATCH", f"/tickets/{eve}", {"status": "closed"})
    assert closed["statusCode"] == 200, closed["json"]

    note = call(invoke, "POST", f"/tickets/{problem['id']}/messages",
                {"body": "{{ ticket.number }} is one of the outage's.", "public": False, "children": True})

    assert note["statusCode"] == 201, note["json"]
    assert [(r["outcome"], r["code"]) for r in note["json"]["children"]] == [("updated", None), ("skipped", "closed")]
    events = call(invoke, "GET", f"/tickets/{dana}/events")["json"]
    notes = [e["data"]["body"] for e in events if e["type"] == "internal_note"]
    assert notes == ["T-000001 is one of the outage's."]  # each ticket's own number
    assert call(invoke, "GET", f"/tickets/{dana}")["json"]["status"] == "new"  # a note moves no status


def test_what_the_request_gets_wrong_writes_nothing(mail: Any, invoke: Any) -> None:
    dana = incident(mail, "Dana Example", "dana@customer.example", 1)
    problem = call(invoke, "POST", "/tickets", {"subject": "Sync outage", "description": "d",
                                                "requester": {"email": "olu@customer.example"}})["json"]
    call(invoke, "POST", f"/tickets/{problem['id']}/links", {"type": "child", "ticket_id": dana})
    path = f"/tickets/{problem['id']}/messages"

    broken = call(invoke, "POST", path, {"body": "Hello {{ requester.first_name ", "children": True})
    assert (broken["statusCode"], broken["json"]["error"]["code"]) == (400, "invalid_input"), broken["json"]
    calls = call(invoke, "POST", path, {"body": "{{ ticket.subject.upper() }}", "children": True})
    assert calls["statusCode"] == 400, calls["json"]  # placeholders only, as a macro's
    with_note_mail = call(invoke, "POST", path, {"body": "x", "public": False, "mail_to": ["sup@vendor.example"],
                                                  "children": True})
    assert with_note_mail["statusCode"] == 422, with_note_mail["json"]
    status = call(invoke, "POST", path, {"body": "Fixed", "status": "new", "children": True})
    assert (status["statusCode"], status["json"]["error"]["code"]) == (409, "invalid_transition")
    assert bodies(invoke, problem["id"]) == []
    assert bodies(invoke, dana) == []

    customer = call(invoke, "POST", f"/tickets/{dana}/messages", {"body": "Any news?", "children": True}, CUSTOMER)
    assert customer["statusCode"] == 403, customer["json"]


def test_without_children_the_answer_is_the_message_as_before(mail: Any, invoke: Any) -> None:
    dana = incident(mail, "Dana Example", "dana@customer.example", 1)
    problem = call(invoke, "POST", "/tickets", {"subject": "Sync outage", "description": "d"})["json"]
    call(invoke, "POST", f"/tickets/{problem['id']}/links", {"type": "child", "ticket_id": dana})
    plain = call(invoke, "POST", f"/tickets/{problem['id']}/messages", {"body": "Hi {{ requester.name }}"})
    assert plain["statusCode"] == 201
    assert plain["json"]["data"]["body"] == "Hi {{ requester.name }}"  # no template without `children`
    assert plain["json"]["children"] is None
    assert bodies(invoke, dana) == []


def test_a_ticket_opened_under_a_problem_is_its_child_both_ways(mail: Any, invoke: Any) -> None:
    """An integration (a status page, a monitoring alert) files a new report under the problem as it opens it: the
    problem lists it as a child at once, so the next reply to the children reaches it."""
    problem = call(invoke, "POST", "/tickets", {"subject": "Sync outage", "description": "d"})["json"]
    opened = call(invoke, "POST", "/tickets", {
        "subject": "Sync stopped", "description": "Nothing syncs.", "requester": {"email": "eve@customer.example",
                                                                               "name": "Eve Jansen"},
        "links": [{"type": "parent", "ticket_id": problem["id"]}]})
    assert opened["statusCode"] == 201, opened["json"]
    assert opened["json"]["links"] == [{"type": "parent", "ticket_id": problem["id"]}]
    links = call(invoke, "GET", f"/tickets/{problem['id']}")["json"]["links"]
    assert links == [{"type": "child", "ticket_id": opened["json"]["id"]}]
    sent = call(invoke, "POST", f"/tickets/{problem['id']}/messages", {"body": "Hi {{ requester.first_name }}.",
                                                                       "children": True})
    assert [(r["id"], r["outcome"]) for r in sent["json"]["children"]] == [(opened["json"]["id"], "updated")]
    assert bodies(invoke, opened["json"]["id"]) == ["Hi Eve."]

    # the links agents make are theirs: a customer's new ticket names a ticket it follows up, no more
    customer = call(invoke, "POST", "/tickets", {"subject": "Me too", "description": "Same here.",
                                                 "links": [{"type": "parent", "ticket_id": problem["id"]}]}, CUSTOMER)
    assert customer["statusCode"] in (403, 400), customer["json"]


def test_a_retry_after_a_failure_half_way_writes_each_message_once(mail: Any, invoke: Any,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """One request writes one message per ticket in turn, so it can fail (or time out) half-way. Sent again with the
    same Idempotency-Key, it finds what the first attempt wrote (each message carries the request) and writes the
    rest: the problem and the first child are not answered twice."""
    from botocore.exceptions import ClientError

    dana = incident(mail, "Dana Example", "dana@customer.example", 1)
    eve = incident(mail, "Eve Jansen", "eve@customer.example", 2)
    problem = call(invoke, "POST", "/tickets", {"subject": "Sync outage", "description": "d"})["json"]["id"]
    for child in (dana, eve):
        call(invoke, "POST", f"/tickets/{problem}/links", {"type": "child", "ticket_id": child})
    service = bootstrap.container().ticket_service
    write, failed = service.add_message, list[str]()

    def throttled_once(caller: Any, ticket_id: str, *args: Any, **kwargs: Any) -> Any:
        if ticket_id == eve and not failed:  # DynamoDB throttles the second child's write once
            failed.append(ticket_id)
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
                              "TransactWriteItems")
        return write(caller, ticket_id, *args, **kwargs)

    monkeypatch.setattr(service, "add_message", throttled_once)
    sent = {"body": "Hello {{ requester.first_name }}, sync works again.", "status": "resolved", "children": True}
    request = http_event("POST", f"/tickets/{problem}/messages", body=sent, claims_=AGENT,
                         headers={"Idempotency-Key": "2b7f6c1e-1d9a-4c49-9a36-5a0d3f7e8c21"})

    first = invoke("ticket_commands", request)
    again = invoke("ticket_commands", request)

    assert first["statusCode"] == 503  # AWS's load, in the one error format; not kept, so the key may run again
    assert first["json"]["error"]["code"] == "unavailable"
    assert first["headers"]["retry-after"] == "1"
    assert again["statusCode"] == 201, again["json"]
    assert [(r["id"], r["outcome"]) for r in again["json"]["children"]] == [(dana, "updated"), (eve, "updated")]
    assert bodies(invoke, dana) == ["Hello Dana, sync works again."]
    assert bodies(invoke, eve) == ["Hello Eve, sync works again."]
    on_problem = call(invoke, "GET", f"/tickets/{problem}/events")["json"]
    assert len([e for e in on_problem if e["type"] == "public_message"]) == 1
    assert {call(invoke, "GET", f"/tickets/{t}")["json"]["status"] for t in (dana, eve)} == {"resolved"}
    shown = call(invoke, "GET", f"/tickets/{dana}/events", who=CUSTOMER)["json"]
    assert not [e for e in shown if "request_id" in e["data"]]  # the team's bookkeeping

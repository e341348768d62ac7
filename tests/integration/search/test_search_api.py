"""Ticket search through the real Lambda handlers on moto: tickets and messages written by the ticket
commands API, both streams delivered to the ticket indexer Lambda, searched through the search API."""

import base64
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from helpdesk import bootstrap
from helpdesk.local.streams import StreamPoller
from tests.conftest import FakeLambdaContext, claims, ensure_event_loop, http_event, load_function, rebuild
from tests.fakes import seed_directory

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

DANA = claims("c1", "acme", "customer", email="dana@example.com")
ERIN = claims("c2", "acme", "customer", email="erin@example.com")
AGENT = claims("a1", "acme", "agent")
BILLING_AGENT = claims("a2", "acme", "agent", groups=["billing"])
FOREIGN_AGENT = claims("z1", "zeta", "agent")


def call(invoke: Invoke, function: str, method: str, path: str, who: dict[str, Any], body: Any = None,
         query: dict[str, str] | None = None) -> dict[str, Any]:
    return invoke(function, http_event(method, path, body=body, claims_=who, query=query))


def ticket(invoke: Invoke, who: dict[str, Any], subject: str, *messages: str, **fields: Any) -> str:
    priority = fields.pop("priority", None)  # the team's to set: an agent sets it after the customer writes
    created = call(invoke, "ticket_commands", "POST", "/tickets", who,
                   {"subject": subject, "description": "first message", **fields})
    assert created["statusCode"] == 201, created["json"]
    if priority is not None:
        assert call(invoke, "ticket_commands", "PATCH", f"/tickets/{created['json']['id']}", AGENT,
                    {"priority": priority})["statusCode"] == 200
    for body in messages:
        assert call(invoke, "ticket_commands", "POST", f"/tickets/{created['json']['id']}/messages", who,
                    {"body": body})["statusCode"] == 201
    return str(created["json"]["id"])


def index_streams(pollers: list[StreamPoller]) -> None:
    for poller in pollers:
        poller.poll_once()


def make_pollers() -> list[StreamPoller]:
    indexer = load_function("ticket_indexer")
    tables = bootstrap.container().settings.tables

    def handler(event: dict[str, Any], context: Any) -> Any:
        return indexer.lambda_handler(event, FakeLambdaContext())

    return [StreamPoller(name, handler, f"search-{name}") for name in (tables.tickets_table,
                                                                       tables.ticket_events_table)]


def search(invoke: Invoke, who: dict[str, Any], **query: str) -> dict[str, Any]:
    return call(invoke, "ticket_search", "GET", "/tickets/search", who, query=query)


def test_agent_finds_a_word_of_a_third_message_and_a_customer_only_their_own(aws: None, invoke: Invoke) -> None:
    pollers = make_pollers()
    dana = ticket(invoke, DANA, "Invoice question", "second message", "my zeppelin invoice is wrong")
    erin = ticket(invoke, ERIN, "Zeppelin tour booking", "more about the zeppelin")
    ticket(invoke, ERIN, "Unrelated", "nothing to see")
    index_streams(pollers)

    found = search(invoke, AGENT, q="zeppelin")
    assert found["statusCode"] == 200, found["json"]
    assert {hit["ticket"]["id"] for hit in found["json"]["items"]} == {dana, erin}
    dana_hit = next(hit for hit in found["json"]["items"] if hit["ticket"]["id"] == dana)
    assert dana_hit["snippets"][0]["text"] == "my <mark>zeppelin</mark> invoice is wrong"

    mine = search(invoke, DANA, q="zeppelin")["json"]["items"]
    assert [hit["ticket"]["id"] for hit in mine] == [dana]
    assert mine[0]["ticket"]["number"] == "T-000001"
    assert search(invoke, FOREIGN_AGENT, q="zeppelin")["json"]["items"] == []


def test_a_reply_written_in_markdown_is_found_and_quoted_without_its_marks(aws: None, invoke: Invoke) -> None:
    pollers = make_pollers()
    dana = ticket(invoke, DANA, "Invoice question")
    assert call(invoke, "ticket_commands", "POST", f"/tickets/{dana}/messages", AGENT, {
        "body": "Your **zeppelin** invoice is [here](https://acme.example/i/7)", "format": "markdown"}
    )["statusCode"] == 201
    index_streams(pollers)
    [hit] = search(invoke, DANA, q="zeppelin")["json"]["items"]
    assert hit["snippets"][0]["text"] == "Your <mark>zeppelin</mark> invoice is here (https://acme.example/i/7)"


def test_a_customer_s_open_tickets_found_include_those_the_team_put_on_hold(aws: None, invoke: Invoke) -> None:
    pollers = make_pollers()
    held, waiting = ticket(invoke, DANA, "Zeppelin part"), ticket(invoke, DANA, "Zeppelin invoice")
    for ticket_id, status in ((held, "on_hold"), (waiting, "pending")):
        assert call(invoke, "ticket_commands", "PATCH", f"/tickets/{ticket_id}", AGENT,
                    {"status": status})["statusCode"] == 200
    index_streams(pollers)

    def found(who: dict[str, Any], status: str) -> list[tuple[str, str]]:
        response = search(invoke, who, q="zeppelin", status=status)
        assert response["statusCode"] == 200, response["json"]
        return [(hit["ticket"]["id"], hit["ticket"]["status"]) for hit in response["json"]["items"]]

    assert found(DANA, "open") == [(held, "open")]  # as the ticket shows it: in work
    assert found(DANA, "pending") == [(waiting, "pending")]
    assert found(AGENT, "on_hold") == [(held, "on_hold")]
    assert found(AGENT, "open") == []
    assert search(invoke, DANA, q="zeppelin", status="on_hold")["statusCode"] == 403


def test_search_finds_the_unsolved_tickets(aws: None, invoke: Invoke) -> None:
    """`unsolved=true`: new, open, pending and on hold; with a status it narrows it, for customers as for staff."""
    pollers = make_pollers()
    held, solved, fresh = (ticket(invoke, DANA, f"Zeppelin {word}") for word in ("part", "invoice", "manual"))
    for ticket_id, status in ((held, "on_hold"), (solved, "resolved")):
        assert call(invoke, "ticket_commands", "PATCH", f"/tickets/{ticket_id}", AGENT,
                    {"status": status})["statusCode"] == 200
    index_streams(pollers)

    def found(who: dict[str, Any], **query: str) -> set[str]:
        response = search(invoke, who, q="zeppelin", unsolved="true", **query)
        assert response["statusCode"] == 200, response["json"]
        return {hit["ticket"]["id"] for hit in response["json"]["items"]}

    assert found(AGENT) == {held, fresh}
    assert found(AGENT, status="on_hold") == {held}
    assert found(AGENT, status="resolved") == set()
    assert found(DANA) == {held, fresh}
    assert found(DANA, status="resolved") == set()
    rows = export(AGENT, q="zeppelin", unsolved="true")["body"].splitlines()
    assert sorted(row.split(",")[rows[0].split(",").index("id")] for row in rows[1:]) == sorted([held, fresh])


def test_internal_notes_are_found_by_staff_only_and_groups_restrict_agents(aws: None, invoke: Invoke) -> None:
    pollers = make_pollers()
    dana = ticket(invoke, DANA, "Refund please")
    note = call(invoke, "ticket_commands", "POST", f"/tickets/{dana}/messages", AGENT,
                {"body": "customer is a known fraudster", "public": False})
    assert note["statusCode"] == 201
    index_streams(pollers)

    staff = search(invoke, AGENT, q="fraudster")["json"]["items"]
    assert [hit["ticket"]["id"] for hit in staff] == [dana]
    assert staff[0]["snippets"] == [{"text": "customer is a known <mark>fraudster</mark>", "internal": True}]
    assert search(invoke, DANA, q="fraudster")["json"]["items"] == []
    assert search(invoke, BILLING_AGENT, q="refund")["json"]["items"] == []  # not in the billing group

    seed_directory(bootstrap.container().directory_store, "acme", groups={"billing": []})
    moved = call(invoke, "ticket_commands", "PATCH", f"/tickets/{dana}", AGENT, {"group": "billing"})
    assert moved["statusCode"] == 200
    index_streams(pollers)
    assert [hit["ticket"]["id"] for hit in search(invoke, BILLING_AGENT, q="refund")["json"]["items"]] == [dana]
    assert [h["ticket"]["id"] for h in search(invoke, AGENT, q="refund", group="billing")["json"]["items"]] == [dana]
    assert search(invoke, AGENT, q="refund", group="sales")["json"]["items"] == []


def test_agents_find_a_ticket_by_a_custom_field_value_customers_do_not(aws: None, invoke: Invoke) -> None:
    """An agent types the order number a customer gave: the ticket holding it in a custom field comes up. The
    values are the team's text, so a customer's search (even of their own ticket) does not reach them."""
    pollers = make_pollers()
    dana = ticket(invoke, DANA, "Refund please")
    other = ticket(invoke, ERIN, "Refund too")
    assert call(invoke, "ticket_commands", "PATCH", f"/tickets/{dana}", AGENT,
                {"custom_fields": {"order_number": "ORD-99417", "seats": 40, "vip": True}})["statusCode"] == 200
    assert call(invoke, "ticket_commands", "PATCH", f"/tickets/{other}", AGENT,
                {"custom_fields": {"order_number": "ORD-12000"}})["statusCode"] == 200
    index_streams(pollers)

    found = search(invoke, AGENT, q="ORD-99417")["json"]["items"]
    assert found[0]["ticket"]["id"] == dana  # first; "ORD" alone matches the other order too (any word matches)
    assert found[0]["snippets"][0]["internal"] is True
    assert [hit["ticket"]["id"] for hit in search(invoke, AGENT, q="40")["json"]["items"]] == [dana]
    assert search(invoke, AGENT, q="true")["json"]["items"] == []  # a checkbox is no word
    assert search(invoke, DANA, q="ORD-99417")["json"]["items"] == []

    def filtered(who: dict[str, Any], *fields: str, q: str = "") -> dict[str, Any]:
        return invoke("ticket_search", http_event("GET", "/tickets/search", claims_=who, query={"q": q},
                                                  multi_query={"field": list(fields)}))

    assert [h["ticket"]["id"] for h in filtered(AGENT, "vip:true")["json"]["items"]] == [dana]
    assert [h["ticket"]["id"] for h in filtered(AGENT, "seats:40", "vip:true", q="refund")["json"]["items"]] == [dana]
    assert filtered(AGENT, "vip:false")["json"]["items"] == []
    assert filtered(DANA, "vip:true")["statusCode"] == 403  # the team's fields are not the customer's to probe


def test_filters_order_and_cursor_paging(aws: None, invoke: Invoke) -> None:
    pollers = make_pollers()
    ids = [ticket(invoke, DANA, f"Printer jam {i}", priority="high" if i % 2 else "normal") for i in range(5)]
    index_streams(pollers)

    newest = search(invoke, AGENT, q="printer", order="newest", limit="2")["json"]
    assert [hit["ticket"]["id"] for hit in newest["items"]] == ids[::-1][:2]
    pages, cursor = [hit["ticket"]["id"] for hit in newest["items"]], newest["next_cursor"]
    while cursor:
        page = search(invoke, AGENT, q="printer", order="newest", limit="2", cursor=cursor)["json"]
        pages += [hit["ticket"]["id"] for hit in page["items"]]
        cursor = page["next_cursor"]
    assert pages == ids[::-1]

    high = search(invoke, AGENT, q="printer", priority="high")["json"]["items"]
    assert {hit["ticket"]["id"] for hit in high} == {ids[1], ids[3]}
    assert search(invoke, AGENT, q="printer", channel="email")["json"]["items"] == []
    by_number = search(invoke, AGENT, q="T-000003")["json"]["items"]
    assert [hit["ticket"]["id"] for hit in by_number] == [ids[2]]

    other = search(invoke, AGENT, q="jam", order="newest", limit="2")["json"]["next_cursor"]
    wrong = search(invoke, AGENT, q="printer", order="newest", limit="2", cursor=other)
    assert wrong["statusCode"] == 400  # a cursor belongs to its own search
    assert search(invoke, AGENT, q="printer", cursor="%%%")["statusCode"] == 400


def test_search_and_export_filter_by_the_requesters_organisation(aws: None, invoke: Invoke) -> None:
    admin = claims("ad1", "acme", "admin")
    made = call(invoke, "directory_api", "POST", "/organizations", admin,
                {"name": "Globex", "domains": ["globex.example"]})
    assert made["statusCode"] == 201, made["json"]
    org = made["json"]["id"]
    pollers = make_pollers()
    globex = ticket(invoke, claims("h1", "acme", "customer", email="hank@globex.example"), "Printer on fire")
    ticket(invoke, DANA, "Printer out of toner")
    index_streams(pollers)

    found = search(invoke, AGENT, q="printer", organization=org)["json"]["items"]
    assert [hit["ticket"]["id"] for hit in found] == [globex]
    assert len(search(invoke, AGENT, q="printer")["json"]["items"]) == 2
    assert search(invoke, AGENT, q="printer", organization="org-nobody")["json"]["items"] == []
    too_long = search(invoke, AGENT, q="printer", organization="o" * 65)
    assert too_long["statusCode"] == 400
    assert too_long["json"]["error"]["code"] == "invalid_query_parameter"

    rows = export(AGENT, q="printer", organization=org)["body"].splitlines()
    header = rows[0].split(",")
    assert len(rows) == 2
    assert rows[1].split(",")[header.index("organization_id")] == org


def test_search_and_export_filter_by_the_request_form(aws: None, invoke: Invoke) -> None:
    admin = claims("ad1", "acme", "admin")
    order = {"key": "order_number", "label": "Order number", "type": "text", "customer_editable": True}
    forms = [{"key": "billing", "name": "Billing question", "fields": ["order_number"]},
             {"key": "bug", "name": "Something is broken"}]
    saved = call(invoke, "ticket_commands", "PUT", "/ticket-fields", admin, {"fields": [order], "forms": forms})
    assert saved["statusCode"] == 200, saved["json"]
    pollers = make_pollers()
    billing = ticket(invoke, DANA, "Printer invoice wrong", form="billing", custom_fields={"order_number": "O-1"})
    ticket(invoke, DANA, "Printer does not print", form="bug")
    index_streams(pollers)

    found = search(invoke, AGENT, q="printer", form="billing")["json"]["items"]
    assert [hit["ticket"]["id"] for hit in found] == [billing]
    assert len(search(invoke, AGENT, q="printer")["json"]["items"]) == 2
    assert search(invoke, DANA, q="printer", form="bug")["json"]["items"][0]["ticket"]["form"] == "bug"
    logged = call(invoke, "ticket_commands", "POST", f"/tickets/{billing}/time", AGENT, {"minutes": 15})
    assert logged["statusCode"] == 200, logged["json"]
    rows = export(AGENT, q="printer", form="billing")["body"].splitlines()  # the tickets come fresh: no reindex
    header = rows[0].split(",")
    assert (len(rows), header[-2:], rows[1].split(",")[-2:]) == (2, ["form", "time_spent_minutes"], ["billing", "15"])


def test_search_finds_the_tickets_nobody_has(aws: None, invoke: Invoke) -> None:
    seed_directory(bootstrap.container().directory_store, "acme", agents=["a1"])
    pollers = make_pollers()
    waiting = ticket(invoke, DANA, "Scanner jams")
    taken = ticket(invoke, DANA, "Scanner is slow")
    assert call(invoke, "ticket_commands", "PATCH", f"/tickets/{taken}", AGENT,
                {"assignee_id": "a1"})["statusCode"] == 200
    index_streams(pollers)

    assert [h["ticket"]["id"] for h in search(invoke, AGENT, q="scanner", unassigned="true")["json"]["items"]] \
        == [waiting]
    assert len(search(invoke, AGENT, q="scanner")["json"]["items"]) == 2
    both = search(invoke, AGENT, q="scanner", unassigned="true", assignee="a1")
    assert (both["statusCode"], both["json"]["error"]["code"]) == (400, "invalid_input")


def test_search_finds_the_tickets_in_the_callers_groups(aws: None, invoke: Invoke) -> None:
    seed_directory(bootstrap.container().directory_store, "acme", agents=["a1"], groups={"billing": ["a2"],
                                                                                      "shipping": []})
    pollers = make_pollers()
    billed, shipped = ticket(invoke, DANA, "Scanner refund"), ticket(invoke, DANA, "Scanner parcel")
    for ticket_id, group in ((billed, "billing"), (shipped, "shipping")):
        assert call(invoke, "ticket_commands", "PATCH", f"/tickets/{ticket_id}", AGENT,
                    {"group": group})["statusCode"] == 200
    index_streams(pollers)

    def found(who: dict[str, Any]) -> list[str]:
        response = search(invoke, who, q="scanner", my_groups="true")
        assert response["statusCode"] == 200, response["json"]
        return [hit["ticket"]["id"] for hit in response["json"]["items"]]

    assert found(BILLING_AGENT) == [billed]
    assert found(AGENT) == []  # in no group
    assert search(invoke, DANA, q="scanner", my_groups="true")["statusCode"] == 403


def test_a_query_over_512_characters_is_400(aws: None, invoke: Invoke) -> None:
    response = search(invoke, AGENT, q="a" * 513)
    assert response["statusCode"] == 400
    assert response["json"]["error"]["code"] == "invalid_input"
    assert "512" in response["json"]["error"]["message"]
    assert search(invoke, AGENT, q="a" * 512)["statusCode"] == 200


def export(who: dict[str, Any], **query: str) -> dict[str, Any]:
    """The export's raw response (its body is CSV or JSON lines, not one JSON document)."""
    event = http_event("GET", "/tickets/export", claims_=who, query=query)
    ensure_event_loop()  # Mangum asks for the thread's loop; an earlier test on this worker may have left none
    response: dict[str, Any] = load_function("ticket_search").lambda_handler(event, FakeLambdaContext())
    if response.get("isBase64Encoded"):  # Mangum sends a non-text type (JSON lines) base64-encoded
        response["body"] = base64.b64decode(response["body"]).decode()
    return response


def test_export_streams_csv_and_jsonl_for_staff_only(aws: None, invoke: Invoke) -> None:
    pollers = make_pollers()
    ids = [ticket(invoke, DANA, f"Export me {i}") for i in range(3)]
    ticket(invoke, DANA, "=HYPERLINK(\"http://evil\") export")
    index_streams(pollers)

    csv_export = export(AGENT, q="export")
    assert csv_export["statusCode"] == 200
    assert csv_export["headers"]["content-type"].startswith("text/csv")
    lines = csv_export["body"].splitlines()
    assert lines[0].startswith("number,id,subject,status")
    assert len(lines) == 5
    assert lines[1].startswith("T-000004,")
    assert "'=HYPERLINK" in lines[1]

    jsonl = export(AGENT, q="export", format="jsonl", status="new")
    rows = [json.loads(line) for line in jsonl["body"].splitlines()]
    assert [row["id"] for row in rows][1:] == ids[::-1]
    assert export(DANA)["statusCode"] == 403


def test_an_export_too_large_for_an_answer_is_a_download_link(aws: None, invoke: Invoke,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3

    monkeypatch.setenv("HELPDESK_MAIL_BUCKET", "helpdesk-exports-test")
    monkeypatch.setenv("HELPDESK_SEARCH_EXPORT_INLINE_MAX_BYTES", "2000")
    boto3.client("s3").create_bucket(Bucket="helpdesk-exports-test")
    rebuild()
    pollers = make_pollers()
    for i in range(3):
        ticket(invoke, DANA, f"Large export {i}")
    index_streams(pollers)

    small = export(AGENT, q="export")
    assert small["statusCode"] == 200  # three rows fit in 2,000 bytes
    ticket(invoke, DANA, "Large export " + "x" * 400, description="y" * 2000)
    index_streams(pollers)

    for response in (export(AGENT, q="export", format="jsonl"), export(AGENT, q="export", delivery="link")):
        assert response["statusCode"] == 303
        link = json.loads(response["body"])
        assert response["headers"]["location"] == link["download_url"]
        path = unquote(urlsplit(link["download_url"]).path)  # /<key> or /<bucket>/<key>
        key = path.removeprefix("/").removeprefix("helpdesk-exports-test/")
        assert key.startswith("exports/acme/")
        stored = boto3.client("s3").get_object(Bucket="helpdesk-exports-test", Key=key)["Body"].read().decode()
        assert link["size_bytes"] == len(stored.encode())
        assert len(stored.splitlines()) in (4, 5)  # four tickets (+ the CSV header)
        assert "Large export 0" in stored
    assert export(AGENT, q="export", delivery="sideways")["statusCode"] == 400
    assert export(DANA, delivery="link")["statusCode"] == 403


def test_search_and_export_filter_by_who_follows(aws: None, invoke: Invoke) -> None:
    """`follower=me` (or a team member's id) finds the tickets they follow; customers may not ask who follows."""
    seed_directory(bootstrap.container().directory_store, "acme", agents=["a1", "a3"])
    pollers = make_pollers()
    followed = ticket(invoke, DANA, "Label printer offline")
    ticket(invoke, DANA, "Label printer slow")
    other = claims("a3", "acme", "agent")
    assert call(invoke, "ticket_commands", "PUT", f"/tickets/{followed}/followers/me", AGENT)["statusCode"] == 200
    index_streams(pollers)

    for who, value in ((AGENT, "me"), (other, "a1")):
        assert [h["ticket"]["id"] for h in search(invoke, who, q="printer", follower=value)["json"]["items"]] == [
            followed]
    assert search(invoke, other, q="printer", follower="me")["json"]["items"] == []
    assert len(search(invoke, AGENT, q="printer")["json"]["items"]) == 2
    assert search(invoke, DANA, q="printer", follower="a1")["statusCode"] == 403
    rows = export(AGENT, q="printer", follower="me")["body"].splitlines()
    assert len(rows) == 2
    assert "Label printer offline" in rows[1]


def test_search_and_export_filter_by_link_type(aws: None, invoke: Invoke) -> None:
    """`link_type=child` finds the problems among the words' hits, `parent` their incidents (the queue's Problems
    view searched); both ends of a link are indexed when it is written."""
    pollers = make_pollers()
    incident = ticket(invoke, DANA, "Printer sync stopped")
    ticket(invoke, DANA, "Printer toner low")
    problem = ticket(invoke, AGENT, "Printer sync outage", requester={"email": "dana@customer.example"})
    linked = call(invoke, "ticket_commands", "POST", f"/tickets/{problem}/links", AGENT,
                  {"type": "child", "ticket_id": incident})
    assert linked["statusCode"] == 200, linked["json"]
    index_streams(pollers)

    def found(**query: str) -> list[str]:
        answer = search(invoke, AGENT, q="printer", **query)
        assert answer["statusCode"] == 200, answer["json"]
        return [h["ticket"]["id"] for h in answer["json"]["items"]]

    assert found(link_type="child") == [problem]
    assert found(link_type="parent") == [incident]
    assert len(found()) == 3
    assert search(invoke, AGENT, q="printer", link_type="problem")["statusCode"] == 400
    rows = export(AGENT, q="printer", link_type="child")["body"].splitlines()
    assert len(rows) == 2
    assert "Printer sync outage" in rows[1]

"""Time tracking through the real ticket_commands and reports_api handlers on moto: agents log minutes, the ticket
keeps the total and the history each entry, corrections never take it below zero, a retried request counts
once, and customers see none of it."""

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import EVENTS, claims, ensure_event_loop, http_event, load_function

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

CUSTOMER = claims("c1", "acme", "customer", email="dana@example.com")
ALICE = claims("alice", "acme", "agent")
ADA = claims("ada", "acme", "admin")
FOREIGN_AGENT = claims("zed", "zeta", "agent")


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None,
         headers: dict[str, str] | None = None, query: dict[str, str] | None = None) -> dict[str, Any]:
    function = "reports_api" if path.startswith("/reports") else "ticket_commands"
    template = "reports_api/overview_report.json" if function == "reports_api" else "ticket_commands/create_ticket.json"
    return invoke(function, http_event(method, path, body=body, claims_=who, headers=headers, query=query,
                                       template=template))


def log(invoke: Invoke, ticket_id: str, who: dict[str, Any], minutes: Any, key: str | None = None) -> dict[str, Any]:
    return call(invoke, "POST", f"/tickets/{ticket_id}/time", who, {"minutes": minutes},
                headers={"idempotency-key": key} if key else None)


def test_agents_log_time_that_adds_up_and_customers_never_see(aws: None, invoke: Invoke) -> None:
    opened = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Export fails", "description": "CSV"})
    ticket_id = opened["json"]["id"]

    first = log(invoke, ticket_id, ALICE, 25, key="a1b2c3d4-0000-4000-8000-000000000001")
    assert first["statusCode"] == 200, first["json"]
    assert first["json"]["time_spent_minutes"] == 25
    again = log(invoke, ticket_id, ALICE, 25, key="a1b2c3d4-0000-4000-8000-000000000001")  # a retry: counted once
    assert again["json"]["time_spent_minutes"] == 25
    assert log(invoke, ticket_id, ADA, 35)["json"]["time_spent_minutes"] == 60
    assert log(invoke, ticket_id, ALICE, -10)["json"]["time_spent_minutes"] == 50  # a correction

    below = log(invoke, ticket_id, ALICE, -51)
    assert below["statusCode"] == 400
    assert below["json"]["error"]["code"] == "invalid_input"
    assert below["json"]["error"]["details"]["time_spent_minutes"] == 50
    for bad in (0, 1441, -1441, "30", 2.5, True, None):
        refused = log(invoke, ticket_id, ALICE, bad)
        assert refused["statusCode"] == 422, (bad, refused["json"])
        assert refused["json"]["error"]["code"] == "validation_error"
    assert call(invoke, "POST", f"/tickets/{ticket_id}/time", ALICE, {"minutes": 5, "note": "x"})["statusCode"] == 422
    assert log(invoke, ticket_id, CUSTOMER, 5)["statusCode"] == 403
    assert log(invoke, ticket_id, FOREIGN_AGENT, 5)["statusCode"] == 404
    assert log(invoke, "0" * 32, ALICE, 5)["statusCode"] == 404

    seen = call(invoke, "GET", f"/tickets/{ticket_id}", ALICE)["json"]
    assert seen["time_spent_minutes"] == 50
    history = call(invoke, "GET", f"/tickets/{ticket_id}/events", ALICE)["json"]
    entries = [(e["actor"], e["data"]["minutes"], e["data"]["total"]) for e in history if e["type"] == "time_logged"]
    assert entries == [("alice", 25, 25), ("ada", 35, 60), ("alice", -10, 50)]

    mine = call(invoke, "GET", f"/tickets/{ticket_id}", CUSTOMER)["json"]
    assert mine["time_spent_minutes"] is None
    assert "time_logged" not in {e["type"] for e in call(invoke, "GET", f"/tickets/{ticket_id}/events",
                                                         CUSTOMER)["json"]}
    listed = call(invoke, "GET", "/tickets", CUSTOMER)["json"]["items"]
    assert [t["time_spent_minutes"] for t in listed] == [None]

    now = datetime.now(UTC)
    report = call(invoke, "GET", "/reports/overview", ALICE, query={
        "from": (now - timedelta(days=1)).isoformat().replace("+00:00", "Z"),
        "to": (now + timedelta(hours=1)).isoformat().replace("+00:00", "Z")})["json"]
    assert report["totals"]["time_spent_minutes"] == 50
    assert [(r["key"], r["time_spent_minutes"]) for r in report["by_group"]] == [("(none)", 50)]


def test_the_sample_event_logs_time(aws: None, invoke: Invoke) -> None:
    """`events/ticket_commands/log_time.json` (for `sam local invoke`) is a request the handler takes."""
    event = json.loads((EVENTS / "ticket_commands/log_time.json").read_text())
    from helpdesk.bootstrap import container
    from tests.fakes import seed_directory

    seed_directory(container().directory_store, "acme", groups={"support": []})  # the sample agent's group
    created = call(invoke, "POST", "/tickets", ADA,
                   {"subject": "Export fails", "description": "CSV", "group": "support"})
    ticket_id = created["json"]["id"]
    event["rawPath"] = event["requestContext"]["http"]["path"] = f"/tickets/{ticket_id}/time"
    answer = invoke("ticket_commands", event)
    assert answer["statusCode"] == 200, answer["json"]
    assert answer["json"]["time_spent_minutes"] == json.loads(event["body"])["minutes"]


def test_the_timesheet_reads_the_months_entries_from_dynamodb(aws: None, invoke: Invoke, lambda_context: Any) -> None:
    """`GET /reports/time` on moto: the entries come from the events table's sparse index, by when they were logged;
    the CSV is one line per entry; bad ranges and customers are refused."""
    first = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Export fails", "description": "CSV"})["json"]
    second = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Import fails", "description": "XLS"})["json"]
    for ticket, who, minutes in ((first, ALICE, 25), (second, ADA, 40), (first, ALICE, -5)):
        assert log(invoke, ticket["id"], who, minutes)["statusCode"] == 200
    now = datetime.now(UTC)
    span = {"from": (now - timedelta(hours=1)).isoformat().replace("+00:00", "Z"),
            "to": (now + timedelta(hours=1)).isoformat().replace("+00:00", "Z")}

    report = call(invoke, "GET", "/reports/time", ALICE, query=span)
    assert report["statusCode"] == 200, report["json"]
    assert (report["json"]["minutes"], report["json"]["entries"]) == (60, 3)
    assert [(r["key"], r["minutes"]) for r in report["json"]["by_agent"]] == [("ada", 40), ("alice", 20)]
    assert [(r["key"], r["minutes"]) for r in report["json"]["by_ticket"]] == [
        (second["number"], 40), (first["number"], 20)]
    mine = call(invoke, "GET", "/reports/time", ALICE, query={**span, "agent": "alice"})["json"]
    assert (mine["minutes"], mine["filters"]) == (20, {"agent": "alice"})
    before = {"from": (now - timedelta(days=2)).isoformat().replace("+00:00", "Z"),
              "to": (now - timedelta(days=1)).isoformat().replace("+00:00", "Z")}
    assert call(invoke, "GET", "/reports/time", ALICE, query=before)["json"]["entries"] == 0

    ensure_event_loop()
    sheet = load_function("reports_api").lambda_handler(  # CSV: the raw answer, not JSON
        http_event("GET", "/reports/time", claims_=ALICE, query={**span, "format": "csv"},
                   template="reports_api/time_report.json"), lambda_context)
    lines = sheet["body"].splitlines()
    assert lines[0] == "at,agent,ticket,ticket_id,organization_id,group,minutes"
    assert [line.split(",")[1:3] + line.split(",")[-1:] for line in lines[1:]] == [
        ["alice", first["number"], "25"], ["ada", second["number"], "40"], ["alice", first["number"], "-5"]]
    assert call(invoke, "GET", "/reports/time", CUSTOMER, query=span)["statusCode"] == 403
    backwards = {"from": span["to"], "to": span["from"]}
    assert call(invoke, "GET", "/reports/time", ALICE, query=backwards)["statusCode"] == 400
    assert call(invoke, "GET", "/reports/time", ALICE, query={**span, "agent": ""})["statusCode"] == 400


def test_a_kept_local_table_gets_the_time_index_it_lacks(aws: None) -> None:
    """A local stack's saved state from before time tracking has an events table without `by_time_logged`: the
    stack's start adds it (as a template update would in AWS), and the timesheet works on it."""
    import boto3

    from helpdesk.bootstrap import container
    from helpdesk.platform.dynamo.tables import create_tables

    tables = container().tables
    name = tables.ticket_events.Meta.table_name
    client = boto3.client("dynamodb", region_name=tables.ticket_events.Meta.region)
    client.delete_table(TableName=name)
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        AttributeDefinitions=[{"AttributeName": "ticket_key", "AttributeType": "S"},
                                              {"AttributeName": "seq", "AttributeType": "N"}],
                        KeySchema=[{"AttributeName": "ticket_key", "KeyType": "HASH"},
                                   {"AttributeName": "seq", "KeyType": "RANGE"}])

    create_tables(tables)
    create_tables(tables)  # again: nothing left to add

    indexes = client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
    assert [i["IndexName"] for i in indexes] == ["by_time_logged"]

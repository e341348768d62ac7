"""`helpdesk import freescout` on moto against a small FreeScout system served over HTTP on loopback
(`tests/freescout_fake.py`): statuses read one by one, mailboxes as groups, users and customers told apart, companies
as organisations, threads as messages (line items and drafts left out), files, custom fields, and customers who find
their history in the portal."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from helpdesk import bootstrap
from helpdesk.imports.service import imported_ticket_id
from tests.conftest import claims, http_event
from tests.freescout_fake import KEY, FreeScoutFake
from tests.iam_calls import Call, denied
from tests.integration.imports.conftest import Invoke, api

AGENT = claims("alice", "acme", "agent", email="alice@acme.example")
WESKER = {**claims("wesker", "acme", "customer", email="wesker@umbrella.example"), "email_verified": "true"}
JILL = {**claims("jill", "acme", "customer", email="jill@umbrella.example"), "email_verified": "true"}


@pytest.fixture
def freescout(importing_team: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[FreeScoutFake]:
    monkeypatch.setenv("FREESCOUT_API_KEY", KEY)
    fake = FreeScoutFake()
    yield fake
    fake.close()


def run(*args: str) -> dict[str, Any]:
    from helpdesk.cli.main import app

    result = CliRunner().invoke(app, ["import", "freescout", "--tenant", "acme", *args])
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_a_freescout_system_comes_over_with_its_threads_and_files(freescout: FreeScoutFake, invoke: Invoke,
                                                                  recorded: list[Call]) -> None:
    report = run("--url", freescout.url)
    imported = list(recorded)  # the import's calls: what the import job makes too
    assert {k: report[k] for k in ("source", "tickets_imported", "deleted_skipped", "messages",
                                   "organizations_created", "attachments_imported", "macros", "views")} == {
        "source": "freescout", "tickets_imported": 3, "deleted_skipped": 0, "messages": 6,
        "organizations_created": 1, "attachments_imported": 1, "macros": None, "views": None}
    assert report["time_entries"] == 2
    assert report["groups_not_in_directory"] == {"Sales": 1}
    assert report["agents_not_in_directory"] == {"Bob Builder": 1}
    assert report["fields_created"] == ["order_number", "plan"]
    # Closed and pending ones were asked for by their status (the list gives active ones otherwise); spam was not.
    listed = [r for r in freescout.requests if r.startswith("/api/conversations?")]
    assert sorted(r.split("status=")[1].split("&")[0] for r in listed) == ["active", "closed", "pending"]

    order_id = imported_ticket_id("acme", "freescout", "101")
    order = api(invoke, f"/tickets/{order_id}", AGENT)
    assert (order["subject"], order["status"], order["priority"], order["channel"], order["group"],
            order["assignee_id"], order["tags"]) == ("Order 4711 never arrived", "pending", "normal", "email",
                                                     "billing", "alice", ["order", "shipping"])
    assert order["description"] == "Where is order 4711?\n\nAttached: the order."  # the HTML thread as text
    assert order["imported_from"]["url"] == f"{freescout.url}/conversation/101"
    assert order["imported_from"]["number"] == "2001"  # the number its customer and the team knew
    assert order["custom_fields"] == {"order_number": "4711", "plan": "Pro"}  # a dropdown's value as its name
    assert order["participants"] == ["wesker@umbrella.example", "ada.wong@umbrella.example"]  # the thread's Cc
    events = api(invoke, f"/tickets/{order_id}/events", AGENT)
    said = [(e["type"], e["actor"], e["data"].get("body", e["data"].get("minutes"))) for e in events
            if e["type"] != "created"]
    assert said == [("internal_note", "alice", "Carrier says it is in the depot."),  # no line item, no draft
                    ("time_logged", "alice", 15),  # the time logs among the messages, by when they were logged
                    ("public_message", "alice", "It will be delivered tomorrow."),
                    ("time_logged", "freescout:user:2", 30)]
    assert order["time_spent_minutes"] == 45
    admin = {**claims("ada", "acme", "admin"), "name": "Ada"}
    april = invoke("reports_api", http_event("GET", "/reports/time", claims_=admin, query={
        "from": "2025-04-01T00:00:00Z", "to": "2025-05-01T00:00:00Z"}))["json"]  # the timesheet of that month
    assert (april["minutes"], [(line["agent"], line["minutes"]) for line in april["lines"]]) == (
        45, [("alice", 15), ("freescout:user:2", 30)])
    assert [e["type"] for e in api(invoke, f"/tickets/{order_id}/events", WESKER)] == [
        "created", "public_message"]  # the team's notes and time are the team's
    [file] = api(invoke, f"/tickets/{order_id}/attachments", AGENT)
    assert (file["filename"], file["content_type"], file["source"]) == ("order.pdf", "application/pdf", "import")

    chat = api(invoke, f"/tickets/{imported_ticket_id('acme', 'freescout', '102')}", AGENT)
    assert (chat["status"], chat["channel"], chat["group"], chat["assignee_id"], chat["requester"]["email"]) == (
        "closed", "chat", None, None, "jill@umbrella.example")  # Bob and Sales are not here: named in the report
    phone = api(invoke, f"/tickets/{imported_ticket_id('acme', 'freescout', '105')}", AGENT)
    # Typed in by Alice, said by the customer (customer 1, not user 1): the requester is the customer.
    assert (phone["channel"], phone["requester"]["email"], phone["description"]) == (
        "api", "wesker@umbrella.example", "The May invoice shows the wrong address.")
    [umbrella] = bootstrap.container().directory_store.list_organizations("acme")
    assert (umbrella.name, umbrella.domains) == ("Umbrella Corp", [])
    assert order["organization_id"] == phone["organization_id"] == chat["organization_id"] == umbrella.id

    mine = api(invoke, "/tickets", WESKER)["items"]
    assert sorted(t["subject"] for t in mine) == ["Order 4711 never arrived", "Phone call about an invoice"]
    assert [t["subject"] for t in api(invoke, "/tickets", JILL)["items"]] == ["Old question"]
    assert all(r.startswith(("/api/", "/storage/attachment/")) for r in freescout.requests)

    # Wesker's other address there is linked to him here: his mail from home is his
    assert report["customer_addresses"] == 1
    linked = api(invoke, "/customers/email%3Awesker%40umbrella.example/addresses", AGENT)
    assert linked["addresses"] == ["albert.wesker@home.example"]
    # Jill's first phone number there that has one, as her profile here (FreeScout keeps no language)
    jill = bootstrap.container().customer_profile_store.get("acme", "email:jill@umbrella.example")
    assert jill is not None
    assert (jill.name, jill.phone, jill.language, report["customer_profiles"]) == (
        "Jill Valentine", "(555) 010-0199", None, 1)
    assert denied("ImportWorkerFunction", imported) == []
    assert run("--url", freescout.url)["customer_addresses"] == 0  # a rerun links nothing twice


def test_a_rerun_imports_only_what_is_new_and_since_narrows_the_export(freescout: FreeScoutFake) -> None:
    first = run("--url", freescout.url, "--since", "2025-04-01")
    assert (first["tickets_imported"], first["already_imported"]) == (2, 0)  # the January chat changed before
    assert all("updatedSince=2025-04-01T00%3A00%3A00Z" in r for r in freescout.requests
               if r.startswith("/api/conversations?"))
    again = run("--url", freescout.url)
    assert (again["tickets_imported"], again["already_imported"]) == (1, 2)


def test_an_address_with_tickets_here_is_left_to_a_person(freescout: FreeScoutFake, invoke: Invoke) -> None:
    """Linking Wesker's home address would move a ticket it has here already: a person does that on his page."""
    opened = invoke("ticket_commands", http_event("POST", "/tickets", claims_=AGENT, body={
        "subject": "Sent from home", "description": "Hello", "requester": {"email": "albert.wesker@home.example"}}))
    assert opened["statusCode"] == 201, opened["json"]
    report = run("--url", freescout.url)
    assert report["customer_addresses"] == 0
    assert [p for p in report["problems"] if "albert.wesker@home.example" in p] == [
        "Albert Wesker: albert.wesker@home.example not linked: it has tickets here already; add it on the customer's "
        "page to move them"]
    assert api(invoke, "/customers/email%3Awesker%40umbrella.example/addresses", AGENT)["addresses"] == []


def test_a_wrong_key_stops_with_the_reason_and_a_missing_one_is_asked_for(freescout: FreeScoutFake,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk.cli.main import app

    monkeypatch.setenv("FREESCOUT_API_KEY", "wrong")
    result = CliRunner().invoke(app, ["import", "freescout", "--tenant", "acme", "--url", freescout.url])
    assert result.exit_code == 1
    assert "FreeScout refused the credentials (401)" in result.stderr
    assert "API & Webhooks" in result.stderr
    monkeypatch.delenv("FREESCOUT_API_KEY")
    result = CliRunner().invoke(app, ["import", "freescout", "--tenant", "acme", "--url", freescout.url])
    assert result.exit_code == 2
    assert "FREESCOUT_API_KEY" in result.output

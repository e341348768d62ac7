"""`helpdesk import zendesk` on moto against a small Zendesk account served over HTTP on loopback
(`tests/zendesk_fake.py`): what comes over, what the team and the customer see of it through the APIs, that nothing
reacts to it (no mail, no triage, no webhook) while the next reply on it is mailed as any, and reruns."""

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto.backends import get_backend
from typer.testing import CliRunner

from helpdesk import bootstrap
from helpdesk.imports.service import imported_ticket_id
from helpdesk.kernel.principal import operator_principal
from helpdesk.local.streams import StreamPoller
from helpdesk.mail.local import moto_message
from tests.conftest import claims, http_event, load_function, rebuild
from tests.fakes import seed_directory
from tests.zendesk_fake import ACCOUNT, EMAIL, TOKEN, ZendeskFake

Invoke = Callable[..., dict[str, Any]]
AGENT = claims("alice", "acme", "agent", email="alice@acme.example")
HANK = {**claims("hank", "acme", "customer", email="hank@globex.example"), "email_verified": "true"}
PETER = {**claims("peter", "acme", "customer", email="peter@initech.example"), "email_verified": "true"}


@pytest.fixture
def team(importing_team: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZENDESK_API_TOKEN", TOKEN)  # Zed Former left there: not in the directory


def run_import(zendesk: ZendeskFake, *extra: str) -> dict[str, Any]:
    from helpdesk.cli.main import app

    result = CliRunner().invoke(app, ["import", "zendesk", "--tenant", "acme", "--email", EMAIL, "--url", zendesk.url,
                                      *extra])
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def api(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None,
        query: dict[str, str] | None = None) -> dict[str, Any]:
    return invoke("ticket_commands", http_event(method, path, body=body, claims_=who, query=query))


def test_tickets_come_over_with_their_conversations_people_and_organisations(
        team: None, zendesk: ZendeskFake, invoke: Invoke) -> None:
    zendesk.rate_limited = 1  # the first request is told to wait a second
    report = run_import(zendesk)
    assert {k: report[k] for k in ("tickets_imported", "already_imported", "deleted_skipped", "messages",
                                   "organizations_created", "attachments_left")} == {
        "tickets_imported": 3, "already_imported": 0, "deleted_skipped": 1, "messages": 7,
        "organizations_created": 2, "attachments_left": 2}
    assert report["attachments_imported"] == 2
    assert report["agents_not_in_directory"] == {"Zed Former": 1}
    assert report["groups_not_in_directory"] == {"Second line": 1}
    assert report["fields_created"] == ["type", "order_number", "plan", "seats", "needs_engineering", "renewal_date"]
    assert report["fields_skipped"] == {
        "Products": "a multiselect field has no counterpart here",
        "condition on Products in form Question about an invoice": "its fields or its value did not come over as "
                                                                   "ones customers fill in here"}
    assert report["forms_created"] == ["question_about_an_invoice", "internal_escalation"]
    # what the old team noted about Hank, as the team's notes on him here (his page's)
    assert report["customer_notes"] == 1
    hank_notes = invoke("directory_api", http_event("GET", "/customers/email%3Ahank%40globex.example/notes",
                                                    claims_=AGENT))["json"]
    assert hank_notes["notes"] == "Head of purchasing\n\nSigns off every invoice himself; call before changing one."
    # a customer's phone and the language they chose there, as their profile here; Zendesk's default English is no
    # choice (left to each ticket's words), Hank has neither (no profile)
    profiles = bootstrap.container().customer_profile_store
    peter, sabine = (profiles.get("acme", f"email:{who}@initech.example") for who in ("peter", "sabine"))
    assert peter is not None
    assert sabine is not None
    assert (peter.name, peter.phone, peter.language) == ("Peter Gibbons", "+1 512 555 0142", None)
    assert (sabine.phone, sabine.language, report["customer_profiles"]) == (None, "de", 2)
    assert profiles.get("acme", "email:hank@globex.example") is None
    # Peter's other address (a Zendesk identity, side-loaded with the users) is linked to him here
    assert report["customer_addresses"] == 1
    linked = bootstrap.container().customer_address_store.addresses("acme", "email:peter@initech.example")
    assert linked is not None
    assert linked.addresses == ["peter.g@home.example"]

    listed = api(invoke, "GET", "/tickets", AGENT, query={"limit": "10"})["json"]["items"]
    by_subject = {t["subject"]: t for t in listed}
    assert set(by_subject) == {"Invoice shows the wrong VAT", "Cannot log in", "Called about a refund."}
    vat = by_subject["Invoice shows the wrong VAT"]
    assert (vat["status"], vat["priority"], vat["channel"], vat["group"], vat["assignee_id"]) == (
        "open", "high", "email", "billing", "alice")
    assert vat["requester"]["email"] == "hank@globex.example"
    assert vat["created_at"].startswith("2025-03-01T09:00:00")
    assert vat["imported_from"]["source"] == "zendesk"
    assert vat["imported_from"]["id"] == "1001"
    assert vat["imported_from"]["url"] == f"{zendesk.url}/agent/tickets/1001"
    assert vat["tags"] == ["invoices", "vat"]
    assert vat["participants"] == ["hank@globex.example", "peter@initech.example"]
    assert vat["followers"] == ["alice"]  # Zed Former is not in the directory
    # an incident and its problem, linked both ways as agents link them here
    problem = imported_ticket_id("acme", "zendesk", "1004")
    assert vat["links"] == [{"type": "parent", "ticket_id": problem}]
    assert api(invoke, "GET", f"/tickets/{problem}", AGENT)["json"]["links"] == [
        {"type": "child", "ticket_id": vat["id"]}]
    globex = next(o for o in bootstrap.container().directory_store.list_organizations("acme") if o.name == "Globex")
    assert (vat["organization_id"], globex.domains, globex.notes) == (globex.id, ["globex.example"],
                                                                      "Enterprise plan\n\nRenewal in March")
    assert vat["description"] == "Our March invoice charges 19% VAT, it should be 7%."
    # Custom fields: defined here as the Ticket fields screen shows them, each ticket with its values
    assert vat["custom_fields"] == {"order_number": "INV-2031", "plan": "Business", "seats": 40,
                                    "needs_engineering": True, "type": "Incident"}  # Zendesk's ticket type too
    defined = {f["key"]: f for f in api(invoke, "GET", "/ticket-fields", AGENT)["json"]["fields"]}
    assert (defined["plan"]["type"], defined["plan"]["options"]) == ("dropdown", ["Starter", "Business"])
    assert (defined["order_number"]["customer_editable"], defined["order_number"]["description"]) == (
        True, "From your order mail")
    assert defined["needs_engineering"]["required_to_resolve"] is True
    assert (defined["renewal_date"]["type"], defined["renewal_date"]["active"]) == ("text", False)
    assert api(invoke, "GET", f"/tickets/{vat['id']}", HANK)["json"]["custom_fields"] == {
        "order_number": "INV-2031", "plan": "Business"}  # the customer sees the fields Zendesk showed them
    # Ticket forms are request forms, asking the fields customers filled in there; an agents' form is not offered
    forms = {f["key"]: f for f in api(invoke, "GET", "/ticket-fields", AGENT)["json"]["forms"]}
    invoice = forms["question_about_an_invoice"]
    assert (invoice["name"], invoice["fields"], invoice["active"]) == (
        "Question about an invoice", ["order_number", "plan"], True)
    assert invoice["conditions"] == [{"when": "plan", "value": "Business", "show": ["order_number"],
                                      "required": ["order_number"]}]  # the option's name, not Zendesk's tag
    assert (forms["internal_escalation"]["fields"], forms["internal_escalation"]["active"]) == ([], False)
    assert vat["form"] == "question_about_an_invoice"
    solved = by_subject["Cannot log in"]
    assert (solved["status"], solved["priority"], solved["group"], solved["assignee_id"]) == (
        "resolved", "normal", None, None)
    assert (solved["csat"]["rating"], solved["csat"]["comment"]) == ("good", "Quick and kind")  # reports count it
    phone = by_subject["Called about a refund."]  # no subject: its first words; no address: the old id
    assert (phone["status"], phone["channel"], phone["requester"]["id"]) == ("pending", "api", "zendesk:12")

    events = api(invoke, "GET", f"/tickets/{vat['id']}/events", AGENT)["json"]
    messages = [(e["type"], e["actor"], e["data"].get("author_name") or e["data"].get("from_name"), e["at"][:16])
                for e in events if e["type"] in ("public_message", "internal_note")]
    assert messages == [("internal_note", "alice", "Alice Agent", "2025-03-01T10:00"),
                        ("public_message", "alice", "Alice Agent", "2025-03-01T11:00"),
                        ("public_message", "zendesk:11", "Peter Gibbons", "2025-03-02T10:00")]
    latest = [e for e in events if e["type"] == "public_message"][-1]
    assert (vat["latest_message"]["from_customer"], vat["latest_message"]["at"][:16]) == (True, "2025-03-02T10:00")
    assert latest["data"]["body"].startswith(vat["latest_message"]["text"].rstrip("…"))  # the list's line, as written
    # Files come over as uploads are checked: a program and a file the old helpdesk no longer has stay behind, named.
    left = [entry for e in events for entry in e["data"].get("attachments_left", [])]
    assert [(f["filename"], f["reason"]) for f in left] == [("gone.png", "Zendesk answered 404"),
                                                            ("setup.exe", "executable files are not accepted")]
    files = api(invoke, "GET", f"/tickets/{vat['id']}/attachments", AGENT)["json"]
    assert [(f["filename"], f["content_type"], f["source"], f["public"]) for f in files] == [
        ("screenshot.png", "image/png", "import", True), ("credit-note.pdf", "application/pdf", "import", True)]
    # The thread names each file by the id it is downloaded by (as mail's files), never by its storage key.
    shown = [entry for e in events for entry in e["data"].get("attachments", [])]
    assert [(f["id"], f["filename"]) for f in shown] == [(f["id"], f["filename"]) for f in files]
    assert all("key" not in f for f in shown)
    download = api(invoke, "GET", f"/tickets/{vat['id']}/attachments/{files[1]['id']}", HANK)
    assert download["statusCode"] == 302
    bucket = bootstrap.container().attachment_bucket()
    key = next(k["Key"] for k in boto3.client("s3").list_objects_v2(Bucket=bucket)["Contents"]
               if k["Key"].endswith("credit-note.pdf"))
    stored = boto3.client("s3").get_object(Bucket=bucket, Key=key)
    assert stored["Body"].read() == b"%PDF-1.4 credit note for March"
    assert stored["ContentDisposition"] == "attachment"  # never rendered by a browser
    # The customer finds their history in the portal: the conversation without the team's note.
    mine = api(invoke, "GET", "/tickets", HANK)["json"]["items"]
    assert [t["id"] for t in mine] == [vat["id"]]
    seen = api(invoke, "GET", f"/tickets/{vat['id']}/events", HANK)["json"]
    assert [e["type"] for e in seen if e["type"] in ("public_message", "internal_note")] == ["public_message"] * 2
    assert [t["id"] for t in api(invoke, "GET", "/tickets", PETER)["json"]["items"]] == [solved["id"]]
    assert any(path.startswith("/api/v2/users.json?page") for path in zendesk.requests)  # paged
    [run] = [e for e in bootstrap.container().audit_log.page(operator_principal("acme"), kind="import").items]
    assert run.actor.startswith("operator:")
    assert run.after is not None
    assert (run.after["tickets_imported"], run.after["source"]) == (3, "zendesk")


def test_nothing_reacts_to_imported_history_and_the_next_reply_is_mailed(
        team: None, zendesk: ZendeskFake, invoke: Invoke, lambda_context: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk.webhooks.local import ensure_bus_and_queues

    boto3.client("ses").verify_domain_identity(Domain="helpdesk.example")  # the default sender's
    queue, dlq = (f"https://sqs.us-east-1.amazonaws.com/123456789012/{name}" for name in ("events", "events-dlq"))
    for name, value in {"HELPDESK_EVENTS_BUS_NAME": "helpdesk-events", "HELPDESK_EVENTS_WEBHOOK_QUEUE_URL": queue,
                        "HELPDESK_EVENTS_WEBHOOK_DLQ_URL": dlq}.items():
        monkeypatch.setenv(name, value)
    rebuild()
    queue = ensure_bus_and_queues("helpdesk-events", queue, dlq)  # every event on the bus lands here

    def on_bus() -> int:
        attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=queue,
                                                              AttributeNames=["ApproximateNumberOfMessages"])
        return int(attributes["Attributes"]["ApproximateNumberOfMessages"])
    settings = bootstrap.container().settings.tables
    failures: list[Any] = []
    functions = {settings.ticket_events_table: ["email_send", "event_publisher", "chat_relay", "intent_rag"],
                 settings.tickets_table: ["intent_rag", "auto_assign"]}

    def deliver(names: list[str]) -> Callable[[dict[str, Any], Any], Any]:
        def handle(event: dict[str, Any], context: Any) -> Any:
            for name in names:
                failures.extend(load_function(name).lambda_handler(event, lambda_context)["batchItemFailures"])
        return handle

    pollers = [StreamPoller(table, deliver(names), f"test-{table}", max_retries=0) for table, names in
               functions.items()]

    def drain() -> None:
        """Deliver what both streams hold to their functions, as the event source mappings would."""
        for poller in pollers:
            while poller.poll_once():
                pass
        assert not failures
    run_import(zendesk)
    drain()
    sent = get_backend("ses")["123456789012"]["us-east-1"].sent_messages
    assert list(sent) == []  # no receipt, no notification, no rating mail of the history
    assert on_bus() == 0  # no event out: integrations saw these tickets in the old helpdesk
    vat_id = imported_ticket_id("acme", "zendesk", "1001")
    vat = bootstrap.container().ticket_repository.get("acme", vat_id)
    assert vat is not None
    assert (vat.group, vat.priority.value, vat.tags, vat.ai.category) == ("billing", "high", ["invoices", "vat"], None)
    # Still open: triage's suggestions and a summary of the whole thread, nothing applied; history that is done: none.
    assist = invoke("agent_assist", http_event("GET", f"/tickets/{vat_id}/assist", claims_=AGENT))["json"]
    assert (assist["status"], assist["applied"]) == ("triaged", [])
    assert assist["triage"]["summary"]["detail"]["messages"] == 3  # the request and the two public replies
    solved_id = imported_ticket_id("acme", "zendesk", "1002")
    solved = invoke("agent_assist", http_event("GET", f"/tickets/{solved_id}/assist", claims_=AGENT))["json"]
    assert solved["status"] == "imported"  # the console says it was never triaged, not that triage is running
    assert vat.sla is None  # its waits were the old helpdesk's

    reply = api(invoke, "POST", f"/tickets/{vat_id}/messages", AGENT,
                {"body": "The corrected invoice is attached to your account.", "public": True})
    assert reply["statusCode"] == 201, reply["json"]
    drain()
    mails = [moto_message(m.raw_data) for m in sent]
    assert [(m["To"], m["Cc"]) for m in mails] == [("hank@globex.example", "peter@initech.example")]
    body = mails[0].get_body(("plain",))
    assert body is not None
    assert "The corrected invoice" in body.get_content()
    assert on_bus() == 1  # ticket.message_added

    # Done history written to again needs work: triage reads it now.
    wrote = api(invoke, "POST", f"/tickets/{solved_id}/messages", PETER,
                {"body": "The login fails again since this morning.", "public": True})
    assert wrote["statusCode"] == 201, wrote["json"]
    drain()
    reopened = invoke("agent_assist", http_event("GET", f"/tickets/{solved_id}/assist", claims_=AGENT))["json"]
    assert (reopened["status"], reopened["applied"]) == ("triaged", [])


def test_in_an_account_whose_default_is_german_english_is_a_choice_and_german_none(
        team: None, zendesk: ZendeskFake, monkeypatch: pytest.MonkeyPatch) -> None:
    """Zendesk gives every user the account's default locale where they chose none: that one says nothing about the
    person (their mails follow their tickets' words), any other is their choice."""
    monkeypatch.setitem(ACCOUNT, "locales", [{"id": 8, "locale": "de", "name": "Deutsch", "default": True},
                                             {"id": 1, "locale": "en-US", "name": "English", "default": False}])
    run_import(zendesk)
    profiles = bootstrap.container().customer_profile_store
    peter, sabine = (profiles.get("acme", f"email:{who}@initech.example") for who in ("peter", "sabine"))
    assert peter is not None
    assert peter.language == "en-US"  # chosen against the account's German
    assert sabine is None  # German is the default: no choice, and she has no phone


def test_a_rerun_imports_only_what_is_new_and_a_dry_run_writes_nothing(team: None, zendesk: ZendeskFake,
                                                                      invoke: Invoke) -> None:
    dry = run_import(zendesk, "--dry-run")
    assert (dry["dry_run"], dry["tickets_imported"], dry["organizations_created"]) == (True, 3, 2)
    assert api(invoke, "GET", "/tickets", AGENT)["json"]["items"] == []
    assert bootstrap.container().directory_store.list_organizations("acme") == []
    assert len(dry["fields_created"]) == 6  # what a real run would define
    assert api(invoke, "GET", "/ticket-fields", AGENT)["json"]["fields"] == []

    assert dry["customer_notes"] == 1
    notes_path = "/customers/email%3Ahank%40globex.example/notes"
    assert invoke("directory_api", http_event("GET", notes_path, claims_=AGENT))["json"]["version"] == 0

    first = run_import(zendesk, "--limit", "1")
    assert (first["tickets_imported"], first["already_imported"], first["customer_notes"]) == (1, 0, 1)
    again = run_import(zendesk)
    assert (again["tickets_imported"], again["already_imported"], again["organizations_created"],
            again["organizations_matched"], again["customer_notes"]) == (2, 1, 0, 2, 0)  # the notes here stay
    assert (dry["customer_profiles"], first["customer_profiles"], again["customer_profiles"]) == (2, 2, 0)
    assert (again["fields_created"], len(again["fields_matched"])) == ([], 6)
    numbers = sorted(t["number"] for t in api(invoke, "GET", "/tickets", AGENT)["json"]["items"])
    assert numbers == ["T-000001", "T-000002", "T-000003"]


def test_a_rerun_gives_tickets_the_agent_and_group_the_team_has_added_since(team: None, zendesk: ZendeskFake,
                                                                           invoke: Invoke) -> None:
    """The report said "add them on Team, then import again": the rerun fills in what is still empty, as history
    (no notification: the events are marked imported), and names only what is still missing."""
    from helpdesk.directory.model import Group

    first = run_import(zendesk)
    assert (first["agents_not_in_directory"], first["groups_not_in_directory"]) == (
        {"Zed Former": 1}, {"Second line": 1})
    login_id = imported_ticket_id("acme", "zendesk", "1002")
    before = bootstrap.container().ticket_repository.get("acme", login_id)
    assert before is not None
    assert (before.assignee_id, before.group) == (None, None)

    store = bootstrap.container().directory_store
    assert run_import(zendesk, "--dry-run")["tickets_completed"] == 0  # nothing new in the directory yet
    seed_directory(store, "acme", agents=["zed"])  # zed@acme.example, Zed Former's address there
    again = run_import(zendesk, "--dry-run")
    assert (again["tickets_completed"], again["agents_not_in_directory"], again["groups_not_in_directory"]) == (
        1, {}, {"Second line": 1})  # the group still missing is named again
    stored = store.get_group("acme", "billing")
    assert stored is not None
    store.add_group(Group(id="second-line", tenant_id="acme", name="Second line", members=["zed"],
                          created_at=stored.created_at, updated_at=stored.updated_at))
    done = run_import(zendesk)
    assert (done["tickets_imported"], done["already_imported"], done["tickets_completed"]) == (0, 3, 1)
    assert (done["agents_not_in_directory"], done["groups_not_in_directory"]) == ({}, {})
    after = bootstrap.container().ticket_repository.get("acme", login_id)
    assert after is not None
    assert (after.assignee_id, after.group, after.status.value) == ("zed", "second-line", "resolved")
    assert after.updated_at == before.updated_at  # nobody worked on it now: its times stay the old helpdesk's
    history = bootstrap.container().ticket_repository.events("acme", login_id)
    filled = [e for e in history if e.type.value in ("assignee_changed", "group_changed")]
    assert [(e.type.value, e.data["to"], e.imported) for e in filled] == [
        ("assignee_changed", "zed", True), ("group_changed", "second-line", True)]  # no stream consumer reacts
    assert run_import(zendesk)["tickets_completed"] == 0  # nothing left to fill in

    vat_id = imported_ticket_id("acme", "zendesk", "1001")
    ticket = api(invoke, "PATCH", f"/tickets/{vat_id}", AGENT, {"assignee_id": None})
    assert ticket["statusCode"] == 200, ticket["json"]
    assert run_import(zendesk)["tickets_completed"] == 0  # one unassigned here is not assigned again: it had alice


def test_refused_credentials_and_a_missing_token_stop_with_a_reason(team: None, zendesk: ZendeskFake,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk.cli.main import app

    monkeypatch.setenv("ZENDESK_API_TOKEN", "wrong")
    refused = CliRunner().invoke(app, ["import", "zendesk", "--tenant", "acme", "--email", EMAIL, "--url", zendesk.url])
    assert refused.exit_code == 1
    assert "Zendesk refused the credentials (401)" in refused.output
    monkeypatch.delenv("ZENDESK_API_TOKEN")
    missing = CliRunner().invoke(app, ["import", "zendesk", "--tenant", "acme", "--email", EMAIL, "--url", zendesk.url])
    assert missing.exit_code == 2
    assert "ZENDESK_API_TOKEN" in missing.output
    plain = CliRunner().invoke(app, ["import", "zendesk", "--tenant", "acme", "--email", EMAIL, "--url",
                                     "http://zendesk.example"], env={"ZENDESK_API_TOKEN": TOKEN})
    assert plain.exit_code == 2
    assert "https://" in plain.output


def test_the_help_centre_comes_over_as_drafts_or_published_with_its_sections(team: None, zendesk: ZendeskFake,
                                                                          invoke: Invoke) -> None:
    drafts = run_import(zendesk, "--limit", "1")["articles"]
    assert drafts["outcomes"] == {"created": 4}  # three articles and the German translation of one
    assert drafts["skipped"] == ["article 3004 ('Empty'): text: String should have at least 1 character"]
    knowledge = bootstrap.container().knowledge_service
    admin = operator_principal("acme")
    vat = knowledge.get(admin, "zendesk-3001")
    assert (vat.status.value, vat.content.section, vat.content.language, vat.content.tags) == (
        "draft", "Billing", "en-US", ("vat", "invoices"))
    # Its pictures are served from here now (the old help centre goes); one it no longer has keeps its address.
    picture = uuid.uuid5(uuid.NAMESPACE_URL,
                         f"helpdesk-import:acme:zendesk-3001:{zendesk.url}/attachments/vat-table.png").hex
    assert vat.content.body == (
        "Invoices use the rate of the country you bill to.\n\n## Ask for a credit note\n\n"
        "Write to billing with the invoice number; a **credit note** follows in two days.\n\n"
        f"![VAT table](/kb/public/acme/articles/zendesk-3001/images/{picture})\n\n"
        f"![gone]({zendesk.url}/attachments/missing.png)")
    assert drafts["pictures_imported"] == 1
    assert drafts["pictures_left"] == [f"article zendesk-3001: {zendesk.url}/attachments/missing.png "
                                       "(Zendesk answered 404)"]
    runbook = knowledge.get(admin, "zendesk-3003")
    assert runbook.content.visibility == "internal"  # only some could read it there
    assert knowledge.get(admin, "zendesk-3002").content.body == "1. Anmeldeseite öffnen\n2. Link anklicken"

    german = knowledge.get(admin, "zendesk-3001-de")
    assert (german.content.title, german.content.language, german.content.section, german.content.translation_of) == (
        "Falschen Mehrwertsteuersatz korrigieren", "de", "Billing", "zendesk-3001")  # one article there, one here
    assert "## Gutschrift anfordern" in german.content.body

    published = run_import(zendesk, "--publish")["articles"]
    assert published["outcomes"] == {"updated": 3, "unchanged": 1}  # the draft there stays a draft here
    assert knowledge.get(admin, "zendesk-3001").status.value == "published"
    found = invoke("knowledge_api", http_event("GET", "/kb/public/acme/search", query={"q": "credit note for VAT"},
                                              template="ticket_commands/create_ticket.json"))
    assert found["statusCode"] == 200, found["json"]
    assert [hit["article_id"] for hit in found["json"]["hits"]][:1] == ["zendesk-3001"]
    german_hits = invoke("knowledge_api", http_event("GET", "/kb/public/acme/search",
                                                     query={"q": "Wie bekomme ich eine Gutschrift?"}))["json"]["hits"]
    assert [hit["article_id"] for hit in german_hits][:1] == ["zendesk-3001-de"]  # the reader's language first
    shown = invoke("knowledge_api", http_event("GET", f"/kb/public/acme/articles/zendesk-3001/images/{picture}"))
    assert shown["statusCode"] == 200
    assert published["pictures_imported"] == 0  # stored by the first run


def test_macros_come_over_with_their_placeholders_translated_and_what_they_cannot_do_named(
        team: None, zendesk: ZendeskFake, invoke: Invoke) -> None:
    report = run_import(zendesk)["macros"]
    assert (report["created"], report["already_imported"]) == (4, 0)
    assert report["skipped"] == {
        "Zed's sign-off": "the agent it belonged to is not in the directory",
        "Offer the survey": "it does nothing here (does not set satisfaction_score (nothing to set it to here))"}
    assert report["changed"] == {
        "Billing::Refund issued": ["placeholder kept as written: {{ticket.organization.name}}"],
        "Alice's greeting": ["was inactive there"]}

    def tools(method: str, path: str, query: dict[str, str] | None = None) -> dict[str, Any]:
        return invoke("agent_tools", http_event(method, path, claims_={**AGENT, "name": "Alice Agent"}, query=query))

    macros = {m["name"]: m for m in tools("GET", "/macros")["json"]}
    assert set(macros) == {"Billing::Refund issued", "Escalate to billing", "Alice's greeting", "Mark as question"}
    assert macros["Mark as question"]["actions"]["custom_fields"] == {"type": "Question"}  # Zendesk's ticket type
    refund, escalate, greeting = (macros[n] for n in ("Billing::Refund issued", "Escalate to billing",
                                                       "Alice's greeting"))
    assert (refund["scope"], refund["actions"]["status"], refund["actions"]["assign_to_me"],
            refund["actions"]["add_tags"], refund["actions"]["custom_fields"]) == (
        "tenant", "resolved", True, ["refund", "billing"], {"plan": "Starter"})
    assert (escalate["scope"], escalate["group"], escalate["actions"]["note"], escalate["actions"]["reply"],
            escalate["actions"]["group"], escalate["actions"]["priority"]) == (
        "group", "billing", "Escalated to billing.", None, "billing", "urgent")
    assert (greeting["scope"], greeting["owner_id"], greeting["actions"]["reply"]) == (
        "personal", "alice", "Hello there,\n\nAlice here.")

    vat_id = imported_ticket_id("acme", "zendesk", "1001")
    preview = tools("POST", f"/tickets/{vat_id}/macros/{refund['id']}/apply", query={"dry_run": "true"})
    assert preview["statusCode"] == 200, preview["json"]
    number = api(invoke, "GET", f"/tickets/{vat_id}", AGENT)["json"]["number"]
    assert preview["json"]["reply"] == (f"Hi Hank,\n\nwe refunded invoice INV-2031 of ticket #{number}. "
                                        "{{ticket.organization.name}}\n\nAlice")

    again = run_import(zendesk)["macros"]
    assert (again["created"], again["already_imported"]) == (0, 4)


def test_triggers_on_new_tickets_become_routing_rules(team: None, zendesk: ZendeskFake, invoke: Invoke) -> None:
    """Only triggers whose every condition has a counterpart come over (a dropped condition would route more than
    it did), in the order they ran; actions without a counterpart are named."""
    report = run_import(zendesk)["rules"]
    assert (report["created"], report["already_imported"]) == (2, 0)
    assert report["skipped"] == {  # triggers on changes are triggers here (the next test)
        "Phone tickets to second line": "a condition has no counterpart here: via_id is 44",
        "Old billing rule": "it was inactive there"}
    assert report["changed"] == {
        "Route refunds to billing": ["its notification_user action has no counterpart in a rule here"]}
    admin = {**claims("ada", "acme", "admin"), "name": "Ada"}
    rules = invoke("agent_assist", http_event("GET", "/assist/settings", claims_=admin))["json"]["routing_rules"]
    assert [(r["requester_domains"], r["priority"], r["tags"], r["keywords"], r["group"]) for r in rules] == [
        (["globex.example"], "high", ["vip", "globex"], [], None),  # position 1 there: first here
        ([], None, [], ["refund", "chargeback", "invoice"], "billing")]
    # tickets, macros and rules read the account's people, groups, organisations and fields once in a run
    for listed in ("users", "groups", "organizations", "ticket_fields"):
        first_page = f"/api/v2/{listed}.json?page%5Bsize%5D=100" + ("&include=identities" if listed == "users" else "")
        assert zendesk.requests.count(first_page) == 1, listed
    again = run_import(zendesk)["rules"]
    assert (again["created"], again["already_imported"]) == (0, 2)


def test_triggers_on_changes_become_triggers_and_run_here(team: None, zendesk: ZendeskFake, invoke: Invoke) -> None:
    """A trigger on updates comes over with what it waited for (a public comment by the requester, a status changed
    from solved, any change), its conditions and actions, in its order; one with a condition without counterpart
    stays there. Then it runs here: a VIP's answer to a solved ticket makes it urgent."""
    report = run_import(zendesk)["triggers"]
    assert (report["created"], report["skipped"]) == (11, {  # and five automations, as time triggers (below)
        "Incidents to second line": "a condition has no counterpart here: ticket_type_id is incident",
        "Pending notification 24 hours": "it was inactive there"})  # an automation it would bring over
    assert report["changed"] == {  # its mail to the ticket's group: the team's mail, which names the trigger
        "Reopened by the customer": ["does not assign agent 2 (no active agent with their address here)"],
        "A VIP answered a solved ticket": ["its notification_group's own text is not kept (the team's mail names "
                                           "the trigger)"],
        "Quiet for two days: tell the group": ["its notification_group's own text is not kept (the team's mail "
                                               "names the trigger)"],
        "Globex outages are urgent": ["matches the comment's whole words here (there: any text containing them)",
                                      "its notification_webhook becomes a ticket.triggered event: subscribe the "
                                      "webhook to it here (POST /webhooks), its data.trigger.id names this trigger",
                                      "does not set field 7099 (the field was not brought over)"]}
    assert report["notes"] == []
    admin = {**claims("ada", "acme", "admin"), "name": "Ada"}
    listing = invoke("agent_tools", http_event("GET", "/triggers", claims_=admin))["json"]
    saved = listing["triggers"]
    assert listing["rerun"] is True  # they run again after one acts here, as they did in Zendesk
    assert [(t["id"], t["name"], t["on"]) for t in saved] == [
        ("zendesk-903", "Reopened by the customer", ["agent_replied", "assignee_changed", "customer_rated",
                                                     "customer_replied", "group_changed", "note_added",
                                                     "priority_changed", "status_changed", "tags_changed"]),
        ("zendesk-906", "A VIP answered a solved ticket", ["customer_replied"]),
        ("zendesk-907", "Solved: tag it done", ["status_changed"]),
        ("zendesk-909", "Globex outages are urgent", ["agent_replied", "customer_replied"]),
        ("zendesk-910", "Escalations answered", ["agent_replied", "customer_replied"]),
        ("zendesk-911", "The first agent to reply takes it", ["agent_replied"]),
        ("zendesk-automation-71", "Close ticket 4 days after status is set to solved", []),
        ("zendesk-automation-73", "Escalate old urgent tickets", []),
        ("zendesk-automation-74", "Quiet for two days: tell the group", []),
        ("zendesk-automation-75", "Ask pending customers after 3 days", []),
        ("zendesk-automation-76", "Assigned a working day ago and still open", [])]
    vip, solved, outages, escalations = saved[1], saved[2], saved[3], saved[4]
    first = next(t for t in saved if t["id"] == "zendesk-911")  # Zendesk's "(current user)"
    assert (first["actions"]["assign_to_actor"], first["actions"]["assignee_id"]) == (True, None)
    assert escalations["conditions"]["forms"] == ["internal_escalation"]  # the form's key here
    assert escalations["actions"]["assignee_id"] == "alice"  # Alice Agent there, by her address
    globex = invoke("directory_api", http_event("GET", "/organizations", claims_=admin))["json"][0]
    assert (outages["conditions"]["organizations"], outages["conditions"]["fields"],
            outages["conditions"]["keywords"], outages["actions"]["integrations"],
            outages["actions"]["custom_fields"]) == ([globex["id"]], ["plan:Business"], ["outage", "down"], True,
                                                     {"seats": 50})
    assert (vip["conditions"]["tags"], vip["conditions"]["from_statuses"], vip["conditions"]["priorities"],
            vip["actions"]["priority"], vip["actions"]["add_tags"], vip["actions"]["notify"]) == (
        ["vip"], ["resolved"], ["high", "normal"], "urgent", ["answered"], ["group"])
    assert (solved["conditions"]["statuses"], solved["actions"]["add_tags"], solved["actions"]["unassign"]) == (
        ["resolved"], ["done"], True)
    assert run_import(zendesk)["triggers"]["already_imported"] == 11  # a rerun adds none twice

    assert saved[0]["conditions"]["tags"] == ["watch"]  # any change of a watched ticket there
    # They run here now.
    opened = api(invoke, "POST", "/tickets", AGENT, {"subject": "Invoice", "description": "Where is it?", "tags": [
        "vip"], "requester": {"id": "email:hank@globex.example", "email": "hank@globex.example"}})["json"]
    solved_now = api(invoke, "PATCH", f"/tickets/{opened['id']}", AGENT,
                     {"status": "resolved", "custom_fields": {"needs_engineering": True}})  # required to solve
    assert solved_now["statusCode"] == 200, solved_now["json"]
    assert sorted(solved_now["json"]["tags"]) == ["done", "vip"]  # "Solved: tag it done"
    assert api(invoke, "POST", f"/tickets/{opened['id']}/messages", HANK, {"body": "Still no invoice"})[
        "statusCode"] == 201
    after = api(invoke, "GET", f"/tickets/{opened['id']}", AGENT)["json"]
    assert (after["status"], after["priority"], sorted(after["tags"])) == (
        "open", "urgent", ["answered", "done", "vip"])
    # Globex (Hank's organisation) on the business plan writing of an outage: urgent, tagged.
    business = api(invoke, "POST", "/tickets", AGENT, {
        "subject": "Login", "description": "Cannot sign in", "custom_fields": {"plan": "Business"},
        "requester": {"id": "email:hank@globex.example", "email": "hank@globex.example"}})["json"]
    assert api(invoke, "POST", f"/tickets/{business['id']}/messages", HANK, {"body": "Is the site down?"})[
        "statusCode"] == 201
    after = api(invoke, "GET", f"/tickets/{business['id']}", AGENT)["json"]
    assert (after["priority"], after["tags"], after["custom_fields"]) == (
        "urgent", ["outage"], {"plan": "Business", "seats": 50})


def test_triggers_imported_beside_the_tenants_own_keep_how_its_list_runs_and_say_so(
        team: None, zendesk: ZendeskFake, invoke: Invoke) -> None:
    admin = {**claims("ada", "acme", "admin"), "name": "Ada"}
    own = {"id": "waiting", "name": "Pending means waiting", "on": ["status_changed"],
           "conditions": {"statuses": ["pending"]}, "actions": {"add_tags": ["waiting"]}}
    assert invoke("agent_tools", http_event("PUT", "/triggers", body={"triggers": [own]}, claims_=admin))[
        "statusCode"] == 200
    report = run_import(zendesk)["triggers"]
    assert report["notes"] == ["zendesk ran its triggers again after one acted; here the list runs once per change, "
                               "as the tenant's triggers before the import did (rerun on the Triggers screen)"]
    listing = invoke("agent_tools", http_event("GET", "/triggers", claims_=admin))["json"]
    assert (listing["rerun"], listing["triggers"][0]["id"], len(listing["triggers"])) == (False, "waiting", 12)


def test_automations_come_over_as_time_triggers_or_are_named_with_what_does_their_work_here(
        team: None, zendesk: ZendeskFake, invoke: Invoke) -> None:
    """An automation whose time condition, other conditions and an action have counterparts is a time trigger here
    (and runs on the hourly sweep); the report says, for each other one, what an admin sets up here instead."""
    everything = run_import(zendesk, "--no-articles")
    admin = {**claims("ada", "acme", "admin"), "name": "Ada"}
    saved = {t["id"]: t for t in invoke("agent_tools", http_event("GET", "/triggers", claims_=admin))["json"][
        "triggers"]}
    close, quiet = saved["zendesk-automation-71"], saved["zendesk-automation-74"]
    assert (close["after"], close["conditions"]["statuses"], close["actions"]["status"]) == (
        {"hours": 96, "since": "resolved", "business_hours": False}, ["resolved"], "closed")
    assert (quiet["after"], quiet["conditions"]["statuses"], quiet["conditions"]["without_tags"],
            quiet["actions"]["add_tags"], quiet["actions"]["notify"]) == (
        {"hours": 48, "since": "updated", "business_hours": True}, ["open"], ["quiet"], ["quiet"], ["group"])
    ask = saved["zendesk-automation-75"]  # "hours since pending": from when it became pending, while it is
    assert (ask["after"], ask["conditions"]["statuses"], ask["actions"]["reply"]) == (
        {"hours": 72, "since": "status_changed", "business_hours": False}, ["pending"],
        "Hi {{ requester.first_name }}, do you still need help with #{{ ticket.number }}?")
    escalate, slow = saved["zendesk-automation-73"], saved["zendesk-automation-76"]
    assert (escalate["after"], escalate["conditions"]["statuses"], escalate["conditions"]["priorities"],
            escalate["actions"]["add_tags"]) == (
        {"hours": 8, "since": "status_changed", "business_hours": False}, ["open"], ["urgent"], ["escalated"])
    assert (slow["after"], slow["conditions"]["statuses"], slow["actions"]["add_tags"]) == (  # "less than pending"
        {"hours": 8, "since": "assigned", "business_hours": True}, ["new", "open"], ["slow"])
    opened = api(invoke, "POST", "/tickets", AGENT, {"subject": "Invoice", "description": "Where is it?"})["json"]
    assert api(invoke, "PATCH", f"/tickets/{opened['id']}", AGENT, {"status": "open"})["statusCode"] == 200
    urgent = api(invoke, "POST", "/tickets", AGENT, {"subject": "Down", "description": "All of it",
                                                     "priority": "urgent"})["json"]
    assert api(invoke, "PATCH", f"/tickets/{urgent['id']}", AGENT, {"status": "open"})["statusCode"] == 200
    assert bootstrap.container().time_triggers.run(datetime.now(UTC) + timedelta(hours=9)).acted >= 1
    assert api(invoke, "GET", f"/tickets/{urgent['id']}", AGENT)["json"]["tags"] == ["escalated"]  # urgent, open 8 h
    assert api(invoke, "GET", f"/tickets/{opened['id']}", AGENT)["json"]["tags"] == []  # quiet two days: not yet
    swept = bootstrap.container().time_triggers.run(datetime.now(UTC) + timedelta(hours=49))
    assert swept.acted >= 1
    after = api(invoke, "GET", f"/tickets/{opened['id']}", AGENT)["json"]
    assert after["tags"] == ["quiet"]

    report = everything["automations"]
    assert (report["created"], report["skipped"]) == (0, {})  # each came over as a time trigger (or was inactive)


def test_views_come_over_as_saved_views_and_list_the_imported_tickets(team: None, zendesk: ZendeskFake,
                                                                      invoke: Invoke) -> None:
    """Only views whose every condition has a counterpart come over (a dropped condition would list other tickets);
    a status set this helpdesk cannot filter by exactly, and an order by something else than creation, are named."""
    report = run_import(zendesk)["views"]
    assert (report["created"], report["already_imported"]) == (5, 0)
    assert report["skipped"] == {
        "Recently updated tickets": "a condition has no counterpart here: updated_at less_than 24",
        "Zed's queue": "the agent it belonged to is not in the directory",
        "Old pending": "it was inactive there"}
    assert report["changed"] == {
        "Unassigned tickets": ["ordered by creation, newest first (there: by updated)"],
        "Globex on the business plan": ["lists every unsolved ticket (there: new, open)"],
        "My urgent incidents by mail": ["lists every status (there: on_hold, resolved, closed)"]}

    def tools(path: str) -> dict[str, Any]:
        response = invoke("agent_tools", http_event("GET", path, claims_=AGENT))
        assert response["statusCode"] == 200, response["json"]
        return response

    views = {v["name"]: v for v in tools("/views")["json"]}
    assert set(views) == {"Your unsolved tickets", "Unassigned tickets", "Globex on the business plan",
                          "My urgent incidents by mail", "Unsolved tickets in your groups"}
    assert (views["Unsolved tickets in your groups"]["filters"]["my_groups"],
            views["Unsolved tickets in your groups"]["filters"]["unsolved"]) == (True, True)
    yours, globex, urgent = (views[n] for n in ("Your unsolved tickets", "Globex on the business plan",
                                                "My urgent incidents by mail"))
    assert (yours["scope"], yours["order"], yours["filters"]["assignee"], yours["filters"]["unsolved"]) == (
        "tenant", "oldest", "me", True)
    organization = api(invoke, "GET", f"/tickets/{imported_ticket_id('acme', 'zendesk', '1001')}",
                       AGENT)["json"]["organization_id"]
    assert (globex["scope"], globex["group"], globex["filters"]["group"], globex["filters"]["organization"],
            globex["filters"]["fields"], globex["filters"]["form"], globex["filters"]["unsolved"]) == (
        "group", "billing", "billing", organization, ["plan:Business"], "question_about_an_invoice", True)
    assert (urgent["scope"], urgent["owner_id"], urgent["filters"]["priority"], urgent["filters"]["channel"],
            urgent["filters"]["fields"], urgent["filters"]["status"]) == (
        "personal", "alice", "urgent", "email", ["type:Incident"], None)

    # the imported VAT ticket (open, Alice's, Globex, business plan, the invoice form) is in both lists
    vat = imported_ticket_id("acme", "zendesk", "1001")
    assert [t["id"] for t in tools(f"/views/{yours['id']}/tickets")["json"]["items"]] == [vat]
    assert [t["id"] for t in tools(f"/views/{globex['id']}/tickets")["json"]["items"]] == [vat]
    again = run_import(zendesk)["views"]
    assert (again["created"], again["already_imported"]) == (0, 5)


def test_sla_policies_come_over_with_the_business_hours_they_count_on(team: None, zendesk: ZendeskFake,
                                                                      invoke: Invoke) -> None:
    """The account's schedule becomes a calendar (its Rails time zone by its IANA name, its holidays day by day);
    each policy whose conditions all have a counterpart becomes a policy tried after the tenant's own, in its order
    there, with minutes per priority and target; what it measured otherwise there is named."""
    report = run_import(zendesk)
    assert (report["calendars"]["created"], report["calendars"]["skipped"]) == (1, {})
    policies = report["sla_policies"]
    assert (policies["created"], policies["already_imported"]) == (2, 0)
    assert policies["skipped"] == {"Globex": "a condition has no counterpart here: organization_id is 501",
                                   "Second line": "its group is not in the directory"}
    assert policies["changed"] == {
        "High and urgent": ["its periodic_update target has no counterpart here"],
        "Billing": ["its total resolution time is the resolution target here, which stops while the team waits for "
                    "the customer"]}

    admin = {**claims("ada", "acme", "admin"), "name": "Ada"}

    def sla(path: str) -> Any:
        response = invoke("sla_api", http_event("GET", path, claims_=admin))
        assert response["statusCode"] == 200, response["json"]
        return response["json"]

    [office] = [c for c in sla("/sla/calendars") if c["id"] == "zendesk-calendar-11"]
    assert (office["name"], office["timezone"], sorted(office["hours"])) == (
        "Office hours", "Europe/Berlin", ["fri", "mon", "thu", "tue", "wed"])
    assert office["hours"]["mon"] == [{"start": "09:00", "end": "17:00"}]
    assert office["holidays"] == ["2025-12-24", "2025-12-25", "2025-12-26"]
    imported = {p["name"]: p for p in sla("/sla/policies") if p["id"].startswith("zendesk-")}
    high, billing = imported["High and urgent"], imported["Billing"]
    assert (high["calendar_id"], high["conditions"]["priorities"], high["position"] < billing["position"]) == (
        "zendesk-calendar-11", ["high", "urgent"], True)
    assert high["targets"]["urgent"] == {"first_response_minutes": 30, "next_response_minutes": None,
                                         "resolution_minutes": 240}
    assert (billing["calendar_id"], billing["conditions"]["groups"], billing["targets"]["normal"]) == (
        "24x7", ["billing"], {"first_response_minutes": 480, "next_response_minutes": 480,
                              "resolution_minutes": 2880})
    assert billing["escalation"]["raise_priority"] is False  # a breach there raised nothing

    # a new ticket in billing now runs on the imported policy
    made = api(invoke, "POST", "/tickets", AGENT, {"subject": "Refund", "description": "please",
                                                   "requester": {"id": "c9", "email": "c9@example.com"},
                                                   "group": "billing"})
    assert made["statusCode"] == 201, made["json"]
    assert made["json"]["sla"]["policy_id"] == "zendesk-52"
    again = run_import(zendesk)
    assert (again["calendars"]["already_imported"], again["sla_policies"]["already_imported"]) == (1, 2)


def test_records_the_adapter_cannot_read_are_named_and_the_run_goes_on(team: None, zendesk: ZendeskFake,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """An organisation without its id, a user whose address is no text, a macro and a view of another shape than
    Zendesk documents: each is named in the report's problems, and the rest comes over as it would without them."""
    odd = {"organizations": {"name": "No Id Inc"}, "users": {"id": 990, "name": "Odd", "email": {"a": 1}},
           "macros": {"id": 599, "title": "Broken macro", "actions": "not a list"},
           "views": {"id": 699, "title": "Broken view", "conditions": {"all": "not a list"}}}
    for key, record in odd.items():
        monkeypatch.setitem(ACCOUNT, key, [record, *ACCOUNT[key]])
    report = run_import(zendesk, "--no-articles")
    assert (report["tickets_imported"], report["organizations_created"]) == (3, 2)
    assert [p for p in report["problems"] if "not readable" in p] == [
        "user 990: not readable: email: Input should be a valid string", "organization ?: not readable: 'id' missing",
        "macro 599: not readable: 'str' object has no attribute 'get'",
        "view 699: not readable: 'str' object has no attribute 'get'"]
    assert (report["macros"]["created"], report["triggers"]["created"]) == (4, 11)  # as without the odd records

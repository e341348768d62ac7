"""Export and erasure through the real lambda_handlers on moto: a customer who mailed in (with a file), opened a
ticket signed in and was copied on another is exported (their tickets, not another tenant's) and then erased;
afterwards their address and name are in no answer of the ticket, events, list, search and audit APIs, nor in
the search index, and their mail and files are gone from S3 (every version)."""

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlparse

import boto3

from helpdesk import bootstrap
from helpdesk.local.streams import StreamPoller
from tests.conftest import EVENTS, FakeLambdaContext, claims, http_event, load_function

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
EMAIL = "dana@customer.example"
NAME = "Dana Müller"
ADMIN = claims("root", "acme", "admin")
AGENT = claims("a1", "acme", "agent")
FOREIGN_AGENT = claims("z1", "zeta", "agent")


def customer(user_id: str, tenant: str) -> dict[str, Any]:
    return {**claims(user_id, tenant, "customer", email=EMAIL), "email_verified": "true", "name": NAME}


DANA = customer("c1-dana-cognito-sub", "acme")


def call(invoke: Invoke, function: str, method: str, path: str, who: dict[str, Any], body: Any = None,
         query: dict[str, str] | None = None) -> dict[str, Any]:
    return invoke(function, http_event(method, path, body=body, claims_=who, query=query))


def pollers() -> list[StreamPoller]:
    indexer = load_function("ticket_indexer")
    tables = bootstrap.container().settings.tables

    def handler(event: dict[str, Any], context: Any) -> Any:
        return indexer.lambda_handler(event, FakeLambdaContext())

    return [StreamPoller(name, handler, f"privacy-{name}") for name in (tables.tickets_table,
                                                                        tables.ticket_events_table)]


def mentions(text: str) -> bool:
    lowered = text.lower()
    return any(n in lowered for n in (EMAIL, NAME.lower(), "m\\u00fcller", "müller"))


def seed(invoke: Invoke, mail: Any) -> dict[str, str]:
    s3 = boto3.client("s3")
    s3.put_bucket_versioning(Bucket=mail.bucket, VersioningConfiguration={"Status": "Enabled"})
    mailed = mail.deliver((EVENTS / "email_ingest" / "message.eml").read_bytes(), "ses-dana-1")
    assert mailed["status"] == "created"
    spam = mail.compose(sender=f"{NAME} <{EMAIL}>", message_id="spam-1@customer.example")
    assert mail.deliver(spam, "ses-dana-spam", verdicts={"spam": "FAIL"})["status"] == "quarantined"
    signed_in = call(invoke, "ticket_commands", "POST", "/tickets", DANA,
                     {"subject": "Invoice for Dana Müller", "description": f"Please write to {EMAIL}, not to me."})
    assert signed_in["statusCode"] == 201, signed_in["json"]
    assert call(invoke, "ticket_commands", "POST", f"/tickets/{signed_in['json']['id']}/messages", DANA,
                {"body": "My phone is +49 30 1234567"})["statusCode"] == 201
    copied = call(invoke, "ticket_commands", "POST", "/tickets", AGENT,
                  {"subject": "Office move", "description": "Moving the printers",
                   "requester": {"id": "erin-sub", "email": "erin@other.example", "name": "Erin"},
                   "participants": [EMAIL]})
    assert copied["statusCode"] == 201, copied["json"]
    assert call(invoke, "ticket_commands", "POST", f"/tickets/{copied['json']['id']}/messages", AGENT,
                {"body": f"Copying {NAME} ({EMAIL}) who uses the printer."})["statusCode"] == 201
    foreign = call(invoke, "ticket_commands", "POST", "/tickets", customer("c9", "zeta"),
                   {"subject": "Zeta question", "description": "Another company's ticket"})
    assert foreign["statusCode"] == 201
    return {"mailed": mailed["ticket_id"], "signed_in": signed_in["json"]["id"], "copied": copied["json"]["id"],
            "foreign": foreign["json"]["id"]}


def check_export(invoke: Invoke, mail: Any, ids: dict[str, str]) -> None:
    """The export holds the person's tickets, events and files, and nothing of another tenant."""
    assert call(invoke, "privacy_api", "POST", "/privacy/export", AGENT, {"email": EMAIL})["statusCode"] == 403
    assert call(invoke, "privacy_api", "POST", "/privacy/export", ADMIN, {"email": "not an address"})[
        "statusCode"] == 422

    answer = call(invoke, "privacy_api", "POST", "/privacy/export", ADMIN, {"email": EMAIL.upper()})
    assert answer["statusCode"] == 201, answer["json"]
    link = answer["json"]
    assert (link["tickets"], link["attachments"]) == (3, 1)
    url = urlparse(link["url"])
    bucket, _, key = url.path.lstrip("/").partition("/")
    if bucket != mail.bucket:  # virtual-hosted style: the bucket is in the host name
        bucket, key = url.netloc.split(".")[0], url.path.lstrip("/")
    archive = json.loads(boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())
    assert {t["ticket"]["id"] for t in archive["tickets"]} == {ids["mailed"], ids["signed_in"], ids["copied"]}
    assert ids["foreign"] not in json.dumps(archive)
    assert [m["delivery_id"] for m in archive["quarantined_mail"]] == ["ses-dana-spam"]
    assert archive["customer_notes"] == {f"email:{EMAIL}": f"{NAME} prefers a call before 10:00."}  # the team's
    # ... and her profile, as the team or she set it
    assert {k: v["phone"] for k, v in archive["customer_profiles"].items()} == {f"email:{EMAIL}": "+49 30 1234-567"}
    assert {t["role"] for t in archive["tickets"]} == {"requester", "participant"}
    [mailed] = [t for t in archive["tickets"] if t["ticket"]["id"] == ids["mailed"]]
    assert mailed["attachments"][0]["filename"] == "Fehler E-42.png"
    assert mailed["attachments"][0]["url"].startswith("http")
    assert mailed["original_mails"][0]["key"] == "inbound/ses-dana-1"
    assert any(e["type"] == "created" for e in mailed["events"])
    audit = call(invoke, "audit_api", "GET", "/audit", ADMIN, query={"kind": "privacy.export"})["json"]["items"]
    assert [e["resource_id"] for e in audit] == [link["id"]]
    assert not mentions(json.dumps(audit))


NOTES_PATH = f"/customers/email%3A{EMAIL.replace('@', '%40')}/notes"  # the team's notes on her, her page's
PROFILE_PATH = NOTES_PATH.removesuffix("/notes") + "/profile"  # her name, phone and language


def test_export_then_erasure_leaves_the_person_in_no_answer_and_no_index(aws: None, invoke: Invoke,
                                                                        mail: Any, recorded: list[Any]) -> None:
    from tests.iam_calls import denied

    ids = seed(invoke, mail)
    noted = call(invoke, "directory_api", "PUT", NOTES_PATH, AGENT, {"notes": f"{NAME} prefers a call before 10:00."})
    assert noted["statusCode"] == 200, noted["json"]
    profiled = call(invoke, "directory_api", "PATCH", PROFILE_PATH, AGENT, {"name": NAME, "phone": "+49 30 1234-567"})
    assert profiled["statusCode"] == 200, profiled["json"]
    check_export(invoke, mail, ids)
    streams = pollers()
    for poller in streams:
        poller.poll_once()
    found = call(invoke, "ticket_search", "GET", "/tickets/search", AGENT, query={"q": "dana"})["json"]["items"]
    assert len(found) == 3  # the index knew her before
    created = bootstrap.container().ticket_repository.events("acme", ids["mailed"])[0]
    stored = [created.data["raw_key"], created.data["html_key"], created.data["attachments"][0]["key"]]

    assert call(invoke, "privacy_api", "POST", "/privacy/erase", AGENT, {"email": EMAIL})["statusCode"] == 403
    recorded.clear()
    erased = call(invoke, "privacy_api", "POST", "/privacy/erase", ADMIN, {"email": EMAIL})
    assert erased["statusCode"] == 200, erased["json"]
    # Every call the erasure made is granted (the notes' delete included), but for the immediate re-index of the
    # search index, which runs only outside Lambda (in AWS the indexer follows the tables' streams).
    assert {(c.action, c.resource) for c in denied("PrivacyApiFunction", recorded)} <= {("BatchGetItem",
                                                                                          "TicketsTable")}
    report = erased["json"]
    assert (report["tickets"], report["already_erased"], report["notes_deleted"], report["profile_deleted"]) == (
        3, False, True, True)
    assert report["objects_deleted"] == len(stored) + 1  # the original mail, its HTML, the file; the spam
    for poller in streams:  # the stream-driven indexer reads the stored (erased) tickets too
        poller.poll_once()
    s3 = boto3.client("s3")

    quarantine = call(invoke, "mail_admin", "GET", "/mail/quarantine", ADMIN)
    assert quarantine["json"]["items"] == []  # her quarantined mail went too
    assert not s3.list_object_versions(Bucket=mail.bucket, Prefix="inbound/ses-dana-spam").get("Versions")
    notes = call(invoke, "directory_api", "GET", NOTES_PATH, AGENT)["json"]  # its id is the address asked for
    assert (notes["notes"], notes["version"], notes["updated_by"]) == ("", 0, None)  # nothing stored about her
    profile = call(invoke, "directory_api", "GET", PROFILE_PATH, AGENT)["json"]
    assert (profile["name"], profile["phone"], profile["version"]) == (None, None, 0)
    answers = [quarantine, call(invoke, "ticket_commands", "GET", "/tickets", AGENT),
               call(invoke, "ticket_commands", "GET", "/tickets", DANA),
               call(invoke, "audit_api", "GET", "/audit", ADMIN),
               call(invoke, "ticket_search", "GET", "/customers", AGENT),  # the customer list: her tickets' new key
               call(invoke, "ticket_search", "GET", "/customers", AGENT, query={"q": "dana"})]
    for ticket_id in (ids["mailed"], ids["signed_in"], ids["copied"]):
        answers += [call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT),
                    call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", AGENT)]
    for q in (EMAIL, "customer.example", "dana", "Müller", "phone"):
        answers.append(call(invoke, "ticket_search", "GET", "/tickets/search", AGENT, query={"q": q}))
    for answer in answers:
        assert answer["statusCode"] == 200, answer["json"]
        assert not mentions(answer["body"]), answer["body"][:500]
    assert len(answers[1]["json"]["items"]) == 3  # the tickets stay, without her
    assert [c["name"] for c in answers[4]["json"]["items"]] == ["Erin", None]  # she is listed by nothing of hers
    assert answers[4]["json"]["items"][1]["tickets"] == 2  # ... while her tickets stay, under their new requester
    assert answers[5]["json"]["items"] == []  # her name finds nobody in the list
    assert answers[2]["json"]["items"] == []  # no longer hers: she is nobody now
    # her name and her own words find nothing (her address's domain still matches Erin's `example`)
    assert [len(a["json"]["items"]) for a in answers[-3:]] == [0, 0, 0]
    docs = bootstrap.container().ticket_index._files.load("acme").docs  # type: ignore[attr-defined]
    assert docs
    assert not mentions(repr(docs))

    events = call(invoke, "ticket_commands", "GET", f"/tickets/{ids['signed_in']}/events", AGENT)["json"]
    types = [e["type"] for e in (events["items"] if isinstance(events, dict) else events)]
    assert types[0] == "created"
    assert types[-1] == "person_erased"
    for key in stored:
        listed = s3.list_object_versions(Bucket=mail.bucket, Prefix=key)
        assert not listed.get("Versions"), key
        assert not listed.get("DeleteMarkers"), key

    foreign = call(invoke, "ticket_commands", "GET", f"/tickets/{ids['foreign']}", FOREIGN_AGENT)
    assert EMAIL in foreign["body"]  # another tenant's customer of the same address is not touched

    again = invoke("privacy_api", json.loads((EVENTS / "privacy_api" / "erase_person.json").read_text()))["json"]
    assert (again["id"], again["pseudonym"], again["tickets"], again["already_erased"]) == (
        report["id"], report["pseudonym"], 0, True)
    audit = call(invoke, "audit_api", "GET", "/audit", ADMIN, query={"kind": "privacy.erasure"})["json"]["items"]
    assert len(audit) == 1
    assert audit[0]["after"]["tickets"] == 3


def test_a_chat_visitor_is_erased_from_the_transcript_and_the_ticket(invoke: Invoke, chat: Any, mail: Any) -> None:
    visitor = "visitor.privacy@example.org"
    session = chat.start()
    chat.say(session, "I want to talk to a human")
    chat.say(session, "yes")
    done = chat.say(session, visitor)
    assert "ticket_created" in done["actions"]
    ticket_id = done["ticket"]["id"]
    chat.say(session, f"Also, my other address is {visitor.upper()}")
    assert visitor in chat.transcript(session)["body"].lower()
    key = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT)["json"]["requester_key"]
    notes_path = f"/customers/{quote(key, safe='')}/notes"  # the team's notes under the key the ticket knows them by
    assert call(invoke, "directory_api", "PUT", notes_path, AGENT, {"notes": "Asked for a human at once."})[
        "statusCode"] == 200

    erased = call(invoke, "privacy_api", "POST", "/privacy/erase", ADMIN, {"email": visitor})["json"]
    assert (erased["tickets"], erased["chat_sessions"], erased["notes_deleted"]) == (1, 1, True)
    assert call(invoke, "directory_api", "GET", notes_path, AGENT)["json"]["version"] == 0
    transcript = chat.transcript(session)
    assert transcript["statusCode"] == 200
    assert visitor not in transcript["body"].lower()
    for path in (f"/tickets/{ticket_id}", f"/tickets/{ticket_id}/events"):
        answer = call(invoke, "ticket_commands", "GET", path, AGENT)
        assert answer["statusCode"] == 200
        assert visitor not in answer["body"].lower()


def test_the_retention_scan_removes_closed_tickets_content(invoke: Invoke, mail: Any, clock: Any) -> None:
    from datetime import timedelta

    mailed = mail.deliver((EVENTS / "email_ingest" / "message.eml").read_bytes(), "ses-old-1")["ticket_id"]
    created = bootstrap.container().ticket_repository.events("acme", mailed)[0]
    file_key = created.data["attachments"][0]["key"]
    assert call(invoke, "ticket_commands", "PATCH", f"/tickets/{mailed}", AGENT, {"status": "closed"})[
        "statusCode"] == 200
    assert call(invoke, "privacy_api", "PUT", "/privacy/settings", AGENT, {"retention_days": 30})["statusCode"] == 403
    assert call(invoke, "privacy_api", "PUT", "/privacy/settings", ADMIN, {"retention_days": 0})["statusCode"] == 422
    put = call(invoke, "privacy_api", "PUT", "/privacy/settings", ADMIN, {"retention_days": 30})
    assert put["json"] == {"retention_days": 30, "mask_card_numbers": False}
    assert call(invoke, "privacy_api", "GET", "/privacy/settings", ADMIN)["json"] == put["json"]
    scan = load_function("retention_scan")

    clock.advance(timedelta(days=29))
    scheduled = json.loads((EVENTS / "retention_scan" / "scheduled.json").read_text())
    assert scan.lambda_handler(scheduled, FakeLambdaContext())["tickets"] == 0
    clock.advance(timedelta(days=2))
    summary = scan.lambda_handler(scheduled, FakeLambdaContext())
    assert (summary["tenants"], summary["tickets"]) == (1, 1)
    ticket = call(invoke, "ticket_commands", "GET", f"/tickets/{mailed}", AGENT)["json"]
    assert ticket["subject"].startswith("[removed")
    assert ticket["latest_message"]["text"] == ticket["subject"]  # the list's line goes with the text
    assert "error E-42" not in call(invoke, "ticket_commands", "GET", f"/tickets/{mailed}/events", AGENT)["body"]
    assert not boto3.client("s3").list_objects_v2(Bucket=mail.bucket, Prefix=file_key).get("Contents")
    audit = call(invoke, "audit_api", "GET", "/audit", ADMIN, query={"kind": "privacy.settings"})["json"]["items"]
    assert [(e["before"]["retention_days"], e["after"]["retention_days"]) for e in audit] == [(None, 30)]


def test_triage_delivered_after_the_erasure_brings_nothing_back(invoke: Invoke, chat: Any, mail: Any) -> None:
    # The stream's record holds the ticket as created; triage that runs late (stream lag, retries) must read
    # the ticket as it is now, or its summary and reply draft would put the erased words back.
    created = call(invoke, "ticket_commands", "POST", "/tickets", DANA,
                   {"subject": "Invoice for Dana Müller", "description": f"Please write to {EMAIL} about it."})
    assert created["statusCode"] == 201, created["json"]
    ticket_id = created["json"]["id"]
    erased = call(invoke, "privacy_api", "POST", "/privacy/erase", ADMIN, {"email": EMAIL})
    assert erased["json"]["tickets"] == 1, erased["json"]

    intent_rag = load_function("intent_rag")
    triage = StreamPoller(bootstrap.container().settings.tables.tickets_table,
                          lambda event, context: intent_rag.lambda_handler(event, FakeLambdaContext()),
                          "privacy-late-triage")
    triage.poll_once()

    assist = call(invoke, "agent_assist", "GET", f"/tickets/{ticket_id}/assist", AGENT)
    assert assist["json"].get("status") == "triaged", assist["json"]
    ticket = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT)
    for answer in (assist, ticket):
        assert not mentions(answer["body"]), answer["body"][:800]


def test_an_erasure_while_triage_reads_the_ticket_leaves_nothing_of_it(invoke: Invoke, chat: Any, mail: Any,
                                                                        monkeypatch: Any) -> None:
    # Triage read the ticket, then the erasure ran (it found no triage record, no vector, nothing on the
    # ticket from AI), then triage stored what it made of the old text: it must notice and forget it.
    from helpdesk.triage.service import Triage

    created = call(invoke, "ticket_commands", "POST", "/tickets", DANA,
                   {"subject": "Invoice for Dana Müller", "description": f"Please write to {EMAIL} about it."})
    ticket_id = created["json"]["id"]
    compute = Triage.compute

    def compute_then_erase(self: Triage, ticket: Any, settings: Any) -> Any:
        made = compute(self, ticket, settings)
        erased = call(invoke, "privacy_api", "POST", "/privacy/erase", ADMIN, {"email": EMAIL})
        assert erased["json"]["tickets"] == 1, erased["json"]
        return made

    monkeypatch.setattr(Triage, "compute", compute_then_erase)
    intent_rag = load_function("intent_rag")
    StreamPoller(bootstrap.container().settings.tables.tickets_table,
                 lambda event, context: intent_rag.lambda_handler(event, FakeLambdaContext()),
                 "privacy-triage-in-flight").poll_once()

    assist = call(invoke, "agent_assist", "GET", f"/tickets/{ticket_id}/assist", AGENT)
    assert assist["json"]["triage"]["summary"]["value"] == "[erased]"
    assert assist["json"]["triage"]["reply"] is None
    ticket = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT)
    for answer in (assist, ticket):
        assert not mentions(answer["body"]), answer["body"][:800]
    assert "Please write" not in assist["body"] + ticket["body"]
    assert not [v for v in bootstrap.container().ticket_vectors.recent("acme", 10) if v.ticket_id == ticket_id]


def test_the_knowledge_loops_draft_from_their_ticket_goes_with_them(invoke: Invoke, chat: Any, mail: Any) -> None:
    # A draft's "Problem" is the requester's words (redacted of addresses and numbers, not of everything they
    # said): unpublished, it goes with them. One a person published is the team's article and stays.
    from helpdesk.triage.drafts import KnowledgeBaseDrafts
    from helpdesk.triage.ports import DraftArticle

    own = call(invoke, "ticket_commands", "POST", "/tickets", DANA,
               {"subject": "Printer jams", "description": "My Brother HL-2270 in room 4.12 jams on page two."})
    reviewed = call(invoke, "ticket_commands", "POST", "/tickets", DANA,
                    {"subject": "Wi-Fi drops", "description": "Wi-Fi drops in the east wing."})
    drafts = KnowledgeBaseDrafts(lambda: bootstrap.container().knowledge_service)
    made = {name: drafts.create_draft(DraftArticle(
        tenant_id="acme", title=subject, body=f"## Problem\n\n{text}\n\n## Solution\n\nRestart it.",
        tags=("from-ticket",), source_ticket_id=ticket["json"]["id"]))
        for name, ticket, subject, text in (
            ("own", own, "Printer jams", "My Brother HL-2270 in room 4.12 jams on page two."),
            ("reviewed", reviewed, "Wi-Fi drops", "Wi-Fi drops in the east wing."))}
    published = call(invoke, "knowledge_api", "POST", f"/kb/articles/{made['reviewed']}/publish", AGENT)
    assert published["statusCode"] == 200, published["json"]

    erased = call(invoke, "privacy_api", "POST", "/privacy/erase", ADMIN, {"email": EMAIL})
    assert erased["json"]["drafts_deleted"] == 1, erased["json"]

    assert call(invoke, "knowledge_api", "GET", f"/kb/articles/{made['own']}", AGENT)["statusCode"] == 404
    listed = call(invoke, "knowledge_api", "GET", "/kb/articles", AGENT)["body"]
    assert "room 4.12" not in listed
    assert not bootstrap.container().article_repository.versions("acme", made["own"])
    assert call(invoke, "knowledge_api", "GET", f"/kb/articles/{made['reviewed']}", AGENT)["statusCode"] == 200
    again = call(invoke, "privacy_api", "POST", "/privacy/erase", ADMIN, {"email": EMAIL})
    assert again["json"]["drafts_deleted"] == 0


def test_a_supplier_mailed_on_the_side_is_exported_and_erased(aws: None, invoke: Invoke, mail: Any) -> None:
    supplier, supplier_name = "sam@supplier.example", "Sam Supplier"
    s3 = boto3.client("s3")
    s3.put_bucket_versioning(Bucket=mail.bucket, VersioningConfiguration={"Status": "Enabled"})
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-customer")["ticket_id"]
    noted = call(invoke, "ticket_commands", "POST", f"/tickets/{ticket_id}/messages", AGENT,
                 {"body": "Do you have tray rollers in stock?", "public": False, "mail_to": [supplier.upper()]})
    assert noted["statusCode"] == 201, noted["json"]
    assert mail.stream() == {"batchItemFailures": []}
    [side] = [m for m in mail.sent() if supplier in str(m["To"])]
    answer = mail.compose(sender=f"{supplier_name} <{supplier}>", subject=f"Re: {side['Subject']}",
                          message_id="s1@supplier.example", in_reply_to=str(side["Message-ID"]).strip("<>"),
                          body="Yes, 40 in stock. Call me on my mobile.\n")
    assert mail.deliver(answer, "ses-supplier", verdicts={"spf": "PASS", "dkim": "PASS", "dmarc": "PASS"})[
        "ticket_id"] == ticket_id
    ticket = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT)["json"]
    assert ticket["side_contacts"] == [supplier]  # the team's: a customer sees none
    requester = {**claims("email:dana@customer.example", "acme", "customer", email="dana@customer.example"),
                 "email_verified": "true"}
    assert call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", requester)["json"]["side_contacts"] == []

    exported = call(invoke, "privacy_api", "POST", "/privacy/export", ADMIN, {"email": supplier})["json"]
    assert (exported["tickets"], exported["events"]) == (1, len(bootstrap.container().ticket_repository.events(
        "acme", ticket_id)))
    erased = call(invoke, "privacy_api", "POST", "/privacy/erase", ADMIN, {"email": supplier})
    assert erased["statusCode"] == 200, erased["json"]
    assert (erased["json"]["tickets"], erased["json"]["objects_deleted"]) == (1, 1)  # their mail, every version
    assert not s3.list_object_versions(Bucket=mail.bucket, Prefix="inbound/ses-supplier").get("Versions")
    ticket = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT)
    events = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", AGENT)
    for answer_ in (ticket, events):
        for trace in (supplier, supplier.upper(), supplier_name, "40 in stock"):  # address, name, their words
            assert trace not in answer_["body"], trace
    assert ticket["json"]["side_contacts"] == []
    items = events["json"]["items"] if isinstance(events["json"], dict) else events["json"]
    assert items[-1]["data"]["role"] == "side_contact"
    assert "Do you have tray rollers in stock?" in events["body"]  # the team's own note stays

    # They are nobody on the ticket now: a later answer of theirs is mail like any other, not a note on it.
    later = mail.compose(sender=supplier, subject=f"Re: {side['Subject']}", message_id="s2@supplier.example",
                         in_reply_to=str(side["Message-ID"]).strip("<>"), body="Shipped.\n")
    assert mail.deliver(later, "ses-supplier-2", verdicts={"spf": "PASS", "dkim": "PASS", "dmarc": "PASS"})[
        "status"] == "created"

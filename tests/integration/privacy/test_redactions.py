"""The team takes a card number out of a ticket (`POST /privacy/redactions`) through the real handlers on moto.
Before, a card number or password a customer wrote stayed in the ticket, its mails, its chat and the search index
for good: only erasing the whole person took it out. Now it is gone from every answer of the ticket, events, search
and chat APIs, the original mails holding it (a quote too) are deleted in every version, and the log and the audit
log say who redacted how many places, never what."""

from typing import Any

import boto3

from tests.conftest import EVENTS, claims, http_event
from tests.iam_calls import Call, denied
from tests.integration.mail.conftest import build_mail
from tests.integration.privacy.test_privacy_api import ADMIN, AGENT, DANA, FOREIGN_AGENT, Invoke, call, pollers

CARD = "4111 1111 1111 1111"
PASS = {"spf": "PASS", "dkim": "PASS", "dmarc": "PASS"}


def _mail(message_id: str, body: str, in_reply_to: str | None = None) -> bytes:
    subject = f"Charged twice, card {CARD.replace(' ', '-')}" if in_reply_to is None else "Re: Charged twice"
    return build_mail(subject=subject, body=body, message_id=message_id, in_reply_to=in_reply_to)


def _card_ticket(mail: Any) -> str:
    boto3.client("s3").put_bucket_versioning(Bucket=mail.bucket, VersioningConfiguration={"Status": "Enabled"})
    first = mail.deliver(_mail("card-1@customer.example", f"My card {CARD} was charged twice.\n"), "ses-card-1",
                         verdicts=PASS)
    # the answer quotes it: its visible text does not hold the number, its original mail does
    quoted = f"Any news?\n\nOn Mon, Dana wrote:\n> My card {CARD.replace(' ', '')} was charged twice.\n"
    assert mail.deliver(_mail("card-2@customer.example", quoted, "card-1@customer.example"), "ses-card-2",
                        verdicts=PASS)["ticket_id"] == first["ticket_id"]
    return str(first["ticket_id"])


def _objects(bucket: str, prefix: str) -> list[str]:
    listed = boto3.client("s3").list_object_versions(Bucket=bucket, Prefix=prefix)
    return [v["Key"] for v in [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]]


def test_an_agent_takes_a_card_number_out_of_a_ticket_and_its_mails(aws: None, invoke: Invoke, mail: Any,
                                                                     recorded: list[Call]) -> None:
    ticket_id = _card_ticket(mail)
    for poller in pollers():
        poller.poll_once()

    def search() -> list[Any]:
        found: list[Any] = call(invoke, "ticket_search", "GET", "/tickets/search", AGENT, query={"q": "4111"})["json"][
            "items"]
        return found

    assert len(search()) == 1  # the index knew it
    recorded.clear()
    # the number as the agent selected it in the console: broken over a line, any case
    done = call(invoke, "privacy_api", "POST", "/privacy/redactions", AGENT,
                {"ticket_id": ticket_id, "text": "4111 1111\n1111   1111"})
    assert done["statusCode"] == 200, done["json"]
    report = done["json"]
    # the subject (dashed), in the ticket and its opening event, and the description; both mails' messages lose
    # their originals: the second quoted it
    assert (report["places"], report["events_redacted"]) == (3, 2)
    assert report["mails_deleted"] == 2
    # BatchGetItem: outside Lambda the search index is refreshed at once; in AWS the indexer follows the streams
    assert denied("PrivacyApiFunction", [c for c in recorded if c.action != "BatchGetItem"]) == []

    for path in (f"/tickets/{ticket_id}", f"/tickets/{ticket_id}/events"):
        answer = call(invoke, "ticket_commands", "GET", path, AGENT)
        assert answer["statusCode"] == 200
        assert "4111" not in answer["body"], path
    assert "My card [redacted] was charged twice." in call(
        invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT)["json"]["description"]
    assert search() == []
    assert _objects(mail.bucket, "inbound/ses-card-") == []
    events = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", AGENT)["json"]
    [note] = [e for e in events if e["type"] == "text_redacted"]
    assert (note["actor"], note["data"]["places"], note["data"]["events_redacted"]) == ("a1", 3, 2)
    customers_view = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", DANA)["json"]
    assert "text_redacted" not in [e["type"] for e in customers_view]
    audit = call(invoke, "audit_api", "GET", "/audit", ADMIN)
    assert audit["statusCode"] == 200
    [entry] = [e for e in audit["json"]["items"] if e["kind"] == "ticket.redact"]
    assert (entry["actor"], entry["after"]["places"]) == ("a1", 3)
    assert "4111" not in audit["body"]

    again = call(invoke, "privacy_api", "POST", "/privacy/redactions", AGENT, {"ticket_id": ticket_id, "text": CARD})
    assert (again["statusCode"], again["json"]["error"]["code"]) == (400, "invalid_input")  # nothing left to take


def test_only_the_team_who_may_open_the_ticket_redacts(aws: None, invoke: Invoke, mail: Any) -> None:
    ticket_id = _card_ticket(mail)

    def redact(who: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        return call(invoke, "privacy_api", "POST", "/privacy/redactions", who, body)

    assert redact(DANA, {"ticket_id": ticket_id, "text": CARD})["statusCode"] == 403
    assert redact(FOREIGN_AGENT, {"ticket_id": ticket_id, "text": CARD})["statusCode"] == 404
    for body in ({"ticket_id": ticket_id, "text": " a  b "}, {"ticket_id": ticket_id, "text": "x" * 1001},
                 {"ticket_id": ticket_id}, {"ticket_id": "../x", "text": CARD},
                 {"ticket_id": ticket_id, "text": CARD, "also": 1}):
        refused = redact(AGENT, body)
        assert refused["statusCode"] in (400, 422), (body, refused["json"])
    assert redact(AGENT, {"ticket_id": "0" * 32, "text": CARD})["statusCode"] == 404
    assert "4111" in call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT)["body"]  # untouched
    # the sample event (events/privacy_api/redact_text.json, as `sam local invoke` sends it), on this ticket
    sample = invoke("privacy_api", http_event("POST", "/privacy/redactions", claims_=claims("root", "acme", "admin"),
                                              body={"ticket_id": ticket_id, "text": CARD},
                                              template="privacy_api/redact_text.json"))
    assert sample["statusCode"] == 200, sample["json"]


def test_a_chat_tickets_transcript_loses_the_text_too(invoke: Invoke, chat: Any, mail: Any) -> None:
    session = chat.start()
    chat.say(session, "I want to talk to a human")
    chat.say(session, "yes")
    done = chat.say(session, "visitor.card@example.org")
    ticket_id = done["ticket"]["id"]
    chat.say(session, f"my card is {CARD}, it was charged twice")
    assert CARD in chat.transcript(session)["body"]
    report = call(invoke, "privacy_api", "POST", "/privacy/redactions", AGENT, {"ticket_id": ticket_id, "text": CARD})
    assert report["statusCode"] == 200, report["json"]
    assert report["json"]["chat_messages"] >= 1
    assert CARD not in chat.transcript(session)["body"]
    assert "my card is [redacted]" in chat.transcript(session)["body"]
    assert CARD not in call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", AGENT)["body"]


def test_an_agent_takes_a_mailed_file_out_of_a_ticket(aws: None, invoke: Invoke, mail: Any) -> None:
    """A customer mailed a photo (the sample mail's "Fehler E-42.png"): the file and the original mail it came in are
    deleted in every version, the message no longer offers it, and a download of it is 404."""
    boto3.client("s3").put_bucket_versioning(Bucket=mail.bucket, VersioningConfiguration={"Status": "Enabled"})
    ticket_id = mail.deliver((EVENTS / "email_ingest" / "message.eml").read_bytes(), "ses-photo")["ticket_id"]
    events = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", AGENT)["json"]
    [photo] = events[0]["data"]["attachments"]
    assert call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/attachments/{photo['id']}", AGENT)[
        "statusCode"] == 302  # to its download

    done = call(invoke, "privacy_api", "POST", "/privacy/redactions", AGENT,
                {"ticket_id": ticket_id, "file_id": photo["id"]})
    assert done["statusCode"] == 200, done["json"]
    assert (done["json"]["files_deleted"], done["json"]["mails_deleted"], done["json"]["places"]) == (1, 1, 0)
    assert call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/attachments/{photo['id']}", AGENT)[
        "statusCode"] == 404
    after = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", AGENT)
    assert "Fehler E-42" not in after["body"]
    assert after["json"][0]["data"]["attachments"][0]["filename"] == "[redacted]"
    assert "id" not in after["json"][0]["data"]["attachments"][0]  # nothing to fetch it by
    assert _objects(mail.bucket, f"tickets/acme/{ticket_id}/") == []  # the file and the mail's HTML copy
    assert _objects(mail.bucket, "inbound/ses-photo") == []
    assert "Fehler E-42" not in call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/attachments",
                                     AGENT)["body"]
    again = call(invoke, "privacy_api", "POST", "/privacy/redactions", AGENT,
                 {"ticket_id": ticket_id, "file_id": photo["id"]})
    assert again["statusCode"] == 404
    both = call(invoke, "privacy_api", "POST", "/privacy/redactions", AGENT,
                {"ticket_id": ticket_id, "file_id": photo["id"], "text": "E-42"})
    assert both["statusCode"] == 422  # a text or a file, not both


def test_a_merge_targets_redaction_reaches_the_tickets_merged_into_it(aws: None, invoke: Invoke, mail: Any) -> None:
    """The messages of a ticket merged into another show on the target, where the agent reads and redacts them: the
    card goes from the merged ticket too (before, only from the target's own text), and so does a file it carried."""
    source_id = _card_ticket(mail)
    photo = mail.deliver((EVENTS / "email_ingest" / "message.eml").read_bytes(), "ses-photo-2")["ticket_id"]
    target = call(invoke, "ticket_commands", "POST", "/tickets", AGENT, {
        "subject": "Dana's billing", "description": "Everything about Dana's double charge.",
        "requester": {"id": "email:dana@customer.example", "email": "dana@customer.example"}})["json"]["id"]
    for source in (source_id, photo):
        merged = call(invoke, "ticket_commands", "POST", f"/tickets/{source}/merge", AGENT, {"into": target})
        assert merged["statusCode"] == 200, merged["json"]
    assert "4111" in call(invoke, "ticket_commands", "GET", f"/tickets/{target}/events", AGENT)["body"]

    done = call(invoke, "privacy_api", "POST", "/privacy/redactions", AGENT, {"ticket_id": target, "text": CARD})
    assert done["statusCode"] == 200, done["json"]
    assert (done["json"]["ticket_id"], done["json"]["places"]) == (target, 3)  # the source's subject, twice, and text
    for ticket_id in (target, source_id):
        assert "4111" not in call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", AGENT)["body"]
        assert "4111" not in call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT)["body"]
        notes = [e for e in call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", AGENT)["json"]
                 if e["type"] == "text_redacted"]
        assert [n["data"]["places"] for n in notes] == [3], ticket_id  # the target's history says it, where it was done

    shown = call(invoke, "ticket_commands", "GET", f"/tickets/{target}/events", AGENT)["json"]
    [file_id] = [a["id"] for e in shown for a in e["data"].get("attachments", []) if "id" in a]
    taken = call(invoke, "privacy_api", "POST", "/privacy/redactions", AGENT, {"ticket_id": target, "file_id": file_id})
    assert (taken["statusCode"], taken["json"]["files_deleted"], taken["json"]["ticket_id"]) == (200, 1, target)
    target_notes = [e for e in call(invoke, "ticket_commands", "GET", f"/tickets/{target}/events", AGENT)["json"]
                    if e["type"] == "text_redacted"]
    assert [n["data"]["files_deleted"] for n in target_notes] == [0, 1]
    assert "Fehler E-42" not in call(invoke, "ticket_commands", "GET", f"/tickets/{photo}/events", AGENT)["body"]

"""A tenant that masks card numbers (`PUT /privacy/settings {"mask_card_numbers": true}`) keeps none in what is
written from then on, through the real handlers on moto. Before, a card number a customer mailed or typed stayed in
the ticket, its mails to the team and the chat until someone redacted it by hand."""

import json
from email.message import EmailMessage
from typing import Any

import boto3
import pytest

from tests.conftest import EVENTS
from tests.iam_calls import Call, denied
from tests.integration.privacy.test_privacy_api import ADMIN, AGENT, DANA, Invoke, call, pollers

CARD = "4111 1111 1111 1111"
MASKED = "XXXX XXXX XXXX 1111"
ORDER = "4111 1111 1111 1112"  # a card's shape, not a card (Luhn): an order number stays


def _mask(invoke: Invoke, on: bool = True) -> None:
    saved = call(invoke, "privacy_api", "PUT", "/privacy/settings", ADMIN, {"mask_card_numbers": on})
    assert saved["statusCode"] == 200, saved["json"]
    assert saved["json"] == {"retention_days": None, "mask_card_numbers": on}


def _card_mail(message_id: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Dana Example <dana@customer.example>"
    msg["To"] = "support@acme.example"
    msg["Subject"] = f"Charged twice on {CARD.replace(' ', '-')}"
    msg["Message-ID"] = f"<{message_id}>"
    msg.set_content(f"My card {CARD} was charged twice. Order {ORDER}.\n")
    msg.add_alternative(f"<p>My card <b>{CARD}</b> was charged twice. Order {ORDER}.</p>", subtype="html")
    return msg.as_bytes()


def test_off_by_default_a_mailed_card_stays_as_written(aws: None, invoke: Invoke, mail: Any) -> None:
    assert call(invoke, "privacy_api", "GET", "/privacy/settings", ADMIN)["json"]["mask_card_numbers"] is False
    ticket_id = mail.deliver(_card_mail("card-off@customer.example"), "ses-card-off")["ticket_id"]
    ticket = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT)["json"]
    assert CARD in ticket["description"]
    [created] = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", AGENT)["json"][:1]
    assert "html_key" in created["data"]
    assert "cards_masked" not in created["data"]


def test_a_mailed_card_is_masked_everywhere_the_team_reads_it(aws: None, invoke: Invoke, mail: Any,
                                                               recorded: list[Call]) -> None:
    _mask(invoke)
    recorded.clear()
    delivered = mail.deliver(_card_mail("card-on@customer.example"), "ses-card-on")
    assert delivered["status"] == "created"
    # the mail function reads the tenant's setting under its own grant
    assert denied("EmailIngestFunction", recorded) == []
    ticket_id = delivered["ticket_id"]
    ticket = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT)["json"]
    assert ticket["subject"] == "Charged twice on XXXX-XXXX-XXXX-1111"  # as written, dashes kept
    assert ticket["description"].startswith(f"My card {MASKED} was charged twice. Order {ORDER}.")
    assert MASKED in ticket["latest_message"]["text"]
    events = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", AGENT)
    assert "4111 1111 1111 1111" not in events["body"]
    assert "4111-1111" not in events["body"]
    created = events["json"][0]["data"]
    assert created["cards_masked"] == 1  # its subject (the text is the ticket's description, masked too)
    # the HTML copy (which agents open) is not kept; the original mail is, as received
    assert "html_key" not in created
    assert boto3.client("s3").get_object(Bucket=mail.bucket, Key="inbound/ses-card-on")["Body"].read()
    for poller in pollers():
        poller.poll_once()
    found = call(invoke, "ticket_search", "GET", "/tickets/search", AGENT, query={"q": "4111111111111111"})
    assert found["json"]["items"] == []


def test_cards_written_through_the_api_and_sent_out_are_masked(aws: None, invoke: Invoke, mail: Any) -> None:
    _mask(invoke)
    opened = call(invoke, "ticket_commands", "POST", "/tickets", DANA,
                  {"subject": "Refund", "description": f"Refund to 5555555555554444 please, order {ORDER}"})
    assert opened["statusCode"] == 201, opened["json"]
    assert opened["json"]["description"] == f"Refund to XXXXXXXXXXXX4444 please, order {ORDER}"
    ticket_id = opened["json"]["id"]
    reply = call(invoke, "ticket_commands", "POST", f"/tickets/{ticket_id}/messages", AGENT,
                 {"body": "Refunded to the card 5555 5555 5555 4444."})
    assert reply["statusCode"] == 201, reply["json"]
    note = call(invoke, "ticket_commands", "POST", f"/tickets/{ticket_id}/messages", AGENT,
                {"body": "Card 378282246310005 checked", "public": False})
    assert note["statusCode"] == 201
    body = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", AGENT)["body"]
    assert "5555 5555 5555 4444" not in body
    assert "378282246310005" not in body
    assert "Refunded to the card XXXX XXXX XXXX 4444." in body
    assert "Card XXXXXXXXXXX0005 checked" in body
    mail.stream()  # the reply mailed to Dana carries the masked card
    texts = [part.get_content() for m in mail.sent() if "dana@customer.example" in str(m["To"])
             if (part := m.get_body(("plain",))) is not None]
    [answer] = [text for text in texts if "Refunded" in text]
    assert "Refunded to the card XXXX XXXX XXXX 4444." in answer
    assert not any("5555 5555" in text or "5555555555554444" in text for text in texts)


def test_a_card_typed_in_the_chat_is_masked_in_its_transcript_and_for_the_assistant(
        invoke: Invoke, chat: Any, mail: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk.assistant.service import TurnReply, TurnRequest
    from helpdesk.chat.adapters.intent_rag import InProcessIntentRag

    heard: list[str] = []  # what the assistant (and with Claude configured, the model) is given
    answer = InProcessIntentRag.reply

    def listened(self: InProcessIntentRag, turn: TurnRequest) -> TurnReply:
        heard.append(turn.text)
        return answer(self, turn)
    monkeypatch.setattr(InProcessIntentRag, "reply", listened)
    _mask(invoke)
    session = chat.start()
    chat.say(session, f"my card is {CARD}, it was charged twice")
    transcript = chat.transcript(session)["body"]
    assert CARD not in transcript
    assert f"my card is {MASKED}" in transcript
    assert heard == [f"my card is {MASKED}, it was charged twice"]


def test_turning_it_off_keeps_cards_written_after(aws: None, invoke: Invoke, mail: Any) -> None:
    # on with the sample event (events/privacy_api/mask_card_numbers.json, as `sam local invoke` sends it)
    sample = invoke("privacy_api", json.loads((EVENTS / "privacy_api" / "mask_card_numbers.json").read_text()))
    assert sample["json"] == {"retention_days": None, "mask_card_numbers": True}, sample["json"]
    masked = call(invoke, "ticket_commands", "POST", "/tickets", DANA, {"subject": "Card", "description": CARD})
    assert masked["json"]["description"] == MASKED
    _mask(invoke, on=False)
    opened = call(invoke, "ticket_commands", "POST", "/tickets", DANA, {"subject": "Card", "description": CARD})
    assert opened["json"]["description"] == CARD


def test_held_mail_shows_its_subject_masked(aws: None, invoke: Invoke, mail: Any) -> None:
    _mask(invoke)
    held = mail.deliver(_card_mail("card-spam@customer.example"), "ses-card-spam", verdicts={"spam": "FAIL"})
    assert held["status"] == "quarantined"
    [record] = call(invoke, "mail_admin", "GET", "/mail/quarantine", ADMIN)["json"]["items"]
    assert record["subject"] == "Charged twice on XXXX-XXXX-XXXX-1111"


def test_an_admin_masks_the_cards_written_before(aws: None, invoke: Invoke, mail: Any, chat: Any,
                                                 recorded: list[Call], monkeypatch: pytest.MonkeyPatch) -> None:
    """Written while the tenant did not mask: a mail (with its HTML copy), a portal ticket, a chat; then
    `POST /privacy/card-masking` page by page until `next_cursor` is null."""
    monkeypatch.setattr("helpdesk.privacy.redactions.MASKING_PAGE", 2)
    mailed = mail.deliver(_card_mail("card-before@customer.example"), "ses-card-before")["ticket_id"]
    portal = call(invoke, "ticket_commands", "POST", "/tickets", DANA,
                  {"subject": "Refund", "description": "Refund to 5555 5555 5555 4444 please"})["json"]["id"]
    call(invoke, "ticket_commands", "POST", "/tickets", DANA, {"subject": "No card", "description": f"Order {ORDER}"})
    session = chat.start()  # handed over to a person: its ticket's transcript
    chat.say(session, "I want to talk to a human")
    chat.say(session, "yes")
    chat.say(session, "visitor.card@example.org")
    chat.say(session, f"my card is {CARD}")
    assert CARD in chat.transcript(session)["body"]

    assert call(invoke, "privacy_api", "POST", "/privacy/card-masking", AGENT, {})["statusCode"] == 403
    assert call(invoke, "privacy_api", "POST", "/privacy/card-masking", ADMIN, {"cursor": "nonsense"})[
        "statusCode"] == 400
    recorded.clear()
    runs, cursor = [], None
    while True:
        answer = call(invoke, "privacy_api", "POST", "/privacy/card-masking", ADMIN, {"cursor": cursor})
        assert answer["statusCode"] == 200, answer["json"]
        runs.append(answer["json"])
        cursor = answer["json"]["next_cursor"]
        if cursor is None:
            break
    # BatchGetItem: outside Lambda the search index is refreshed at once; in AWS the indexer follows the streams
    assert denied("PrivacyApiFunction", [c for c in recorded if c.action != "BatchGetItem"]) == []
    assert [run["tickets_read"] for run in runs] == [2, 2]
    assert sum(run["tickets_read"] for run in runs) == 4
    assert sum(run["tickets_masked"] for run in runs) == 3
    assert sum(run["html_copies_deleted"] for run in runs) == 1

    ticket = call(invoke, "ticket_commands", "GET", f"/tickets/{mailed}", AGENT)["json"]
    assert ticket["subject"] == "Charged twice on XXXX-XXXX-XXXX-1111"
    assert ticket["description"].startswith(f"My card {MASKED} was charged twice. Order {ORDER}.")
    events = call(invoke, "ticket_commands", "GET", f"/tickets/{mailed}/events", AGENT)["json"]
    assert "html_key" not in events[0]["data"]
    assert events[0]["data"]["raw_key"] == "inbound/ses-card-before"  # the original stays, as new mail's does
    note = events[-1]
    assert note["type"] == "text_redacted"
    assert (note["data"]["card_numbers"], note["data"]["html_copies_deleted"], note["data"]["mails_deleted"]) == (
        True, 1, 0)  # the history says masked, and that only the HTML copy went
    portal_ticket = call(invoke, "ticket_commands", "GET", f"/tickets/{portal}", AGENT)["json"]
    assert portal_ticket["description"] == "Refund to XXXX XXXX XXXX 4444 please"
    transcript = chat.transcript(session)["body"]
    assert CARD not in transcript
    assert f"my card is {MASKED}" in transcript
    # a second run finds nothing left
    again = call(invoke, "privacy_api", "POST", "/privacy/card-masking", ADMIN, {})["json"]
    assert again["tickets_masked"] == 0

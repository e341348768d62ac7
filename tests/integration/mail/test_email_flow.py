"""Email-to-ticket end to end on moto: the real email_ingest and email_send handlers, SES receipt events
from events/, raw mail in S3, outbound mail read back from moto's SES."""

import re
from pathlib import Path
from typing import Any

import boto3
import pytest

from helpdesk import bootstrap
from helpdesk.kernel.principal import system_principal
from helpdesk.mail.local import plain_text
from helpdesk.mail.ports import MailSettings
from helpdesk.tickets.history import EventType
from helpdesk.tickets.model import Status
from helpdesk.tickets.ports import TicketQuery
from helpdesk.tickets.service import UpdateTicket
from tests.conftest import EVENTS, rebuild

ADMIN = system_principal("acme")
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mail"


def test_sample_event_creates_ticket_with_visible_reply_and_attachments(mail: Any) -> None:
    raw = (EVENTS / "email_ingest" / "message.eml").read_bytes()
    result = mail.deliver(raw, "o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1")

    assert result["status"] == "created"
    assert result["ticket_number"] == "T-000001"
    ticket = bootstrap.container().ticket_service.get(ADMIN, result["ticket_id"])
    assert ticket.channel == "email"
    assert ticket.subject == "Printer on floor 3 is jammed — urgent"
    assert ticket.requester.id == "email:dana@customer.example"
    assert ticket.requester.name == "Dana Müller"
    assert ticket.participants == ["dana@customer.example"]
    assert "error E-42" in ticket.description
    assert "+49 30" not in ticket.description  # the signature is not part of the request
    created = bootstrap.container().ticket_service.events(ADMIN, ticket.id)[0]
    [attachment] = created.data["attachments"]
    assert attachment["filename"] == "Fehler E-42.png"
    assert attachment["content_type"] == "image/png"
    stored = boto3.client("s3").get_object(Bucket=mail.bucket, Key=attachment["key"])["Body"].read()
    assert len(stored) == attachment["size"] == 70
    assert attachment["key"].startswith(f"tickets/acme/{ticket.id}/")
    assert created.data["message_id"] == "CAF3x9-printer-0001@mail.customer.example"
    assert created.data["auth"]["spf"] == "PASS"

    [ack] = mail.sent()
    assert ack["To"] == "dana@customer.example"
    assert f"[{mail.tag(1)}]" in ack["Subject"]  # the number with its code
    assert ack["In-Reply-To"] == "<CAF3x9-printer-0001@mail.customer.example>"
    assert ack["Auto-Submitted"] == "auto-replied"
    assert plain_text(ack).startswith("We received your request and opened ticket T-000001.")


@pytest.mark.parametrize(("subject", "body", "receipt"), [
    ("Rechnung doppelt abgebucht", "Guten Tag, uns wurde die Rechnung für November zweimal abgebucht. Können Sie "
     "den Betrag erstatten?", "Wir haben Ihre Anfrage erhalten und das Ticket T-000001 eröffnet."),
    ("No puedo iniciar sesión", "Hola, desde ayer no puedo entrar en mi cuenta aunque la contraseña es correcta.",
     "Hemos recibido su solicitud y abierto el ticket T-000001."),
    ("Printer jammed", "The printer on floor 3 jams.", "We received your request and opened ticket T-000001."),
])
def test_the_receipt_is_written_in_the_language_of_the_mail(mail: Any, subject: str, body: str,
                                                            receipt: str) -> None:
    """It was English for every customer."""
    mail.deliver(mail.compose(subject=subject, body=body + "\n"), "ses-lang")

    [ack] = mail.sent()
    assert plain_text(ack).startswith(receipt), plain_text(ack)
    assert f"[{mail.tag(1)}]" in plain_text(ack)  # how to keep the reply on the ticket, in that language too


def test_same_ses_event_twice_leaves_one_ticket_and_one_message(mail: Any) -> None:
    first = mail.deliver(mail.compose(), "ses-1")
    second = mail.deliver(mail.compose(), "ses-1")
    assert first["status"] == "created"
    assert second["status"] == "duplicate"
    assert second["ticket_id"] == first["ticket_id"]
    reply = mail.compose(subject=f"Re: [{mail.tag(1)}] Printer jammed", body="Still broken.",
                         message_id="m2@customer.example")
    assert mail.deliver(reply, "ses-2")["status"] == "appended"
    assert mail.deliver(reply, "ses-2")["status"] == "duplicate"
    # the same mail under another SES id (sent to two of our addresses) is still one message
    assert mail.deliver(reply, "ses-3")["status"] == "duplicate"
    events = bootstrap.container().ticket_service.events(ADMIN, first["ticket_id"])
    assert [e.type for e in events].count(EventType.PUBLIC_MESSAGE) == 1


def test_a_reply_to_a_german_customer_quotes_in_german_and_their_answer_is_read_without_it(mail: Any) -> None:
    """The line above the quoted message was English ("On Wed, 02 Dec 2026 ..., Dana wrote:") for every customer."""
    created = mail.deliver(mail.compose(subject="Rechnung doppelt abgebucht", body="Guten Tag, uns wurde die "
                                        "Rechnung für November zweimal abgebucht. Können Sie das prüfen?\n",
                                        message_id="de1@customer.example"), "ses-de")
    agent = system_principal("acme", "system")
    bootstrap.container().ticket_service.add_message(agent, created["ticket_id"], "Wir erstatten den Betrag heute.",
                                                     public=True, as_customer=False)
    assert mail.stream() == {"batchItemFailures": []}
    [out] = [m for m in mail.sent() if "Auto-Submitted" not in m]
    text = plain_text(out).replace("\r\n", "\n")
    header = re.search(r"^Am \d\d\.\d\d\.\d{4} um \d\d:\d\d UTC schrieb Dana Example:$", text, re.MULTILINE)
    assert header, text
    assert "> Guten Tag, uns wurde die Rechnung" in text

    quoted = "\n".join(f"> {line}" for line in text.splitlines())
    answer = mail.compose(subject="Re: Rechnung doppelt abgebucht", message_id="de2@customer.example",
                          body=f"Danke, das ging schnell.\n\nAm 02.12.2026 um 09:00 schrieb Support:\n{quoted}\n",
                          in_reply_to=out["Message-ID"].strip("<>"))
    assert mail.deliver(answer, "ses-de2")["status"] == "appended"
    events = bootstrap.container().ticket_service.events(ADMIN, created["ticket_id"])
    assert [e.data["body"] for e in events if e.type == "public_message"][-1] == "Danke, das ging schnell."


def test_agent_reply_goes_out_threaded_and_the_answer_lands_on_the_same_ticket(mail: Any) -> None:
    created = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")
    ticket_id = created["ticket_id"]
    agent = system_principal("acme", "system")
    tickets = bootstrap.container().ticket_service
    tickets.add_message(agent, ticket_id, "Please restart it and tell me the error code.", public=True,
                        as_customer=False)
    tickets.add_message(agent, ticket_id, "internal: probably the fuser", public=False)
    tickets.update(agent, ticket_id, UpdateTicket(status=Status.PENDING))

    assert mail.stream() == {"batchItemFailures": []}
    outgoing = [m for m in mail.sent() if "Auto-Submitted" not in m]
    assert len(outgoing) == 1  # the agent's reply only: no note, no echo of the customer's own mail
    out = outgoing[0]
    assert out["From"].addresses[0].addr_spec == "support@acme.example"
    assert out["Subject"] == f"Re: [{mail.tag(1)}] Printer jammed"
    assert out["In-Reply-To"] == "<first@customer.example>"
    assert "<first@customer.example>" in out["References"]
    assert "restart it" in plain_text(out)
    assert "fuser" not in out.as_string()
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}  # a retried batch sends nothing twice
    assert len([m for m in mail.sent() if "Auto-Submitted" not in m]) == 1

    our_id = out["Message-ID"].strip("<>")
    answer = mail.compose(subject="Re: Printer jammed", body="Error code is E-42.\n\nOn Mon, Support wrote:\n> restart",
                        message_id="answer@customer.example", in_reply_to=our_id)
    result = mail.deliver(answer, "ses-b")
    assert result["status"] == "appended"
    assert result["ticket_id"] == ticket_id
    ticket = bootstrap.container().ticket_service.get(ADMIN, ticket_id)
    assert ticket.status == Status.OPEN  # the customer's answer reopens a pending ticket
    last = bootstrap.container().ticket_service.events(ADMIN, ticket_id)
    bodies = [e.data["body"] for e in last if e.type == "public_message"]
    assert bodies[-1] == "Error code is E-42."


def test_a_reply_on_a_portal_ticket_reaches_the_customer_by_mail_and_their_answer_comes_back(mail: Any) -> None:
    """A customer who opened the request in the portal learns of the answer by mail (without watching the
    portal) and answers by mail into the same ticket. A ticket for an address nobody proved gets nothing."""
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.tickets.model import Requester
    from helpdesk.tickets.service import CreateTicket

    tickets = bootstrap.container().ticket_service
    dana = Principal(user_id="email:dana@customer.example", tenant_id="acme", role=Role.CUSTOMER,
                     email="dana@customer.example", email_verified=True)
    ticket = tickets.create(dana, CreateTicket(subject="Printer jammed", description="Floor 3 jams again."))
    assert (ticket.channel.value, ticket.requester.email_verified) == ("api", True)
    typed = tickets.create(ADMIN, CreateTicket(subject="Typed address", description="d", requester=Requester(
        id="visitor-1", email="someone@customer.example", email_verified=False)))
    agent = system_principal("acme", "system")
    tickets.add_message(agent, ticket.id, "Open tray 2 and take the sheet out.", public=True)
    tickets.add_message(agent, ticket.id, "internal: the fuser again", public=False)
    tickets.add_message(agent, typed.id, "Hello", public=True)
    assert mail.stream() == {"batchItemFailures": []}
    [out] = [m for m in mail.sent() if "Auto-Submitted" not in m]
    assert out["To"] == "dana@customer.example"
    assert out["Subject"] == f"Re: [{mail.tag(ticket.number)}] Printer jammed"
    assert "Open tray 2" in plain_text(out)
    assert "fuser" not in out.as_string()

    answer = mail.compose(subject=f"Re: [{mail.tag(ticket.number)}] Printer jammed", body="Done, it prints.\n",
                          message_id="portal-answer@customer.example", in_reply_to=out["Message-ID"].strip("<>"))
    result = mail.deliver(answer, "ses-portal")
    assert (result["status"], result["ticket_id"]) == ("appended", ticket.id)
    assert [e.data["body"] for e in tickets.events(ADMIN, ticket.id) if e.type == "public_message"][-1] == \
        "Done, it prints."


def test_a_request_opened_in_the_portal_gets_the_receipt_a_mail_ticket_gets(mail: Any) -> None:
    """Its number, the team's own text, how to add to it by mail; once, and only to an address that is the
    customer's: not for a ticket an agent opened (for them or for themselves), nor for an address nobody proved."""
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.mail.ports import MailSettings
    from helpdesk.tickets.model import Requester
    from helpdesk.tickets.service import CreateTicket

    c = bootstrap.container()
    c.mail_records.put_settings("acme", MailSettings(receipts={"en": "Hi {name}, {number} is with our team."}))
    dana = Principal(user_id="email:dana@customer.example", tenant_id="acme", role=Role.CUSTOMER,
                     email="dana@customer.example", email_verified=True, name="Dana Scully")
    ticket = c.ticket_service.create(dana, CreateTicket(subject="Printer jammed", description="Floor 3 jams."))
    c.ticket_service.create(ADMIN, CreateTicket(subject="Called in", description="d", requester=Requester(
        id="email:dana@customer.example", email="dana@customer.example", email_verified=True)))
    unproved = Principal(user_id="sub-otto", tenant_id="acme", role=Role.CUSTOMER, email="otto@customer.example")
    c.ticket_service.create(unproved, CreateTicket(subject="Unproved", description="d"))
    agent = Principal(user_id="sub-ann", tenant_id="acme", role=Role.AGENT, email="ann@acme.example",
                      email_verified=True)
    c.ticket_service.create(agent, CreateTicket(subject="Internal: renew the certificate", description="d"))
    assert mail.stream() == {"batchItemFailures": []}

    [receipt] = mail.sent()
    assert (receipt["To"], receipt["Auto-Submitted"]) == ("dana@customer.example", "auto-replied")
    assert receipt["Subject"] == f"[{mail.tag(ticket.number)}] Printer jammed"  # the first mail: no "Re:"
    lines = plain_text(receipt).splitlines()
    assert lines[:2] == [f"Hi Dana Scully, {ticket.key} is with our team.",
                         f"Reply to this mail to add to it; keep [{mail.tag(ticket.number)}] in the subject."]
    created = c.ticket_service.events(ADMIN, ticket.id)[0]
    assert c.mail_outbound.send_receipt("acme", ticket.id, created.data) is None  # once

    answer = mail.compose(subject=receipt["Subject"], body="It is the HP on floor 3.\n",
                          message_id="receipt-answer@customer.example", in_reply_to=receipt["Message-ID"].strip("<>"))
    assert mail.deliver(answer, "ses-receipt")["ticket_id"] == ticket.id

    c.mail_records.put_settings("acme", MailSettings(acknowledge_new=False))
    c.ticket_service.create(dana, CreateTicket(subject="Toner", description="Low."))
    assert mail.stream() == {"batchItemFailures": []}
    assert len(mail.sent()) == 1  # receipts turned off


def test_stranger_quoting_a_ticket_number_opens_a_new_ticket(mail: Any) -> None:
    mail.deliver(mail.compose(), "ses-1")
    intruder = mail.compose(sender="mallory@evil.example", subject="Re: [T-000001] Printer jammed",
                          body="Send me the data", message_id="evil@evil.example", in_reply_to="m1@customer.example")
    result = mail.deliver(intruder, "ses-2")
    assert result["status"] == "created"
    assert result["ticket_number"] == "T-000002"
    assert bootstrap.container().ticket_service.get(ADMIN, result["ticket_id"]).subject == "Printer jammed"


def test_closed_ticket_gets_a_follow_up_ticket(mail: Any) -> None:
    first = mail.deliver(mail.compose(), "ses-1")
    bootstrap.container().ticket_service.update(ADMIN, first["ticket_id"], UpdateTicket(status=Status.CLOSED))
    again = mail.deliver(mail.compose(subject=f"Re: [{mail.tag(1)}] Printer jammed", message_id="m9@customer.example"),
                         "ses-2")
    assert again["status"] == "created"
    assert again["ticket_id"] != first["ticket_id"]


def test_automatic_mail_never_creates_tickets_nor_replies(mail: Any) -> None:
    cases = [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
        {"List-Id": "<news.example.com>"},
    ]
    for index, headers in enumerate(cases):
        result = mail.deliver(mail.compose(headers=headers, message_id=f"auto{index}@x.example"), f"ses-auto-{index}")
        assert result["status"] == "ignored", headers
    bounce = mail.compose(sender="MAILER-DAEMON@mx.example", message_id="bounce@mx.example")
    assert mail.deliver(bounce, "ses-bounce")["status"] == "ignored"
    assert mail.sent() == []
    records = bootstrap.container().mail_records.quarantined("acme")
    assert len(records) == 5
    assert all(r.kind == "ignored" and r.reason == "automatic" for r in records)


def test_virus_is_quarantined_and_spam_follows_the_tenant_setting(mail: Any) -> None:
    assert mail.deliver(mail.compose(message_id="v@x.example"), "ses-virus",
                        verdicts={"virus": "FAIL"})["status"] == "quarantined"
    assert mail.deliver(mail.compose(message_id="s@x.example"), "ses-spam",
                        verdicts={"spam": "FAIL"})["status"] == "quarantined"
    reasons = sorted(r.reason for r in bootstrap.container().mail_records.quarantined("acme"))
    assert reasons == ["spam", "virus"]
    bootstrap.container().mail_records.put_settings("acme", MailSettings(spam_action="tag", acknowledge_new=False))
    tagged = mail.deliver(mail.compose(message_id="s2@x.example"), "ses-spam-2", verdicts={"spam": "FAIL"})
    assert tagged["status"] == "created"
    assert "spam" in bootstrap.container().ticket_service.get(ADMIN, tagged["ticket_id"]).tags
    assert mail.sent() == []  # acknowledgements switched off for this tenant


def test_unknown_recipient_is_quarantined_unless_a_default_tenant_is_set(mail: Any) -> None:
    result = mail.deliver(mail.compose(), "ses-x", recipients=["sales@other.example"])
    assert result["status"] == "quarantined"
    assert result["reason"] == "unknown_recipient"
    assert bootstrap.container().mail_records.quarantined("_unrouted")[0].delivery_id == "ses-x"


def test_broken_mail_becomes_a_ticket_or_a_record_and_never_raises(mail: Any) -> None:
    headerless = mail.deliver(b"just some text, no headers at all\n", "ses-headerless")
    assert headerless["status"] == "created"  # the sender comes from the SMTP envelope
    headerless_ticket = bootstrap.container().ticket_service.get(ADMIN, headerless["ticket_id"])
    assert headerless_ticket.requester.email == "dana@customer.example"
    empty = mail.deliver(b"", "ses-empty")
    assert empty["status"] == "quarantined"
    assert empty["reason"] == "empty"
    for index, path in enumerate(sorted(FIXTURES.glob("broken-*.eml"))):
        result = mail.deliver(path.read_bytes(), f"ses-broken-{index}")
        assert result["status"] in ("created", "quarantined"), path.name
    # the raw message stays where SES put it
    assert boto3.client("s3").head_object(Bucket=mail.bucket, Key="inbound/ses-empty")["ContentLength"] == 0


def test_an_encrypted_mail_says_why_the_team_cannot_read_it(mail: Any) -> None:
    """An S/MIME-encrypted mail used to open a ticket reading "(no text)" with a `smime.p7m` file, and nothing said
    why. Now its message says it is encrypted and the ticket is tagged, so a trigger can ask for plain mail."""
    raw = (b"From: Eve <eve@enc.example>\r\nTo: support@acme.example\r\nSubject: Our contract\r\n"
           b"Message-ID: <enc-1@enc.example>\r\nMIME-Version: 1.0\r\n"
           b'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"\r\n'
           b'Content-Disposition: attachment; filename="smime.p7m"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
           b"MIAGCSqGSIb3DQEHA6CAMIACAQAxggFA\r\n")
    created = mail.deliver(raw, "ses-encrypted")
    ticket = bootstrap.container().ticket_service.get(ADMIN, created["ticket_id"])
    assert ticket.description.startswith("(This mail is encrypted (S/MIME) and cannot be read here;")
    assert "encrypted" in ticket.tags
    files = bootstrap.container().ticket_service.events(ADMIN, ticket.id)[0].data["attachments"]
    assert [f["filename"] for f in files] == ["smime.p7m"]


def test_oversized_mail_is_quarantined_and_big_attachments_are_listed_not_stored(
        mail: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk import bootstrap

    monkeypatch.setenv("HELPDESK_MAIL_MAX_ATTACHMENT_BYTES", "50")
    rebuild()
    raw = (EVENTS / "email_ingest" / "message.eml").read_bytes()
    result = mail.deliver(raw, "ses-big-attachment")
    assert result["status"] == "created"
    [attachment] = bootstrap.container().ticket_service.events(ADMIN, result["ticket_id"])[0].data["attachments"]
    assert attachment["size"] == 70
    assert "key" not in attachment
    assert "larger than 50 bytes" in attachment["dropped"]

    monkeypatch.setenv("HELPDESK_MAIL_MAX_RAW_BYTES", "1000")
    rebuild()
    too_big = mail.deliver(raw, "ses-too-big")
    assert too_big["status"] == "quarantined"
    assert too_big["reason"] == "too_large"
    [record] = [r for r in bootstrap.container().mail_records.quarantined("acme") if r.delivery_id == "ses-too-big"]
    assert record.details["size"] == len(raw)
    assert record.raw_key == "inbound/ses-too-big"


def test_a_retry_after_a_crash_finishes_without_duplicating(mail: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first attempt dies after writing the ticket but before recording the delivery as done; SES
    retries once the lease ran out. One ticket, one message, for the new mail and for the reply."""
    import helpdesk.mail.service as service
    from helpdesk import bootstrap

    monkeypatch.setattr(service, "DELIVERY_LEASE_SECONDS", -1)  # every lease has already run out
    records = bootstrap.container().mail_records
    real_complete = records.complete_delivery
    crash_next = {"ses-c1", "ses-c2"}

    def crash_once(delivery_id: str, result: dict[str, Any]) -> None:
        if delivery_id in crash_next:
            crash_next.discard(delivery_id)
            raise TimeoutError("Lambda timed out")
        real_complete(delivery_id, result)

    monkeypatch.setattr(records, "complete_delivery", crash_once)
    assert bootstrap.container().mail_ingest.records is records

    with pytest.raises(TimeoutError):
        mail.deliver(mail.compose(), "ses-c1")
    first = mail.deliver(mail.compose(), "ses-c1")
    assert first["status"] == "created"
    reply = mail.compose(subject=f"Re: [{mail.tag(1)}] Printer jammed", body="More details.",
                         message_id="r@customer.example")
    with pytest.raises(TimeoutError):
        mail.deliver(reply, "ses-c2")
    assert mail.deliver(reply, "ses-c2")["status"] == "appended"

    page = bootstrap.container().ticket_service.query(ADMIN, TicketQuery(tenant_id="acme"))
    assert [t.key for t in page.items] == ["T-000001"]
    events = bootstrap.container().ticket_service.events(ADMIN, first["ticket_id"])
    assert [e.data.get("body") for e in events if e.type == "public_message"] == ["More details."]


def test_local_smtp_handler_runs_the_same_ingest(mail: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from aiosmtpd.smtp import Envelope

    from helpdesk import bootstrap
    from helpdesk.mail.local import _SmtpHandler

    monkeypatch.setenv("HELPDESK_MAIL_DEFAULT_TENANT", "acme")
    rebuild()
    envelope = Envelope()
    envelope.mail_from = "dana@customer.example"
    envelope.rcpt_tos = ["help@unmapped.example"]  # no INBOUND record: the default tenant takes it
    envelope.original_content = (EVENTS / "email_ingest" / "message.eml").read_bytes()
    reply = asyncio.run(_SmtpHandler(bootstrap.container()).handle_DATA(None, None, envelope))
    assert reply == "250 OK created T-000001"
    ticket = bootstrap.container().ticket_service.get_by_number(ADMIN, 1)
    assert ticket.channel == "email"
    assert "E-42" in ticket.description


def test_mail_over_smtp_becomes_a_ticket(mail: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The local stack's SMTP server, on a free port: a real SMTP conversation ends in a ticket."""
    import smtplib
    import socket

    from aiosmtpd.controller import Controller

    from helpdesk.mail.local import _SmtpHandler

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(_SmtpHandler(bootstrap.container()), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        raw = (EVENTS / "email_ingest" / "message.eml").read_bytes().replace(b"\n", b"\r\n")
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            refused = client.sendmail("dana@customer.example", ["support@acme.example"], raw)
    finally:
        controller.stop()
    assert refused == {}
    ticket = bootstrap.container().ticket_service.get_by_number(ADMIN, 1)
    assert ticket.requester.email == "dana@customer.example"
    assert ticket.description.startswith("Hello,\n\nthe printer on floor 3")


def test_only_internal_callers_choose_ticket_ids(mail: Any) -> None:
    from helpdesk.kernel.errors import Forbidden
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.tickets.service import CreateTicket

    customer = Principal(user_id="c1", tenant_id="acme", role=Role.CUSTOMER)
    with pytest.raises(Forbidden):
        bootstrap.container().ticket_service.create(customer, CreateTicket(subject="x", description="y", id="ab" * 16))
    with pytest.raises(Forbidden):
        bootstrap.container().ticket_service.create(customer, CreateTicket(subject="x", description="y",
                                                                           event_data={"channel": "email"}))


def test_a_failed_send_is_retried_by_the_stream_and_sent_once(mail: Any) -> None:
    created = mail.deliver(mail.compose(), "ses-1")
    bootstrap.container().mail_records.put_settings("acme", MailSettings(support_address="help@unverified.example"))
    agent = system_principal("acme", "system")
    bootstrap.container().ticket_service.add_message(agent, created["ticket_id"], "Try this.", public=True,
                                                     as_customer=False)

    failed = mail.stream()  # SES refuses the unverified sender
    assert len(failed["batchItemFailures"]) == 1
    boto3.client("ses").verify_email_identity(EmailAddress="help@unverified.example")
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}
    replies = [m for m in mail.sent() if "Auto-Submitted" not in m]
    assert [m["From"].addresses[0].addr_spec for m in replies] == ["help@unverified.example"]


def test_the_local_ingest_takes_a_mail_whose_headers_are_raw_utf8(mail: Any) -> None:
    """`helpdesk mail ingest` (and the local SMTP port) crashed on a From header with an unencoded "ü": the stdlib
    hands such a header back as a `Header` object. Servers deliver mail like that."""
    from helpdesk.mail.local import deliver_raw

    raw = ("From: Jana Müller <jana@kunde.example>\r\nTo: support@acme.example\r\nSubject: Rechnung für November\r\n"
           "Message-ID: <raw8@kunde.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           "Bitte prüfen Sie die Rechnung.\r\n").encode()
    [result] = deliver_raw(bootstrap.container(), raw)
    assert result["status"] == "created", result
    ticket = bootstrap.container().ticket_service.get(ADMIN, result["ticket_id"])
    assert (ticket.requester.email, ticket.requester.name) == ("jana@kunde.example", "Jana Müller")
    assert ticket.subject == "Rechnung für November"

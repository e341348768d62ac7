"""A customer mailed an agent directly; the agent forwards it to the support address: the ticket is the customer's
(their address, subject and words, their receipt), the agent's words above the forward are an internal note, and
the customer's answer to the receipt threads in (the real email_ingest handler on moto). Only an authenticated
teammate's forward is read so: anyone else's forward is a mail like any other."""

from email.message import EmailMessage
from typing import Any

from helpdesk import bootstrap
from helpdesk.directory.model import NewUser
from helpdesk.kernel.principal import Principal, Role
from tests.integration.mail.conftest import mail  # noqa: F401 (the fixture)

ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)
PASSED = {"spf": "PASS", "dkim": "PASS", "dmarc": "PASS"}
FORWARD = ("Can you take this one? She is a key account.\n\n---------- Forwarded message ---------\n"
           "From: Dana Example <dana@customer.example>\nDate: Mon, 30 Nov 2026 at 10:00\nSubject: Printer jammed\n"
           "To: Jana <jana@acme.example>\n\nThe printer on floor 3 jams.\nThanks, Dana\n")


def _to(messages: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in messages if address in str(m["To"])]


def test_an_agents_forward_becomes_the_customers_ticket(mail: Any) -> None:  # noqa: F811
    c = bootstrap.container()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana Müller", role=Role.AGENT))
    forwarded = mail.compose(sender="Jana Müller <jana@acme.example>", subject="Fwd: Printer jammed", body=FORWARD,
                             message_id="fwd-1@acme.example")
    result = mail.deliver(forwarded, "ses-fwd", verdicts=PASSED)
    assert result["status"] == "created"
    ticket = c.ticket_service.get(ADMIN, result["ticket_id"])
    assert (ticket.requester.email, ticket.requester.name, ticket.subject) == (
        "dana@customer.example", "Dana Example", "Printer jammed")
    assert ticket.description == "The printer on floor 3 jams.\nThanks, Dana"
    assert ticket.participants == ["dana@customer.example"]  # not the agent, not the forward's recipients
    created, note = c.ticket_service.events(ADMIN, ticket.id)[:2]
    assert (created.data["forwarded_by"], created.data["from"]) == (jana.id, "dana@customer.example")
    assert (note.type.value, note.data["body"], note.data["author_name"]) == (
        "internal_note", "Can you take this one? She is a key account.", "Jana Müller")
    [receipt] = _to(mail.sent(), "dana@customer.example")  # the customer learns the number and can answer
    assert receipt["In-Reply-To"] is None  # the forward's Message-ID is the agent's mail, unknown to her
    answer = mail.compose(subject=str(receipt["Subject"]), message_id="dana-2@customer.example",
                          in_reply_to=str(receipt["Message-ID"]).strip("<>"), body="It is the HP.\n")
    assert mail.deliver(answer, "ses-d2")["ticket_id"] == ticket.id

    # A retried delivery writes nothing twice.
    assert mail.deliver(forwarded, "ses-fwd", verdicts=PASSED)["status"] == "duplicate"
    assert [e.type.value for e in c.ticket_service.events(ADMIN, ticket.id)].count("internal_note") == 1


def test_only_an_authenticated_teammates_forward_is_read_as_the_customers(mail: Any) -> None:  # noqa: F811
    c = bootstrap.container()
    c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana Müller", role=Role.AGENT))
    unchecked = mail.deliver(mail.compose(sender="jana@acme.example", subject="Fwd: Printer jammed", body=FORWARD,
                                          message_id="fwd-2@acme.example"), "ses-gray",
                             verdicts={"spf": "GRAY", "dkim": "GRAY", "dmarc": "GRAY"})
    assert c.ticket_service.get(ADMIN, unchecked["ticket_id"]).requester.email == "jana@acme.example"
    stranger = mail.deliver(mail.compose(sender="bob@elsewhere.example", subject="Fwd: Printer jammed", body=FORWARD,
                                         message_id="fwd-3@elsewhere.example"), "ses-bob", verdicts=PASSED)
    assert c.ticket_service.get(ADMIN, stranger["ticket_id"]).requester.email == "bob@elsewhere.example"


def test_a_mail_forwarded_as_an_attachment_is_read_too(mail: Any) -> None:  # noqa: F811
    """Outlook's "Forward as attachment": the customer's mail rides whole (message/rfc822); it is the ticket, the
    agent's words the note, and the original stays on the ticket as a file."""
    c = bootstrap.container()
    c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana Müller", role=Role.AGENT))
    original = EmailMessage()
    original["From"] = "Karl Kunde <karl@kunde.example>"
    original["To"] = "jana@acme.example"
    original["Subject"] = "Rechnung doppelt"
    original["Message-ID"] = "<karl-1@kunde.example>"
    original.set_content("Wir wurden im November zweimal belastet.\n")
    outer = EmailMessage()
    outer["From"] = "Jana Müller <jana@acme.example>"
    outer["To"] = "support@acme.example"
    outer["Subject"] = "FW: Rechnung doppelt"
    outer["Message-ID"] = "<fwd-att-1@acme.example>"
    outer.set_content("Bitte übernehmen.\n")
    outer.add_attachment(original)
    result = mail.deliver(outer.as_bytes(), "ses-att", verdicts=PASSED)
    ticket = c.ticket_service.get(ADMIN, result["ticket_id"])
    assert (ticket.requester.email, ticket.subject, ticket.description) == (
        "karl@kunde.example", "Rechnung doppelt", "Wir wurden im November zweimal belastet.")
    created, note = c.ticket_service.events(ADMIN, ticket.id)[:2]
    assert note.data["body"] == "Bitte übernehmen."
    assert [a["content_type"] for a in created.data["attachments"]] == ["message/rfc822"]

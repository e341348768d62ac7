"""An agent writes to a customer from their own mail and copies the support address to keep the conversation
(Zammad's and Zendesk's "an agent CCs the helpdesk"). Before, the agent became the ticket's customer: the receipt
went to them, the ticket waited as new for a first response, and the AI read their words as the request. Now the
ticket is the customer's, the agent's mail its first message in the agent's name (not mailed again), pending; the
customer's reply-all threads in and opens it (the real email_ingest and email_send handlers on moto)."""

from email.message import EmailMessage
from typing import Any

from helpdesk import bootstrap
from helpdesk.directory.model import NewUser
from helpdesk.kernel.principal import Principal, Role
from tests.integration.mail.conftest import (
    SUPPORT,
    mail,  # noqa: F401 (the fixture)
)

ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)
PASSED = {"spf": "PASS", "dkim": "PASS", "dmarc": "PASS"}
QUOTE = "Hi Bob, as promised on the phone: 40 licences come to 4,800 EUR a year. Shall I send the contract?\n"


def _quote_mail(sender: str = "Alice Agent <alice@acme.example>", cc: str = f"{SUPPORT}, Carol <carol@buyer.example>",
                message_id: str = "alice-cc-1@acme.example") -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Cc"] = sender, "Bob Buyer <bob@buyer.example>", cc
    msg["Subject"], msg["Message-ID"] = "Your quote for 40 licences", f"<{message_id}>"
    msg.set_content(QUOTE)
    return msg.as_bytes()


def _to(messages: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in messages if address in str(m["To"])]


def test_an_agents_mail_to_a_customer_copied_to_support_is_the_customers_ticket(mail: Any) -> None:  # noqa: F811
    c = bootstrap.container()
    alice = c.directory.create_user(ADMIN, NewUser(email="alice@acme.example", name="Alice Agent", role=Role.AGENT))
    c.directory.create_user(ADMIN, NewUser(email="dan@acme.example", name="Dan", role=Role.AGENT))
    result = mail.deliver(_quote_mail(cc=f"{SUPPORT}, Carol <carol@buyer.example>, dan@acme.example"), "ses-cc-1",
                          verdicts=PASSED)
    assert result["status"] == "created"
    ticket = c.ticket_service.get(ADMIN, result["ticket_id"])
    assert (ticket.requester.email, ticket.requester.name) == ("bob@buyer.example", "Bob Buyer")
    assert ticket.participants == ["bob@buyer.example", "carol@buyer.example"]  # not the agent, not a teammate
    assert ticket.status.value == "pending"  # the team waits for Bob
    created = c.ticket_service.events(ADMIN, ticket.id)[0]
    assert (created.actor, created.data["written_by_agent"], created.data["author_name"]) == (
        alice.id, alice.id, "Alice Agent")
    assert ticket.description == QUOTE.strip()
    # the team spoke first: the first response, and the queue's latest line is the team's
    assert ticket.first_response_at == ticket.created_at
    assert ticket.latest_message is not None
    assert ticket.latest_message.from_customer is False
    mail.stream()
    assert not _to(mail.sent(), "alice@acme.example")  # no receipt to the agent
    assert not _to(mail.sent(), "bob@buyer.example")  # Bob has Alice's mail already: nothing mailed again

    # Bob answers all: it threads in by Alice's Message-ID and opens the ticket for the team
    answer = EmailMessage()
    answer["From"], answer["To"], answer["Cc"] = "Bob Buyer <bob@buyer.example>", "alice@acme.example", SUPPORT
    answer["Subject"], answer["Message-ID"] = "Re: Your quote for 40 licences", "<bob-1@buyer.example>"
    answer["In-Reply-To"] = answer["References"] = "<alice-cc-1@acme.example>"
    answer.set_content("Yes please, send it.\n")
    assert mail.deliver(answer.as_bytes(), "ses-cc-2")["ticket_id"] == ticket.id
    assert c.ticket_service.get(ADMIN, ticket.id).status.value == "open"


def test_only_an_authenticated_teammate_to_someone_else_is_read_so(mail: Any) -> None:  # noqa: F811
    c = bootstrap.container()
    c.directory.create_user(ADMIN, NewUser(email="alice@acme.example", name="Alice Agent", role=Role.AGENT))
    unchecked = mail.deliver(_quote_mail(message_id="a-2@acme.example"), "ses-cc-gray",
                             verdicts={"spf": "GRAY", "dkim": "GRAY", "dmarc": "GRAY"})
    assert c.ticket_service.get(ADMIN, unchecked["ticket_id"]).requester.email == "alice@acme.example"
    stranger = mail.deliver(_quote_mail(sender="Eve <eve@elsewhere.example>", message_id="e-2@elsewhere.example"),
                            "ses-cc-eve", verdicts=PASSED)
    assert c.ticket_service.get(ADMIN, stranger["ticket_id"]).requester.email == "eve@elsewhere.example"
    to_us_only = EmailMessage()  # a teammate's own request to the support address: no customer to write to
    to_us_only["From"], to_us_only["To"], to_us_only["Subject"] = "alice@acme.example", SUPPORT, "Printer on floor 2"
    to_us_only["Message-ID"] = "<a-3@acme.example>"
    to_us_only.set_content("It is out of toner.\n")
    own = mail.deliver(to_us_only.as_bytes(), "ses-cc-own", verdicts=PASSED)
    assert c.ticket_service.get(ADMIN, own["ticket_id"]).requester.email == "alice@acme.example"


def test_an_agents_reply_all_to_a_customers_mail_is_their_message_on_its_ticket(mail: Any) -> None:  # noqa: F811
    """The customer mailed support and the agent; the agent answers all from their own mail. Before, that opened a
    second ticket with the agent as its customer. Now it is the agent's public message on the customer's ticket,
    kept as the mail it was: nothing is mailed again."""
    c = bootstrap.container()
    alice = c.directory.create_user(ADMIN, NewUser(email="alice@acme.example", name="Alice Agent", role=Role.AGENT))
    question = EmailMessage()
    question["From"], question["To"], question["Cc"] = "Bob Buyer <bob@buyer.example>", SUPPORT, "alice@acme.example"
    question["Subject"], question["Message-ID"] = "Price for 40 licences?", "<bob-q@buyer.example>"
    question.set_content("What would 40 licences cost?\n")
    opened = mail.deliver(question.as_bytes(), "ses-q-1")
    mail.stream()
    sent_before = len(mail.sent())

    answer = EmailMessage()
    answer["From"], answer["To"], answer["Cc"] = "Alice Agent <alice@acme.example>", "bob@buyer.example", SUPPORT
    answer["Subject"], answer["Message-ID"] = "Re: Price for 40 licences?", "<alice-a@acme.example>"
    answer["In-Reply-To"] = answer["References"] = "<bob-q@buyer.example>"
    answer.set_content("4,800 EUR a year.\n\nOn Monday Bob wrote:\n> What would 40 licences cost?\n")
    result = mail.deliver(answer.as_bytes(), "ses-q-2", verdicts=PASSED)
    assert (result["status"], result["ticket_id"]) == ("appended", opened["ticket_id"])
    [message] = [e for e in c.ticket_service.events(ADMIN, opened["ticket_id"]) if e.type.value == "public_message"]
    assert (message.actor, message.data["body"], message.data["written_by_agent"]) == (
        alice.id, "4,800 EUR a year.", alice.id)
    assert "alice@acme.example" not in c.ticket_service.get(ADMIN, opened["ticket_id"]).participants  # a teammate
    ticket = c.ticket_service.get(ADMIN, opened["ticket_id"])
    assert ticket.first_response_at is not None  # the team answered
    mail.stream()
    assert len(mail.sent()) == sent_before  # Bob has Alice's mail: nothing mailed again
    # unvouched, the same mail is not the agent's word on the ticket
    unvouched = mail.deliver(answer.as_bytes().replace(b"alice-a@", b"alice-b@"), "ses-q-3",
                             verdicts={"spf": "GRAY", "dkim": "GRAY", "dmarc": "GRAY"})
    assert unvouched["ticket_id"] != opened["ticket_id"]

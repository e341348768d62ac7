"""Side conversations: an agent mails an internal note to someone outside the ticket (a supplier) through the real
ticket_commands handler, email_send sends it, and the supplier's answer comes back through email_ingest as an
internal note the customer never sees; the assignee is told (all on moto)."""

from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

from helpdesk import bootstrap
from helpdesk.directory.model import NewUser
from helpdesk.kernel.principal import Principal, Role
from helpdesk.tickets.model import Status
from helpdesk.tickets.service import UpdateTicket, as_seen_by
from tests.conftest import claims, http_event
from tests.integration.mail.conftest import SUPPORT, mail  # noqa: F401 (the fixture)

ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)
PASSED = {"spf": "PASS", "dkim": "PASS", "dmarc": "PASS"}
SUPPLIER = "orders@supplier.example"
CUSTOMER = Principal(user_id="email:dana@customer.example", tenant_id="acme", role=Role.CUSTOMER,
                     email="dana@customer.example", email_verified=True)


def _to(messages: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in messages if address in str(m["To"])]


def _text(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")


def _id(message: EmailMessage) -> str:
    return str(message["Message-ID"]).strip("<>")


def test_a_note_mailed_to_a_supplier_and_the_answer_back_as_a_note(
        mail: Any, invoke: Callable[..., dict[str, Any]]) -> None:  # noqa: F811
    c = bootstrap.container()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana Müller", role=Role.AGENT))
    agent = claims(jana.id, "acme", "agent", email="jana@acme.example")
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(assignee_id=jana.id))

    def note(body: dict[str, Any], who: dict[str, Any] = agent) -> dict[str, Any]:
        return invoke("ticket_commands", http_event("POST", f"/tickets/{ticket_id}/messages", body=body,
                                                    claims_=who))

    posted = note({"body": "Hello, do you have tray 2 rollers for the LX-300 in stock?", "public": False,
                   "mail_to": ["Orders@Supplier.example"], "status": "on_hold"})  # waiting for the supplier
    assert posted["statusCode"] == 201, posted["json"]
    assert (posted["json"]["type"], posted["json"]["data"]["mail_to"]) == ("internal_note", [SUPPLIER])
    assert mail.stream() == {"batchItemFailures": []}
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}  # a retried batch sends nothing twice
    held = c.ticket_service.get(ADMIN, ticket_id)
    assert (held.status, as_seen_by(CUSTOMER, held).status) == (Status.ON_HOLD, Status.OPEN)  # theirs is in work
    assert (held.side_contacts, as_seen_by(CUSTOMER, held).side_contacts) == ([SUPPLIER], [])  # in the note's write
    [side] = _to(mail.sent(), SUPPLIER)
    assert side["Subject"] == "[T-000001] Printer jammed"  # a bare number: it threads nothing by itself
    assert side["From"].addresses[0].addr_spec == SUPPORT
    assert side["From"].addresses[0].display_name == "Jana Müller"
    assert side["In-Reply-To"] is None
    text = _text(side)
    assert text.startswith("Hello, do you have tray 2 rollers for the LX-300 in stock?")
    assert "floor 3" not in text  # nothing of the customer's goes out unless the agent writes it
    assert not [m for m in _to(mail.sent(), "dana@customer.example") if "rollers" in _text(m)]

    # The supplier answers: an internal note in their name; the customer sees nothing of it; the assignee is told.
    answer = mail.compose(sender="Supplier Orders <orders@supplier.example>", subject=f"Re: {side['Subject']}",
                          message_id="s1@supplier.example", in_reply_to=_id(side),
                          body="Yes, 40 in stock, shipping today.\n\n> Hello, do you have tray 2 rollers\n")
    result = mail.deliver(answer, "ses-s1", verdicts=PASSED)
    assert (result["status"], result["ticket_id"]) == ("appended", ticket_id)
    last, reopened = c.ticket_service.events(ADMIN, ticket_id)[-2:]
    assert (reopened.type.value, reopened.data["from"], reopened.data["to"]) == ("status_changed", "on_hold", "open")
    assert (last.type.value, last.actor, last.data["body"]) == (
        "internal_note", "email", "Yes, 40 in stock, shipping today.")
    assert (last.data["side_reply"], last.data["from"], last.data["author_name"]) == (
        True, SUPPLIER, "Supplier Orders")
    shown = c.ticket_service.events(CUSTOMER, ticket_id)
    assert [(e.data["from"], e.data["to"]) for e in shown if e.type.value == "status_changed"] == [("new", "open")]
    seen = str([e.data for e in shown])
    assert "40 in stock" not in seen
    assert "rollers" not in seen
    assert c.ticket_service.get(ADMIN, ticket_id).status == Status.OPEN  # what the hold waited for: open again
    assert mail.stream() == {"batchItemFailures": []}
    _assigned, told = _to(mail.sent(), "jana@acme.example")
    assert told["Subject"] == "[T-000001] Supplier Orders answered: Printer jammed"
    assert "> Yes, 40 in stock, shipping today." in _text(told)
    assert "Reply to this mail to add an internal note" in _text(told)

    # Jana's mail answer to that notice is a note for the team, never a reply to the customer.
    hers = mail.compose(sender="jana@acme.example", subject=f"Re: {told['Subject']}", message_id="j1@acme.example",
                        in_reply_to=_id(told), body="Great, I will tell Dana.\n")
    assert mail.deliver(hers, "ses-j1", verdicts=PASSED)["status"] == "appended"
    assert c.ticket_service.events(ADMIN, ticket_id)[-1].type.value == "internal_note"

    # The next note to the supplier answers their mail; their answer to it threads in as well.
    second_note = {"body": "Please send 2 to Dana's office.", "public": False, "mail_to": [SUPPLIER]}
    assert note(second_note)["statusCode"] == 201
    assert mail.stream() == {"batchItemFailures": []}
    first, second = _to(mail.sent(), SUPPLIER)
    assert second["In-Reply-To"] == "<s1@supplier.example>"
    assert str(second["References"]).split() == [f"<{_id(first)}>", "<s1@supplier.example>"]
    again = mail.compose(sender=SUPPLIER, subject=f"Re: {second['Subject']}", message_id="s2@supplier.example",
                         in_reply_to=_id(second), body="Sent, tracking 123.\n")
    assert mail.deliver(again, "ses-s2", verdicts=PASSED)["ticket_id"] == ticket_id
    assert c.ticket_service.events(ADMIN, ticket_id)[-1].data["body"] == "Sent, tracking 123."

    # The customer's thread is theirs: a public reply answers Dana's mail, not the supplier's.
    assert note({"body": "Rollers are on their way.", "public": True})["statusCode"] == 201
    assert mail.stream() == {"batchItemFailures": []}
    reply = next(m for m in _to(mail.sent(), "dana@customer.example") if "on their way" in _text(m))
    assert reply["In-Reply-To"] == "<first@customer.example>"
    assert "supplier.example" not in str(reply["References"])

    # Someone the supplier forwarded it to is not in the conversation: a mail like any other (a new ticket).
    other = mail.compose(sender="boss@supplier.example", subject=f"Re: {side['Subject']}",
                         message_id="b1@supplier.example", in_reply_to=_id(side), body="Who are you?\n")
    assert mail.deliver(other, "ses-b1", verdicts=PASSED)["status"] == "created"

    # A closed ticket takes no more notes: the answer is held with the reason, not lost.
    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(status=Status.CLOSED))
    late = mail.compose(sender=SUPPLIER, subject="Re: late", message_id="s3@supplier.example",
                        in_reply_to=_id(second), body="Invoice attached.\n")
    held = mail.deliver(late, "ses-s3", verdicts=PASSED)
    assert (held["status"], held["reason"]) == ("quarantined", "side_reply_refused")


def test_a_mailed_note_names_people_outside_the_ticket(
        mail: Any, invoke: Callable[..., dict[str, Any]]) -> None:  # noqa: F811
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    agent = claims("a1", "acme", "agent")

    def refused(body: dict[str, Any], who: dict[str, Any] = agent) -> tuple[int, dict[str, Any]]:
        response = invoke("ticket_commands", http_event("POST", f"/tickets/{ticket_id}/messages", body=body,
                                                        claims_=who))
        return response["statusCode"], response["json"]

    status, problem = refused({"body": "x", "public": True, "mail_to": [SUPPLIER]})
    assert status == 422
    assert "internal note" in str(problem)
    status, problem = refused({"body": "x", "public": False, "mail_to": ["dana@customer.example"]})
    assert (status, problem["error"]["details"]) == (400, {"field": "mail_to", "address": "dana@customer.example"})
    assert "public reply reaches them" in problem["error"]["message"]
    status, problem = refused({"body": "x", "public": False, "mail_to": [SUPPORT.upper()]})
    assert status == 400
    assert "support addresses" in problem["error"]["message"]
    status, problem = refused({"body": "x", "public": False, "mail_to": ["not an address"]})
    assert status == 422
    assert "not an e-mail address" in str(problem)
    status, _ = refused({"body": "x", "public": False, "mail_to": [f"p{n}@supplier.example" for n in range(11)]})
    assert status == 422
    customer = claims("email:dana@customer.example", "acme", "customer", email="dana@customer.example")
    status, _ = refused({"body": "x", "public": False, "mail_to": [SUPPLIER]}, customer)
    assert status == 403
    assert [e.type.value for e in bootstrap.container().ticket_service.events(ADMIN, ticket_id)] == ["created"]
    assert mail.stream() == {"batchItemFailures": []}
    assert _to(mail.sent(), SUPPLIER) == []

"""A trigger's reply and note (`actions.reply`, `actions.note`): a time trigger that asks a customer who went quiet
whether they still need help, swept by the scheduled function, reaches them by mail (the real email_send handler on
moto) in the ticket's thread, marked automatic, once; its note stays with the team."""

from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from helpdesk import bootstrap
from helpdesk.kernel.principal import Principal, Role
from helpdesk.mail.local import plain_text
from helpdesk.tickets.service import UpdateTicket
from helpdesk.triggers.model import TriggerList
from tests.conftest import rebuild
from tests.integration.mail.conftest import mail  # noqa: F401 (the fixture)

if TYPE_CHECKING:
    from helpdesk.bootstrap import Container

ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)
STILL_THERE = {"id": "still-there", "name": "Ask the quiet ones", "after": {"hours": 72, "since": "team_message"},
               "conditions": {"statuses": ["pending"], "without_tags": ["asked"]},
               "actions": {"add_tags": ["asked"], "note": "Asked {{ requester.first_name }} after 3 quiet days.",
                           "reply": "Hello {{ requester.first_name }},\n\ndo you still need help with "
                                    "{{ ticket.number }}? Just reply to this mail."}}


def _text(message: EmailMessage) -> str:
    return plain_text(message).replace("\r\n", "\n")


def _waiting_on_the_customer(world: Any, trigger: dict[str, Any]) -> tuple["Container", str, datetime, int]:
    """`trigger` set, a mailed ticket the team answered and set pending (its mails sent): the container, the
    ticket, when the team last wrote, and how many mails were sent before the trigger's time."""
    c = rebuild()
    c.triggers.replace(ADMIN, TriggerList.model_validate({"triggers": [trigger]}))
    ticket_id = world.deliver(world.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    c.ticket_service.add_message(ADMIN, ticket_id, "Which printer model is it?", public=True)
    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(status="pending"))
    assert world.stream() == {"batchItemFailures": []}
    late = c.ticket_service.get(ADMIN, ticket_id).last_agent_message_at
    assert late is not None
    return c, ticket_id, late, len(world.sent())


def test_a_quiet_customer_is_asked_by_mail_marked_automatic_once(mail: Any) -> None:  # noqa: F811
    c, ticket_id, late, before = _waiting_on_the_customer(mail, STILL_THERE)
    swept = bootstrap.container().time_triggers.run(late + timedelta(hours=73))
    assert swept.acted == 1
    assert mail.stream() == {"batchItemFailures": []}
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}  # once
    [asked] = [m for m in mail.sent()[before:] if m["To"] == "dana@customer.example"]
    assert "do you still need help with T-000001? Just reply to this mail." in _text(asked)
    assert _text(asked).startswith("Hello Dana,")
    assert (asked["Auto-Submitted"], asked["X-Auto-Response-Suppress"]) == ("auto-replied", "All")
    assert asked["In-Reply-To"]  # in the ticket's thread
    after = c.ticket_service.get(ADMIN, ticket_id)
    assert (after.status.value, "asked" in after.tags) == ("pending", True)  # the team's reply keeps it waiting
    events = c.ticket_service.events(ADMIN, ticket_id)
    [note] = [e for e in events if e.type.value == "internal_note" and e.actor == "trigger"]
    assert note.data["body"] == "Asked Dana after 3 quiet days."
    assert bootstrap.container().time_triggers.run(late + timedelta(hours=200)).acted == 0  # tagged asked


def test_a_trigger_written_in_markdown_mails_its_reply_formatted(mail: Any) -> None:  # noqa: F811
    asked = {**STILL_THERE, "actions": {"note": "Asked after 3 quiet days.", "format": "markdown",
                                        "reply": "Hello {{ requester.first_name }},\n\n- **still** stuck?\n- reply"}}
    c, ticket_id, late, before = _waiting_on_the_customer(mail, asked)
    assert bootstrap.container().time_triggers.run(late + timedelta(hours=73)).acted == 1
    assert mail.stream() == {"batchItemFailures": []}
    [sent] = [m for m in mail.sent()[before:] if m["To"] == "dana@customer.example"]
    html = sent.get_body(("html",))
    assert html is not None
    assert "<li><strong>still</strong> stuck?</li>" in html.get_content()
    written = [e for e in c.ticket_service.events(ADMIN, ticket_id) if e.actor == "trigger" and "body" in e.data]
    assert {e.data.get("format") for e in written} == {"markdown"}  # the reply and the note

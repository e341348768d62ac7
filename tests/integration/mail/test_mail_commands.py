"""An agent answering a notification by mail changes the ticket with commands at the top of the answer
(`#status pending`, `#priority high`, `#assignee`, `#tags`, `#note`), as the console's reply box would; through the
real email_ingest and email_send handlers on moto. Before, a mailed answer could only reply: the agent opened the
console to set the ticket pending."""

from email.message import EmailMessage
from typing import Any

from helpdesk.directory.model import NewGroup, NewUser
from helpdesk.kernel.principal import Principal, Role
from helpdesk.mail.local import plain_text
from helpdesk.tickets.service import UpdateTicket
from tests.conftest import rebuild
from tests.iam_calls import Call, denied
from tests.integration.mail.conftest import mail  # noqa: F401 (the fixture)

ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)
PASSED = {"spf": "PASS", "dkim": "PASS", "dmarc": "PASS"}


def _to(messages: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in messages if m["To"] == address]


class Desk:
    """Dana's mailed ticket, assigned to Jana, who got the notification mail she answers."""

    def __init__(self, world: Any) -> None:
        self.mail, self.c = world, rebuild()
        self.jana = self.c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana",
                                                                 role=Role.AGENT))
        self.otto = self.c.directory.create_user(ADMIN, NewUser(email="otto@acme.example", name="Otto",
                                                                 role=Role.AGENT))
        self.ticket_id = world.deliver(world.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
        self.c.ticket_service.update(ADMIN, self.ticket_id, UpdateTicket(assignee_id=self.jana.id))
        assert world.stream() == {"batchItemFailures": []}
        [self.notice] = _to(world.sent(), "jana@acme.example")

    def answer(self, body: str, n: int) -> dict[str, Any]:
        raw = self.mail.compose(sender="Jana <jana@acme.example>", subject=f"Re: {self.notice['Subject']}",
                                message_id=f"r{n}@acme.example",
                                in_reply_to=str(self.notice["Message-ID"]).strip("<>"),
                                body=f"{body}\n\nOn Mon, Support <support@acme.example> wrote:\n> assigned to you\n")
        result: dict[str, Any] = self.mail.deliver(raw, f"ses-r{n}", verdicts=PASSED)
        return result

    def events(self) -> list[Any]:
        return self.c.ticket_service.events(ADMIN, self.ticket_id)

    def ticket(self) -> Any:
        return self.c.ticket_service.get(ADMIN, self.ticket_id)


def test_the_notification_says_how_and_a_reply_sets_status_priority_and_tags(mail: Any) -> None:  # noqa: F811
    desk = Desk(mail)
    assert "start your reply with one line per change: #status pending" in plain_text(desk.notice)
    result = desk.answer("#status pending\n#priority high\n#tags vip\n\nHi Dana, open tray 2 and tell me.", 1)
    assert result["status"] == "appended"
    ticket = desk.ticket()
    assert (ticket.status.value, ticket.priority.value) == ("pending", "high")
    assert "vip" in ticket.tags
    reply = [e for e in desk.events() if e.type.value == "public_message"][-1]
    assert (reply.actor, reply.data["body"]) == (desk.jana.id, "Hi Dana, open tray 2 and tell me.")
    # the status went with the reply (one write, as "send and set pending"), then priority and tags in her name
    status = next(e for e in desk.events() if e.type.value == "status_changed" and e.data["to"] == "pending")
    assert status.seq // 1000 == reply.seq // 1000
    assert {e.actor for e in desk.events() if e.type.value in {"priority_changed", "tags_changed"}} == {desk.jana.id}
    assert mail.stream() == {"batchItemFailures": []}
    out = _to(mail.sent(), "dana@customer.example")[-1]
    assert "open tray 2" in plain_text(out)
    assert "#status" not in plain_text(out)  # the commands never reach the customer


def test_a_note_handing_the_ticket_to_a_teammate(mail: Any, recorded: list[Call]) -> None:  # noqa: F811
    desk = Desk(mail)
    recorded.clear()
    desk.answer("#note\n#assignee otto@acme.example\nOtto, this one is a network matter.", 1)
    assert denied("EmailIngestFunction", recorded) == []  # the directory and trigger reads a change makes
    note = [e for e in desk.events() if e.type.value == "internal_note"][-1]
    assert (note.actor, note.data["body"]) == (desk.jana.id, "Otto, this one is a network matter.")
    assert desk.ticket().assignee_id == desk.otto.id
    assert not [e for e in desk.events() if e.type.value == "public_message" and e.actor == desk.jana.id]


def test_what_cannot_apply_is_said_in_a_team_note_and_the_answer_still_goes(mail: Any) -> None:  # noqa: F811
    desk = Desk(mail)
    desk.answer("#status done\n#assignee nobody@acme.example\nHi Dana, looking into it.", 1)
    reply = [e for e in desk.events() if e.type.value == "public_message"][-1]
    assert reply.data["body"] == "Hi Dana, looking into it."
    [refusal] = [e for e in desk.events() if e.type.value == "internal_note"]
    assert "Mail commands not applied" in refusal.data["body"]
    assert "#status done: not a value it takes" in refusal.data["body"]
    assert "#assignee nobody@acme.example: no active teammate has this address" in refusal.data["body"]
    assert desk.ticket().assignee_id == desk.jana.id


def test_commands_alone_change_the_ticket_without_a_message(mail: Any) -> None:  # noqa: F811
    desk = Desk(mail)
    before = len([e for e in desk.events() if e.type.value in {"public_message", "internal_note"}])
    assert desk.answer("#status solved", 1)["status"] == "appended"
    assert desk.ticket().status.value == "resolved"
    assert len([e for e in desk.events() if e.type.value in {"public_message", "internal_note"}]) == before
    # the same mail delivered again changes nothing more
    written = len(desk.events())
    assert desk.answer("#status solved", 1)["status"] == "duplicate"
    assert len(desk.events()) == written


def test_a_group_and_a_teammate_named_by_handle(mail: Any, recorded: list[Call]) -> None:  # noqa: F811
    desk = Desk(mail)
    desk.c.directory.create_group(ADMIN, NewGroup(id="network", name="Network", members=[desk.otto.id]))
    recorded.clear()
    desk.answer("#group network\n#assignee @otto\n#note\nOtto, the switch again.", 1)
    assert denied("EmailIngestFunction", recorded) == []  # the group and the handle read in the directory
    ticket = desk.ticket()
    assert (ticket.group, ticket.assignee_id) == ("network", desk.otto.id)
    desk.answer("#group nosuch\n#assignee @nobody\nStill on it.", 2)
    refusal = [e for e in desk.events() if e.type.value == "internal_note" and e.actor == "email"][-1]
    assert "#assignee @nobody: no active teammate has this handle" in refusal.data["body"]
    assert "#group nosuch: no group 'nosuch' in this tenant" in refusal.data["body"]
    assert desk.ticket().group == "network"

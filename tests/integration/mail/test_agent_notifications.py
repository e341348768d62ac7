"""Agents are told by mail of a ticket someone else assigned to them and of a customer's new message on a ticket
assigned to them: in their language, once per event, linked to the console (the real email_send handler on moto)."""

from email.message import EmailMessage
from typing import Any

import pytest

from helpdesk.directory.model import NewUser, UserChange
from helpdesk.kernel.principal import Principal, Role
from helpdesk.mail.local import plain_text
from helpdesk.tickets.service import UpdateTicket
from tests.conftest import rebuild
from tests.integration.mail.conftest import SUPPORT, mail  # noqa: F401 (the fixture)

ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)


def _to(messages: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in messages if m["To"] == address]


def _text(message: EmailMessage) -> str:
    return plain_text(message).replace("\r\n", "\n")


def test_an_agent_hears_of_an_assignment_and_of_the_customers_next_message(
        mail: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setenv("HELPDESK_CONSOLE_URL", "https://help.acme.example/console/")
    monkeypatch.setenv("HELPDESK_REPORTS_CSAT_SECRET", "test-csat-secret-of-32-characters!")  # rating links
    c = rebuild()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana Müller", role=Role.AGENT,
                                                  language="de"))
    ada = c.directory.create_user(ADMIN, NewUser(email="ada@acme.example", name="Ada Lovelace", role=Role.ADMIN))
    by_ada = Principal(user_id=ada.id, tenant_id="acme", role=Role.ADMIN, name="Ada Lovelace")
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    c.ticket_service.update(by_ada, ticket_id, UpdateTicket(assignee_id=jana.id))
    assert mail.stream() == {"batchItemFailures": []}

    [assigned] = _to(mail.sent(), "jana@acme.example")
    assert assigned["Subject"] == "[T-000001] Ihnen zugewiesen: Printer jammed"
    assert assigned["Auto-Submitted"] == "auto-replied"  # robots (and our own ingest) leave it alone
    assert assigned["From"].addresses[0].addr_spec == SUPPORT
    text = _text(assigned)
    assert "Ada Lovelace hat Ihnen das Ticket T-000001 „Printer jammed“ zugewiesen." in text
    assert f"In der Konsole öffnen: https://help.acme.example/console/#/t/{ticket_id}\n" in text

    # The customer writes again: the assignee reads it in the mail, quoted; a retried batch sends nothing twice.
    reply = mail.compose(message_id="second@customer.example", in_reply_to="first@customer.example",
                         subject=f"Re: [{mail.tag(1)}] Printer jammed", body="Still jammed.\nTray 2 now too.\n")
    assert mail.deliver(reply, "ses-b")["ticket_id"] == ticket_id
    assert mail.stream() == {"batchItemFailures": []}
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}
    assigned_again, second = _to(mail.sent(), "jana@acme.example")
    assert assigned_again["Message-ID"] == assigned["Message-ID"]
    assert second["Subject"] == "[T-000001] Neue Nachricht des Kunden: Printer jammed"
    assert "> Still jammed.\n> Tray 2 now too.\n" in _text(second)

    # Nobody is told of what they did themselves, nor of an agent's reply, nor when the assignee left the team.
    by_jana = Principal(user_id=jana.id, tenant_id="acme", role=Role.AGENT)
    c.ticket_service.add_message(by_jana, ticket_id, "Please restart it.", public=True)
    c.ticket_service.update(by_jana, ticket_id, UpdateTicket(assignee_id=ada.id))
    c.ticket_service.update(by_ada, ticket_id, UpdateTicket(assignee_id=ada.id))  # unchanged: no event
    assert mail.stream() == {"batchItemFailures": []}
    assert len(_to(mail.sent(), "jana@acme.example")) == 2
    told = _to(mail.sent(), "ada@acme.example")
    assert [m["Subject"] for m in told] == ["[T-000001] Assigned to you: Printer jammed"]  # no language: English
    assert "Jana Müller assigned ticket T-000001 “Printer jammed” to you." in _text(told[0])

    # The customer marks it solved in the portal: the assignee (Ada now) hears of it; an agent resolving it does
    # not make such a mail.
    from helpdesk.tickets.model import Status

    dana = Principal(user_id="dana", tenant_id="acme", role=Role.CUSTOMER, email="dana@customer.example",
                     email_verified=True)
    c.ticket_service.update(dana, ticket_id, UpdateTicket(status=Status.RESOLVED))
    assert mail.stream() == {"batchItemFailures": []}
    solved = [m for m in _to(mail.sent(), "ada@acme.example") if "Solved by the customer" in str(m["Subject"])]
    assert [m["Subject"] for m in solved] == ["[T-000001] Solved by the customer: Printer jammed"]
    assert "Dana Example marked ticket T-000001 “Printer jammed”, which is assigned to you, as solved." in \
        _text(solved[0])
    c.ticket_service.update(by_ada, ticket_id, UpdateTicket(status=Status.OPEN))
    c.ticket_service.update(by_ada, ticket_id, UpdateTicket(status=Status.RESOLVED))
    assert mail.stream() == {"batchItemFailures": []}
    assert len([m for m in _to(mail.sent(), "ada@acme.example") if "Solved by" in str(m["Subject"])]) == 1

    # Dana rates the help from the rating mail's link: a good rating is no news, a bad one with her comment is
    # mailed to the assignee, who should follow it up.
    from helpdesk.reports.model import CsatInput

    token = c.csat_links.token("acme", ticket_id)
    c.csat_service.rate(token, CsatInput(rating="good"))
    c.csat_service.rate(token, CsatInput(rating="bad", comment="Nobody told me it was fixed."))
    assert mail.stream() == {"batchItemFailures": []}
    [rated] = [m for m in _to(mail.sent(), "ada@acme.example") if "Rated bad" in str(m["Subject"])]
    assert rated["Subject"] == "[T-000001] Rated bad: Printer jammed"
    assert "Dana Example rated the help on ticket T-000001 “Printer jammed”, which is assigned to you, as bad." in \
        _text(rated)
    assert "> Nobody told me it was fixed." in _text(rated)

    # Jana turns these mails off (an admin sets it in the directory): a new assignment is not mailed.
    c.directory.update_user(ADMIN, jana.id, UserChange(notify_by_mail=False))
    c.ticket_service.update(by_ada, ticket_id, UpdateTicket(assignee_id=jana.id))
    assert mail.stream() == {"batchItemFailures": []}
    assert len(_to(mail.sent(), "jana@acme.example")) == 2


def test_agents_who_ask_for_them_hear_of_new_tickets_in_their_groups(mail: Any) -> None:  # noqa: F811
    from helpdesk.directory.model import NewGroup, ProfileChange
    from helpdesk.kernel.principal import TicketAccess
    from helpdesk.tickets.model import Requester
    from helpdesk.tickets.service import CreateTicket

    c = rebuild()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana", role=Role.AGENT))
    otto = c.directory.create_user(ADMIN, NewUser(email="otto@acme.example", name="Otto", role=Role.AGENT))
    c.directory.create_group(ADMIN, NewGroup(name="Support", members=[jana.id, otto.id]))
    # Agents in no group and admins work the tickets no rule put in a group: those are their new tickets.
    kim = c.directory.create_user(ADMIN, NewUser(email="kim@acme.example", name="Kim", role=Role.AGENT))
    ada = c.directory.create_user(ADMIN, NewUser(email="ada@acme.example", name="Ada", role=Role.ADMIN))
    # ... but not an agent in no group limited to their groups' tickets: she may not open it.
    lea = c.directory.create_user(ADMIN, NewUser(email="lea@acme.example", name="Lea", role=Role.AGENT,
                                                 ticket_access=TicketAccess.GROUPS))
    for who in (jana, kim, ada, lea):
        c.directory.update_profile(Principal(user_id=who.id, tenant_id="acme", role=who.role),
                                   ProfileChange(notify_new_tickets=True, language="es" if who is jana else None))

    # A mail opens a ticket without a group: the general queue's watchers hear of it, the group's do not.
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    assert mail.stream() == {"batchItemFailures": []}
    assert _to(mail.sent(), "jana@acme.example") == _to(mail.sent(), "lea@acme.example") == []
    for address in ("kim@acme.example", "ada@acme.example"):
        [general] = _to(mail.sent(), address)
        assert general["Subject"] == "[T-000001] New ticket: Printer jammed"
        assert "opened ticket T-000001 “Printer jammed”; it is in no group and nobody has it yet:" in _text(general)
    # Routing it to the group is what makes it theirs; back and forth, it is news once per agent.
    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(group="support"))
    assert mail.stream() == {"batchItemFailures": []}
    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(group=None))
    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(group="support"))
    # A ticket opened straight into the group (an agent on the phone, an API client).
    by_otto = Principal(user_id=otto.id, tenant_id="acme", role=Role.AGENT, name="Otto")
    opened = c.ticket_service.create(by_otto, CreateTicket(subject="Phone call", description="Caller cannot log in.",
                                                           group="support", requester=Requester(id="cust-9")))
    assert mail.stream() == {"batchItemFailures": []}
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}

    assert len(_to(mail.sent(), "jana@acme.example")) == 2
    assert [e.data.get("to") for e in c.ticket_service.events(ADMIN, ticket_id)
            if e.type.value == "group_changed"] == ["support", None, "support"]
    told = {str(m["Subject"]): _text(m) for m in _to(mail.sent(), "jana@acme.example")}
    assert sorted(told) == ["[T-000001] Nuevo ticket: Printer jammed", f"[{opened.key}] Nuevo ticket: Phone call"]
    printer = told["[T-000001] Nuevo ticket: Printer jammed"]
    assert "ha abierto el ticket T-000001 «Printer jammed» en el grupo support" in printer
    assert "> The printer on floor 3 jams.\n" in printer
    assert _to(mail.sent(), "otto@acme.example") == []  # did not ask for them (and opened the second himself)
    assert len(_to(mail.sent(), "kim@acme.example")) == len(_to(mail.sent(), "ada@acme.example")) == 1

    # Taken, or moved on, by the time the stream reads the event: nobody is told.
    later = c.ticket_service.create(by_otto, CreateTicket(subject="Later", description="x", group="support",
                                                          requester=Requester(id="cust-9")))
    c.ticket_service.update(ADMIN, later.id, UpdateTicket(assignee_id=otto.id))
    assert mail.stream() == {"batchItemFailures": []}
    assert len(_to(mail.sent(), "jana@acme.example")) == 2


def test_a_group_assigning_by_load_says_why_in_the_mail(mail: Any) -> None:  # noqa: F811
    from helpdesk.directory.model import AssignmentMethod, NewGroup

    c = rebuild()
    otto = c.directory.create_user(ADMIN, NewUser(email="otto@acme.example", name="Otto", role=Role.AGENT))
    c.directory.create_group(ADMIN, NewGroup(name="Support", members=[otto.id], auto_assign=True,
                                             assignment=AssignmentMethod.LEAST_BUSY))
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    assert mail.stream() == {"batchItemFailures": []}
    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(group="support"))
    assert c.auto_assignment.on_change(None, c.ticket_service.get(ADMIN, ticket_id)) is not None
    assert mail.stream() == {"batchItemFailures": []}
    [assigned] = _to(mail.sent(), "otto@acme.example")
    assert "You had the fewest open tickets in the support queue: ticket T-000001 “Printer jammed” from " \
        in _text(assigned)


def test_a_group_that_assigns_automatically_tells_the_one_whose_turn_it_is(mail: Any) -> None:  # noqa: F811
    from helpdesk.directory.model import NewGroup, ProfileChange

    c = rebuild()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana", role=Role.AGENT,
                                                  language="de"))
    otto = c.directory.create_user(ADMIN, NewUser(email="otto@acme.example", name="Otto", role=Role.AGENT))
    c.directory.create_group(ADMIN, NewGroup(name="Support", members=[jana.id, otto.id], auto_assign=True))
    c.directory.update_profile(Principal(user_id=otto.id, tenant_id="acme", role=Role.AGENT),
                               ProfileChange(notify_new_tickets=True))
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    assert mail.stream() == {"batchItemFailures": []}

    # the ticket is routed to the group; the automatic assignment (its own stream) gives it to Jana
    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(group="support"))
    assert c.auto_assignment.on_change(None, c.ticket_service.get(ADMIN, ticket_id)) is not None
    assert mail.stream() == {"batchItemFailures": []}

    [assigned] = _to(mail.sent(), "jana@acme.example")
    assert assigned["Subject"] == "[T-000001] Ihnen zugewiesen: Printer jammed"
    text = _text(assigned)
    assert "Sie waren in der Warteschlange support an der Reihe: Das Ticket T-000001 „Printer jammed“ von " in text
    assert "> The printer on floor 3 jams.\n" in text
    assert _to(mail.sent(), "otto@acme.example") == []  # no "new ticket": it did not wait for anyone

    # with everyone away the group's tickets wait in the queue: then its watchers hear of new ones
    for who in (jana, otto):
        c.directory.update_profile(Principal(user_id=who.id, tenant_id="acme", role=Role.AGENT),
                                   ProfileChange(away=True))
    second = mail.deliver(mail.compose(message_id="second@customer.example", subject="Scanner broken"),
                          "ses-b")["ticket_id"]
    c.ticket_service.update(ADMIN, second, UpdateTicket(group="support"))
    assert c.auto_assignment.on_change(None, c.ticket_service.get(ADMIN, second)) is None
    assert mail.stream() == {"batchItemFailures": []}
    assert [m["Subject"] for m in _to(mail.sent(), "otto@acme.example")] == ["[T-000002] New ticket: Scanner broken"]


PASSED = {"spf": "PASS", "dkim": "PASS", "dmarc": "PASS"}


def test_an_agent_answers_the_customer_by_replying_to_the_notification(mail: Any) -> None:  # noqa: F811
    c = rebuild()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana Müller", role=Role.AGENT))
    c.directory.create_user(ADMIN, NewUser(email="otto@acme.example", name="Otto", role=Role.AGENT))
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(assignee_id=jana.id))
    assert mail.stream() == {"batchItemFailures": []}
    [notice] = _to(mail.sent(), "jana@acme.example")
    assert "Reply to this mail to answer Dana Example: your reply (without the quoted mail)" in _text(notice)
    notice_id = str(notice["Message-ID"]).strip("<>")

    def answer(sender: str, message_id: str) -> bytes:
        raw: bytes = mail.compose(sender=sender, subject=f"Re: {notice['Subject']}", message_id=message_id,
                                  in_reply_to=notice_id,
                                  body="Hi Dana, open tray 2 and take the sheet out.\n\n"
                                       "On Mon, 1 Dec 2026 at 10:00, Support <support@acme.example> wrote:\n"
                                       "> Ada assigned ticket T-000001 to you.\n")
        return raw

    # Jana's authenticated reply is hers on the ticket, public, without the quote, and goes out to Dana.
    result = mail.deliver(answer("Jana Müller <Jana@acme.example>", "r1@acme.example"), "ses-r1", verdicts=PASSED)
    assert (result["status"], result["ticket_id"]) == ("appended", ticket_id)
    last = [e for e in c.ticket_service.events(ADMIN, ticket_id) if e.type.value == "public_message"][-1]
    assert (last.type.value, last.actor, last.data["body"]) == (
        "public_message", jana.id, "Hi Dana, open tray 2 and take the sheet out.")
    assert last.data["via"] == "mail_reply"
    assert "channel" not in last.data
    assert not {"from", "to", "subject", "auth"} & set(last.data)  # the customer sees this event: not her address
    assert mail.stream() == {"batchItemFailures": []}
    _receipt, out = _to(mail.sent(), "dana@customer.example")
    assert out["Subject"] == f"Re: [{mail.tag(1)}] Printer jammed"
    assert "Hi Dana, open tray 2 and take the sheet out." in _text(out)
    assert len(_to(mail.sent(), "jana@acme.example")) == 1  # her own reply is no news to her

    # Not authenticated: nothing in her name, held for an admin (no failure, but nothing vouches either).
    unchecked = {"spf": "GRAY", "dkim": "GRAY", "dmarc": "GRAY"}
    held = mail.deliver(answer("jana@acme.example", "r2@acme.example"), "ses-r2", verdicts=unchecked)
    assert (held["status"], held["reason"]) == ("quarantined", "agent_reply_unauthenticated")
    # An admin who knows Jana's domain signs nothing lets it in: her reply on the ticket after all, in her name.
    c.mail_admin.deliver_again(ADMIN, "ses-r2")
    let_in = [e for e in c.ticket_service.events(ADMIN, ticket_id) if e.type.value == "public_message"][-1]
    assert (let_in.actor, let_in.data["admitted_by"]) == (jana.id, ADMIN.user_id)
    # Someone else answering her notification: a mail like any other (here a new ticket).
    other = mail.deliver(answer("otto@acme.example", "r3@acme.example"), "ses-r3", verdicts=PASSED)
    assert other["status"] == "created"
    assert other["ticket_id"] != ticket_id
    assert [e.actor for e in c.ticket_service.events(ADMIN, ticket_id)
            if e.type.value == "public_message"] == [jana.id, jana.id]  # hers, and the one let in

    # A reply to a ticket closed since cannot go on it: held for an admin to see, not lost, not a new ticket.
    from helpdesk.tickets.model import Status
    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(status=Status.CLOSED))
    refused = mail.deliver(answer("jana@acme.example", "r5@acme.example"), "ses-r5", verdicts=PASSED)
    assert (refused["status"], refused["reason"]) == ("quarantined", "agent_reply_refused")
    [record] = [r for r in c.mail_records.quarantined("acme", 10) if r.delivery_id == "ses-r5"]
    assert record.details["agent"] == jana.id

    # Once she has left the team, her reply is no longer hers to give.
    from helpdesk.directory.model import UserChange as Change
    c.directory.update_user(ADMIN, jana.id, Change(active=False))
    late = mail.deliver(answer("jana@acme.example", "r4@acme.example"), "ses-r4", verdicts=PASSED)
    assert late["status"] == "created"


def test_an_answer_to_a_notification_on_the_teams_own_ticket_is_a_note(mail: Any) -> None:  # noqa: F811
    """A problem an agent opened with no customer, assigned to a colleague: the mail offers no customer to answer,
    and the colleague's mailed answer goes on the ticket as an internal note."""
    from helpdesk.tickets.service import CreateTicket

    c = rebuild()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana Müller", role=Role.AGENT))
    problem = c.ticket_service.create(ADMIN, CreateTicket(subject="Sync outage", description="Many report it."))
    assert problem.no_customer
    c.ticket_service.update(ADMIN, problem.id, UpdateTicket(assignee_id=jana.id))
    assert mail.stream() == {"batchItemFailures": []}
    [notice] = _to(mail.sent(), "jana@acme.example")
    assert "Reply to this mail to add an internal note to the ticket" in _text(notice)
    assert "Reply to this mail to answer" not in _text(notice)
    answered = mail.deliver(mail.compose(sender="Jana Müller <jana@acme.example>", subject=f"Re: {notice['Subject']}",
                                         message_id="n1@acme.example",
                                         in_reply_to=str(notice["Message-ID"]).strip("<>"),
                                         body="The certificate expired; renewing it now.\n"), "ses-n1", verdicts=PASSED)
    assert (answered["status"], answered["ticket_id"]) == ("appended", problem.id)
    last = c.ticket_service.events(ADMIN, problem.id)[-1]
    assert (last.type.value, last.actor, last.data["body"]) == (
        "internal_note", jana.id, "The certificate expired; renewing it now.")


def test_a_colleague_mentioned_in_a_note_is_mailed_and_answers_with_a_note(mail: Any) -> None:  # noqa: F811
    """"@ada can you check the VAT number?" in an internal note: Ada gets a mail in her language with the note
    quoted; her mailed reply becomes an internal note on the ticket (never a reply to the customer). Mentions in
    public replies, of the author herself, of nobody on the team, or inside an address mail nobody."""
    c = rebuild()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana Müller", role=Role.AGENT))
    ada = c.directory.create_user(ADMIN, NewUser(email="ada@acme.example", name="Ada Lovelace", role=Role.ADMIN,
                                                 language="fr"))
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    by_jana = Principal(user_id=jana.id, tenant_id="acme", role=Role.AGENT)
    c.ticket_service.add_message(by_jana, ticket_id, "@Ada can you check the VAT number? Also cc @jana, @nobody.",
                                 public=False)
    c.ticket_service.add_message(by_jana, ticket_id, "Write to ada@acme.example if it jams again.", public=False)
    c.ticket_service.add_message(by_jana, ticket_id, "Thanks, @ada will look at it.", public=True)
    assert mail.stream() == {"batchItemFailures": []}
    assert _to(mail.sent(), "jana@acme.example") == []  # she wrote it
    [mentioned] = _to(mail.sent(), "ada@acme.example")  # one mail: the note; not the address, not the reply
    assert mentioned["Subject"] == "[T-000001] Jana Müller vous a mentionné : Printer jammed"
    text = _text(mentioned)
    assert "Jana Müller vous a mentionné dans une note interne du ticket T-000001 « Printer jammed » :" in text
    assert "> @Ada can you check the VAT number? Also cc @jana, @nobody." in text
    assert "Répondez à ce message pour ajouter une note interne au ticket" in text
    assert "(@ada)" in text

    answer = mail.compose(sender="Ada Lovelace <ada@acme.example>", subject=f"Re: {mentioned['Subject']}",
                          message_id="ada-answer@acme.example",
                          in_reply_to=str(mentioned["Message-ID"]).strip("<>"),
                          body="The VAT number on file is the old one; I sent the fix to billing. @jana over to "
                               "you.\n\n> @Ada can you check the VAT number?\n")
    result = mail.deliver(answer, "ses-ada", verdicts=PASSED)
    assert (result["status"], result["ticket_id"]) == ("appended", ticket_id)
    note, followed = c.ticket_service.events(ADMIN, ticket_id)[-2:]
    assert (note.type.value, note.actor, note.data["body"]) == (
        "internal_note", ada.id, "The VAT number on file is the old one; I sent the fix to billing. @jana over to you.")
    # whom the mailed note @mentions follows the ticket, as from the console (in the note's write)
    assert (followed.type.value, followed.data["to"]) == ("followers_changed", [jana.id])
    customer = Principal(user_id="email:dana@customer.example", tenant_id="acme", role=Role.CUSTOMER,
                         email="dana@customer.example", email_verified=True)
    assert "fix to billing" not in str([e.data for e in c.ticket_service.events(customer, ticket_id)])
    assert mail.stream() == {"batchItemFailures": []}
    assert not [m for m in _to(mail.sent(), "dana@customer.example") if "fix to billing" in _text(m)]


def test_a_mention_mails_only_teammates_who_may_open_the_ticket(mail: Any) -> None:  # noqa: F811
    """Otto sees the Billing group's tickets only: a note on a ticket outside it that mentions him mails him nothing
    (he could not open the link, and the note is not his to read); once the ticket moves to Billing it does."""
    from helpdesk.directory.model import NewGroup
    from helpdesk.kernel.principal import TicketAccess

    c = rebuild()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana Müller", role=Role.AGENT))
    otto = c.directory.create_user(ADMIN, NewUser(email="otto@acme.example", name="Otto", role=Role.AGENT,
                                                  ticket_access=TicketAccess.GROUPS))
    c.directory.create_group(ADMIN, NewGroup(name="Billing", members=[otto.id]))
    ticket_id = mail.deliver(mail.compose(message_id="hidden@customer.example"), "ses-h")["ticket_id"]
    by_jana = Principal(user_id=jana.id, tenant_id="acme", role=Role.AGENT)
    c.ticket_service.add_message(by_jana, ticket_id, "@otto is this one yours?", public=False)
    assert mail.stream() == {"batchItemFailures": []}
    assert _to(mail.sent(), "otto@acme.example") == []

    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(group="billing"))
    c.ticket_service.add_message(by_jana, ticket_id, "@otto moved it to Billing for you", public=False,
                                 follow_mentions=True)
    assert mail.stream() == {"batchItemFailures": []}
    [told] = _to(mail.sent(), "otto@acme.example")  # one mail: the mention, though he follows it from this note on
    assert "moved it to Billing" in _text(told)
    assert c.ticket_service.get(ADMIN, ticket_id).followers == [otto.id]
    c.ticket_service.add_message(by_jana, ticket_id, "Refund sent.", public=False)
    assert mail.stream() == {"batchItemFailures": []}
    assert "Refund sent." in _text(_to(mail.sent(), "otto@acme.example")[-1])  # following: the next note too


def test_mentions_are_handles_not_addresses() -> None:
    from helpdesk.kernel.mentions import handle_of, mentions

    assert mentions("@Ada, please ask @ada.lovelace. Mail ops@acme.example or @ops-team.") == [
        "ada", "ada.lovelace", "ops-team"]
    assert mentions("no one here: a@b.c, x @ y") == []
    assert mentions("A note in Markdown: **@ada** and *@ops*, see [@otto](https://x.example)") == ["ada", "ops", "otto"]
    assert handle_of("Ada.Lovelace@acme.example") == "ada.lovelace"


def test_followers_hear_of_the_tickets_news_and_answer_with_a_note(
        mail: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Otto follows a ticket Jana has: the customer's message, Jana's reply and note, the customer solving it and
    rating it bad each reach him once, in his language, quoted; Jana (the assignee) still gets hers as the
    assignee, and nobody is told of what they did. A mention of a follower is one mail, the mention. Otto's
    mailed answer is an internal note (he follows the ticket; it is not his to answer the customer). Once he
    stops following, or can no longer open the ticket, nothing more."""
    from helpdesk.directory.model import NewGroup, UserChange
    from helpdesk.kernel.principal import TicketAccess
    from helpdesk.reports.model import CsatInput
    from helpdesk.tickets.model import Status

    monkeypatch.setenv("HELPDESK_REPORTS_CSAT_SECRET", "test-csat-secret-of-32-characters!")  # rating links
    c = rebuild()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana Müller", role=Role.AGENT))
    otto = c.directory.create_user(ADMIN, NewUser(email="otto@acme.example", name="Otto", role=Role.AGENT,
                                                  language="de"))
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    by_jana = Principal(user_id=jana.id, tenant_id="acme", role=Role.AGENT)
    by_otto = Principal(user_id=otto.id, tenant_id="acme", role=Role.AGENT)
    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(assignee_id=jana.id))
    c.ticket_service.follow(by_otto, ticket_id, otto.id)
    assert mail.stream() == {"batchItemFailures": []}
    assert _to(mail.sent(), "otto@acme.example") == []  # following is no news

    reply = mail.compose(message_id="second@customer.example", in_reply_to="first@customer.example",
                         subject=f"Re: [{mail.tag(1)}] Printer jammed", body="Still jammed.\n")
    mail.deliver(reply, "ses-b")
    c.ticket_service.add_message(by_jana, ticket_id, "Please open tray 2.", public=True)
    c.ticket_service.add_message(by_jana, ticket_id, "Tray 2 is a known fault of this model.", public=False)
    c.ticket_service.add_message(by_jana, ticket_id, "@otto you fixed one of these last week?", public=False)
    c.ticket_service.add_message(by_otto, ticket_id, "My own note.", public=False)
    assert mail.stream() == {"batchItemFailures": []}
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}

    told = _to(mail.sent(), "otto@acme.example")
    assert [m["Subject"] for m in told] == ["[T-000001] Neues zu einem Ticket, dem Sie folgen: Printer jammed"] * 3 \
        + ["[T-000001] Jana Müller hat Sie erwähnt: Printer jammed"]
    customer, replied, noted = (_text(m) for m in told[:3])
    assert "Dana Example hat zum Ticket T-000001 „Printer jammed“ geschrieben:\n\n> Still jammed." in customer
    assert "Jana Müller hat Dana Example zum Ticket T-000001 „Printer jammed“ geantwortet:\n\n> Please open tray 2." \
        in replied
    assert "Jana Müller hat dem Ticket T-000001 „Printer jammed“ eine interne Notiz hinzugefügt:\n\n> Tray 2 is a " \
        "known fault" in noted
    assert "weil Sie dem Ticket folgen" in noted
    assert "um dem Ticket eine interne Notiz hinzuzufügen" in noted
    # Jana hears of the customer's message as the assignee, as before; not of Otto's note.
    assert [m["Subject"] for m in _to(mail.sent(), "jana@acme.example")] == [
        "[T-000001] Assigned to you: Printer jammed", "[T-000001] New customer message: Printer jammed"]

    answer = mail.compose(sender="Otto <otto@acme.example>", subject=f"Re: {told[0]['Subject']}",
                          message_id="otto-answer@acme.example", in_reply_to=str(told[0]["Message-ID"]).strip("<>"),
                          body="Ask her for the model number.\n")
    assert mail.deliver(answer, "ses-otto", verdicts=PASSED)["status"] == "appended"
    note = c.ticket_service.events(ADMIN, ticket_id)[-1]
    assert (note.type.value, note.actor, note.data["body"]) == ("internal_note", otto.id,
                                                                "Ask her for the model number.")

    dana = Principal(user_id="dana", tenant_id="acme", role=Role.CUSTOMER, email="dana@customer.example",
                     email_verified=True)
    c.ticket_service.update(dana, ticket_id, UpdateTicket(status=Status.RESOLVED))
    c.csat_service.rate(c.csat_links.token("acme", ticket_id), CsatInput(rating="bad", comment="Too slow."))
    assert mail.stream() == {"batchItemFailures": []}
    solved, rated = _to(mail.sent(), "otto@acme.example")[4:]
    assert "Dana Example hat das Ticket T-000001 „Printer jammed“ als gelöst markiert." in _text(solved)
    assert "als schlecht bewertet.\n\n> Too slow." in _text(rated)

    # Jana takes Otto off the followers: nothing more reaches him.
    c.ticket_service.unfollow(by_jana, ticket_id, otto.id)
    c.ticket_service.add_message(by_jana, ticket_id, "Reopening for a check.", public=False)
    assert mail.stream() == {"batchItemFailures": []}
    assert len(_to(mail.sent(), "otto@acme.example")) == 6
    # He follows again, then joins a group the ticket is not in and is limited to his groups' tickets: he may no
    # longer open it, so no more news.
    c.ticket_service.follow(by_otto, ticket_id, otto.id)
    c.directory.create_group(ADMIN, NewGroup(name="Hardware", members=[otto.id]))
    c.directory.update_user(ADMIN, otto.id, UserChange(ticket_access=TicketAccess.GROUPS))
    c.ticket_service.add_message(by_jana, ticket_id, "Done.", public=False)
    assert mail.stream() == {"batchItemFailures": []}
    assert len(_to(mail.sent(), "otto@acme.example")) == 6


def test_a_ticket_back_from_snooze_is_mailed_to_whoever_has_it_else_to_who_snoozed_it(
        mail: Any, lambda_context: Any) -> None:  # noqa: F811
    """The SLA scan's schedule ends the snoozes whose time came (the real sla_scan handler); the mail stream then
    tells Jana of the ticket she has (in German, her language, at the time in her time zone) and Otto of the one
    nobody has that he snoozed (in UTC: he set no zone)."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from helpdesk.local.streams import RecordFilter
    from tests.conftest import load_function
    from tests.template import stream_filters

    c = rebuild()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana", role=Role.AGENT,
                                                  language="de", time_zone="Europe/Berlin"))
    otto = c.directory.create_user(ADMIN, NewUser(email="otto@acme.example", name="Otto", role=Role.AGENT))
    hers = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    nobodys = mail.deliver(mail.compose(message_id="other@customer.example", subject="Toner low"),
                           "ses-b")["ticket_id"]
    until = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    by_jana = Principal(user_id=jana.id, tenant_id="acme", role=Role.AGENT)
    by_otto = Principal(user_id=otto.id, tenant_id="acme", role=Role.AGENT)
    c.ticket_service.update(by_jana, hers, UpdateTicket(assignee_id=jana.id, snoozed_until=until))
    c.ticket_service.update(by_otto, nobodys, UpdateTicket(snoozed_until=until))
    assert mail.stream() == {"batchItemFailures": []}
    team = ("jana@acme.example", "otto@acme.example")
    assert [m for m in mail.sent() if m["To"] in team] == []  # snoozing is no news

    scan = load_function("sla_scan").lambda_handler
    assert scan({"action": "scan", "now": (until - timedelta(minutes=1)).isoformat()}, lambda_context)["woke"] == 0
    assert scan({"action": "scan", "now": (until + timedelta(minutes=4)).isoformat()}, lambda_context)["woke"] == 2
    woke = [e for e in c.ticket_service.events(ADMIN, nobodys) if e.data.get("woke") == "time"]
    assert [(e.actor, e.data["by"]) for e in woke] == [("sla", otto.id)]
    record = {"eventName": "INSERT", "dynamodb": {"NewImage": {"type": {"S": "snoozed"}}}}
    assert RecordFilter(stream_filters("EmailSendFunction", "AgentReplies"))(record)  # the template lets it through
    assert mail.stream() == {"batchItemFailures": []}
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}  # once

    [back] = _to(mail.sent(), "jana@acme.example")
    assert back["Subject"] == "[T-000001] Zurück aus der Zurückstellung: Printer jammed"
    berlin = until.astimezone(ZoneInfo("Europe/Berlin"))
    assert f"war bis {berlin:%Y-%m-%d %H:%M} Europe/Berlin zurückgestellt und ist wieder in den Warteschlangen" \
        in _text(back)
    [snoozer] = _to(mail.sent(), "otto@acme.example")
    assert snoozer["Subject"] == "[T-000002] Back from snooze: Toner low"
    assert f"{until:%Y-%m-%d %H:%M} UTC" in _text(snoozer)
    assert c.ticket_service.get(ADMIN, hers).snoozed_until is None


def test_a_trigger_mails_the_one_who_has_the_ticket_and_its_group(mail: Any) -> None:  # noqa: F811
    """A trigger that mails: the customer's reply sets it off in the reply's own write, and the mail stream tells
    Jana (who has it; German) and the Billing group (Otto too: the group hands its tickets out, the trigger still
    mails its members), quoting the reply, once each; the template lets `triggered` through."""
    from helpdesk.directory.model import NewGroup
    from helpdesk.local.streams import RecordFilter
    from helpdesk.triggers.model import TriggerList
    from tests.template import stream_filters

    c = rebuild()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana", role=Role.AGENT,
                                                  language="de"))
    otto = c.directory.create_user(ADMIN, NewUser(email="otto@acme.example", name="Otto", role=Role.AGENT))
    c.directory.create_group(ADMIN, NewGroup(id="billing", name="Billing", members=[jana.id, otto.id],
                                             auto_assign=True))
    c.triggers.replace(ADMIN, TriggerList.model_validate({"triggers": [{
        "id": "vip", "name": "VIP wrote", "on": ["customer_replied"], "conditions": {"tags": ["vip"]},
        "actions": {"priority": "urgent", "notify": ["assignee", "group"]}}]}))
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    by_jana = Principal(user_id=jana.id, tenant_id="acme", role=Role.AGENT)
    c.ticket_service.update(by_jana, ticket_id, UpdateTicket(assignee_id=jana.id, group="billing", tags=["vip"]))
    assert mail.stream() == {"batchItemFailures": []}
    before = len(mail.sent())

    reply = mail.compose(message_id="second@customer.example", in_reply_to="first@customer.example",
                         subject=f"Re: [{mail.tag(1)}] Printer jammed", body="We are losing orders.\n")
    assert mail.deliver(reply, "ses-b")["ticket_id"] == ticket_id
    assert c.ticket_service.get(ADMIN, ticket_id).priority.value == "urgent"  # in the reply's own write
    record = {"eventName": "INSERT", "dynamodb": {"NewImage": {"type": {"S": "triggered"}}}}
    assert RecordFilter(stream_filters("EmailSendFunction", "AgentReplies"))(record)
    assert mail.stream() == {"batchItemFailures": []}
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}  # once
    told = [m for m in mail.sent()[before:] if "VIP wrote" in str(m["Subject"])]
    assert sorted((m["To"], m["Subject"]) for m in told) == [
        ("jana@acme.example", "[T-000001] VIP wrote: Printer jammed"),
        ("otto@acme.example", "[T-000001] VIP wrote: Printer jammed")]
    [to_jana] = [m for m in told if m["To"] == "jana@acme.example"]
    text = _text(to_jana)
    assert "Der Trigger „VIP wrote“ Ihres Teams hat das Ticket T-000001 (Printer jammed)" in text
    assert "> We are losing orders.\n" in text
    assert "interne Notiz" in text  # a mail answer to it is a note for the team, not a reply to the customer


def test_a_time_triggers_mail_says_how_long_it_waited_and_from_what(mail: Any) -> None:  # noqa: F811
    """"Pending for 4 days: close it and tell the group": the sweep closes the ticket, and the group's mail says it
    acted 96 h after the ticket became pending (as it was then, though it is resolved now), in each one's language."""
    from datetime import UTC, datetime, timedelta

    from helpdesk.directory.model import NewGroup
    from helpdesk.tickets.model import Status
    from helpdesk.triggers.model import TriggerList

    c = rebuild()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana", role=Role.AGENT,
                                                  language="de"))
    otto = c.directory.create_user(ADMIN, NewUser(email="otto@acme.example", name="Otto", role=Role.AGENT))
    c.directory.create_group(ADMIN, NewGroup(id="billing", name="Billing", members=[jana.id, otto.id]))
    c.triggers.replace(ADMIN, TriggerList.model_validate({"triggers": [{
        "id": "stale", "name": "Pending for four days", "after": {"hours": 96, "since": "status_changed"},
        "conditions": {"statuses": ["pending"]}, "actions": {"status": "resolved", "notify": ["group"]}}]}))
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(group="billing", status=Status.PENDING))
    assert mail.stream() == {"batchItemFailures": []}
    before = len(mail.sent())
    assert c.time_triggers.run(datetime.now(UTC) + timedelta(hours=95)).acted == 0
    assert c.time_triggers.run(datetime.now(UTC) + timedelta(hours=97)).acted == 1
    assert c.ticket_service.get(ADMIN, ticket_id).status == Status.RESOLVED
    assert mail.stream() == {"batchItemFailures": []}
    told = {str(m["To"]): _text(m) for m in mail.sent()[before:] if "Pending for four days" in str(m["Subject"])}
    assert sorted(told) == ["jana@acme.example", "otto@acme.example"]
    assert "Er wurde 96 Std. nach dem Wechsel in den Status pending ausgelöst." in told["jana@acme.example"]
    assert "It acted 96 h after the ticket became pending." in told["otto@acme.example"]


def test_a_trigger_that_only_tells_the_integrations_mails_nobody(mail: Any) -> None:  # noqa: F811
    from helpdesk.triggers.model import TriggerList

    c = rebuild()
    c.triggers.replace(ADMIN, TriggerList.model_validate({"triggers": [{
        "id": "tell", "name": "Tell the on-call tool", "on": ["customer_replied"],
        "actions": {"integrations": True}}]}))
    mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")
    assert mail.stream() == {"batchItemFailures": []}
    before = len(mail.sent())
    reply = mail.compose(message_id="second@customer.example", in_reply_to="first@customer.example",
                         subject=f"Re: [{mail.tag(1)}] Printer jammed", body="Still jammed.\n")
    mail.deliver(reply, "ses-b")
    assert mail.stream() == {"batchItemFailures": []}
    assert not [m for m in mail.sent()[before:] if "Tell the on-call tool" in str(m["Subject"])]


def test_the_agent_a_trigger_gives_a_ticket_for_their_own_reply_is_not_mailed_of_it(mail: Any) -> None:  # noqa: F811
    """"The first to reply takes it": Jana's reply makes the ticket hers, and no "Assigned to you" mail tells her of
    what her own reply did."""
    from helpdesk.triggers.model import TriggerList

    c = rebuild()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana", role=Role.AGENT,
                                                  language="de"))
    c.triggers.replace(ADMIN, TriggerList.model_validate({"triggers": [{
        "id": "first", "name": "The first to reply takes it", "on": ["agent_replied"],
        "conditions": {"assigned": False}, "actions": {"assign_to_actor": True}}]}))
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    assert mail.stream() == {"batchItemFailures": []}
    before = len(mail.sent())
    by_jana = Principal(user_id=jana.id, tenant_id="acme", role=Role.AGENT)
    c.ticket_service.add_message(by_jana, ticket_id, "Wir schauen es uns an.", public=True)
    assert c.ticket_service.get(ADMIN, ticket_id).assignee_id == jana.id
    assert mail.stream() == {"batchItemFailures": []}
    assert _to(mail.sent()[before:], "jana@acme.example") == []


def test_an_agent_a_trigger_assigns_hears_of_it_by_the_triggers_name(mail: Any) -> None:  # noqa: F811
    """A trigger that gives a new mail ticket to Jana: she is mailed "Assigned to you", in German, naming the trigger
    (not "trigger" as who did it), with the customer's words quoted; once."""
    from helpdesk.directory.model import NewGroup
    from helpdesk.triggers.model import TriggerList

    c = rebuild()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana", role=Role.AGENT,
                                                  language="de"))
    c.directory.create_group(ADMIN, NewGroup(id="billing", name="Billing", members=[jana.id]))
    c.triggers.replace(ADMIN, TriggerList.model_validate({"triggers": [{
        "id": "printers", "name": "Printers to Jana", "on": ["ticket_created"], "conditions": {"keywords": ["printer"]},
        "actions": {"group": "billing", "assignee_id": jana.id}}]}))
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    assert c.ticket_service.get(ADMIN, ticket_id).assignee_id == jana.id  # in the ticket's first write
    assert mail.stream() == {"batchItemFailures": []}
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}
    [told] = [m for m in _to(mail.sent(), "jana@acme.example") if "Ihnen zugewiesen" in str(m["Subject"])]
    text = _text(told)
    assert "Der Trigger „Printers to Jana“ Ihres Teams hat Ihnen das Ticket T-000001 „Printer jammed“" in text

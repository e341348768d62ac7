"""A customer's thank-you keeps a solved ticket solved, through the real email_ingest handler on moto: "Thank you
so much, that fixed it!" mailed back on a solved ticket leaves it solved (it reopened it and put it back in the
queue), marked for the team only; thanks with more in it reopens, and so does any reply where the tenant turned
the rule off."""

from typing import Any

from helpdesk import bootstrap
from helpdesk.directory.model import NewUser
from helpdesk.kernel.principal import Principal, Role, system_principal
from helpdesk.tickets.history import KEPT_SOLVED, EventType
from helpdesk.tickets.model import Status
from helpdesk.tickets.service import UpdateTicket
from helpdesk.triage.settings import TriageSettings
from tests.conftest import claims, http_event
from tests.iam_calls import Call, denied

AGENT = system_principal("acme", "system")  # an admin's rights
DANA = Principal(user_id="email:dana@customer.example", tenant_id="acme", role=Role.CUSTOMER,
                 email="dana@customer.example", email_verified=True)


def _solved_mail_ticket(mail: Any, n: int, status: Status = Status.RESOLVED,
                        answered_by: Principal = AGENT) -> tuple[str, str]:
    """A ticket opened by mail and answered with a reply that solved it (or set `status`); the id and the
    Message-ID of the receipt to answer."""
    created = mail.deliver(mail.compose(subject=f"Printer {n} jammed", message_id=f"first-{n}@customer.example"),
                           f"ses-{n}")
    tickets = bootstrap.container().ticket_service
    tickets.add_message(answered_by, created["ticket_id"], "Restarted the spooler.", public=True, as_customer=False,
                        status=status)
    receipt = next(m for m in mail.sent() if f"Printer {n} jammed" in m["Subject"])
    return created["ticket_id"], receipt["Message-ID"].strip("<>")


def _answer(mail: Any, ticket_id: str, receipt: str, n: int, body: str) -> tuple[Status, dict[str, Any]]:
    result = mail.deliver(mail.compose(subject=f"Re: Printer {n} jammed", message_id=f"answer-{n}@customer.example",
                                       in_reply_to=receipt,
                                       body=f"{body}\n\nOn Mon, Support wrote:\n> Restarted the spooler.\n"),
                          f"ses-answer-{n}")
    assert (result["status"], result["ticket_id"]) == ("appended", ticket_id), result
    tickets = bootstrap.container().ticket_service
    last = [e for e in tickets.events(AGENT, ticket_id) if e.type == EventType.PUBLIC_MESSAGE][-1]
    return tickets.get(AGENT, ticket_id).status, last.data


def test_a_thank_you_leaves_the_ticket_solved_and_more_than_thanks_reopens_it(
        mail: Any, invoke: Any, recorded: list[Call]) -> None:
    c = bootstrap.container()
    jana = c.directory.create_user(AGENT, NewUser(email="jana@acme.example", name="Jana", role=Role.AGENT))
    ticket_id, receipt = _solved_mail_ticket(mail, 1)
    c.ticket_service.update(AGENT, ticket_id, UpdateTicket(assignee_id=jana.id))
    assert mail.stream() == {"batchItemFailures": []}
    recorded.clear()
    status, said = _answer(mail, ticket_id, receipt, 1, "Thank you so much, that fixed it!\n\nDana")
    # The tenant's switch is read where the mail comes in: within what the function may read.
    assert denied("EmailIngestFunction", [r for r in recorded if r.action != "Scan"]) == []
    assert status == Status.RESOLVED
    assert (said["body"], said[KEPT_SOLVED]) == ("Thank you so much, that fixed it!\n\nDana", True)
    ticket = bootstrap.container().ticket_service.get(AGENT, ticket_id)
    assert ticket.reopen_count == 0
    # The customer sees their message, not the team's mark on it.
    theirs = bootstrap.container().ticket_service.events(DANA, ticket_id)
    assert [e.data.get(KEPT_SOLVED) for e in theirs if e.type == EventType.PUBLIC_MESSAGE] == [None, None]
    # The assignee finds the thanks in the console's inbox; no mail asks them to look at it.
    assert mail.stream() == {"batchItemFailures": []}
    assert [m["Subject"] for m in mail.sent() if m["To"] == "jana@acme.example"] == [
        "[T-000001] Assigned to you: Printer 1 jammed"]
    page = invoke("ticket_commands", http_event("GET", "/notifications", claims_=claims(jana.id, "acme", "agent")))
    assert [n["kind"] for n in page["json"]["items"]] == ["customer_replied", "assigned"], page["json"]

    again, receipt_again = _solved_mail_ticket(mail, 2)
    status, said = _answer(mail, again, receipt_again, 2, "Thanks, but it jams again since this morning.")
    assert status == Status.OPEN
    assert KEPT_SOLVED not in said


def test_a_tenant_that_turned_the_rule_off_gets_every_reply_reopened(mail: Any) -> None:
    settings = bootstrap.container().triage_settings
    settings.put("acme", TriageSettings(keep_solved_on_thanks=False))
    ticket_id, receipt = _solved_mail_ticket(mail, 3)
    status, said = _answer(mail, ticket_id, receipt, 3, "Thanks!")
    assert status == Status.OPEN
    assert KEPT_SOLVED not in said


def test_a_pending_ticket_still_opens_on_thanks(mail: Any) -> None:
    """Pending waits for the customer: whatever they write is their answer."""
    ticket_id, receipt = _solved_mail_ticket(mail, 4, Status.PENDING)
    status, said = _answer(mail, ticket_id, receipt, 4, "Thanks!")
    assert status == Status.OPEN
    assert KEPT_SOLVED not in said


def test_thanks_that_name_the_agent_who_answered_keep_the_ticket_solved(mail: Any) -> None:
    """"Thanks, Maria!" names the agent whose reply solved it: thanks. A name the ticket does not know is read as
    more than thanks ("Thanks, Paul" could be "Thanks, Not Fixed"), and so is thanks with more in it."""
    maria = Principal(user_id="maria", tenant_id="acme", role=Role.AGENT, name="Maria Lopez")
    for n, (body, stays) in enumerate([("Thanks, Maria!", True), ("thank you maria lopez, that fixed it", True),
                                       ("Thanks Maria, but it jams again.", False), ("Thanks, Paul", False)], 5):
        ticket_id, receipt = _solved_mail_ticket(mail, n, answered_by=maria)
        status, said = _answer(mail, ticket_id, receipt, n, body)
        assert (status == Status.RESOLVED, said.get(KEPT_SOLVED, False)) == (stays, stays), body

"""An agent's notifications in the console (`GET /notifications`, `/notifications/unread`, `POST
/notifications/read`): written by the real email_send handler from the ticket-events stream beside the mails it
sends (on moto), read through the real ticket commands handler."""

from typing import Any

from helpdesk import bootstrap
from helpdesk.directory.model import NewUser, UserChange
from helpdesk.kernel.principal import Principal, Role, TicketAccess
from helpdesk.tickets.ports import TicketQuery
from helpdesk.tickets.service import UpdateTicket
from tests.conftest import claims, http_event, rebuild
from tests.iam_calls import Call, denied
from tests.integration.mail.conftest import mail  # noqa: F401 (the fixture)

ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)


def api(invoke: Any, method: str, path: str, who: dict[str, Any], body: Any = None,
        query: dict[str, str] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = invoke("ticket_commands", http_event(method, path, body=body, claims_=who, query=query))
    return answer


def inbox(invoke: Any, who: dict[str, Any], **query: str) -> dict[str, Any]:
    answer = api(invoke, "GET", "/notifications", who, query=query or None)
    assert answer["statusCode"] == 200, answer["json"]
    page: dict[str, Any] = answer["json"]
    return page


def assigned_to_jana(mail: Any) -> str:  # noqa: F811
    """Agent Jana, and a customer's mail given to her by an admin, its news delivered: her user id."""
    c = bootstrap.container()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana", role=Role.AGENT))
    ticket_id = mail.deliver(mail.compose(), "ses-a")["ticket_id"]
    c.ticket_service.update(ADMIN, ticket_id, UpdateTicket(assignee_id=jana.id))
    assert mail.stream() == {"batchItemFailures": []}
    return jana.id


def test_an_agent_finds_their_tickets_news_in_the_console_even_with_the_mails_off(
        mail: Any, invoke: Any, recorded: list[Call]) -> None:  # noqa: F811
    c = bootstrap.container()
    jana = c.directory.create_user(ADMIN, NewUser(email="jana@acme.example", name="Jana Müller", role=Role.AGENT))
    ada = c.directory.create_user(ADMIN, NewUser(email="ada@acme.example", name="Ada Lovelace", role=Role.ADMIN))
    c.directory.update_user(ADMIN, jana.id, UserChange(notify_by_mail=False))  # the console only, for her
    by_ada = Principal(user_id=ada.id, tenant_id="acme", role=Role.ADMIN, name="Ada Lovelace")
    as_jana = claims(jana.id, "acme", "agent", email="jana@acme.example")
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    c.ticket_service.update(by_ada, ticket_id, UpdateTicket(assignee_id=jana.id))
    recorded.clear()
    assert mail.stream() == {"batchItemFailures": []}
    assert denied("EmailSendFunction", [r for r in recorded if r.action != "Scan"]) == []  # the inbox's writes too
    assert [m for m in mail.sent() if m["To"] == "jana@acme.example"] == []  # no mail: she turned them off

    recorded.clear()
    page = inbox(invoke, as_jana)
    [assigned] = page["items"]
    assert (assigned["kind"], assigned["actor_name"], assigned["read"], assigned["following"]) == \
        ("assigned", "Ada Lovelace", False, False)
    assert assigned["ticket"] == {"id": ticket_id, "number": "T-000001", "subject": "Printer jammed",
                                  "status": "new", "requester_name": "Dana Example"}
    assert (page["unread"], page["next_cursor"]) == (1, None)
    assert denied("TicketCommandsFunction", recorded) == []

    # The customer writes again; a retried batch adds nothing.
    reply = mail.compose(message_id="second@customer.example", in_reply_to="first@customer.example",
                         subject=f"Re: [{mail.tag(1)}] Printer jammed", body="Still jammed.\n")
    mail.deliver(reply, "ses-b")
    assert mail.stream() == {"batchItemFailures": []}
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}
    page = inbox(invoke, as_jana)
    assert [(i["kind"], i["actor_name"]) for i in page["items"]] == [("customer_replied", None),
                                                                      ("assigned", "Ada Lovelace")]
    assert api(invoke, "GET", "/notifications/unread", as_jana)["json"] == {"unread": 2}

    first = inbox(invoke, as_jana, limit="1")
    assert [i["kind"] for i in first["items"]] == ["customer_replied"]
    second = inbox(invoke, as_jana, limit="1", cursor=first["next_cursor"])
    assert ([i["kind"] for i in second["items"]], second["next_cursor"]) == (["assigned"], None)

    # Read one, then the rest of the ticket's (she opened it), then everything up to the newest.
    recorded.clear()
    marked = api(invoke, "POST", "/notifications/read", as_jana, {"ids": [page["items"][1]["id"]]})
    assert marked["json"] == {"unread": 1}, marked["json"]
    assert [i["read"] for i in inbox(invoke, as_jana)["items"]] == [False, True]
    assert api(invoke, "POST", "/notifications/read", as_jana, {"ticket_id": ticket_id})["json"] == {"unread": 0}
    assert denied("TicketCommandsFunction", recorded) == []
    c.ticket_service.update(by_ada, ticket_id, UpdateTicket(assignee_id=ada.id))
    c.ticket_service.update(by_ada, ticket_id, UpdateTicket(assignee_id=jana.id))  # given to her again
    assert mail.stream() == {"batchItemFailures": []}
    newest = inbox(invoke, as_jana)
    assert (newest["unread"], newest["items"][0]["read"]) == (1, False)
    assert api(invoke, "POST", "/notifications/read", as_jana, {"until": newest["items"][0]["id"]})["json"] == \
        {"unread": 0}
    assert all(i["read"] for i in inbox(invoke, as_jana)["items"])

    # Ada has her own inbox: her own changes are no news to her.
    assert inbox(invoke, claims(ada.id, "acme", "admin"))["items"] == []


def test_news_of_a_ticket_the_agent_may_no_longer_open_is_neither_listed_nor_counted(
        mail: Any, invoke: Any) -> None:  # noqa: F811
    c = bootstrap.container()
    jana = assigned_to_jana(mail)
    as_jana = claims(jana, "acme", "agent", email="jana@acme.example")
    assert inbox(invoke, as_jana)["unread"] == 1

    [ticket] = c.ticket_repository.query(TicketQuery(tenant_id="acme")).items
    c.ticket_service.update(ADMIN, ticket.id, UpdateTicket(assignee_id=None))
    # now limited to her groups' tickets (the Team screen's setting), and in none
    c.directory.update_user(ADMIN, jana, UserChange(ticket_access=TicketAccess.GROUPS))
    rebuild()  # a new container: her standing read again at once, not after the recheck interval
    page = inbox(invoke, as_jana)
    assert (page["items"], page["unread"]) == ([], 0)


def test_what_the_inbox_refuses(mail: Any, invoke: Any) -> None:  # noqa: F811
    agent = claims("a1", "acme", "agent")
    customer = claims("email:dana@customer.example", "acme", "customer", email="dana@customer.example")
    for method, path, body in (("GET", "/notifications", None), ("GET", "/notifications/unread", None),
                               ("POST", "/notifications/read", {"until": "2026-12-06T10:00:00.000000Z#t1#3"})):
        assert api(invoke, method, path, customer, body)["statusCode"] == 403, path
    wrong: list[dict[str, Any]] = [{}, {"ids": ["not-an-id"]}, {"until": "yesterday"},
                                   {"ids": ["2026-12-06T10:00:00.000000Z#t1#3"], "ticket_id": "t1"}]
    for asked in wrong:  # none of the three, an id that is none, two at once
        refused = api(invoke, "POST", "/notifications/read", agent, asked)
        assert refused["statusCode"] == 400, (asked, refused["json"])
    assert api(invoke, "POST", "/notifications/read", agent, {"all": True})["statusCode"] == 422
    assert api(invoke, "POST", "/notifications/read", agent, {"ids": ["x"] * 101})["statusCode"] == 422
    assert api(invoke, "GET", "/notifications", agent, query={"cursor": "..."})["statusCode"] == 400
    assert api(invoke, "GET", "/notifications", agent, query={"limit": "0"})["statusCode"] == 400
    assert inbox(invoke, agent) == {"items": [], "unread": 0, "next_cursor": None}  # nothing yet: empty, not 404


def test_an_sla_breach_on_their_ticket_is_in_the_console_and_mailed_once_by_the_scan(
        mail: Any, invoke: Any) -> None:  # noqa: F811
    from datetime import UTC, datetime, timedelta

    c = bootstrap.container()
    jana = assigned_to_jana(mail)

    later = datetime.now(UTC) + timedelta(days=4)  # past both targets of the default policy
    assert c.sla_scan.run(later).as_dict()["breached"] == 2
    def mailed_to_jana() -> list[str]:
        return [str(m["Subject"]) for m in mail.sent() if m["To"] == "jana@acme.example"]

    by_the_scan = mailed_to_jana()
    assert mail.stream() == {"batchItemFailures": []}
    assert mailed_to_jana() == by_the_scan  # the scan's own mail of the breach; no second one
    page = inbox(invoke, claims(jana, "acme", "agent", email="jana@acme.example"))
    assert [i["kind"] for i in page["items"]] == ["sla_breached", "sla_breached", "assigned"]
    assert page["unread"] == 3

"""Bounces and complaints: mail about a ticket goes out through the configuration set with the ticket's tags (read
from the real SendRawEmail calls to moto's SES), and SES's EventBridge event, built from `events/mail_feedback` with
those tags, is put on the ticket by the real mail_feedback handler."""

import copy
import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from helpdesk import bootstrap
from helpdesk.kernel.principal import Principal, Role, system_principal
from helpdesk.mail.local import plain_text
from helpdesk.tickets.history import EventType
from helpdesk.webhooks.schema import detail
from tests.conftest import EVENTS, claims, http_event, rebuild
from tests.iam_calls import Call, denied

Invoke = Callable[..., dict[str, Any]]
CONFIGURATION_SET = "helpdesk-mail"


def sample(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / "mail_feedback" / name).read_text())
    return event


def as_ses_reports(event: dict[str, Any], tags: list[dict[str, str]]) -> dict[str, Any]:
    """`event` carrying a sent mail's tags as SES reports them (each name with a list of values)."""
    event = copy.deepcopy(event)
    event["detail"]["mail"]["tags"] = {"ses:configuration-set": [CONFIGURATION_SET],
                                       **{t["Name"]: [t["Value"]] for t in tags}}
    return event


def sent_calls() -> list[dict[str, Any]]:
    """Every SendRawEmail call's parameters from now on, as the container's mail sender makes them to moto."""
    calls: list[dict[str, Any]] = []
    client = bootstrap.container().mail_sender._ses  # type: ignore[attr-defined]
    client.meta.events.register("provide-client-params.ses.SendRawEmail",
                                lambda params, **_: calls.append(copy.deepcopy(params)))
    return calls


@pytest.fixture
def sends(mail: Any, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Mail goes out through the configuration set; every SendRawEmail call's parameters, as sent to moto."""
    monkeypatch.setenv("HELPDESK_MAIL_CONFIGURATION_SET", CONFIGURATION_SET)
    rebuild()
    boto3.client("ses").create_configuration_set(ConfigurationSet={"Name": CONFIGURATION_SET})
    return sent_calls()


def test_a_bounced_reply_is_told_on_its_ticket_to_the_team_only(mail: Any, sends: list[dict[str, Any]],
                                                               invoke: Invoke, recorded: list[Call]) -> None:
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    agent = system_principal("acme", "system")
    tickets = bootstrap.container().ticket_service
    tickets.add_message(agent, ticket_id, "Please restart it.", public=True, as_customer=False)
    assert mail.stream() == {"batchItemFailures": []}
    # the receipt and the reply: both through the configuration set, both naming the ticket
    assert len(sends) == 2
    assert {s["ConfigurationSetName"] for s in sends} == {CONFIGURATION_SET}
    assert sends[0]["Tags"] == sends[1]["Tags"]
    reply_tags = sends[1]["Tags"]

    before = len(recorded)
    outcome = invoke("mail_feedback", as_ses_reports(sample("bounced.json"), reply_tags))
    assert outcome["outcome"] == "recorded"
    assert denied("MailFeedbackFunction", recorded[before:]) == []  # moto grants all: checked against the template
    events = tickets.events(system_principal("acme"), ticket_id)
    undelivered = [e for e in events if e.type == EventType.MAIL_UNDELIVERED]
    assert len(undelivered) == 1
    event = undelivered[0]
    assert event.actor == "email"
    assert event.data["kind"] == "bounce"
    assert event.data["bounce_type"] == "permanent"
    assert event.data["recipients"] == [{"address": "jana@kunde.example", "status": "5.1.1",
                                         "diagnostic": "smtp; 550 5.1.1 <jana@kunde.example>: Recipient address "
                                                       "rejected: User unknown"}]
    assert event.is_internal  # the team's to act on: never shown to the customer
    requester = Principal(user_id="dana", tenant_id="acme", role=Role.CUSTOMER, email="dana@customer.example",
                          email_verified=True)
    assert EventType.MAIL_UNDELIVERED not in {e.type for e in tickets.events(requester, ticket_id)}
    assert detail(event)["type"] == "ticket.mail_undelivered"
    assert detail(event)["team_only"] is True

    # EventBridge delivers at least once: the same report again changes nothing
    assert invoke("mail_feedback", as_ses_reports(sample("bounced.json"), reply_tags))["outcome"] == "duplicate"
    complaint = invoke("mail_feedback", as_ses_reports(sample("complaint.json"), reply_tags))
    assert complaint["outcome"] == "recorded"
    kinds = [e.data["kind"] for e in tickets.events(system_principal("acme"), ticket_id)
             if e.type == EventType.MAIL_UNDELIVERED]
    assert kinds == ["bounce", "complaint"]


def test_reports_that_are_not_ours_or_not_readable_are_dropped_without_an_error(mail: Any, sends: list[Any],
                                                                                invoke: Invoke) -> None:
    bounce = sample("bounced.json")
    assert invoke("mail_feedback", bounce)["outcome"] == "no ticket"  # the sample names no stored ticket
    foreign = copy.deepcopy(bounce)
    foreign["detail"]["mail"]["tags"] = {"ses:configuration-set": ["another-app"]}
    assert invoke("mail_feedback", foreign)["outcome"] == "not ours"
    forged = as_ses_reports(bounce, [{"Name": "helpdesk-tenant", "Value": "L2V0Yy9wYXNzd2Q"},  # "/etc/passwd"
                                     {"Name": "helpdesk-ticket", "Value": "eA"}])
    assert invoke("mail_feedback", forged)["outcome"] == "not ours"
    broken = copy.deepcopy(bounce)
    del broken["detail"]["bounce"]["bouncedRecipients"]
    assert invoke("mail_feedback", broken)["outcome"] == "invalid"
    assert invoke("mail_feedback", {"detail": "not an object"})["outcome"] == "invalid"
    assert invoke("mail_feedback", {})["outcome"] == "invalid"


def test_without_a_configuration_set_mail_goes_out_as_before(mail: Any, invoke: Invoke) -> None:
    """The local stack and tests send without one (moto's SES has none to publish to): no tags are sent either."""
    calls = sent_calls()
    mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")
    assert len(calls) == 1
    assert "ConfigurationSetName" not in calls[0]
    assert "Tags" not in calls[0]


def test_the_local_stack_tells_a_bounce_as_ses_would(mail: Any) -> None:
    """`helpdesk mail bounce` (moto's SES publishes no events): the same report through the same service."""
    from helpdesk.mail.local import report_feedback

    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    container = bootstrap.container()
    assert report_feedback(container, "acme", ticket_id, "dana@customer.example") == "recorded"
    assert report_feedback(container, "acme", ticket_id, "dana@customer.example", complaint=True) == "recorded"
    reports = [e.data for e in container.ticket_service.events(system_principal("acme"), ticket_id)
               if e.type == EventType.MAIL_UNDELIVERED]
    assert [(r["kind"], r["recipients"][0]["address"]) for r in reports] == [
        ("bounce", "dana@customer.example"), ("complaint", "dana@customer.example")]
    # a teammate's notification (`--agent`): told in their inbox, the ticket left alone
    assert report_feedback(container, "acme", ticket_id, "alice@acme.example", agent="alice") == "recorded"
    assert len([e for e in container.ticket_service.events(system_principal("acme"), ticket_id)
                if e.type == EventType.MAIL_UNDELIVERED]) == 2
    assert [i.kind for i in container.inbox_store.newest("acme", "alice", 5)] == ["notice_bounced"]


def test_a_command_names_a_ticket_by_number_or_id_and_a_missing_one_clearly(mail: Any) -> None:
    """`helpdesk mail bounce T-000001` (and `helpdesk triage show`): a missing ticket is a usage error, not a trace."""
    import typer

    from helpdesk.tickets.cli import ticket_by_ref

    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    container, caller = bootstrap.container(), system_principal("acme")
    assert ticket_by_ref(container, caller, "T-000001").id == ticket_id
    assert ticket_by_ref(container, caller, ticket_id).key == "T-000001"
    with pytest.raises(typer.BadParameter, match="no ticket T-000099 in tenant acme"):
        ticket_by_ref(container, caller, "T-000099")
    with pytest.raises(typer.BadParameter, match="in tenant globex"):
        ticket_by_ref(container, system_principal("globex"), ticket_id)  # another tenant's ticket is not found


def test_the_one_who_has_the_ticket_hears_of_the_bounce_by_mail_in_their_language(mail: Any) -> None:
    """The console warns whoever opens the ticket; its assignee may have moved on, so they get a mail too. Their
    answer to it is a note (a reply by mail would go to the address that bounces)."""
    from email.message import EmailMessage

    from helpdesk.directory.model import NewUser
    from helpdesk.mail.local import report_feedback
    from helpdesk.tickets.service import UpdateTicket

    admin = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)
    c = rebuild()
    jana = c.directory.create_user(admin, NewUser(email="jana@acme.example", name="Jana Müller", role=Role.AGENT,
                                                  language="de"))
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    c.ticket_service.update(Principal(user_id=jana.id, tenant_id="acme", role=Role.AGENT), ticket_id,
                            UpdateTicket(assignee_id=jana.id))  # she took it herself: no mail for that
    assert mail.stream() == {"batchItemFailures": []}
    assert report_feedback(c, "acme", ticket_id, "dana@customer.example") == "recorded"
    assert mail.stream() == {"batchItemFailures": []}
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}  # told once
    told: list[EmailMessage] = [m for m in mail.sent() if m["To"] == "jana@acme.example"]
    assert [m["Subject"] for m in told] == ["[T-000001] Unsere E-Mail kam nicht an: Printer jammed"]
    text = plain_text(told[0])
    assert "hat dana@customer.example nicht erreicht: smtp; 550 5.1.1 user unknown" in text
    agent = c.mail_records.message_records("acme", told[0]["Message-ID"].strip("<>")).agent
    assert agent is not None
    assert agent.agent_id == jana.id
    assert agent.internal  # her answer by mail is a note for the team


def test_a_trigger_of_the_team_acts_on_a_bounce_inside_the_feedback_function(
        mail: Any, sends: list[dict[str, Any]], invoke: Invoke, recorded: list[Call]) -> None:
    """"When our mail did not arrive: tag it and raise the priority": set off by the report, within the function's
    permissions."""
    from helpdesk.triggers.model import TriggerList

    admin = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)
    container = bootstrap.container()
    container.triggers.replace(admin, TriggerList.model_validate({"triggers": [{
        "id": "bad-address", "name": "Bad address", "on": ["mail_undelivered"],
        "actions": {"add_tags": ["bad-address"], "priority": "high"}}]}))
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    receipt_tags = sends[0]["Tags"]
    before = len(recorded)
    assert invoke("mail_feedback", as_ses_reports(sample("bounced.json"), receipt_tags))["outcome"] == "recorded"
    assert denied("MailFeedbackFunction", recorded[before:]) == []
    ticket = bootstrap.container().ticket_service.get(admin, ticket_id)
    assert "bad-address" in ticket.tags
    assert ticket.priority == "high"


def test_a_teammates_bounced_notification_is_told_in_their_inbox_not_on_the_ticket(
        mail: Any, sends: list[dict[str, Any]], invoke: Invoke, recorded: list[Call]) -> None:
    """Jana's address is mistyped: the mail telling her of her new ticket bounces. The ticket is left alone (the
    customer got everything); Jana reads in the console that our mail to her did not arrive."""
    from helpdesk.directory.model import NewUser
    from helpdesk.inbox.model import InboxItem
    from helpdesk.tickets.service import UpdateTicket

    c = bootstrap.container()
    admin = Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN)
    jana = c.directory.create_user(admin, NewUser(email="jana@acme.example", name="Jana", role=Role.AGENT))
    ticket_id = mail.deliver(mail.compose(message_id="first@customer.example"), "ses-a")["ticket_id"]
    c.ticket_service.update(admin, ticket_id, UpdateTicket(assignee_id=jana.id))
    assert mail.stream() == {"batchItemFailures": []}
    [to_jana] = [s for s in sends if "jana@acme.example" in s["Destinations"]]
    assert to_jana["ConfigurationSetName"] == CONFIGURATION_SET
    assert "helpdesk-agent" in {t["Name"] for t in to_jana["Tags"]}

    before = len(recorded)
    assert invoke("mail_feedback", as_ses_reports(sample("bounced.json"), to_jana["Tags"]))["outcome"] == "recorded"
    assert denied("MailFeedbackFunction", recorded[before:]) == []
    events = c.ticket_service.events(system_principal("acme"), ticket_id)
    assert EventType.MAIL_UNDELIVERED not in {e.type for e in events}  # not the customer's mail: not the ticket's
    told: list[InboxItem] = c.inbox_store.newest("acme", jana.id, 10)
    assert [(i.kind, i.ticket_id) for i in told if i.kind == "notice_bounced"] == [("notice_bounced", ticket_id)]
    # and the Team screen marks her until an admin clears it (her address is right again)
    marked = c.directory_store.get_user("acme", jana.id)
    assert marked is not None
    assert marked.mail_bounced_at is not None
    assert marked.mail_bounce == "smtp; 550 5.1.1 <jana@kunde.example>: Recipient address rejected: User unknown"
    cleared = invoke("directory_api", http_event("PATCH", f"/users/{jana.id}", claims_=claims("ada", "acme", "admin"),
                                                 body={"mail_bounced_at": None}))
    assert cleared["statusCode"] == 200, cleared["json"]
    assert (cleared["json"]["mail_bounced_at"], cleared["json"]["mail_bounce"]) == (None, None)
    # a full mailbox (a transient bounce) is told in her inbox, and marks nothing
    transient = as_ses_reports(sample("bounced.json"), to_jana["Tags"])
    transient["detail"]["bounce"].update({"bounceType": "Transient", "bounceSubType": "MailboxFull",
                                          "feedbackId": "transient-1"})
    assert invoke("mail_feedback", transient)["outcome"] == "recorded"
    after = c.directory_store.get_user("acme", jana.id)
    assert after is not None
    assert after.mail_bounced_at is None  # still cleared
    assert len([i for i in c.inbox_store.newest("acme", jana.id, 10) if i.kind == "notice_bounced"]) == 2
    # EventBridge's redelivery tells her nothing twice
    assert invoke("mail_feedback", as_ses_reports(sample("bounced.json"), to_jana["Tags"]))["outcome"] == "duplicate"
    assert len([i for i in c.inbox_store.newest("acme", jana.id, 10) if i.kind == "notice_bounced"]) == 2

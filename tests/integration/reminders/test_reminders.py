"""Agents' reminders of tickets: set on the API (each agent's own, a minute to a year ahead, moved by setting it
again), listed, removed; the scheduled sla_scan function mails the due ones to their agent once, with the ticket's
link, and drops those whose agent left."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from moto.backends import get_backend

from helpdesk import bootstrap
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.principal import Principal, Role
from helpdesk.tickets.service import CreateTicket
from tests.conftest import EVENTS, FakeLambdaContext, claims, http_event, load_function
from tests.fakes import seed_directory

Invoke = Callable[..., dict[str, Any]]
ALEX = claims("alex", "acme", "agent")
BO = claims("bo", "acme", "agent")
CUSTOMER = claims("cy", "acme", "customer", email="cy@example.com")


@pytest.fixture
def team(aws: None, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> str:
    import boto3

    boto3.client("ses").verify_email_identity(EmailAddress="sla@acme.example")
    monkeypatch.setenv("HELPDESK_SLA_MAIL_FROM", "sla@acme.example")
    monkeypatch.setenv("HELPDESK_CONSOLE_URL", "https://help.acme.example/console/")
    from tests.conftest import rebuild

    c = rebuild()
    seed_directory(c.directory_store, "acme", agents=["alex", "bo"])
    customer = Principal(user_id="cy", tenant_id="acme", role=Role.CUSTOMER, email="cy@example.com")
    return c.ticket_service.create(customer, CreateTicket(subject="Invoice copy", description="Where is it?")).id


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None) -> dict[str, Any]:
    return invoke("ticket_commands", http_event(method, path, body=body, claims_=who))


def scan(context: FakeLambdaContext) -> dict[str, int]:
    event = json.loads((EVENTS / "sla_scan" / "scheduled.json").read_text())
    result: dict[str, int] = load_function("sla_scan").lambda_handler(event, context)
    return result


def mails() -> list[Any]:
    return list(get_backend("ses")["123456789012"]["us-east-1"].sent_messages)


def test_an_agent_is_mailed_their_reminder_once_when_it_is_due(team: str, clock: FixedClock, invoke: Invoke,
                                                               lambda_context: FakeLambdaContext) -> None:
    at = (clock() + timedelta(hours=2)).isoformat()
    set_ = call(invoke, "PUT", f"/tickets/{team}/reminder", ALEX, {"at": at})
    assert set_["statusCode"] == 200, set_["json"]
    assert (set_["json"]["number"], set_["json"]["sent"]) == ("T-000001", False)
    moved = call(invoke, "PUT", f"/tickets/{team}/reminder", ALEX, {"at": (clock() + timedelta(hours=1)).isoformat()})
    assert moved["statusCode"] == 200
    assert call(invoke, "GET", "/reminders", BO)["json"] == []  # each agent's own
    assert [r["ticket_id"] for r in call(invoke, "GET", "/reminders", ALEX)["json"]] == [team]

    store = bootstrap.container().directory_store
    alex = store.get_user("acme", "alex")
    assert alex is not None
    store.replace_user(alex.model_copy(update={"language": "de", "version": alex.version + 1}), alex.version)
    clock.advance(timedelta(minutes=59))
    assert scan(lambda_context)["reminders_sent"] == 0  # not yet: and the first time it was set is gone
    clock.advance(timedelta(minutes=2))
    assert scan(lambda_context)["reminders_sent"] == 1
    assert scan(lambda_context)["reminders_sent"] == 0  # once
    sent = mails()
    assert [m.destinations["ToAddresses"] for m in sent] == [["alex@acme.example"]]
    assert sent[0].subject == "[T-000001] Erinnerung: Invoice copy"  # in the agent's language
    assert "Sie wollten jetzt an das Ticket T-000001 (Invoice copy) erinnert werden. Sein Status: new." in sent[0].body
    assert f"In der Konsole öffnen: https://help.acme.example/console/#/t/{team}" in sent[0].body
    listed = call(invoke, "GET", "/reminders", ALEX)["json"]
    assert [(r["ticket_id"], r["sent"]) for r in listed] == [(team, True)]
    assert call(invoke, "DELETE", f"/tickets/{team}/reminder", ALEX)["statusCode"] == 204
    assert call(invoke, "GET", "/reminders", ALEX)["json"] == []


def test_reminders_are_the_teams_within_a_year_and_of_tickets_one_may_see(team: str, clock: FixedClock,
                                                                        invoke: Invoke) -> None:
    soon = (clock() + timedelta(hours=1)).isoformat()
    assert call(invoke, "PUT", f"/tickets/{team}/reminder", CUSTOMER, {"at": soon})["statusCode"] in (403, 404)
    assert call(invoke, "GET", "/reminders", CUSTOMER)["statusCode"] == 403
    for at in ((clock() - timedelta(minutes=5)).isoformat(), (clock() + timedelta(days=400)).isoformat()):
        refused = call(invoke, "PUT", f"/tickets/{team}/reminder", ALEX, {"at": at})
        assert refused["statusCode"] == 400, refused["json"]
        assert refused["json"]["error"]["details"]["field"] == "at"
    for body in ({"at": "next monday"}, {"at": "2026-12-07T09:00:00"}, {}, {"at": soon, "note": "x"}):
        assert call(invoke, "PUT", f"/tickets/{team}/reminder", ALEX, body)["statusCode"] == 422, body  # no offset: 422
    assert call(invoke, "PUT", "/tickets/nope/reminder", ALEX, {"at": soon})["statusCode"] == 404
    assert call(invoke, "DELETE", f"/tickets/{team}/reminder", ALEX)["statusCode"] == 404
    other = claims("zed", "globex", "agent")
    assert call(invoke, "PUT", f"/tickets/{team}/reminder", other, {"at": soon})["statusCode"] == 404


def test_a_reminder_of_an_agent_who_left_is_dropped_unsent(team: str, clock: FixedClock, invoke: Invoke,
                                                           lambda_context: FakeLambdaContext) -> None:
    call(invoke, "PUT", f"/tickets/{team}/reminder", BO, {"at": (clock() + timedelta(minutes=5)).isoformat()})
    store = bootstrap.container().directory_store
    bo = store.get_user("acme", "bo")
    assert bo is not None
    store.replace_user(bo.model_copy(update={"active": False, "version": bo.version + 1}), bo.version)
    clock.advance(timedelta(minutes=6))
    assert scan(lambda_context)["reminders_sent"] == 0
    assert mails() == []
    assert call(invoke, "GET", "/reminders", ALEX)["json"] == []


def test_without_a_sender_reminders_are_refused_rather_than_never_sent(aws: None, monkeypatch: pytest.MonkeyPatch,
                                                                      invoke: Invoke) -> None:
    from tests.conftest import rebuild

    monkeypatch.delenv("HELPDESK_SLA_MAIL_FROM", raising=False)
    c = rebuild()
    customer = Principal(user_id="cy", tenant_id="acme", role=Role.CUSTOMER, email="cy@example.com")
    ticket = c.ticket_service.create(customer, CreateTicket(subject="s", description="d"))
    refused = call(invoke, "PUT", f"/tickets/{ticket.id}/reminder", ALEX,
                   {"at": (c.clock() + timedelta(hours=1)).isoformat()})
    assert (refused["statusCode"], refused["json"]["error"]["code"]) == (409, "conflict")
    assert "SlaMailFrom" in refused["json"]["error"]["message"]


def test_a_reminder_of_a_ticket_moved_out_of_the_agents_groups_is_dropped_unsent(
        team: str, clock: FixedClock, invoke: Invoke, lambda_context: FakeLambdaContext) -> None:
    """An agent who sees only their groups' tickets is not mailed the subject of one moved to a group they are not
    in."""
    from helpdesk.tickets.service import UpdateTicket

    c = bootstrap.container()
    seed_directory(c.directory_store, "acme", groups={"billing": ["dee"], "support": ["alex"]}, limited=["dee"])
    admin = Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN)
    c.ticket_service.update(admin, team, UpdateTicket(group="billing"))
    dee = claims("dee", "acme", "agent", groups=["billing"])
    assert call(invoke, "PUT", f"/tickets/{team}/reminder", dee,
                {"at": (clock() + timedelta(minutes=5)).isoformat()})["statusCode"] == 200
    c.ticket_service.update(admin, team, UpdateTicket(group="support"))
    clock.advance(timedelta(minutes=6))
    assert scan(lambda_context)["reminders_sent"] == 0
    assert mails() == []


def test_the_sla_scan_command_sends_the_reminders_due_by_its_time(team: str, clock: FixedClock, invoke: Invoke,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Any) -> None:
    """`helpdesk sla scan --now` runs the scheduled function's round, the agents' reminders included (it once ran
    only the scan and the sweeps: a reminder tried by hand was never sent)."""
    from typer.testing import CliRunner

    from helpdesk.cli.main import app

    monkeypatch.setenv("HELPDESK_HOME", str(tmp_path))  # this test's moto, never a `helpdesk serve` on this machine
    at = clock() + timedelta(hours=2)
    assert call(invoke, "PUT", f"/tickets/{team}/reminder", ALEX, {"at": at.isoformat()})["statusCode"] == 200

    def scan_at(when: str) -> dict[str, Any]:
        result = CliRunner().invoke(app, ["sla", "scan", "--now", when])
        assert result.exit_code == 0, result.output
        printed: dict[str, Any] = json.loads(result.output.strip().splitlines()[-1])
        return printed

    assert scan_at((at - timedelta(minutes=1)).isoformat())["reminders_sent"] == 0  # its time has not come
    done = scan_at((at + timedelta(minutes=1)).isoformat())
    assert done["reminders_sent"] == 1
    assert done["time_triggers"]["errors"] == 0
    assert [m.destinations["ToAddresses"] for m in mails()] == [["alex@acme.example"]]

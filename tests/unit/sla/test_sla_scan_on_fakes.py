"""The SLA scan on the in-memory ports (no moto): a notification is recorded as sent only once a channel took
it, a scan that died mid-way never loses one, and escalation keeps the ticket's policy and its past deadlines."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.bootstrap import build
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.principal import Principal, Role
from helpdesk.sla.adapters.notifier import SnsSesNotifier
from helpdesk.sla.calendar import BusinessCalendar, OpeningSpan
from helpdesk.sla.policy import Conditions, Escalation, PriorityTargets, SlaPolicy
from helpdesk.sla.ports import SlaNotification
from helpdesk.sla.scan import CLAIM_LEASE, SlaScan
from helpdesk.tickets.history import EventType
from helpdesk.tickets.model import Priority, Ticket
from helpdesk.tickets.service import CreateTicket, UpdateTicket
from helpdesk.tickets.sla_state import TargetKind, TargetState
from tests.fakes import (
    InMemoryDirectoryStore,
    InMemoryDueIndex,
    InMemoryNotificationLedger,
    InMemorySlaSettingsStore,
    InMemoryTicketRepository,
    InMemoryTriggerStore,
    seed_directory,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
TENANT = "acme"
AGENT = Principal(user_id="a1", tenant_id=TENANT, role=Role.AGENT)


@dataclass
class Notifier:
    """Records what it was asked to send; answers with `channels`, or raises `fail` times first."""

    channels: list[str] = field(default_factory=lambda: ["sns"])
    fail: int = 0
    sent: list[SlaNotification] = field(default_factory=list)

    def notify(self, notification: SlaNotification) -> list[str]:
        if self.fail:
            self.fail -= 1
            raise ConnectionError("sns unreachable")
        self.sent.append(notification)
        return list(self.channels)


@dataclass
class World:
    scan: SlaScan
    repo: InMemoryTicketRepository
    store: InMemorySlaSettingsStore
    ledger: InMemoryNotificationLedger
    notifier: Notifier
    clock: FixedClock

    def create(self, **kw: object) -> Ticket:
        directory = seed_directory(InMemoryDirectoryStore(), TENANT, groups={"support": [], "tier2": []})
        container = build(ticket_repository=self.repo, sla_settings_store=self.store,
                          trigger_store=InMemoryTriggerStore(), clock=self.clock,
                          directory_store=directory)
        return container.ticket_service.create(AGENT, CreateTicket.model_validate(
            {"subject": "Printer on fire", "description": "help", "requester": {"id": "c1"}, **kw}))

    def stored(self, ticket: Ticket) -> Ticket:
        return self.repo.stored(TENANT, ticket.id)

    def sla_events(self, ticket: Ticket) -> list[dict[str, object]]:
        return [e.data for e in self.repo.events(TENANT, ticket.id) if e.type == EventType.SLA]


@pytest.fixture
def world() -> World:
    repo, store, ledger, notifier = (InMemoryTicketRepository(), InMemorySlaSettingsStore(),
                                     InMemoryNotificationLedger(), Notifier())
    clock = FixedClock(T0)
    container = build(ticket_repository=repo, sla_settings_store=store,
                      trigger_store=InMemoryTriggerStore(), clock=clock, sla_ledger=ledger,
                      sla_notifier=notifier, sla_due_index=InMemoryDueIndex(repo))
    store.put_policy(TENANT, SlaPolicy(id="default", name="Default", warning_minutes=30,
                                       targets={"high": PriorityTargets(first_response_minutes=60)}))
    return World(container.sla_scan, repo, store, ledger, notifier, clock)


WARN_AT = T0 + timedelta(minutes=35)  # high: first response due at 60 min, warned 30 min before


# -- notifications are true ------------------------------------------------------------------------


def test_a_warning_no_channel_took_is_recorded_as_not_notified(world: World) -> None:
    world.notifier.channels = []  # no topic configured, no group address
    ticket = world.create(priority="high")

    summary = world.scan.run(WARN_AT)

    assert world.sla_events(ticket) == [{"kind": "warning", "target": "first_response",
                                         "due_at": (T0 + timedelta(hours=1)).isoformat(), "notified": False,
                                         "reason": "no notification channel or recipient configured"}]
    assert (summary.warned, summary.unnotified) == (1, 1)


def test_a_sent_warning_records_its_channels(world: World) -> None:
    ticket = world.create(priority="high")
    world.notifier.channels = ["sns", "ses"]
    world.scan.run(WARN_AT)
    assert world.sla_events(ticket)[0]["notified"] is True
    assert world.sla_events(ticket)[0]["channels"] == ["sns", "ses"]
    assert len(world.notifier.sent) == 1


def test_the_sns_ses_notifier_says_when_nothing_was_sent() -> None:
    n = SlaNotification(kind="warning", tenant_id=TENANT, ticket_id="t1", ticket_number="T-000001",
                        target="first_response", due_at=T0, priority="high", group=None, recipients=(), subject="s")
    assert SnsSesNotifier(topic_arn=None, mail_from=None).notify(n) == []
    assert SnsSesNotifier(topic_arn=None, mail_from="sla@acme.example").notify(n) == []  # no recipient


def test_a_failed_send_records_nothing_and_the_next_scan_sends_it(world: World) -> None:
    ticket = world.create(priority="high")
    world.notifier.fail = 1
    assert world.scan.run(WARN_AT).errors == 1
    assert world.sla_events(ticket) == []
    first = world.stored(ticket).sla
    assert first is not None
    assert not first.targets[0].warned
    world.scan.run(WARN_AT + timedelta(minutes=1))
    assert [e["notified"] for e in world.sla_events(ticket)] == [True]
    assert len(world.notifier.sent) == 1


def key_of(ticket: Ticket, kind: str) -> str:
    return f"{ticket.id}#first_response@{ticket.created_at.isoformat()}#{kind}"


def test_a_scan_that_died_after_its_claim_leaves_the_notification_to_a_later_scan(world: World) -> None:
    ticket = world.create(priority="high")
    world.ledger.claim(TENANT, key_of(ticket, "warning"), WARN_AT, CLAIM_LEASE)  # claimed, then the scan died

    world.scan.run(WARN_AT + timedelta(minutes=1))  # the lease runs on: someone may still be sending
    assert world.sla_events(ticket) == []  # ... so nothing is recorded, least of all as handled
    assert world.notifier.sent == []

    world.scan.run(WARN_AT + CLAIM_LEASE + timedelta(minutes=1))  # lapsed: this scan sends it
    assert [e["notified"] for e in world.sla_events(ticket)] == [True]
    assert len(world.notifier.sent) == 1


def test_a_scan_that_sent_but_died_before_recording_is_recorded_without_sending_again(world: World) -> None:
    ticket = world.create(priority="high")
    key = key_of(ticket, "warning")
    world.ledger.claim(TENANT, key, WARN_AT, CLAIM_LEASE)
    world.ledger.confirm(TENANT, key, WARN_AT)  # sent; the ticket change never happened

    summary = world.scan.run(WARN_AT + timedelta(minutes=1))

    assert world.notifier.sent == []
    assert [e["notified"] for e in world.sla_events(ticket)] == [True]
    assert (summary.warned, summary.unnotified) == (1, 0)


# -- escalation keeps the policy and the past ------------------------------------------------------


def office() -> BusinessCalendar:
    day = [OpeningSpan(start="09:00", end="17:00")]
    return BusinessCalendar(id="office", name="Office", timezone="UTC",
                            hours={d: day for d in ("mon", "tue", "wed", "thu", "fri")})


def support_policy(**changes: object) -> SlaPolicy:
    return SlaPolicy.model_validate({
        "id": "support", "name": "Support desk", "position": 10, "calendar_id": "office",
        "conditions": Conditions(groups=["support"]), "warning_minutes": 30,
        "escalation": Escalation(raise_priority=True, group="tier2"),
        "targets": {"high": PriorityTargets(first_response_minutes=60, resolution_minutes=16 * 60),
                    "urgent": PriorityTargets(first_response_minutes=30, resolution_minutes=8 * 60)},
        **changes})


def test_escalation_keeps_the_policy_chosen_at_creation_and_its_past_due_times(world: World) -> None:
    world.store.put_calendar(TENANT, office())
    world.store.put_policy(TENANT, support_policy())
    ticket = world.create(priority="high", group="support")
    assert ticket.sla is not None
    assert ticket.sla.policy_id == "support"
    first_due = ticket.sla.target(TargetKind.FIRST_RESPONSE).due_at  # type: ignore[union-attr]

    summary = world.scan.run(T0 + timedelta(minutes=61))  # breached: raised to urgent, moved to tier2

    assert summary.escalated == 1
    stored = world.stored(ticket)
    assert (stored.priority, stored.group) == (Priority.URGENT, "tier2")  # the policy no longer matches ...
    assert stored.sla is not None
    assert (stored.sla.policy_id, stored.sla.calendar_id) == ("support", "office")  # ... and is kept
    first = stored.sla.target(TargetKind.FIRST_RESPONSE)
    assert first is not None
    assert (first.due_at, first.budget_minutes, first.state) == (first_due, 60, TargetState.BREACHED)
    resolution = stored.sla.target(TargetKind.RESOLUTION)
    assert resolution is not None
    assert resolution.due_at == T0 + timedelta(hours=8)  # still ahead: follows the new priority, office hours


def test_a_rule_that_matches_the_new_state_takes_over_but_past_deadlines_stay(world: World) -> None:
    world.store.put_calendar(TENANT, office())
    world.store.put_policy(TENANT, support_policy())
    world.store.put_policy(TENANT, SlaPolicy(
        id="urgent-desk", name="Urgent desk", position=1, conditions=Conditions(priorities=["urgent"]),
        targets={"urgent": PriorityTargets(first_response_minutes=15, resolution_minutes=120)}))
    ticket = world.create(priority="high", group="support")
    first_due = T0 + timedelta(hours=1)

    world.scan.run(T0 + timedelta(minutes=61))

    stored = world.stored(ticket)
    assert stored.sla is not None
    assert stored.sla.policy_id == "urgent-desk"
    first = stored.sla.target(TargetKind.FIRST_RESPONSE)
    assert first is not None
    assert (first.due_at, first.budget_minutes) == (first_due, 60)  # the breached deadline is history
    resolution = stored.sla.target(TargetKind.RESOLUTION)
    assert resolution is not None
    assert resolution.due_at == T0 + timedelta(minutes=120)  # the running clock follows the new rule


def test_a_met_target_keeps_its_verdict_when_the_priority_changes_later(world: World) -> None:
    ticket = world.create(priority="high")
    container = build(ticket_repository=world.repo, sla_settings_store=world.store,
                      trigger_store=InMemoryTriggerStore(), clock=world.clock)
    world.store.put_policy(TENANT, SlaPolicy(id="default", name="Default", targets={
        "high": PriorityTargets(first_response_minutes=60), "urgent": PriorityTargets(first_response_minutes=30)}))
    world.clock.set(T0 + timedelta(minutes=50))
    container.ticket_service.add_message(AGENT, ticket.id, "on it", public=True)  # met, 10 minutes early
    world.clock.set(T0 + timedelta(minutes=55))
    container.ticket_service.update(AGENT, ticket.id, UpdateTicket(priority=Priority.URGENT))

    stored = world.stored(ticket)
    assert stored.sla is not None
    first = stored.sla.target(TargetKind.FIRST_RESPONSE)
    assert first is not None
    assert (first.state, first.due_at, first.budget_minutes) == (TargetState.MET, T0 + timedelta(hours=1), 60)

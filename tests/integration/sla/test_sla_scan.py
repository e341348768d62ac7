"""The SLA scan on moto: warnings, breaches, escalation, exactly-once notifications, auto-close,
policy fallback, and an index that only returns what is due.

The tickets are made through the composition root at the `clock` fixture's time; the scans pass `now`."""

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from helpdesk import bootstrap
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.principal import Principal, Role
from helpdesk.sla.adapters.dynamo import DynamoDueIndex, DynamoNotificationLedger, DynamoSlaSettingsStore
from helpdesk.sla.calendar import BusinessCalendar, OpeningSpan
from helpdesk.sla.hook import SlaHook
from helpdesk.sla.policy import Escalation, PriorityTargets, SlaPolicy
from helpdesk.sla.ports import Claim, SlaSettings
from helpdesk.sla.scan import SlaScan
from helpdesk.tickets.adapters.dynamo import DynamoTicketRepository
from helpdesk.tickets.model import Priority, Requester, Status
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket
from helpdesk.tickets.sla_state import TargetKind, TargetState
from tests.fakes import seed_directory

CUSTOMER = Principal(user_id="c1", tenant_id="acme", role=Role.CUSTOMER, email="c1@example.com")
CUSTOMER_REQUESTER = Requester(id="c1", email="c1@example.com")  # a customer's ticket the team opened for them
AGENT = Principal(user_id="a1", tenant_id="acme", role=Role.AGENT)
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class BarrierLedger(DynamoNotificationLedger):
    """The real ledger, but every claimant waits until all scans have read the ticket and decided. Its
    writes take one lock: a conditional write is atomic in DynamoDB, not in moto's in-process backend."""

    atomic = threading.Lock()

    def __init__(self, barrier: threading.Barrier) -> None:
        super().__init__(bootstrap.container().tables)
        self.barrier = barrier

    def claim(self, tenant_id: str, key: str, at: datetime, lease: timedelta) -> Claim:
        self.barrier.wait(timeout=10)
        with self.atomic:
            return super().claim(tenant_id, key, at, lease)

    def confirm(self, tenant_id: str, key: str, at: datetime) -> None:
        with self.atomic:
            super().confirm(tenant_id, key, at)


def make_scan(ledger: DynamoNotificationLedger | None = None) -> SlaScan:
    c = bootstrap.container()
    return SlaScan(c.ticket_service, c.sla_settings_store, DynamoDueIndex(c.tables),
                   ledger or DynamoNotificationLedger(c.tables), c.sla_notifier)


def scan_twice_at_once(now: datetime) -> list[dict[str, int]]:
    barrier = threading.Barrier(2)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []
    # A ticket's transaction (the ticket, conditioned on its version, and its events) is atomic in DynamoDB, not
    # in moto's in-process backend: two threads could both pass the version check and write half each.
    repository = bootstrap.container().ticket_repository
    save, saving = repository.save, threading.Lock()

    def atomic_save(*args: Any, **kwargs: Any) -> Any:
        with saving:
            return save(*args, **kwargs)

    repository.save = atomic_save  # type: ignore[method-assign]

    def run() -> None:
        try:
            results.append(make_scan(BarrierLedger(barrier)).run(now).as_dict())
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    repository.save = save  # type: ignore[method-assign]
    assert not errors
    return results


def test_warning_then_breach_each_notify_once_even_when_two_scans_run_at_once(
        notifications: Callable[[], list[dict[str, object]]], clock: FixedClock) -> None:
    bootstrap.container().sla_settings_store.put_policy("acme", SlaPolicy(
        id="default", name="Default", warning_minutes=30, group_emails={"support": ["support@acme.example"]},
        escalation=Escalation(raise_priority=True, group="tier2"),
        targets={"high": PriorityTargets(first_response_minutes=60),
                 "urgent": PriorityTargets(first_response_minutes=30)}))
    clock.set(T0)
    seed_directory(bootstrap.container().directory_store, "acme", groups={"support": [], "tier2": []})
    ticket = bootstrap.container().ticket_service.create(AGENT, CreateTicket(
        subject="Printer on fire", description="help", priority=Priority.HIGH, group="support",
        requester=CUSTOMER_REQUESTER))
    assert ticket.sla is not None
    assert ticket.sla.next_action_at == T0 + timedelta(minutes=30)

    assert make_scan().run(T0 + timedelta(minutes=20)).as_dict()["examined"] == 0

    warned = scan_twice_at_once(T0 + timedelta(minutes=35))
    assert sorted(r["warned"] for r in warned) == [0, 1]
    sent = notifications()
    assert [(m["kind"], m["target"]) for m in sent] == [("warning", "first_response")]

    breached = scan_twice_at_once(T0 + timedelta(minutes=61))
    assert sorted(r["breached"] for r in breached) == [0, 1]
    assert sorted(r["escalated"] for r in breached) == [0, 1]
    assert [(m["kind"], m["target"]) for m in notifications()] == [("breached", "first_response")]

    # Retried scans later find nothing more to say.
    assert make_scan().run(T0 + timedelta(minutes=70)).as_dict()["breached"] == 0
    assert notifications() == []

    stored = bootstrap.container().ticket_service.get(AGENT, ticket.id)
    assert (stored.priority, stored.group) == (Priority.URGENT, "tier2")
    assert stored.sla is not None
    first = stored.sla.target(TargetKind.FIRST_RESPONSE)
    assert first is not None
    assert first.state == TargetState.BREACHED
    assert stored.sla.next_action_at is None  # nothing left to do: out of the index
    log = bootstrap.container().ticket_service.events(AGENT, ticket.id)
    sla_kinds = [e.data["kind"] for e in log if e.type == "sla"]
    assert sla_kinds == ["warning", "breached"]
    assert {(e.type.value, e.actor) for e in log if e.type in ("priority_changed", "group_changed")} == {
        ("priority_changed", "sla"), ("group_changed", "sla")}
    from moto.backends import get_backend

    mails = get_backend("ses")["123456789012"]["us-east-1"].sent_messages
    assert [m.destinations["ToAddresses"] for m in mails] == [["support@acme.example"], ["support@acme.example"]]
    # The group's mail opens the ticket in the console (which keeps the page through sign-in).
    assert all(f"Open it in the console: https://help.acme.example/console/#/t/{ticket.id}\n" in m.body
               for m in mails), mails[0].body


def test_the_assignee_is_mailed_the_warning_unless_they_turned_such_mail_off(
        notifications: Callable[[], list[dict[str, object]]], clock: FixedClock) -> None:
    """The agent who owns the ticket can still answer in time: they get its warning (and breach) mail beside the
    policy's group addresses, from the directory, unless their `notify_by_mail` is off."""
    from moto.backends import get_backend

    c = bootstrap.container()
    c.sla_settings_store.put_policy("acme", SlaPolicy(
        id="default", name="Default", warning_minutes=30, group_emails={"support": ["support@acme.example"]},
        targets={"high": PriorityTargets(first_response_minutes=60)}))
    clock.set(T0)
    seed_directory(c.directory_store, "acme", groups={"support": ["jana", "otto"]})
    jana, otto = (c.ticket_service.create(AGENT, CreateTicket(
        subject=f"Printer {n}", description="help", priority=Priority.HIGH, group="support",
        requester=CUSTOMER_REQUESTER)) for n in (1, 2))
    for ticket, who in ((jana, "jana"), (otto, "otto")):
        c.ticket_service.update(AGENT, ticket.id, UpdateTicket(assignee_id=who))
    otto_record = c.directory_store.get_user("acme", "otto")
    assert otto_record is not None
    c.directory_store.replace_user(otto_record.model_copy(update={"notify_by_mail": False, "version": 2}),
                                   expected_version=1)

    jana_record = c.directory_store.get_user("acme", "jana")
    assert jana_record is not None
    c.directory_store.replace_user(jana_record.model_copy(update={"language": "de", "time_zone": "Europe/Berlin",
                                                                  "version": 2}), expected_version=1)

    assert c.sla_scan.run(T0 + timedelta(minutes=31)).as_dict()["warned"] == 2
    mails = get_backend("ses")["123456789012"]["us-east-1"].sent_messages
    sent = {m.subject: sorted(m.destinations["ToAddresses"]) for m in mails}
    assert sent == {f"[{jana.key}] SLA erste Antwort bald fällig": ["jana@acme.example"],  # in her language
                    f"[{jana.key}] SLA first response due soon": ["support@acme.example"],
                    f"[{otto.key}] SLA first response due soon": ["support@acme.example"]}
    [to_jana] = [m for m in mails if m.destinations["ToAddresses"] == ["jana@acme.example"]]
    assert to_jana.body.splitlines()[:3] == [
        f"Ticket {jana.key} (high, Gruppe support)", "Betreff: „Printer 1“",
        "Ziel: erste Antwort, fällig 2026-11-23 11:00 Europe/Berlin"]  # in her time zone
    [to_group] = [m for m in mails if m.destinations["ToAddresses"] == ["support@acme.example"]
                  and m.subject.startswith(f"[{jana.key}]")]
    assert "Target: first response, due 2026-11-23 10:00 UTC" in to_group.body


def test_a_shared_mailbox_reads_the_due_time_in_the_zone_of_the_policys_calendar(
        notifications: Callable[[], list[dict[str, object]]], clock: FixedClock) -> None:
    """A team on Berlin office hours reads "due 11:00 Europe/Berlin" in its group mailbox, not the UTC time."""
    from moto.backends import get_backend

    c = bootstrap.container()
    c.sla_settings_store.put_calendar("acme", BusinessCalendar(
        id="office", name="Berlin office", timezone="Europe/Berlin",
        hours={day: [OpeningSpan(start="09:00", end="17:00")] for day in ("mon", "tue", "wed", "thu", "fri")}))
    c.sla_settings_store.put_policy("acme", SlaPolicy(
        id="default", name="Default", warning_minutes=30, calendar_id="office",
        group_emails={"support": ["support@acme.example"]},
        targets={"high": PriorityTargets(first_response_minutes=60)}))
    clock.set(T0)  # Monday 10:00 in Berlin: open
    seed_directory(c.directory_store, "acme", groups={"support": []})
    ticket = c.ticket_service.create(AGENT, CreateTicket(subject="Printer", description="help",
                                                         priority=Priority.HIGH, group="support",
        requester=CUSTOMER_REQUESTER))

    assert c.sla_scan.run(T0 + timedelta(minutes=31)).as_dict()["warned"] == 1
    [mail] = get_backend("ses")["123456789012"]["us-east-1"].sent_messages
    assert mail.destinations["ToAddresses"] == ["support@acme.example"]
    assert mail.subject == f"[{ticket.key}] SLA first response due soon"
    assert "Target: first response, due 2026-11-23 11:00 Europe/Berlin" in mail.body
    assert [m["due_at"] for m in notifications()] == ["2026-11-23T10:00:00+00:00"]  # SNS keeps the instant


def test_a_shared_mailbox_reads_the_policys_language(
        notifications: Callable[[], list[dict[str, object]]], clock: FixedClock) -> None:
    """A German team's shared mailbox has no profile: the policy says the language of its group mails."""
    from moto.backends import get_backend

    c = bootstrap.container()
    c.sla_settings_store.put_policy("acme", SlaPolicy(
        id="default", name="Default", warning_minutes=30, group_email_language="de",
        group_emails={"support": ["support@acme.example"]},
        targets={"high": PriorityTargets(first_response_minutes=60)}))
    clock.set(T0)
    seed_directory(c.directory_store, "acme", groups={"support": []})
    ticket = c.ticket_service.create(AGENT, CreateTicket(subject="Printer", description="help",
                                                         priority=Priority.HIGH, group="support",
        requester=CUSTOMER_REQUESTER))

    assert c.sla_scan.run(T0 + timedelta(minutes=31)).as_dict()["warned"] == 1
    [mail] = get_backend("ses")["123456789012"]["us-east-1"].sent_messages
    assert mail.subject == f"[{ticket.key}] SLA erste Antwort bald fällig"
    assert mail.body.splitlines()[2] == "Ziel: erste Antwort, fällig 2026-11-23 10:00 UTC"


def test_the_scan_reads_only_due_tickets(notifications: Callable[[], list[dict[str, object]]],
                                         clock: FixedClock) -> None:
    clock.set(T0)
    tickets = bootstrap.container().ticket_service
    urgent = tickets.create(CUSTOMER, CreateTicket(subject="s", description="d", priority=Priority.URGENT))
    for _ in range(5):
        tickets.create(CUSTOMER, CreateTicket(subject="s", description="d", priority=Priority.LOW))
    summary = make_scan().run(T0 + timedelta(minutes=31)).as_dict()  # urgent warns at 30 min, low after 23.5 h
    assert (summary["examined"], summary["warned"]) == (1, 1)
    assert [m["ticket_id"] for m in notifications()] == [urgent.id]


def test_time_in_pending_is_not_counted_by_the_scan(notifications: Callable[[], list[dict[str, object]]],
                                                    clock: FixedClock) -> None:
    clock.set(T0)
    tickets = bootstrap.container().ticket_service
    ticket = tickets.create(CUSTOMER, CreateTicket(subject="s", description="d", priority=Priority.URGENT))
    clock.set(T0 + timedelta(minutes=10))
    tickets.update(AGENT, ticket.id, UpdateTicket(status=Status.PENDING))
    assert make_scan().run(T0 + timedelta(hours=5)).as_dict()["examined"] == 0  # paused: not in the index
    clock.set(T0 + timedelta(hours=5))
    reopened = tickets.update(AGENT, ticket.id, UpdateTicket(status=Status.OPEN))
    assert reopened.sla is not None
    first = reopened.sla.target(TargetKind.FIRST_RESPONSE)
    assert first is not None
    assert first.due_at == T0 + timedelta(hours=5, minutes=50)  # 10 minutes used, 50 left
    assert first.state == TargetState.OK
    assert notifications() == []


def test_a_resolved_ticket_auto_closes_after_the_configured_days(
        notifications: Callable[[], list[dict[str, object]]], clock: FixedClock) -> None:
    bootstrap.container().sla_settings_store.put_policy("acme", SlaPolicy(id="default", name="Default",
                                                                          auto_close_days=3, targets={}))
    clock.set(T0)
    ticket = bootstrap.container().ticket_service.create(CUSTOMER, CreateTicket(subject="s", description="d"))
    bootstrap.container().ticket_service.add_message(AGENT, ticket.id, "fixed it", public=True)
    resolved = bootstrap.container().ticket_service.update(AGENT, ticket.id, UpdateTicket(status=Status.RESOLVED))
    assert resolved.sla is not None
    assert resolved.sla.auto_close_at == T0 + timedelta(days=3)

    assert make_scan().run(T0 + timedelta(days=2, hours=23)).as_dict()["closed"] == 0
    assert make_scan().run(T0 + timedelta(days=3, minutes=1)).as_dict()["closed"] == 1
    closed = bootstrap.container().ticket_service.get(AGENT, ticket.id)
    assert closed.status == Status.CLOSED
    assert closed.sla is not None
    assert closed.sla.next_action_at is None
    last = bootstrap.container().ticket_service.events(AGENT, ticket.id)[-1]
    assert (last.type.value, last.actor, last.data["to"]) == ("status_changed", "sla", "closed")
    assert make_scan().run(T0 + timedelta(days=4)).as_dict() == {
        "examined": 0, "warned": 0, "breached": 0, "escalated": 0, "closed": 0, "reminded": 0, "resolved": 0,
        "errors": 0, "unnotified": 0, "woke": 0}


def test_a_customer_reply_on_a_resolved_ticket_stops_the_auto_close(
        notifications: Callable[[], list[dict[str, object]]], clock: FixedClock) -> None:
    clock.set(T0)
    tickets = bootstrap.container().ticket_service
    ticket = tickets.create(CUSTOMER, CreateTicket(subject="s", description="d", priority=Priority.LOW))
    tickets.update(AGENT, ticket.id, UpdateTicket(status=Status.RESOLVED))
    clock.set(T0 + timedelta(days=1))
    reopened, _ = tickets.add_message(CUSTOMER, ticket.id, "not fixed", public=True)
    assert reopened.status == Status.OPEN
    assert reopened.sla is not None
    assert reopened.sla.auto_close_at is None
    make_scan().run(T0 + timedelta(days=8))
    assert tickets.get(AGENT, ticket.id).status != Status.CLOSED


def _waiting_for_the_customer(clock: FixedClock, description: str, reply: str) -> str:
    """A customer's ticket the team answered with a question and set pending at T0 (reminder after 2 days,
    resolution after 5; resolution within 3 days)."""
    bootstrap.container().sla_settings_store.put_policy("acme", SlaPolicy(
        id="default", name="Default", targets={"normal": PriorityTargets(resolution_minutes=3 * 24 * 60)},
        pending_reminder_days=2, pending_resolve_days=5))
    clock.set(T0)
    tickets = bootstrap.container().ticket_service
    ticket = tickets.create(CUSTOMER, CreateTicket(subject="Drucker druckt nicht", description=description))
    tickets.add_message(AGENT, ticket.id, reply, public=True)
    pending = tickets.update(AGENT, ticket.id, UpdateTicket(status=Status.PENDING))
    assert pending.sla is not None
    assert (pending.sla.pending_reminder_at, pending.sla.pending_resolve_at) == (T0 + timedelta(days=2),
                                                                                T0 + timedelta(days=5))
    return ticket.id


def test_a_pending_ticket_reminds_the_customer_once_then_resolves(
        notifications: Callable[[], list[dict[str, object]]], clock: FixedClock) -> None:
    ticket_id = _waiting_for_the_customer(
        clock, "Der Drucker im Büro druckt seit gestern keine Seiten mehr, obwohl er eingeschaltet ist.",
        "Welche Fehlermeldung zeigt das Display?")
    tickets = bootstrap.container().ticket_service
    assert make_scan().run(T0 + timedelta(days=1, hours=23)).as_dict()["reminded"] == 0
    assert make_scan().run(T0 + timedelta(days=2, minutes=1)).as_dict()["reminded"] == 1
    reminder = tickets.events(AGENT, ticket_id)[-1]
    assert (reminder.type.value, reminder.actor, reminder.data["public"], reminder.data["from_customer"]) == (
        "public_message", "sla", True, False)
    # in the customer's language, saying when the request counts as solved (5 - 2 days after the reminder)
    assert reminder.data["body"].startswith("Wir warten noch auf Ihre Antwort")
    assert "T-000001 (Drucker druckt nicht)" in reminder.data["body"]
    assert "innerhalb von 3 Tagen" in reminder.data["body"]
    assert tickets.get(AGENT, ticket_id).status == Status.PENDING
    assert make_scan().run(T0 + timedelta(days=2, minutes=2)).as_dict()["reminded"] == 0  # once

    assert make_scan().run(T0 + timedelta(days=5, minutes=1)).as_dict()["resolved"] == 1
    resolved = tickets.get(AGENT, ticket_id)
    assert resolved.status == Status.RESOLVED
    last = tickets.events(AGENT, ticket_id)[-1]
    assert (last.type.value, last.actor, last.data["to"], last.data["reason"]) == (
        "status_changed", "sla", "resolved", "no_reply")
    assert resolved.sla is not None
    assert resolved.sla.auto_close_at == T0 + timedelta(days=5 + 7, minutes=1)  # the policy's auto-close follows
    assert resolved.sla.pending_resolve_at is None
    resolution = resolved.sla.target(TargetKind.RESOLUTION)  # the 5 days waiting for the customer did not count
    assert resolution is not None
    assert (resolution.state, resolution.elapsed_minutes) == (TargetState.MET, 0)
    assert notifications() == []  # the customer is reached by the message itself, not the staff notifier


def test_the_reminder_is_in_the_language_the_customers_profile_sets(
        notifications: Callable[[], list[dict[str, object]]], clock: FixedClock) -> None:
    from helpdesk.directory.profiles import CustomerProfile

    ticket_id = _waiting_for_the_customer(clock, "The printer in the office stopped printing yesterday.",
                                          "Which error does it show?")
    c = bootstrap.container()
    requester = c.ticket_service.get(AGENT, ticket_id).requester.key
    c.customer_profile_store.put(CustomerProfile(tenant_id="acme", id=requester, language="es", version=1), 0)
    assert c.sla_scan.run(T0 + timedelta(days=2, minutes=1)).as_dict()["reminded"] == 1
    reminder = c.ticket_service.events(AGENT, ticket_id)[-1]
    assert reminder.data["body"].startswith("Seguimos esperando"), reminder.data["body"]


def test_a_customers_reply_to_the_reminder_keeps_the_ticket_open(
        notifications: Callable[[], list[dict[str, object]]], clock: FixedClock) -> None:
    ticket_id = _waiting_for_the_customer(clock, "The printer stopped printing.", "Which error does it show?")
    make_scan().run(T0 + timedelta(days=2, minutes=1))
    clock.set(T0 + timedelta(days=3))
    tickets = bootstrap.container().ticket_service
    reopened, _ = tickets.add_message(CUSTOMER, ticket_id, "It shows E42.", public=True)
    assert reopened.status == Status.OPEN
    assert reopened.sla is not None
    assert reopened.sla.pending_resolve_at is None
    assert make_scan().run(T0 + timedelta(days=6)).as_dict()["resolved"] == 0
    assert tickets.get(AGENT, ticket_id).status == Status.OPEN


def test_a_ticket_put_on_hold_without_a_question_asked_is_neither_reminded_nor_resolved(
        notifications: Callable[[], list[dict[str, object]]], clock: FixedClock) -> None:
    bootstrap.container().sla_settings_store.put_policy("acme", SlaPolicy(
        id="default", name="Default", targets={}, pending_reminder_days=2, pending_resolve_days=5))
    clock.set(T0)
    tickets = bootstrap.container().ticket_service
    ticket = tickets.create(CUSTOMER, CreateTicket(subject="s", description="The printer stopped printing."))
    held = tickets.update(AGENT, ticket.id, UpdateTicket(status=Status.PENDING))  # waiting on a supplier, say
    assert held.sla is not None
    assert held.sla.pending_reminder_at is None
    assert make_scan().run(T0 + timedelta(days=6)).as_dict()["reminded"] == 0
    assert tickets.get(AGENT, ticket.id).status == Status.PENDING


def test_a_deleted_policy_falls_back_to_the_default_and_says_so(
        notifications: Callable[[], list[dict[str, object]]], clock: FixedClock) -> None:
    store = bootstrap.container().sla_settings_store
    store.put_policy("acme", SlaPolicy(id="vip", name="VIP", position=1, conditions={"tags": ["vip"]},
                                       targets={"normal": PriorityTargets(first_response_minutes=15)}))
    clock.set(T0)
    ticket = bootstrap.container().ticket_service.create(AGENT, CreateTicket(subject="s", description="d", tags=["vip"],
                                                         requester=Requester(id="c1")))
    assert ticket.sla is not None
    assert ticket.sla.policy_id == "vip"
    store.delete_policy("acme", "vip")
    make_scan().run(T0 + timedelta(minutes=20))  # the old policy's warning time: the scan looks again
    stored = bootstrap.container().ticket_service.get(AGENT, ticket.id)
    assert stored.sla is not None
    assert stored.sla.policy_id == "default"
    fallback = [e for e in bootstrap.container().ticket_service.events(AGENT, ticket.id) if e.type == "sla"]
    assert fallback[0].data == {"kind": "policy_fallback", "missing_policy": "vip", "policy": "default"}
    # Customers never see SLA internals in the log.
    assert all(e.type != "sla" for e in bootstrap.container().ticket_service.events(CUSTOMER, ticket.id))


class UnreadableSettings(DynamoSlaSettingsStore):
    """The real store, but reading is denied (an IAM grant missing in some function)."""

    def load(self, tenant_id: str, *, fresh: bool = False) -> SlaSettings:
        raise PermissionError("AccessDeniedException: dynamodb:Query on the meta table")


def test_unreadable_sla_settings_never_block_a_ticket_change(aws: None, clock: FixedClock) -> None:
    clock.set(T0)
    c = bootstrap.container()
    healthy = c.ticket_service.create(CUSTOMER, CreateTicket(subject="s", description="d"))
    broken = TicketService(DynamoTicketRepository(c.tables), hooks=[SlaHook(UnreadableSettings(c.tables))], clock=clock)
    clock.set(T0 + timedelta(minutes=5))
    updated = broken.update(AGENT, healthy.id, UpdateTicket(priority=Priority.HIGH))
    assert updated.priority == Priority.HIGH
    assert updated.sla == healthy.sla  # kept as it was; the next healthy change recomputes it

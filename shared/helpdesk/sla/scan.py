"""The SLA scan: find the tickets whose next SLA action is due, warn, mark breaches, escalate, auto-close, and
remind a customer who has not answered a pending ticket, then mark it resolved (`SlaPolicy.pending_*`), and end the
snoozes whose time came (the ticket is back in the queues; its history says so and the mail stream tells the agent).

Cost follows the due tickets: the due index holds only tickets with a pending action, ordered by time.
Once, and true: before notifying, the scan claims `<ticket>#<target>@<clock start>#<kind>` in the
ledger for a lease, sends, and only then confirms it and records the warning or breach on the ticket
(`notified` says whether any channel took it, `channels` which). A concurrent scan finds the claim busy and
leaves the ticket alone; a scan that died before confirming leaves a lapsed claim that the next scan takes
over and sends; a scan that sent but died before the ticket change leaves a confirmed claim, and the next
scan records it without sending again. The ticket changes (flags, escalation, auto-close, an `sla` event
in the log) go through `TicketService.apply_system_change` as the `sla` actor, so they are rule-checked and
retried on races.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import NotFound
from helpdesk.kernel.principal import system_principal
from helpdesk.platform.observability import logger
from helpdesk.sla.calendar import BusinessCalendar
from helpdesk.sla.engine import awaits_customer
from helpdesk.sla.hook import choose_policy, refresh
from helpdesk.sla.policy import SlaPolicy
from helpdesk.sla.ports import (
    Claim,
    DueIndex,
    NotificationLedger,
    Notifier,
    SlaNotification,
    SlaReader,
    SlaSettingsStore,
)
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Priority, Status, Ticket
from helpdesk.tickets.service import TicketService
from helpdesk.tickets.sla_state import SlaTarget, TargetState, sla_scan_entry

if TYPE_CHECKING:
    from helpdesk.tickets.language import ChosenLanguage

RAISED = {Priority.LOW: Priority.NORMAL, Priority.NORMAL: Priority.HIGH, Priority.HIGH: Priority.URGENT}
# How long a scan holds a notification it claimed before another may send it: longer than the scan
# function runs (120 s), so a live scan never loses its claim.
CLAIM_LEASE = timedelta(minutes=5)


@dataclass
class ScanSummary:
    examined: int = 0
    warned: int = 0
    breached: int = 0
    escalated: int = 0
    closed: int = 0
    reminded: int = 0  # pending tickets whose customer was reminded
    resolved: int = 0  # pending tickets resolved for want of the customer's reply
    errors: int = 0
    unnotified: int = 0  # warnings and breaches recorded without a notification: no channel or recipient
    woke: int = 0  # snoozed tickets back in the queues

    def as_dict(self) -> dict[str, int]:
        return {"examined": self.examined, "warned": self.warned, "breached": self.breached,
                "escalated": self.escalated, "closed": self.closed, "reminded": self.reminded,
                "resolved": self.resolved, "errors": self.errors, "unnotified": self.unnotified,
                "woke": self.woke}


@dataclass
class _Action:
    target: SlaTarget
    kind: str  # "warning" | "breached"
    key: str
    claim: Claim = Claim.BUSY
    channels: list[str] | None = None  # None: sent by an earlier scan (which channels is not known)
    recorded: bool = False  # this scan recorded it on the ticket

    @property
    def sent(self) -> bool:
        return self.claim == Claim.SENT or bool(self.channels)


@dataclass
class _Outcome:
    escalated: bool = False
    closed: bool = False
    woke: bool = False
    pending: Literal["remind", "resolve"] | None = None
    events: list[TicketEvent] = field(default_factory=list)


class SlaScan:
    def __init__(self, tickets: TicketService, settings: SlaSettingsStore, due: DueIndex,
                 ledger: NotificationLedger, notifier: Notifier, max_tickets: int = 500, *,
                 assignee_contact: Callable[[str, str], SlaReader | None] | None = None,
                 languages: "ChosenLanguage | None" = None, clock: Clock = system_clock) -> None:
        self.tickets, self.settings, self.due = tickets, settings, due
        self.ledger, self.notifier, self.max_tickets = ledger, notifier, max_tickets
        # (tenant, user id) -> the address, language and time zone of an assignee who takes mail about their tickets
        # (the directory)
        self._assignee_contact = assignee_contact
        self._languages = languages  # the language a customer's profile sets for the reminder of a pending ticket
        self._clock = clock

    def run(self, now: datetime | None = None, max_tickets: int | None = None) -> ScanSummary:
        """One pass, all of it as of one time: `now` (the CLI's `--now`, tests) or the scan's clock. The
        time is passed down (ticket changes, the SLA hook), never pinned globally: overlapping scans
        in threads each keep their own."""
        return self._run(now if now is not None else self._clock(), max_tickets or self.max_tickets)

    def _run(self, now: datetime, max_tickets: int) -> ScanSummary:
        summary = ScanSummary()
        batch = self.due.due(now, max_tickets)
        summary.examined = batch.examined
        for item in batch.items:
            try:
                self._handle(item.tenant_id, item.ticket_id, now, summary)
            except Exception as exc:  # one bad ticket (or a failed send) must not stop the others
                summary.errors += 1
                logger.warning("sla scan skipped a ticket",
                               extra={"ticket_id": item.ticket_id, "error": type(exc).__name__})
        return summary

    def _handle(self, tenant_id: str, ticket_id: str, now: datetime, summary: ScanSummary) -> None:
        caller = system_principal(tenant_id, "sla")
        try:
            ticket = self.tickets.get(caller, ticket_id)
        except NotFound:
            return
        refresh(ticket, [], self.settings, now)  # states as of now
        policy, calendar = choose_policy(ticket, self.settings.load(tenant_id))  # the ticket's own, as the hook
        candidates = [a for a in (_action_for(ticket, t) for t in (ticket.sla.targets if ticket.sla else []))
                      if a is not None]
        actions: list[_Action] = []
        for action in candidates:
            action.claim = self.ledger.claim(tenant_id, action.key, now, CLAIM_LEASE)
            if action.claim == Claim.BUSY:
                continue  # another scan is sending it and will record it
            if action.claim == Claim.WON:
                try:
                    assignee = self._assignee_contact(tenant_id, ticket.assignee_id) \
                        if self._assignee_contact is not None and ticket.assignee_id else None
                    action.channels = self.notifier.notify(_notification(ticket, action, policy, calendar,
                                                                         assignee))
                except Exception:
                    self.ledger.release(tenant_id, action.key)  # let the next scan try again
                    raise
                self.ledger.confirm(tenant_id, action.key, now)
            actions.append(action)
        outcome = _Outcome()

        def change(fresh: Ticket) -> list[TicketEvent]:
            outcome.escalated = outcome.closed = False
            outcome.pending = None
            stored = sla_scan_entry(fresh.id, fresh.sla, fresh.snoozed_until)
            events = refresh(fresh, [], self.settings, now)[1]
            woke = fresh.wake("sla", now)
            outcome.woke = bool(woke)
            events += woke
            for action in actions:
                action.recorded = False
                target = fresh.sla.target(action.target.kind) if fresh.sla else None
                if target is None or target.started_at != action.target.started_at:
                    continue
                marked = _mark(fresh, target, action, now)
                events += marked
                if action.kind == "breached" and marked and not outcome.escalated:  # once, when first recorded
                    escalation = _escalate(fresh, policy, now)
                    outcome.escalated = bool(escalation)
                    events += escalation
            if (fresh.status == Status.RESOLVED and fresh.sla is not None and fresh.sla.auto_close_at is not None
                    and fresh.sla.auto_close_at <= now):
                events += fresh.change_status(Status.CLOSED, "sla", now)
                outcome.closed = True
            outcome.pending = _pending_action(fresh, now)
            events += _follow_up_pending(fresh, outcome.pending, policy, now, self._languages)
            if not events and _stale_index(stored.due if stored else None, fresh, now):
                # Nothing to do but the index still points here (a policy changed): rewrite the keys.
                events.append(_sla_event(fresh, now, {"kind": "rescheduled"}))
            return events

        self.tickets.apply_system_change(caller, ticket_id, change, now=now)
        recorded = [a for a in actions if a.recorded]
        summary.warned += sum(1 for a in recorded if a.kind == "warning")
        summary.breached += sum(1 for a in recorded if a.kind == "breached")
        summary.unnotified += sum(1 for a in recorded if not a.sent)
        summary.escalated += int(outcome.escalated)
        summary.closed += int(outcome.closed)
        summary.reminded += int(outcome.pending == "remind")
        summary.resolved += int(outcome.pending == "resolve")
        summary.woke += int(outcome.woke)


def _pending_action(ticket: Ticket, now: datetime) -> Literal["remind", "resolve"] | None:
    """What a ticket waiting for its customer's reply is due for now: resolving, else the one reminder."""
    sla = ticket.sla
    if sla is None or not awaits_customer(ticket, sla):
        return None
    if sla.pending_resolve_at is not None and sla.pending_resolve_at <= now:
        return "resolve"
    if (sla.pending_reminder_at is not None and sla.pending_reminder_at <= now
            and sla.pending_reminded_for != sla.paused_since):
        return "remind"
    return None


def _follow_up_pending(ticket: Ticket, action: Literal["remind", "resolve"] | None, policy: SlaPolicy,
                       now: datetime, languages: "ChosenLanguage | None" = None) -> list[TicketEvent]:
    """The reminder is a public message of the `sla` actor, in the customer's language: it reaches them as any
    reply does (mail, portal, chat) and the agents read it in the conversation. The resolution is a status change
    saying why (`reason: no_reply`), so the rating mail and the auto-close follow as for any resolution."""
    if action == "resolve":
        events = ticket.change_status(Status.RESOLVED, "sla", now)
        for event in events:
            event.data["reason"] = "no_reply"
        return events
    if action == "remind":
        assert ticket.sla is not None
        ticket.sla.pending_reminded_for = ticket.sla.paused_since
        from helpdesk.tickets.language import customer_language

        reminder = _reminder(ticket, policy, customer_language(ticket, languages))
        return ticket.add_message(reminder, public=True, actor="sla", by_customer=False, at=now,
                                  meta={"automatic": "pending_reminder"})
    return []


def _reminder(ticket: Ticket, policy: SlaPolicy, language: str) -> str:
    from helpdesk.kernel.i18n import phrase

    resolves = ""
    if policy.pending_resolve_days and policy.pending_reminder_days:
        days = policy.pending_resolve_days - policy.pending_reminder_days
        resolves = phrase("pending_resolves_one", language) if days == 1 else \
            phrase("pending_resolves", language, days=str(days))
    subject = " ".join(ticket.subject.split())[:120]
    return phrase("pending_reminder", language, number=ticket.key, subject=f" ({subject})" if subject else "",
                  resolves=resolves)


def _action_for(ticket: Ticket, target: SlaTarget) -> _Action | None:
    if target.met_at is not None or target.due_at is None:
        return None
    if target.state == TargetState.BREACHED and not target.breach_handled:
        kind = "breached"
    elif target.state == TargetState.WARNING and not target.warned:
        kind = "warning"
    else:
        return None
    key = f"{ticket.id}#{target.kind.value}@{target.started_at.isoformat()}#{kind}"
    return _Action(target=target, kind=kind, key=key)


def _mark(ticket: Ticket, target: SlaTarget, action: _Action, now: datetime) -> list[TicketEvent]:
    """Record that this clock's warning or breach is handled; the log says whether, and how, it was notified."""
    already = target.breach_handled if action.kind == "breached" else target.warned
    target.warned = True
    if action.kind == "breached":
        target.breach_handled = True
    action.recorded = not already  # (re)set on every attempt of the change: the last one is the truth
    if already:
        return []  # a concurrent scan got here first
    data: dict[str, Any] = {"kind": action.kind, "target": target.kind.value,
                            "due_at": target.due_at.isoformat() if target.due_at else None, "notified": action.sent}
    if action.channels:
        data["channels"] = action.channels
    elif not action.sent:
        data["reason"] = "no notification channel or recipient configured"
    return [_sla_event(ticket, now, data)]


def _escalate(ticket: Ticket, policy: SlaPolicy, now: datetime) -> list[TicketEvent]:
    events: list[TicketEvent] = []
    if policy.escalation.raise_priority and ticket.priority in RAISED:
        events += ticket.set_field("priority", RAISED[ticket.priority], "sla", now)
    if policy.escalation.group:
        events += ticket.set_field("group", policy.escalation.group, "sla", now)
    return events


def _stale_index(stored_next: datetime | None, ticket: Ticket, now: datetime) -> bool:
    """The stored index key says "due" but the recomputed entry has nothing due: the key must move."""
    entry = sla_scan_entry(ticket.id, ticket.sla, ticket.snoozed_until)
    due = entry.due if entry else None
    return stored_next is not None and stored_next <= now and (due is None or due > now)


def _sla_event(ticket: Ticket, now: datetime, data: dict[str, Any]) -> TicketEvent:
    return TicketEvent(ticket_id=ticket.id, tenant_id=ticket.tenant_id, type=EventType.SLA, actor="sla", at=now,
                       data=data)


def _notification(ticket: Ticket, action: _Action, policy: SlaPolicy, calendar: BusinessCalendar,
                  assignee: SlaReader | None = None) -> SlaNotification:
    """To the addresses the policy names for the ticket's group (and, on a breach, the escalation group), and to
    the agent the ticket is assigned to: the one who can still answer in time. The group addresses read the
    policy's language and times in the zone of its calendar."""
    groups = [ticket.group] + ([policy.escalation.group] if action.kind == "breached" else [])
    addresses = {a for g in groups if g for a in policy.group_emails.get(g, [])}
    recipients = sorted(addresses | {assignee.address} if assignee else addresses)
    assert action.target.due_at is not None
    return SlaNotification(kind=action.kind, tenant_id=ticket.tenant_id, ticket_id=ticket.id,
                           ticket_number=ticket.key, target=action.target.kind.value,
                           due_at=action.target.due_at, priority=ticket.priority.value, group=ticket.group,
                           recipients=tuple(recipients), subject=ticket.subject,
                           readers=(assignee,) if assignee else (), team_time_zone=calendar.timezone,
                           team_language=policy.group_email_language)

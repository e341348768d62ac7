"""The SLA clocks of one ticket: recomputed from its previous SLA state plus the events of a change.

- first response: from creation until the first public agent reply (`ticket.first_response_at`);
- next response: from the customer's oldest unanswered public message until an agent replies publicly
  (only once the first response is given: before that the first-response clock covers the wait);
- resolution: from creation until the ticket is resolved (reopening resumes it).

A ticket with no customer (`Ticket.no_customer`: the team's own, a problem) runs only the resolution clock.

While a ticket is `pending` (or `resolved`, waiting for the customer) every clock stands still and that
time never counts; a closed ticket stops them for good. Due times are business time on the policy's
calendar. States: `met` (in time), `breached` (late, met or not), `warning`, `ok`.

History is never rewritten: a clock that was met keeps its record, and a deadline that has passed keeps
its time and budget whatever changes later (a new priority, another policy). Only running clocks whose
deadline is still ahead follow the ticket's current priority and policy.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from helpdesk.sla.calendar import BusinessCalendar, Interval
from helpdesk.sla.policy import SlaPolicy
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Status, Ticket
from helpdesk.tickets.sla_state import Pause, SlaTarget, TargetKind, TargetState, TicketSla

PAUSING_STATUSES = frozenset({Status.PENDING, Status.RESOLVED})
RESPONSE_KINDS = frozenset({TargetKind.FIRST_RESPONSE, TargetKind.NEXT_RESPONSE})  # a customer's wait for a reply
MAX_ANSWERED_CYCLES = 50  # earlier next-response cycles kept on the ticket for attainment reports


@dataclass
class SlaUpdate:
    sla: TicketSla
    finished: list[SlaTarget] = field(default_factory=list)  # targets met in this change (for metrics)


def recompute(ticket: Ticket, events: list[TicketEvent], policy: SlaPolicy, calendar: BusinessCalendar,
              now: datetime) -> SlaUpdate:
    prev = ticket.sla
    sla = TicketSla(
        policy_id=policy.id,
        calendar_id=calendar.id,
        paused_since=prev.paused_since if prev else None,
        pauses=list(prev.pauses) if prev else [],
        awaiting_since=prev.awaiting_since if prev else None,
        answered_cycles=list(prev.answered_cycles) if prev else [],
        pending_reminded_for=prev.pending_reminded_for if prev else None,
    )
    answered_at = _replay(sla, events)
    _reconcile_pause(sla, ticket, now)
    old = {t.kind: t for t in prev.targets} if prev else {}
    closed_pauses: list[Interval] = [(p.start, p.end) for p in sla.pauses]
    stopped_at = sla.paused_since or (ticket.closed_at if ticket.status == Status.CLOSED else None)
    effective_now = min(now, stopped_at) if stopped_at else now

    def build(kind: TargetKind, started_at: datetime, met_at: datetime | None) -> SlaTarget | None:
        if ticket.imported_from is not None and started_at < ticket.imported_from.imported_at:
            return None  # a wait that began in the old helpdesk was measured there (or not at all): not ours
        before = old.get(kind)
        same_clock = before is not None and before.started_at == started_at
        if same_clock and before is not None and before.met_at is not None and before.met_at == met_at:
            return before.model_copy()  # met earlier: its deadline, budget and verdict are history
        # A deadline already passed stays where it was, on the budget it was measured against.
        passed = same_clock and before is not None and (
            before.state == TargetState.BREACHED or (before.due_at is not None and before.due_at <= now))
        budget = before.budget_minutes if passed and before is not None else policy.budget(ticket.priority.value,
                                                                                           kind)
        if budget is None:
            return None
        target = SlaTarget(kind=kind, started_at=started_at, budget_minutes=budget, met_at=met_at)
        if same_clock and before is not None:  # same clock: keep what the scan did
            target.warned, target.breach_handled = before.warned, before.breach_handled
        # A clock met while a pause is still open (a pending ticket resolved, by an agent or for want of the
        # customer's reply): the open pause up to that moment is no time the team spent either.
        pauses = closed_pauses + ([(sla.paused_since, met_at)] if met_at is not None and sla.paused_since is not None
                                  and sla.paused_since < met_at else [])
        due = calendar.add(started_at, budget, pauses)
        if passed and before is not None and before.due_at is not None:
            due = before.due_at
        if met_at is not None:
            target.elapsed_minutes = round(calendar.elapsed(started_at, met_at, pauses), 3)
            in_time = target.elapsed_minutes <= budget and not passed
            target.state = TargetState.MET if in_time else TargetState.BREACHED
            target.due_at = due
            return target
        target.due_at = None if stopped_at else due
        if passed or effective_now >= due:
            target.state = TargetState.BREACHED
        elif effective_now >= due - timedelta(minutes=policy.warning_minutes):
            target.state = TargetState.WARNING
        return target

    next_response = _next_response(ticket, sla, old.get(TargetKind.NEXT_RESPONSE), answered_at, build)
    before = old.get(TargetKind.NEXT_RESPONSE)
    if before is not None and before.met_at is not None and (next_response is None
                                                             or next_response.started_at != before.started_at):
        sla.answered_cycles = [*sla.answered_cycles, before][-MAX_ANSWERED_CYCLES:]  # a new wait began
    targets = [
        build(TargetKind.FIRST_RESPONSE, ticket.created_at, ticket.first_response_at),
        next_response,
        build(TargetKind.RESOLUTION, ticket.created_at,
              ticket.resolved_at if ticket.status in (Status.RESOLVED, Status.CLOSED) else None),
    ]
    sla.targets = [t for t in targets if t is not None and _runs_on(ticket, t.kind)]
    if ticket.status == Status.RESOLVED and policy.auto_close_days and ticket.resolved_at:
        sla.auto_close_at = ticket.resolved_at + timedelta(days=policy.auto_close_days)
    if awaits_customer(ticket, sla):
        assert sla.paused_since is not None
        if policy.pending_reminder_days and sla.pending_reminded_for != sla.paused_since:
            sla.pending_reminder_at = sla.paused_since + timedelta(days=policy.pending_reminder_days)
        if policy.pending_resolve_days:
            sla.pending_resolve_at = sla.paused_since + timedelta(days=policy.pending_resolve_days)
    sla.next_action_at = next_action(sla, policy.warning_minutes)
    finished = [t for t in sla.targets if t.met_at is not None
                and (old.get(t.kind) is None or old[t.kind].met_at is None or old[t.kind].started_at != t.started_at)]
    return SlaUpdate(sla=sla, finished=finished)


def _runs_on(ticket: Ticket, kind: TargetKind) -> bool:
    """The team's own ticket runs no response clock: its replies answer nobody waiting (its customers' tickets do)."""
    return not (ticket.no_customer and kind in RESPONSE_KINDS)


def awaits_customer(ticket: Ticket, sla: TicketSla) -> bool:
    """Pending after the team's public reply, with nothing of the customer's unanswered: the team asked and waits.
    (Pending without a question asked, or over an unanswered customer message, is the team's own hold: no
    reminder, no resolution.)"""
    return (ticket.status == Status.PENDING and sla.paused_since is not None and sla.awaiting_since is None
            and ticket.last_agent_message_at is not None)


def next_action(sla: TicketSla, warning_minutes: int) -> datetime | None:
    """When the scan must next look: a running clock's warning or deadline, the auto-close time, or a pending
    ticket's reminder or resolution."""
    times: list[datetime] = []
    for target in sla.targets:
        if target.met_at is not None or target.due_at is None:
            continue
        if not target.warned:
            times.append(target.due_at - timedelta(minutes=warning_minutes))
        elif not target.breach_handled:
            times.append(target.due_at)
    times += [t for t in (sla.auto_close_at, sla.pending_reminder_at, sla.pending_resolve_at) if t is not None]
    return min(times) if times else None


def _replay(sla: TicketSla, events: list[TicketEvent]) -> datetime | None:
    """Apply the change's events to the waiting and pause markers; returns when an agent answered."""
    answered_at: datetime | None = None
    for event in events:
        if event.type == EventType.CREATED:
            sla.awaiting_since = sla.awaiting_since or event.at  # the description is the first message
        elif event.type == EventType.PUBLIC_MESSAGE:
            if event.data.get("from_customer"):
                sla.awaiting_since = sla.awaiting_since or event.at
            else:
                if sla.awaiting_since is not None:
                    answered_at = event.at
                sla.awaiting_since = None
        elif event.type == EventType.STATUS_CHANGED:
            pausing = event.data.get("to") in {s.value for s in PAUSING_STATUSES}
            if pausing and sla.paused_since is None:
                sla.paused_since = event.at
            elif not pausing and sla.paused_since is not None and event.data.get("to") != Status.CLOSED.value:
                _close_pause(sla, event.at)
    return answered_at


def _reconcile_pause(sla: TicketSla, ticket: Ticket, now: datetime) -> None:
    """The status is the truth: heal markers when a change reached us without its events."""
    if ticket.status in PAUSING_STATUSES and sla.paused_since is None:
        sla.paused_since = now
    elif ticket.status not in PAUSING_STATUSES and ticket.status != Status.CLOSED and sla.paused_since:
        _close_pause(sla, now)


def _close_pause(sla: TicketSla, at: datetime) -> None:
    assert sla.paused_since is not None
    if at > sla.paused_since:
        sla.pauses.append(Pause(start=sla.paused_since, end=at))
    sla.paused_since = None


def _next_response(ticket: Ticket, sla: TicketSla, before: SlaTarget | None, answered_at: datetime | None,
                   build: Any) -> SlaTarget | None:
    if ticket.first_response_at is None:
        return None  # the first-response clock covers the wait until then
    if sla.awaiting_since is not None:
        target: SlaTarget | None = build(TargetKind.NEXT_RESPONSE, sla.awaiting_since, None)
        return target
    if before is None:
        return None
    if before.met_at is None and answered_at is not None:  # this change answered the waiting customer
        met: SlaTarget | None = build(TargetKind.NEXT_RESPONSE, before.started_at, answered_at)
        return met
    return before if before.met_at is not None else None

"""Time triggers (`Trigger.after`): which are due on a ticket and what they do to it, pure, so the sweep, `POST
/triggers/try` and their tests share it.

A time trigger acts once for each time it waits from: it records that time on the ticket (`time_triggers_fired`), so
"not updated for 48 hours: tag it and mail the group" waits for the next change by a person and 48 quiet hours
again, instead of mailing every 48 hours (Zendesk asks the admin for a condition the action undoes; here the record
does it). "Updated" is a person's change (`Ticket.touched_at`): the SLA scan's warnings and the triggers' own changes
do not start the wait again."""

from datetime import datetime, timedelta

from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import Ticket
from helpdesk.triggers.firing import Assignable, act, unmet
from helpdesk.triggers.model import TimerStart, Trigger
from helpdesk.triggers.ports import BusinessTime

# The ticket's fields of the times that fall back to its last update on tickets stored before they were kept.
KEPT_AS = {TimerStart.UPDATED: "touched_at", TimerStart.STATUS_CHANGED: "status_changed_at",
           TimerStart.ASSIGNED: "assigned_at"}


def started(ticket: Ticket, since: TimerStart) -> datetime | None:
    """The time of the ticket's a timer counts from (None: it has none, as an unanswered ticket's team message).
    A ticket stored before its status and assignment times were kept waits from its last update (late, not early)."""
    assigned = (ticket.assigned_at or ticket.updated_at) if ticket.assignee_id is not None else None
    return {TimerStart.CREATED: ticket.created_at, TimerStart.UPDATED: ticket.touched_at or ticket.updated_at,
            TimerStart.CUSTOMER_MESSAGE: ticket.last_customer_message_at,
            TimerStart.TEAM_MESSAGE: ticket.last_agent_message_at,
            TimerStart.RESOLVED: ticket.resolved_at,
            TimerStart.STATUS_CHANGED: ticket.status_changed_at or ticket.updated_at,
            TimerStart.ASSIGNED: assigned}[since]


def due_at(trigger: Trigger, ticket: Ticket, business: BusinessTime | None = None) -> datetime | None:
    """When the time trigger is due on the ticket: None when it is no time trigger, the ticket has no such time, the
    trigger acted for this time already or its business hours never come. Its conditions are not looked at.
    `business`: the ticket's business hours (without: calendar hours)."""
    after = trigger.after
    if after is None:
        return None
    start = started(ticket, after.since)
    if start is None or ticket.time_triggers_fired.get(trigger.id) == start:
        return None
    if after.business_hours and business is not None:
        try:
            return business(ticket, start, after.hours * 60)
        except ValueError:  # a calendar with no such business time ahead: never due
            return None
    return start + timedelta(hours=after.hours)


def waiting(trigger: Trigger, ticket: Ticket, now: datetime, business: BusinessTime | None = None) -> list[str]:
    """Why the time trigger would not act on the ticket now (the conditions unmet, and `after` when its time has not
    come or it acted for it already): empty when it would."""
    due = due_at(trigger, ticket, business)
    late = [] if due is not None and due <= now else ["after"]
    return [*unmet(trigger.conditions, ticket, ticket.status), *late]


def fire_due(triggers: list[Trigger], ticket: Ticket, now: datetime, assignable: Assignable | None = None,
             business: BusinessTime | None = None) -> list[TicketEvent]:
    """The events of what the active time triggers due by `now` did to `ticket` (changed in place, its record of
    them included), in their order; each sees the ticket as the ones before it left it."""
    _keep_times(ticket)
    made: list[TicketEvent] = []
    for trigger in triggers:
        if not trigger.timed or waiting(trigger, ticket, now, business):
            continue
        assert trigger.after is not None  # timed
        start = started(ticket, trigger.after.since)
        assert start is not None  # not waiting: it has the time
        ticket.time_triggers_fired[trigger.id] = start
        # What it waited for, as it was (its own change may move the ticket on): the team's mail says it.
        waited: dict[str, object] = {**trigger.after.model_dump(mode="json"), "from": start.isoformat()}
        if trigger.after.since == TimerStart.STATUS_CHANGED:
            waited["status"] = ticket.status.value
        events = act(trigger, ticket, now, assignable=assignable)
        for event in events:
            event.data["trigger"] = {"id": trigger.id, "name": trigger.name, "after": waited}
        made += events
    if made:  # what it records of triggers since deleted goes with this write (`triggers`: all of the tenant's)
        timed = {t.id for t in triggers if t.after is not None}
        ticket.time_triggers_fired = {k: v for k, v in ticket.time_triggers_fired.items() if k in timed}
    return made


def _keep_times(ticket: Ticket) -> None:
    """A ticket stored before its times were kept: its last update is kept as them before a trigger acts, or the
    trigger's own change (a later `updated_at`) would start the others' waits again."""
    for since, field in KEPT_AS.items():
        if getattr(ticket, field) is None:
            setattr(ticket, field, started(ticket, since))


def any_due(triggers: list[Trigger], ticket: Ticket, now: datetime, business: BusinessTime | None = None) -> bool:
    """Whether one of the time triggers would act on the ticket now (the sweep writes only those tickets)."""
    return any(t.timed and not waiting(t, ticket, now, business) for t in triggers)

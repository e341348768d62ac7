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


def started(ticket: Ticket, since: TimerStart) -> datetime | None:
    """The time of the ticket's a timer counts from (None: it has none, as an unanswered ticket's team message)."""
    return {TimerStart.CREATED: ticket.created_at, TimerStart.UPDATED: ticket.touched_at or ticket.updated_at,
            TimerStart.CUSTOMER_MESSAGE: ticket.last_customer_message_at,
            TimerStart.TEAM_MESSAGE: ticket.last_agent_message_at,
            TimerStart.RESOLVED: ticket.resolved_at}[since]


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
    made: list[TicketEvent] = []
    for trigger in triggers:
        if not trigger.timed or waiting(trigger, ticket, now, business):
            continue
        assert trigger.after is not None  # timed
        start = started(ticket, trigger.after.since)
        assert start is not None  # not waiting: it has the time
        ticket.time_triggers_fired[trigger.id] = start
        events = act(trigger, ticket, now, assignable=assignable)
        for event in events:
            event.data["trigger"] = {"id": trigger.id, "name": trigger.name}
        made += events
    if made:  # what it records of triggers since deleted goes with this write (`triggers`: all of the tenant's)
        timed = {t.id for t in triggers if t.after is not None}
        ticket.time_triggers_fired = {k: v for k, v in ticket.time_triggers_fired.items() if k in timed}
    return made


def any_due(triggers: list[Trigger], ticket: Ticket, now: datetime, business: BusinessTime | None = None) -> bool:
    """Whether one of the time triggers would act on the ticket now (the sweep writes only those tickets)."""
    return any(t.timed and not waiting(t, ticket, now, business) for t in triggers)

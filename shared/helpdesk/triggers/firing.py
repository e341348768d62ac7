"""Which triggers a change sets off, and what they do to the ticket: pure, so the hook and its tests share it.

A trigger sees what happened in the change and the ticket as it stands then, after the triggers before it; none runs
twice in one change. By default that is the change's own events: no trigger sets off another (Zammad's default).
A list that `rerun`s runs Zendesk's trigger cycle: once a trigger has acted the list runs again from the top, the
field changes triggers made (status, priority, group, assignee, tags; not their replies and notes) count as what
happened, and the triggers that acted are skipped, so it ends after at most one round per trigger. An action the
ticket cannot take (reopening a closed ticket, a 51st tag) is left out; the others still happen."""

from collections.abc import Callable
from contextlib import suppress
from datetime import datetime

from helpdesk.kernel.errors import InvalidAssignment, InvalidInput, InvalidTransition, TooLarge
from helpdesk.kernel.principal import SYSTEM_ACTORS, system_principal
from helpdesk.kernel.text import mentions_any, retagged
from helpdesk.tickets.fields import field_filter, field_terms, merged_values
from helpdesk.tickets.history import EventType, TicketEvent, format_meta
from helpdesk.tickets.model import Status, Ticket
from helpdesk.tickets.ports import AssignmentPolicy
from helpdesk.tickets.service import MAX_TICKET_TAGS
from helpdesk.triggers.model import TRIGGER_ACTOR, Trigger, TriggerConditions, TriggerEvent

_CHANGES = {EventType.STATUS_CHANGED: TriggerEvent.STATUS_CHANGED,
            EventType.PRIORITY_CHANGED: TriggerEvent.PRIORITY_CHANGED,
            EventType.GROUP_CHANGED: TriggerEvent.GROUP_CHANGED,
            EventType.ASSIGNEE_CHANGED: TriggerEvent.ASSIGNEE_CHANGED,
            EventType.TAGS_CHANGED: TriggerEvent.TAGS_CHANGED,
            EventType.INTERNAL_NOTE: TriggerEvent.NOTE_ADDED,
            EventType.CSAT_RATED: TriggerEvent.CUSTOMER_RATED}
# What a trigger's own changes set off in a list that reruns: its fields, not its reply or note (an automatic message
# is not the team answering) nor its mail.
_FIELD_CHANGES = {EventType.STATUS_CHANGED, EventType.PRIORITY_CHANGED, EventType.GROUP_CHANGED,
                  EventType.ASSIGNEE_CHANGED, EventType.TAGS_CHANGED}
_SLA = {"warning": TriggerEvent.SLA_WARNING, "breached": TriggerEvent.SLA_BREACHED}
MAX_QUOTED_CHARS = 2000  # of the change's message in the mail's event: the mail quotes less, the ticket has it all
# May this agent take this ticket now (an active agent or admin, a member of the ticket's group): the directory's
# answer when a trigger assigns, read only then.
Assignable = Callable[[Ticket, str], bool]


def assignable_by(policy: AssignmentPolicy | None) -> Assignable | None:
    """The directory's assignment check as a trigger asks it (None: no directory, as in memory: anyone)."""
    if policy is None:
        return None

    def check(ticket: Ticket, user_id: str) -> bool:
        try:
            policy.check(ticket.tenant_id, assignee_id=user_id, assignee_group=ticket.group)
        except InvalidAssignment:
            return False
        return True

    return check


def happened(events: list[TicketEvent], *, by_triggers: bool = False) -> set[TriggerEvent]:
    """What a change did, in the terms triggers wait for; `by_triggers`: the fields triggers changed count too (a
    list that reruns)."""
    found: set[TriggerEvent] = set()
    for event in events:
        if event.actor == TRIGGER_ACTOR:
            if by_triggers and event.type in _FIELD_CHANGES:
                found.add(_CHANGES[event.type])
            continue
        if event.type == EventType.CREATED:
            found.add(TriggerEvent.TICKET_CREATED)
        elif event.type == EventType.PUBLIC_MESSAGE:
            found.add(TriggerEvent.CUSTOMER_REPLIED if event.data.get("from_customer") else TriggerEvent.AGENT_REPLIED)
        elif event.type == EventType.SLA and event.data.get("kind") in _SLA:
            found.add(_SLA[event.data["kind"]])
        elif event.type == EventType.MAIL_UNDELIVERED:
            found.add(TriggerEvent.MAIL_UNDELIVERED)
        elif event.type in _CHANGES:
            found.add(_CHANGES[event.type])
    return found


def status_before(ticket: Ticket, events: list[TicketEvent]) -> Status:
    """The ticket's status before the change: what its first status change moved it from, else its status."""
    moved = next((e for e in events if e.type == EventType.STATUS_CHANGED and e.actor != TRIGGER_ACTOR), None)
    return Status(moved.data["from"]) if moved is not None else ticket.status


def opening(ticket: Ticket) -> str:
    """What a new ticket says, for the keywords a trigger on `ticket_created` looks for."""
    return f"{ticket.subject}\n{ticket.description}"


def written(ticket: Ticket, events: list[TicketEvent]) -> str:
    """What the change's messages say (a reply, a note, a new ticket's subject and description; not a trigger's), for
    the keywords a trigger asks for."""
    said = [opening(ticket)] if any(e.type == EventType.CREATED for e in events) else []
    return "\n".join([*said, *(str(e.data.get("body") or "") for e in events
                               if e.type in (EventType.PUBLIC_MESSAGE, EventType.INTERNAL_NOTE)
                               and e.actor != TRIGGER_ACTOR)])


def unmet(conditions: TriggerConditions, ticket: Ticket, before: Status, message: str = "") -> list[str]:
    """The conditions (their field names) the ticket does not meet; `message`: what the change's messages say
    (`written`)."""
    c = conditions
    checks = {
        "statuses": not c.statuses or ticket.status in c.statuses,
        "from_statuses": not c.from_statuses or before in c.from_statuses,
        "priorities": not c.priorities or ticket.priority in c.priorities,
        "groups": not c.groups or ticket.group in c.groups,
        "channels": not c.channels or ticket.channel in c.channels,
        "tags": set(c.tags) <= set(ticket.tags),
        "without_tags": not set(c.without_tags) & set(ticket.tags),
        "assigned": c.assigned is None or c.assigned == (ticket.assignee_id is not None),
        "organizations": not c.organizations or ticket.organization_id in c.organizations,
        "forms": not c.forms or ticket.form in c.forms,
        "ratings": not c.ratings or (ticket.csat is not None and ticket.csat.rating in c.ratings),
        "fields": not c.fields or {field_filter(f) for f in c.fields} <= set(field_terms(ticket.custom_fields)),
        "keywords": not c.keywords or mentions_any(message, c.keywords),
    }
    return [name for name, met in checks.items() if not met]


def holds(conditions: TriggerConditions, ticket: Ticket, before: Status, message: str = "") -> bool:
    return not unmet(conditions, ticket, before, message)


def written_out(template: str, ticket: Ticket) -> str:
    """A trigger's reply or note for the ticket as it stands: a macro's placeholders, no agent (a trigger is none)."""
    from helpdesk.macros.rendering import render
    from helpdesk.macros.service import placeholders

    return render(template, placeholders(ticket, system_principal(ticket.tenant_id, TRIGGER_ACTOR))).strip()


def fire(triggers: list[Trigger], ticket: Ticket, events: list[TicketEvent], now: datetime,
         assignable: Assignable | None = None, *, rerun: bool = False) -> list[TicketEvent]:
    """The events of what the matching triggers did to `ticket` (changed in place), in the order they acted;
    `rerun`: the list's Zendesk-style cycle (the module's docstring). A time trigger's changes (the sweep's change)
    set off the others only then."""
    what = happened(events, by_triggers=rerun)
    if not what:
        return []
    before = status_before(ticket, events)
    message = written(ticket, events)
    # What the team's mail quotes: the change's reply, a rating's comment, a new ticket's description.
    said = next((str(e.data.get("body") or e.data.get("comment") or "") for e in events
                 if e.type in (EventType.PUBLIC_MESSAGE, EventType.CSAT_RATED)),
                ticket.description if TriggerEvent.TICKET_CREATED in what else "")
    # A trigger never undoes a group's automatic assignment in its own change: the two would hand the ticket back and
    # forth for ever (the queue's next turn, the trigger's unassign, ...).
    handed_out = any(e.type == EventType.ASSIGNEE_CHANGED and e.data.get("automatic") for e in events)
    actor = next((e.actor for e in events if e.actor not in SYSTEM_ACTORS), None)  # the person who made the change
    made: list[TicketEvent] = []
    acted: set[str] = set()
    while True:
        for trigger in triggers:
            if trigger.id in acted or not (trigger.active and what & set(trigger.on)
                                           and holds(trigger.conditions, ticket, before, message)):
                continue
            acted.add(trigger.id)
            changes = act(trigger, ticket, now, said, keep_assignee=handed_out, assignable=assignable, actor=actor)
            for event in changes:
                event.data["trigger"] = {"id": trigger.id, "name": trigger.name}
            made += changes
            if rerun and changes:
                what |= happened(changes, by_triggers=True)
                break  # from the top again: the triggers before it see what it changed
        else:
            return made


def act(trigger: Trigger, ticket: Ticket, now: datetime, said: str = "", *, keep_assignee: bool = False,
        assignable: Assignable | None = None, actor: str | None = None) -> list[TicketEvent]:
    """What the trigger does to the ticket, as events; its mail to the team and the news for the integrations are one
    more event (`triggered`, published as `ticket.triggered`), sent from the stream once the change is written,
    quoting the change's message (`said`). `assignable`: whether the agent it assigns may take the ticket now (in its
    group as the trigger left it); `actor`: the person whose change set it off (`assign_to_actor`)."""
    a = trigger.actions
    events: list[TicketEvent] = []
    if a.group:
        events += ticket.set_field("group", a.group, TRIGGER_ACTOR, now)
    if not keep_assignee:
        events += _assignment(trigger, ticket, now, assignable, actor)
    if a.priority:
        events += ticket.set_field("priority", a.priority, TRIGGER_ACTOR, now)
    if a.add_tags or a.remove_tags:
        tags = retagged(ticket.tags, a.add_tags, a.remove_tags)
        if len(tags) <= MAX_TICKET_TAGS:
            events += ticket.set_field("tags", tags, TRIGGER_ACTOR, now)
    if a.custom_fields:
        with suppress(TooLarge):  # over what a ticket's fields may hold: left out as a 51st tag is
            events += ticket.set_field("custom_fields", merged_values(ticket.custom_fields, a.custom_fields),
                                       TRIGGER_ACTOR, now)
    for template, public in ((a.reply, True), (a.note, False)):
        # A closed ticket takes no message, and a template that fails to render or renders empty says nothing: left
        # out as any action the ticket cannot take.
        with suppress(InvalidTransition, InvalidInput):
            body = written_out(template, ticket) if template else ""
            if body:
                events += ticket.add_message(body, public=public, actor=TRIGGER_ACTOR, by_customer=False, at=now,
                                             meta={"automatic": "trigger", **format_meta(a.format)}, automatic=True)
    if a.status:
        # A closed ticket stays closed (the transition table's one rule a trigger may meet): the other actions stand.
        with suppress(InvalidTransition):
            events += ticket.change_status(a.status, TRIGGER_ACTOR, now)
    if a.notify or a.integrations:  # the mail is sent, and the integrations told, from the stream
        data: dict[str, object] = {"notify": list(a.notify)}
        if a.integrations:
            data["integrations"] = True
        if said:
            data["body"] = said[:MAX_QUOTED_CHARS]
        events.append(TicketEvent(ticket_id=ticket.id, tenant_id=ticket.tenant_id, type=EventType.TRIGGERED,
                                  actor=TRIGGER_ACTOR, at=now, data=data))
    return events


def _assignment(trigger: Trigger, ticket: Ticket, now: datetime, assignable: Assignable | None,
                actor: str | None) -> list[TicketEvent]:
    """The trigger's unassign, assignee or assignment to the one who made the change."""
    a = trigger.actions
    if a.unassign:
        return ticket.set_field("assignee_id", None, TRIGGER_ACTOR, now)
    if a.assignee_id and ticket.assignee_id != a.assignee_id and \
            (assignable is None or assignable(ticket, a.assignee_id)):
        return ticket.set_field("assignee_id", a.assignee_id, TRIGGER_ACTOR, now)
    # Only the directory tells an agent from a customer: without one, nobody is given the ticket this way.
    if a.assign_to_actor and actor and ticket.assignee_id != actor and \
            assignable is not None and assignable(ticket, actor):
        events = ticket.set_field("assignee_id", actor, TRIGGER_ACTOR, now)
        for event in events:
            event.data["to_actor"] = True  # they took it by their own change: no "assigned to you" mail
        return events
    return []

"""Time the team logged on a ticket in the old helpdesk, as time logged here: one `time_logged` event per entry
(team only, in the monthly timesheet's index as any) and the ticket's total, so "where the hours go" counts the
months before the switch."""

from collections.abc import Callable

from helpdesk.imports.model import SourcePerson, SourceTimeEntry
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Ticket

StaffId = Callable[[SourcePerson | None], str | None]  # an old person -> the directory's user, if any


def time_events(ticket: Ticket, entries: list[SourceTimeEntry], people: dict[str, SourcePerson], source: str,
                staff_id: StaffId, room: int) -> tuple[list[TicketEvent], str | None]:
    """The entries as events, oldest first, the ticket's total set; at most `room` of them (the rest are added up
    into the last one kept: the total stays right), with a problem naming that."""
    kept = sorted((e for e in entries if e.minutes), key=lambda e: e.at)
    problem = None
    if len(kept) > room:
        if room <= 0:
            return [], f"time entries: {len(kept)}, none brought over (its history is full)"
        problem = f"time entries: {len(kept)}, the last {len(kept) - room + 1} added up into one"
        rest = kept[room - 1:]
        kept = [*kept[:room - 1], rest[-1].model_copy(update={"minutes": sum(e.minutes for e in rest)})]
    events: list[TicketEvent] = []
    total = 0
    for entry in kept:
        author = people.get(entry.author_id or "")
        total = max(0, total + entry.minutes)  # a correction there never takes it below nothing, as here
        events.append(TicketEvent(
            ticket_id=ticket.id, tenant_id=ticket.tenant_id, type=EventType.TIME_LOGGED, at=entry.at,
            actor=staff_id(author) or f"{source}:{entry.author_id or 'unknown'}",
            data={"minutes": entry.minutes, "total": total, "number": ticket.key,
                  "organization_id": ticket.organization_id, "group": ticket.group,
                  "author_name": author.name if author is not None and author.name else entry.author_id or "unknown",
                  "imported_from": {"source": source}}))
    ticket.time_spent_minutes = total
    return events, problem

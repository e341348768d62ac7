"""Automatic assignment: a ticket that comes to wait unassigned in a group that assigns automatically
(`Group.auto_assign`) goes to the group's next member in turn (round robin), skipping members who are away,
disabled or no longer agents. What Zendesk, Freshdesk and Help Scout call round-robin assignment: nobody has to
watch the queue to hand out its tickets, and the work is shared evenly.

"Comes to wait" is the change of a ticket into new or open, unassigned, in the group: opened there, moved there
(by a person, a routing rule or triage), reopened, or unassigned. A ticket that was waiting already when an admin
turned the group's automatic assignment on is left in the queue.

Safe under races and replays: the turn is claimed first (a conditional write on the group's turn counter, so two
tickets arriving together go to two people), then the ticket is assigned only while it still waits in that group
(each attempt reads it fresh and writes on its version), so a person's assignment is never overwritten and a
replayed stream record, finding the ticket assigned, does nothing.
"""

from dataclasses import dataclass

from helpdesk.directory.model import Group, User
from helpdesk.directory.ports import DirectoryStore
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import ConcurrentUpdate, NotFound
from helpdesk.kernel.principal import system_principal
from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import Status, Ticket
from helpdesk.tickets.service import TicketService

WAITING = frozenset({Status.NEW, Status.OPEN})
MAX_TURN_TRIES = 20  # tickets of one group arriving in the same instant; more and the stream retries the record
ROUND_ROBIN = "round_robin"  # the assignee event's `automatic`: how the history says who assigned it


def waiting_in(ticket: Ticket | None) -> str | None:
    """The group whose queue the ticket waits in for someone to take it (None: it is someone's, or done)."""
    if ticket is None or ticket.assignee_id or ticket.status not in WAITING or ticket.merged_into:
        return None
    return ticket.group


def takes_tickets(user: User | None) -> bool:
    """Whether automatic assignment may give this member a ticket."""
    return user is not None and user.active and user.is_staff and not user.away


@dataclass(frozen=True)
class Assigned:
    ticket_id: str
    group_id: str
    user_id: str


class AutoAssignment:
    def __init__(self, tickets: TicketService, store: DirectoryStore, *, clock: Clock = system_clock) -> None:
        self._tickets, self._store, self._clock = tickets, store, clock

    def on_change(self, before: Ticket | None, after: Ticket) -> Assigned | None:
        """One change of a ticket (a tickets-stream record): give the ticket to the group's next member if it has
        just come to wait in a group that assigns automatically. None: nothing to do, or nobody to give it to."""
        group_id = waiting_in(after)
        if group_id is None or waiting_in(before) == group_id:
            return None  # not waiting, or waiting there already (another field changed)
        group = self._store.get_group(after.tenant_id, group_id)
        if group is None or not group.auto_assign:
            return None
        system = system_principal(after.tenant_id)
        try:
            current = self._tickets.get(system, after.id)
        except NotFound:
            return None  # deleted since (tenant offboarding)
        if waiting_in(current) != group_id:
            return None  # taken, moved or solved since this record was written (or a replay)
        user_id = self._take_turn(group)
        if user_id is None:
            return None  # everyone is away: the ticket waits in the queue
        assigned: list[TicketEvent] = []

        def assign(ticket: Ticket) -> list[TicketEvent]:
            if waiting_in(ticket) != group_id:
                return []  # someone took it meanwhile: theirs
            events = ticket.set_field("assignee_id", user_id, "system", self._clock())
            for event in events:
                event.data["automatic"] = ROUND_ROBIN
            assigned[:] = events
            return events

        self._tickets.apply_system_change(system, after.id, assign)
        return Assigned(after.id, group_id, user_id) if assigned else None

    def _take_turn(self, group: Group) -> str | None:
        for _ in range(MAX_TURN_TRIES):
            last, turns = self._store.last_turn(group.tenant_id, group.id)
            user_id = self._next_member(group, last)
            if user_id is None or self._store.take_turn(group.tenant_id, group.id, user_id, turns):
                return user_id
        raise ConcurrentUpdate("the group's turns kept changing", {"group": group.id})

    def _next_member(self, group: Group, last: str | None) -> str | None:
        """The first member after `last` in the group's member order (from the start when `last` is not a
        member) who takes tickets; one directory read per member looked at."""
        members = group.members
        start = members.index(last) + 1 if last in members else 0
        for offset in range(len(members)):
            user_id = members[(start + offset) % len(members)]
            if takes_tickets(self._store.get_user(group.tenant_id, user_id)):
                return user_id
        return None

"""Automatic assignment: a ticket that comes to wait unassigned in a group that assigns automatically
(`Group.auto_assign`) goes to the group's next member in turn (round robin), skipping members who are away,
disabled or no longer agents. What Zendesk, Freshdesk and Help Scout call round-robin assignment: nobody has to
watch the queue to hand out its tickets, and the work is shared evenly.
A group may instead give it to the member with the fewest unsolved tickets (`AssignmentMethod.LEAST_BUSY`,
Zendesk's and Freshdesk's load-based assignment): someone back from leave with an empty plate takes the next
tickets until they carry as much as the others, instead of one in turn. Ties go in turn.

"Comes to wait" is the change of a ticket into new or open, unassigned, in the group: opened there, moved there
(by a person, a routing rule or triage), reopened, or unassigned. The queue itself is handed out
(`hand_out_waiting`) when the group can take more than before: automatic assignment turned on, a member added,
back from away or enabled again (`QueueHandout`, called by the directory).

Safe under races and replays: the turn is claimed first (a conditional write on the group's turn counter, so two
tickets arriving together go to two people), then the ticket is assigned only while it still waits in that group
(each attempt reads it fresh and writes on its version), so a person's assignment is never overwritten and a
replayed stream record, finding the ticket assigned, does nothing.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from helpdesk.directory.model import AssignmentMethod, Group, User
from helpdesk.directory.ports import DirectoryStore
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import ConcurrentUpdate, NotFound
from helpdesk.kernel.principal import system_principal
from helpdesk.platform.observability import logger
from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import Status, Ticket
from helpdesk.tickets.ports import TicketQuery
from helpdesk.tickets.service import TicketService

WAITING = frozenset({Status.NEW, Status.OPEN})
MAX_HANDED_OUT = 500  # of a queue at once (one invocation); more wait for the next trigger
MAX_TURN_TRIES = 20  # tickets of one group arriving in the same instant; more and the stream retries the record
MAX_BACKLOG_READ = 5_000  # unsolved tickets read to weigh people's load (a larger backlog: counted on the first)


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
        user_id = self._take_turn(group, self._load(group))
        if user_id is None:
            return None  # everyone is away: the ticket waits in the queue
        return self._give(group, after.id, user_id)

    def hand_out_waiting(self, tenant_id: str, group_id: str, limit: int = MAX_HANDED_OUT) -> list[Assigned]:
        """The tickets waiting in the group's queue, oldest first, given to its members in turn: what turning
        automatic assignment on, or a member coming back, adding one or enabling one, asks for (a queue filled
        while nobody took tickets is not left to be handed out by hand). Stops when nobody takes tickets."""
        group = self._store.get_group(tenant_id, group_id)
        if group is None or not group.auto_assign:
            return []
        given: list[Assigned] = []
        load = self._load(group)  # read once for the whole queue, then counted as it is handed out
        for ticket in self._waiting(tenant_id, group_id, limit):
            user_id = self._take_turn(group, load)
            if user_id is None:
                break  # nobody takes tickets any more
            assigned = self._give(group, ticket.id, user_id)
            if assigned is not None:  # None: someone took it meanwhile (that turn is spent)
                given.append(assigned)
                if load is not None:
                    load[user_id] = load.get(user_id, 0) + 1
        return given

    def _load(self, group: Group) -> dict[str, int] | None:
        """Unsolved tickets per person, for a group that assigns to the least busy (None: it goes in turn)."""
        if group.assignment != AssignmentMethod.LEAST_BUSY:
            return None
        counts, more = self._tickets.repository.unsolved_by_assignee(group.tenant_id, MAX_BACKLOG_READ)
        if more:
            logger.warning("backlog larger than read for load-based assignment",
                           extra={"tenant_id": group.tenant_id, "group": group.id, "read": MAX_BACKLOG_READ})
        return counts

    def _waiting(self, tenant_id: str, group_id: str, limit: int) -> list[Ticket]:
        """Up to `limit` tickets waiting in the group, oldest first (new ones before reopened ones)."""
        found: list[Ticket] = []
        for status in (Status.NEW, Status.OPEN):
            cursor: str | None = None
            while len(found) < limit:
                page = self._tickets.query(system_principal(tenant_id), TicketQuery(
                    tenant_id, status=status, group=group_id, limit=100, cursor=cursor, oldest_first=True))
                found += [t for t in page.items if waiting_in(t) == group_id][:limit - len(found)]
                cursor = page.next_cursor
                if cursor is None:
                    break
        return found

    def _give(self, group: Group, ticket_id: str, user_id: str) -> Assigned | None:
        """Give the ticket to the member whose turn was claimed, only while the ticket still waits there."""
        assigned: list[TicketEvent] = []

        def assign(ticket: Ticket) -> list[TicketEvent]:
            if waiting_in(ticket) != group.id:
                return []  # someone took it meanwhile: theirs
            events = ticket.set_field("assignee_id", user_id, "system", self._clock())
            for event in events:  # how the history and the assignee's mail say who assigned it
                event.data["automatic"] = group.assignment.value
            assigned[:] = events
            return events

        self._tickets.apply_system_change(system_principal(group.tenant_id), ticket_id, assign)
        return Assigned(ticket_id, group.id, user_id) if assigned else None

    def _take_turn(self, group: Group, load: dict[str, int] | None = None) -> str | None:
        """Claim the next turn: the next member in turn, or with `load` the least busy (ties in turn). The claim is
        what keeps two tickets of one instant from both going to one person."""
        for _ in range(MAX_TURN_TRIES):
            last, turns = self._store.last_turn(group.tenant_id, group.id)
            user_id = self._next_member(group, last) if load is None else self._least_busy(group, last, load)
            if user_id is None or self._store.take_turn(group.tenant_id, group.id, user_id, turns):
                return user_id
        raise ConcurrentUpdate("the group's turns kept changing", {"group": group.id})

    def _next_member(self, group: Group, last: str | None) -> str | None:
        """The first member after `last` who takes tickets."""
        return next(self._able_in_turn(group, last), None)

    def _least_busy(self, group: Group, last: str | None, load: dict[str, int]) -> str | None:
        """Of the members who take tickets, the one with the fewest unsolved tickets; ties go to the first after
        `last` in member order (so equal loads still share out in turn)."""
        return min(self._able_in_turn(group, last), key=lambda m: load.get(m, 0), default=None)

    def _able_in_turn(self, group: Group, last: str | None) -> Iterator[str]:
        """The members who take tickets, in member order from the one after `last` (from the start when `last` is
        not a member), wrapping round; one directory read per member looked at."""
        members = group.members
        start = members.index(last) + 1 if last in members else 0
        for offset in range(len(members)):
            user_id = members[(start + offset) % len(members)]
            if takes_tickets(self._store.get_user(group.tenant_id, user_id)):
                yield user_id

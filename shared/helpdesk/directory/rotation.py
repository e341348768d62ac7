"""Automatic assignment: a ticket that comes to wait unassigned in a group that assigns automatically
(`Group.auto_assign`) goes to the group's next member in turn (round robin), skipping members who are away,
disabled or no longer agents. What Zendesk, Freshdesk and Help Scout call round-robin assignment: nobody has to
watch the queue to hand out its tickets, and the work is shared evenly.
A group may instead give it to the member with the fewest unsolved tickets (`AssignmentMethod.LEAST_BUSY`,
Zendesk's and Freshdesk's load-based assignment): someone back from leave with an empty plate takes the next
tickets until they carry as much as the others, instead of one in turn. Ties go in turn.

A group may cap it (`Group.capacity`, Freshdesk's load-balanced assignment, Zendesk's capacity rules): a member
who already has that many unsolved tickets takes none from it, whatever the method; with everyone there the
ticket waits in the queue, as when everyone is away.

"Comes to wait" is the change of a ticket into new or open, unassigned, in the group: opened there, moved there
(by a person, a routing rule or triage), reopened, or unassigned. The queue itself is handed out
(`hand_out_waiting`) when the group can take more than before: automatic assignment turned on, a member added,
back from away or enabled again, its capacity raised or cleared (`QueueHandout`, called by the directory), and,
for groups with a capacity, whenever a member's plate gets lighter (`on_load_freed`: a ticket of theirs solved,
merged, given to someone else or handed back).

Safe under races and replays: the turn is claimed first (a conditional write on the group's turn counter, so two
tickets arriving together go to two people), then the ticket is assigned only while it still waits in that group
(each attempt reads it fresh and writes on its version), so a person's assignment is never overwritten and a
replayed stream record, finding the ticket assigned, does nothing. The capacity is as exact as the load read: the
`by_status` index, eventually consistent, and two hand-outs of one instant each counting only their own gifts, so
in a race a member may end one or two over (never a ticket lost or taken from someone).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from helpdesk.directory.model import AssignmentMethod, Group, User
from helpdesk.directory.ports import DirectoryStore
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import ConcurrentUpdate, NotFound
from helpdesk.kernel.principal import system_principal
from helpdesk.platform.observability import logger
from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import UNSOLVED, Status, Ticket
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


def load_of(ticket: Ticket | None) -> str | None:
    """Whose load the ticket counts in (`TicketRepository.unsolved_by_assignee`: its assignee while unsolved)."""
    if ticket is None or ticket.status not in UNSOLVED:
        return None
    return ticket.assignee_id


def load_freed(before: Ticket | None, after: Ticket) -> str | None:
    """The person whose unsolved tickets this change made one fewer: it was theirs and unsolved, and now is solved,
    closed (a merge closes it), someone else's or nobody's. A move to another group frees nothing (still theirs)."""
    person = load_of(before)
    return person if person is not None and load_of(after) != person else None


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
        user_id = self._take_turn(group, self._load(group.tenant_id).of(group))
        if user_id is None:
            return None  # everyone is away or at the group's capacity: the ticket waits in the queue
        return self._give(group, after.id, user_id)

    def hand_out_waiting(self, tenant_id: str, group_id: str, limit: int = MAX_HANDED_OUT) -> list[Assigned]:
        """The tickets waiting in the group's queue, oldest first, given to its members in turn: what turning
        automatic assignment on, or a member coming back, adding one or enabling one, asks for (a queue filled
        while nobody took tickets is not left to be handed out by hand), or raising its capacity. Stops when
        nobody takes tickets (away, or at the capacity)."""
        group = self._store.get_group(tenant_id, group_id)
        if group is None or not group.auto_assign:
            return []
        return self._hand_out(group, limit, self._load(tenant_id))

    def on_load_freed(self, before: Ticket | None, after: Ticket) -> list[Assigned]:
        """One change of a ticket (a tickets-stream record): when it took a ticket off someone's plate, the queues
        of their groups that assign automatically with a capacity are handed out (a slot of theirs is free; the
        others were full, or the tickets would not wait). Nothing is read for any other change. For such a change:
        the person (one read; away or disabled, they take nothing and nothing more is read), their groups (one
        Query), and per capped group of theirs its queue as any hand-out reads it (the status index's new and open
        tickets filtered by group) and, when something waits, the backlog's load once."""
        person = load_freed(before, after)
        if person is None or not takes_tickets(self._store.get_user(after.tenant_id, person)):
            return []
        capped = [g for g in self._store.list_groups(after.tenant_id)
                  if g.auto_assign and g.capacity is not None and person in g.members]
        load = self._load(after.tenant_id)  # one read for all of them, counted as they hand out
        return [given for group in capped for given in self._hand_out(group, MAX_HANDED_OUT, load)]

    def _hand_out(self, group: Group, limit: int, load: "Load") -> list[Assigned]:
        """Up to `limit` of the group's waiting tickets, oldest first, each to the member whose turn it is."""
        given: list[Assigned] = []
        for ticket in self._waiting(group.tenant_id, group.id, limit):
            user_id = self._take_turn(group, load.of(group))
            if user_id is None:
                break  # nobody takes tickets any more (and the queue's later pages are not read)
            assigned = self._give(group, ticket.id, user_id)
            if assigned is not None:  # None: someone took it meanwhile (that turn is spent)
                given.append(assigned)
                load.gave(user_id)
        return given

    def _load(self, tenant_id: str) -> "Load":
        return Load(lambda: self._read_load(tenant_id))

    def _read_load(self, tenant_id: str) -> dict[str, int]:
        """Unsolved tickets per person in the tenant's backlog (its first `MAX_BACKLOG_READ`)."""
        counts, more = self._tickets.repository.unsolved_by_assignee(tenant_id, MAX_BACKLOG_READ)
        if more:
            logger.warning("backlog larger than read for load-based assignment",
                           extra={"tenant_id": tenant_id, "read": MAX_BACKLOG_READ})
        return counts

    def _waiting(self, tenant_id: str, group_id: str, limit: int) -> Iterator[Ticket]:
        """Up to `limit` tickets waiting in the group, oldest first (new ones before reopened ones), a page read
        when the one before is given out (assigning a ticket leaves its place in the status index as it was)."""
        found = 0
        for status in (Status.NEW, Status.OPEN):
            cursor: str | None = None
            while found < limit:
                page = self._tickets.query(system_principal(tenant_id), TicketQuery(
                    tenant_id, status=status, group=group_id, limit=100, cursor=cursor, oldest_first=True))
                for ticket in [t for t in page.items if waiting_in(t) == group_id][:limit - found]:
                    found += 1
                    yield ticket
                cursor = page.next_cursor
                if cursor is None:
                    break

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
        """Claim the next turn: the next member in turn, or for a group assigning to the least busy the one with
        the fewest unsolved tickets (ties in turn); members at the group's capacity skipped (`load` is read when
        either needs it). The claim is what keeps two tickets of one instant from both going to one person."""
        for _ in range(MAX_TURN_TRIES):
            last, turns = self._store.last_turn(group.tenant_id, group.id)
            able = self._able_in_turn(group, last, load)
            if group.assignment == AssignmentMethod.LEAST_BUSY and load is not None:
                user_id = min(able, key=lambda m: load.get(m, 0), default=None)
            else:
                user_id = next(able, None)
            if user_id is None or self._store.take_turn(group.tenant_id, group.id, user_id, turns):
                return user_id
        raise ConcurrentUpdate("the group's turns kept changing", {"group": group.id})

    def _able_in_turn(self, group: Group, last: str | None, load: dict[str, int] | None) -> Iterator[str]:
        """The members who take tickets and are under the group's capacity, in member order from the one after
        `last` (from the start when `last` is not a member), wrapping round; one directory read per member looked
        at (none for a member the load already shows full)."""
        members = group.members
        start = members.index(last) + 1 if last in members else 0
        for offset in range(len(members)):
            user_id = members[(start + offset) % len(members)]
            if group.capacity is not None and load is not None and load.get(user_id, 0) >= group.capacity:
                continue
            if takes_tickets(self._store.get_user(group.tenant_id, user_id)):
                yield user_id


class Load:
    """The tenant's unsolved tickets per person, read once when a group first needs them (least busy, or a
    capacity) and counted on as tickets are given, so a queue handed out at once reads the backlog once."""

    def __init__(self, read: Callable[[], dict[str, int]]) -> None:
        self._read = read
        self._counts: dict[str, int] | None = None

    def of(self, group: Group) -> dict[str, int] | None:
        """The counts, for a group that weighs them (None: a round robin without a capacity reads nothing)."""
        if group.assignment != AssignmentMethod.LEAST_BUSY and group.capacity is None:
            return None
        if self._counts is None:
            self._counts = self._read()
        return self._counts

    def gave(self, user_id: str) -> None:
        if self._counts is not None:
            self._counts[user_id] = self._counts.get(user_id, 0) + 1


"""Ports: the small interfaces the services depend on. One adapter per backend implements each."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import Channel, LinkType, Priority, Status, Ticket, Viewer
from helpdesk.tickets.sla_state import SlaStanding

if TYPE_CHECKING:
    from helpdesk.tickets.fields import TicketFields

# An imported ticket's history is written under version 1 (sequence numbers 1000-1999): its first thousand events.
MAX_IMPORTED_EVENTS = 999


@dataclass(frozen=True)
class TicketQuery:
    """A list request. Exactly one index drives the query; the rest are filters on it."""

    tenant_id: str
    status: Status | None = None
    statuses: tuple[Status, ...] = ()  # any of these (a filter): a customer's "open" is the team's open or on hold
    priority: Priority | None = None
    assignee_id: str | None = None
    unassigned: bool = False  # tickets nobody has (a filter; excludes `assignee_id`)
    requester_id: str | None = None  # the requester key (`Requester.key`): a verified address or an id
    tag: str | None = None
    follower: str | None = None  # tickets this team member follows (a filter)
    group: str | None = None  # the ticket's group (a filter; `groups` is the caller's visibility)
    my_groups: bool = False  # tickets in the caller's groups (the service turns it into `in_groups`)
    in_groups: tuple[str, ...] = ()  # tickets in one of these groups (a filter)
    organization_id: str | None = None  # the requester's company (a filter)
    form: str | None = None  # the request form a ticket was opened with (a filter)
    field_terms: tuple[str, ...] = ()  # custom field values, each `key=value` (`tickets.fields.field_filter`)
    link_type: LinkType | None = None  # tickets holding a link of this type: "child" lists problems (a filter)
    channel: Channel | None = None
    sla: SlaStanding | None = None
    snoozed: bool | None = None  # True: only tickets snoozed at `at`; False: none of them (the queues); None: both
    at: datetime | None = None  # the instant `snoozed` is judged at (the service's clock)
    groups: tuple[str, ...] = ()  # restrict to these groups (or assigned to `visible_to`)
    visible_to: str | None = None
    limit: int = 25
    cursor: str | None = None
    oldest_first: bool = False


@dataclass
class TicketPage:
    items: list[Ticket]
    next_cursor: str | None = None


@dataclass
class NewTicket:
    """A ticket and its first events, before the repository has given it a number."""

    ticket: Ticket
    events: list[TicketEvent] = field(default_factory=list)


class TextPolicy(Protocol):
    """What a tenant's policy makes of a ticket's text and its new events' as they are written (privacy's card
    masking). In place: what the caller goes on to send (a mail, a webhook, the index) is what was stored."""

    def __call__(self, ticket: Ticket, events: list[TicketEvent]) -> None: ...


class TicketRepository(Protocol):
    def next_number(self, tenant_id: str) -> int:
        """Atomically allocate the tenant's next human ticket number."""
        ...

    def add(self, ticket: Ticket, events: list[TicketEvent]) -> Ticket:
        """Insert a new ticket with its first events, all or nothing."""
        ...

    def add_imported(self, ticket: Ticket, events: list[TicketEvent]) -> Ticket:
        """Insert a ticket brought over from another helpdesk with its history (at most MAX_IMPORTED_EVENTS
        events), marked so that nothing reacts to it as to new work. `Conflict` if it is there already."""
        ...

    def get(self, tenant_id: str, ticket_id: str) -> Ticket | None: ...

    def get_many(self, tenant_id: str, ticket_ids: list[str]) -> list[Ticket]:
        """The tickets of the tenant among `ticket_ids` that exist, in one round trip per 100 ids."""
        ...

    def get_by_number(self, tenant_id: str, number: int) -> Ticket | None: ...

    def save(self, ticket: Ticket, events: list[TicketEvent], unchanged: Ticket | None = None) -> Ticket:
        """Write the ticket if nobody changed it since it was read, and append its events; with `unchanged`
        (another ticket of the tenant: a merge's target) only if that one too still has the version it was
        read at, checked in the same transaction.

        Raises `ConcurrentUpdate` when either stored version moved on.
        """
        ...

    def query(self, q: TicketQuery) -> TicketPage: ...

    def count(self, q: TicketQuery) -> int:
        """How many tickets match `q` (its cursor and limit ignored), counted on the index that drives it."""
        ...

    def unsolved_by_assignee(self, tenant_id: str, limit: int) -> tuple[dict[str, int], bool]:
        """How many unsolved tickets (new, open, pending) each person has, from the tenant's backlog (not its
        history), reading at most `limit` tickets; True when there were more."""
        ...

    def events(self, tenant_id: str, ticket_id: str) -> list[TicketEvent]: ...

    def time_logged(self, tenant_id: str, since: datetime, until: datetime,
                    limit: int) -> tuple[list[TicketEvent], bool]:
        """The tenant's `time_logged` events of [since, until) in time order, at most `limit` (True: more)."""
        ...


class OrganizationLookup(Protocol):
    """The tenant's organisation of a mail address, by its domain (the team directory in production,
    `helpdesk.directory.service.OrganizationByDomain`)."""

    def organization_of(self, tenant_id: str, email: str) -> str | None: ...

    def shared_organization_of(self, tenant_id: str, email: str) -> str | None:
        """The organisation claiming the address's domain when it shares its tickets among its people (`Organization
        .shared_tickets`, Zammad's "shared organization"); None otherwise."""
        ...


class CustomerLookup(Protocol):
    """The customer the team linked an address to (one person writing from several addresses; the team directory in
    production, `helpdesk.directory.customer_addresses.CustomerByAddress`): their key, None for an address of its
    own."""

    def customer_of(self, tenant_id: str, email: str) -> str | None: ...


class AssignmentPolicy(Protocol):
    """Whether a ticket's group and assignee are allowed in the tenant (the team directory in production,
    `helpdesk.directory.service.AssignmentCheck`). Raises `InvalidAssignment` naming the field."""

    def check(self, tenant_id: str, *, group: str | None = None, assignee_id: str | None = None,
              assignee_group: str | None = None) -> None:
        """`group`: must exist. `assignee_id`: an active agent or admin of the tenant, a member of
        `assignee_group` (the ticket's group) when that is given."""

    def check_follower(self, tenant_id: str, user_id: str, *, group: str | None, assignee_id: str | None) -> None:
        """`user_id` may follow a ticket of `group` assigned to `assignee_id`: an active agent or admin of the
        tenant who may open it (an agent limited to their groups sees those groups' tickets and their own).
        Raises `InvalidAssignment` naming `followers`."""

    def mentioned_staff(self, tenant_id: str, handles: Sequence[str]) -> list[str]:
        """The user ids of the tenant's active agents and admins whose handle (`kernel.mentions.handle_of`) is
        among `handles`."""


class TicketFieldStore(Protocol):
    """The tenant's custom field definitions: one versioned document."""

    def get(self, tenant_id: str) -> tuple["TicketFields", int]:
        """The definitions and their version (0 while the tenant has never saved any)."""
        ...

    def put(self, tenant_id: str, fields: "TicketFields", expected_version: int | None = None) -> int:
        """Save and return the new version; with `expected_version`, only if still at it (`ConcurrentUpdate`)."""
        ...


class ViewerStore(Protocol):
    """Who has a ticket open: one short-lived record per ticket and agent."""

    def put_viewer(self, tenant_id: str, ticket_id: str, viewer: Viewer, *, expires_at: datetime) -> None: ...

    def viewers(self, tenant_id: str, ticket_id: str) -> list[Viewer]:
        """Everyone recorded on the ticket, stale ones included (the service judges freshness)."""

    def remove_viewer(self, tenant_id: str, ticket_id: str, user_id: str) -> None: ...


def time_buckets(tenant_id: str, since: datetime, until: datetime) -> list[str]:
    """The month partitions (`<tenant>#<YYYY-MM>`, UTC) a time range touches, in order: time entries are kept
    by the month they were logged in."""
    first, last = since.astimezone(UTC), until.astimezone(UTC)
    year, month = first.year, first.month
    buckets: list[str] = []
    while (year, month) <= (last.year, last.month):
        buckets.append(f"{tenant_id}#{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return buckets

"""What the ticket search index holds and answers: one document per ticket, built from the ticket and its log.

A document keeps the text a customer may see (`public`: subject, description, public messages, requester,
number, the tags customers see) apart from the text only the team sees (`internal`: internal notes, AI's
tags), so one index serves both: customers search `public` only, staff both. The filters of `GET /tickets`
are keyword fields beside the text; dates are epoch milliseconds so both backends page on the same sort values.
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from helpdesk.kernel.text import markdown_lines
from helpdesk.tickets.fields import field_terms, scalar_values
from helpdesk.tickets.history import EventType, TicketEvent, written_in_markdown
from helpdesk.tickets.model import Ticket
from helpdesk.tickets.sla_state import TargetState

_LETTERS = re.compile(r"[^\W\d_]+")
MAX_QUERY_CHARS = 512  # longer queries are refused (400): nobody types more, and BM25 cost grows with length
Order = Literal["relevance", "newest"]
SlaFilter = Literal["ok", "warning", "breached"]
_SEVERITY = {TargetState.MET: 0, TargetState.OK: 0, TargetState.WARNING: 1, TargetState.BREACHED: 2}


def epoch_ms(at: datetime) -> int:
    """Milliseconds since the epoch; a time without a zone is taken as UTC (as everything we store is)."""
    return int((at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp() * 1000)


@dataclass(frozen=True)
class TicketDocument:
    tenant_id: str
    ticket_id: str
    number: int
    version: int
    status: str
    priority: str
    channel: str
    group: str | None
    assignee_id: str | None
    requester_id: str
    requester_key: str
    tags: tuple[str, ...]
    sla_state: str | None  # the worst state of the ticket's SLA targets; None without a policy
    created_at: int  # epoch ms
    updated_at: int
    public: tuple[str, ...]
    internal: tuple[str, ...] = ()
    # The requester's organisation. Last and optional: documents indexed before it existed read as None, and the
    # filter finds them after `helpdesk tickets reindex`.
    organization_id: str | None = None
    # Custom field values as `key=value` (`tickets.fields.field_terms`), for the `field` filter; the same late
    # addition as the organisation.
    field_terms: tuple[str, ...] = ()
    form: str | None = None  # the request form it was opened with; the same late addition
    followers: tuple[str, ...] = ()  # the team members who follow it; the same late addition
    link_types: tuple[str, ...] = ()  # the types of its links ("child": a problem); the same late addition
    # The requester's name and address as words, what the customer list matches typed words against (not the
    # whole text: "jana" finds Jana, not every ticket that mentions her). None: indexed before it existed.
    requester_words: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name in _LISTS:
            data[name] = list(data[name])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TicketDocument":
        return cls(**{**data, **{name: tuple(data.get(name) or ()) for name in _LISTS}})


_LISTS = ("tags", "public", "internal", "field_terms", "followers", "link_types")


def sla_state(ticket: Ticket) -> str | None:
    if ticket.sla is None or not ticket.sla.targets:
        return None
    worst = max(ticket.sla.targets, key=lambda t: _SEVERITY[t.state]).state
    return TargetState.OK.value if worst == TargetState.MET else worst.value


def document_for(ticket: Ticket, events: list[TicketEvent]) -> TicketDocument:
    """The ticket as the index sees it. Messages come from the event log (public ones for everybody,
    internal notes for the team); events the team alone sees (AI's changes) never reach `public`."""
    requester = ticket.requester
    public = [ticket.subject, ticket.description,
              " ".join(p for p in (requester.name, requester.email) if p),
              f"{ticket.key} {ticket.number}"]
    internal = [" ".join(ticket.tags), field_values(ticket)]  # tags are the team's labels
    for event in events:
        body = event.data.get("body")
        if not isinstance(body, str) or not body:
            continue
        if written_in_markdown(event.data):
            body = markdown_lines(body)  # its words without the marks: a hit's snippet reads as the message does
        if event.type == EventType.PUBLIC_MESSAGE and not event.is_internal:
            public.append(body)
        elif event.type == EventType.INTERNAL_NOTE or (event.type == EventType.PUBLIC_MESSAGE and event.is_internal):
            internal.append(body)
    return TicketDocument(
        tenant_id=ticket.tenant_id, ticket_id=ticket.id, number=ticket.number, version=ticket.version,
        status=ticket.status.value, priority=ticket.priority.value, channel=ticket.channel.value,
        group=ticket.group, assignee_id=ticket.assignee_id, requester_id=requester.id, requester_key=requester.key,
        tags=tuple(ticket.tags), sla_state=sla_state(ticket), created_at=epoch_ms(ticket.created_at),
        updated_at=epoch_ms(ticket.updated_at), public=tuple(t for t in public if t.strip()),
        internal=tuple(t for t in internal if t.strip()), organization_id=ticket.organization_id,
        field_terms=tuple(field_terms(ticket.custom_fields)), form=ticket.form, followers=tuple(ticket.followers),
        link_types=tuple(ticket.link_types),
        requester_words=" ".join(p for p in (requester.name, requester.email) if p))


def field_values(ticket: Ticket) -> str:
    """The ticket's custom field values an agent would type to find it (an order number, a plan), as the team's
    text: which fields customers may see is the tenant's definitions' business, not the index's, so none is
    searchable by customers. Checkboxes ("True") and an integration's nested objects are no words to search."""
    return " ".join(str(value) for value in scalar_values(ticket.custom_fields).values()
                    if not isinstance(value, bool))


@dataclass(frozen=True)
class SearchFilters:
    """The filters of `GET /tickets`, and the ones only the index can answer (channel, SLA state, date ranges)."""

    status: str | None = None
    statuses: tuple[str, ...] = ()  # any of these: a customer's "open" is the team's open or on hold
    priority: str | None = None
    group: str | None = None
    my_groups: bool = False  # the caller's groups (staff; the service turns it into `in_groups`)
    in_groups: tuple[str, ...] = ()  # any of these groups
    assignee_id: str | None = None
    unassigned: bool = False  # tickets nobody has
    requester_id: str | None = None  # a requester key or id
    organization_id: str | None = None
    form: str | None = None  # the request form tickets were opened with
    follower: str | None = None  # a team member's id (staff only; `me` is resolved to the caller's)
    link_type: str | None = None  # tickets holding a link of this type ("child": problems)
    tag: str | None = None
    field_terms: tuple[str, ...] = ()  # `key=value` each, all must match (staff only)
    channel: str | None = None
    sla_state: SlaFilter | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None

    def fingerprint(self) -> dict[str, Any]:
        return {k: (epoch_ms(v) if isinstance(v, datetime) else list(v) if isinstance(v, tuple) else v)
                for k, v in asdict(self).items() if v is not None and v != () and v is not False}


@dataclass(frozen=True)
class IndexQuery:
    """One page of a search as the index runs it. The access rules are already in it: `internal` (search
    the team's text too), `requesters` (a customer: tickets whose requester id or key is one of these),
    `groups` (an agent with groups: tickets of these groups or assigned to `visible_to`)."""

    tenant_id: str
    text: str
    filters: SearchFilters = field(default_factory=SearchFilters)
    internal: bool = False
    requesters: tuple[str, ...] | None = None
    groups: tuple[str, ...] = ()
    visible_to: str | None = None
    order: Order = "relevance"
    limit: int = 25
    after: tuple[float | int | str, ...] | None = None  # the sort values of the previous page's last hit


@dataclass(frozen=True)
class Snippet:
    text: str  # HTML-escaped, the matched words in <mark>...</mark>
    internal: bool = False  # from an internal note (only staff ever get these)


@dataclass(frozen=True)
class IndexHit:
    ticket_id: str
    score: float | None
    sort: tuple[float | int | str, ...]
    snippets: tuple[Snippet, ...] = ()


@dataclass(frozen=True)
class IndexPage:
    hits: list[IndexHit]
    more: bool  # another page may follow the last hit


@dataclass(frozen=True)
class CustomerQuery:
    """One page of the customers among the tickets `tickets` finds (its tenant, access rules and filters; its text,
    order, limit and cursor are not used), one per requester key, A-Z by key. `words` match the requester's name
    and address as a search box does while typing: every word whole but the last, which may be a beginning."""

    tickets: IndexQuery
    words: str = ""
    limit: int = 25
    after: str | None = None  # the last key of the previous page


@dataclass(frozen=True)
class CustomerBucket:
    """A customer as the index counts them: their tickets the query found, and the one last updated."""

    requester_key: str
    tickets: int
    unsolved: int  # of those, new, open, pending or on hold
    latest_ticket_id: str


@dataclass(frozen=True)
class CustomerBucketPage:
    buckets: list[CustomerBucket]
    more: bool  # another page may follow the last key


def letter_words(text: str) -> list[str]:
    """Lower-cased runs of letters: what OpenSearch's `simple` analyzer makes of a text. The customer list's words
    are matched this way by both indexes, so a name finds the same customers locally and in AWS."""
    return _LETTERS.findall(text.lower())

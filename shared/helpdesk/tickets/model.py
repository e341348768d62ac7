"""The ticket: statuses, the one transition table, and the rules that move a ticket.

Every mutation returns the `TicketEvent`s it caused; the repository writes the ticket and
its events in one transaction, so the event log is the ticket's complete history.
"""

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from helpdesk.kernel.errors import Forbidden, InvalidInput, InvalidTransition
from helpdesk.kernel.json_values import bounded_json
from helpdesk.kernel.text import clipped, collapsed, plain_text
from helpdesk.tickets.history import KEPT_SOLVED, EventType, TicketEvent, customer_status, written_in_markdown
from helpdesk.tickets.sla_state import TicketSla

MAX_TEXT_BYTES = 256 * 1024  # description or message body; DynamoDB items stop at 400 KB
MAX_SUBJECT_CHARS = 500
MAX_PARTICIPANTS = 50
MAX_FOLLOWERS = 20  # team members following one ticket: its news is mailed to each
# A ticket's custom fields, once merged: with a 256 KB description the ticket stays well under DynamoDB's 400 KB.
MAX_CUSTOM_FIELDS_BYTES = 32 * 1024
MAX_CUSTOM_FIELDS = 100  # keys
# What a request sends as custom field values (a ticket's, a bulk change's, a macro's): bounded as DynamoDB needs.
CustomFields = Annotated[dict[str, Any], AfterValidator(bounded_json(MAX_CUSTOM_FIELDS_BYTES))]
NUMBER_PREFIX = "T-"


class Status(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"  # the team waits for the customer (reminded, then resolved; the SLA clock pauses)
    ON_HOLD = "on_hold"  # the team waits for someone else (a supplier, another department): the customer still waits
    RESOLVED = "resolved"
    CLOSED = "closed"


# Work still on someone's plate: what a person's load is counted in (`TicketRepository.unsolved_by_assignee`).
UNSOLVED = frozenset({Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD})
UNSOLVED_STATUSES = tuple(status for status in Status if status in UNSOLVED)  # as a list filter, in a stable order
# What a customer's new message moves back to open: the team has something to read.
WAKES_ON_CUSTOMER = frozenset({Status.PENDING, Status.ON_HOLD, Status.RESOLVED})
# How far ahead a ticket may be snoozed (a year: beyond that it is a reminder of something else, not a ticket).
MAX_SNOOZE = timedelta(days=366)


def statuses_shown_as(shown: Status) -> tuple[Status, ...]:
    """The statuses a customer's ticket shows as `shown` (`customer_status`): what their filter by it means. Their
    "open" is also the team's on hold; a filter by "on hold", a status only the team sees, is refused (it would
    tell which of their tickets wait for someone else)."""
    statuses = tuple(status for status in Status if customer_status(status.value) == shown.value)
    if not statuses:
        raise Forbidden(f"customers do not filter by {shown.value}: their tickets show it as "
                        f"{customer_status(shown.value)}")
    return statuses


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class Channel(StrEnum):
    CHAT = "chat"
    EMAIL = "email"
    API = "api"
    WEB = "web"


# The one transition table. `closed` is final; nothing goes back to `new`.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.OPEN, Status.PENDING, Status.ON_HOLD, Status.RESOLVED, Status.CLOSED}),
    Status.OPEN: frozenset({Status.PENDING, Status.ON_HOLD, Status.RESOLVED, Status.CLOSED}),
    Status.PENDING: frozenset({Status.OPEN, Status.ON_HOLD, Status.RESOLVED, Status.CLOSED}),
    Status.ON_HOLD: frozenset({Status.OPEN, Status.PENDING, Status.RESOLVED, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


def format_number(number: int) -> str:
    return f"{NUMBER_PREFIX}{number:06d}"


def parse_number(text: str) -> int | None:
    """`T-000123` (any case, any zero padding) -> 123; anything else -> None."""
    text = text.strip().upper()
    if not text.startswith(NUMBER_PREFIX):
        return None
    digits = text[len(NUMBER_PREFIX) :]
    return int(digits) if digits.isdigit() and 0 < len(digits) <= 12 else None


class Requester(BaseModel):
    # Answers always carry the id (required in the answer's schema), requests may leave it to the address.
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    email: str | None = None
    name: str | None = None
    # Staff opening a ticket for someone often know only the address: the id is then the address's key, the
    # one mail ingest gives the same person (so their mails and this ticket are one requester).
    id: str = Field(default_factory=lambda known: email_key(known["email"]) if known.get("email") else "")
    # False while the address is only what a visitor typed into an anonymous chat: until they prove it
    # (a code sent to it) the ticket is theirs inside that chat session only, never a signed-in customer's.
    email_verified: bool = True
    # The customer the team linked this verified address to (`directory.customer_addresses`: one person writing from
    # a work and a private address): their key, so the ticket is that customer's. Set when the ticket opens or its
    # requester changes (`tickets.customer_links`), never by whoever sends the ticket.
    linked_to: str | None = None

    @model_validator(mode="after")
    def _identified(self) -> "Requester":
        if not self.id:
            raise ValueError("a requester needs an id or an email")
        return self

    @property
    def key(self) -> str:
        """Who the requester is across channels: a verified address (`email:<address>`, the same key mail,
        chat and agents give a person), or the customer the team linked that address to; else the id."""
        if self.email and self.email_verified:
            return self.linked_to or email_key(self.email)
        return self.id

    @property
    def address_key(self) -> str | None:
        """The key of the verified address itself, whoever it is linked to."""
        return email_key(self.email) if self.email and self.email_verified else None


def participant_list(requester: Requester, addresses: list[str]) -> list[str]:
    wanted: list[str] = []
    for address in [requester.email or "", *addresses]:
        address = address.strip().lower()
        if address and address not in wanted:
            wanted.append(address)
    return wanted[:MAX_PARTICIPANTS]


def email_key(address: str) -> str:
    return f"email:{address.strip().lower()}"


LinkType = Literal["follow_up", "related", "duplicate", "parent", "child", "merged_into", "merged_from"]
# What an agent links by hand (POST /tickets/{id}/links); the other end gets the inverse.
AgentLinkType = Literal["related", "duplicate", "parent", "child"]
INVERSE_LINK: dict[str, str] = {"related": "related", "duplicate": "duplicate", "parent": "child", "child": "parent"}
MAX_LINKS = 50


class TicketLink(BaseModel):
    """A relation to another ticket of the same tenant: `follow_up` = this ticket continues that (closed) one;
    `parent`/`child`/`related`/`duplicate` are set by agents; `merged_into`/`merged_from` record a merge."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: LinkType
    ticket_id: str = Field(min_length=1, max_length=64)


class RatedTurn(BaseModel):
    """An answer of the chat assistant its visitor rated ("Did this answer your question?"), by its place in the
    chat transcript the ticket was opened with: for the team, never the customer (the description is theirs too)."""

    turn: int = Field(ge=1)  # counted from the transcript's last turn, 1 being the last: a cut transcript keeps its end
    helpful: bool


MAX_VISITED_PAGES = 5


class VisitedPage(BaseModel):
    """A page of the tenant's site a chat visitor wrote from, as their widget saw it: its address without the query
    or the fragment (they may carry a token or the visitor's own address) and its title. For the team, as the rest of
    `AiContext`: "they were on the pricing page" tells an agent what the question was about."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=2000)
    title: str = Field(default="", max_length=300)

    @field_validator("url")
    @classmethod
    def _address_only(cls, value: str) -> str:
        try:
            parts = urlsplit(value.strip())
        except ValueError as exc:
            raise ValueError("a page is an http(s) address") from exc
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError("a page is an http(s) address")
        return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", "", ""))

    @field_validator("title")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return collapsed(value)


def pages_visited(before: list[VisitedPage], page: VisitedPage) -> list[VisitedPage]:
    """The visitor's pages with `page` last (once in a row: several messages from one page are one visit), the latest
    MAX_VISITED_PAGES."""
    if before and before[-1].url == page.url:
        return [*before[:-1], page]
    return [*before, page][-MAX_VISITED_PAGES:]


class AiContext(BaseModel):
    """What the AI knew when the ticket was made or triaged; later capabilities fill it."""

    conversation_id: str | None = None
    trigger_message_id: str | None = None
    intent: str | None = None
    category: str | None = None
    confidence: float | None = None
    cited_article_ids: list[str] = Field(default_factory=list)
    summary: str | None = None
    rated_turns: list[RatedTurn] = Field(default_factory=list)  # a chat ticket: the answers rated before it
    pages: list[VisitedPage] = Field(default_factory=list, max_length=MAX_VISITED_PAGES)  # a chat ticket: oldest first


ImportSource = Literal["zendesk", "zammad", "freescout"]  # the helpdesks `helpdesk import` brings tickets over from
IMPORT_SOURCE_NAMES: dict[str, str] = {"zendesk": "Zendesk", "zammad": "Zammad", "freescout": "FreeScout"}  # as written


class ImportOrigin(BaseModel):
    """Where a ticket brought over from another helpdesk came from (`helpdesk import zendesk|zammad`): its id there,
    for the team to find it again, and when it was brought over (the SLA clocks start then: its waits before were the
    old helpdesk's)."""

    source: ImportSource
    id: str = Field(min_length=1, max_length=64)
    # The number people knew it by there, when it is not its id (Zammad's "67001" for ticket 2001).
    number: str | None = Field(default=None, max_length=64)
    url: str | None = Field(default=None, max_length=2048)  # the ticket's page in the old helpdesk
    imported_at: datetime


CsatValue = Literal["good", "bad"]
MAX_CSAT_COMMENT_CHARS = 2000


class CsatRating(BaseModel):
    """The customer's rating of the help, from the link mailed on resolution; a second rating replaces it."""

    rating: CsatValue
    comment: str | None = None
    at: datetime


PREVIEW_CHARS = 200  # a ticket's latest message as a list shows it


class MessagePreview(BaseModel):
    """The latest public message, as a list shows it under the subject (FreeScout's conversation list): one line,
    clipped, and whether the customer wrote it (they wait for the team) or the team did."""

    text: str
    from_customer: bool
    at: datetime


class Ticket(BaseModel):
    id: str
    number: int
    tenant_id: str
    subject: str
    description: str
    status: Status = Status.NEW
    priority: Priority = Priority.NORMAL
    channel: Channel = Channel.API
    requester: Requester
    # The requester's company: the tenant's organisation whose mail domain the requester's address is at, set when
    # the ticket opens (`helpdesk.tickets.ports.OrganizationLookup`); none when no organisation claims the domain.
    organization_id: str | None = None
    form: str | None = None  # the request form it was opened with (`tickets.fields.TicketForm.key`)
    assignee_id: str | None = None
    group: str | None = None
    tags: list[str] = Field(default_factory=list)
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    participants: list[str] = Field(default_factory=list)  # e-mail addresses allowed to reply by mail
    # Team members (directory user ids) who hear of the ticket's news by mail without having it (Zendesk's
    # followers): the team's, never shown to the customer.
    followers: list[str] = Field(default_factory=list)
    # Addresses outside the ticket its internal notes were mailed to (side conversations, `helpdesk.mail.side`): only
    # their answers to those mails thread in, and a privacy request finds them here. The team's, like followers.
    side_contacts: list[str] = Field(default_factory=list)
    links: list[TicketLink] = Field(default_factory=list)
    # The team's own ticket: a teammate (or an API client) opened it with no requester, so they are its requester
    # and no customer waits on it (a problem its customers' tickets are linked to). No response clock runs on it
    # (`sla.engine`); a requester set on it later makes it a customer's ticket.
    no_customer: bool = False
    # Set when this ticket was merged into another (and closed): mail and chat on its thread land there.
    merged_into: str | None = None
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    last_customer_message_at: datetime | None = None
    last_agent_message_at: datetime | None = None
    latest_message: MessagePreview | None = None  # the latest public message (tickets written before: none yet)
    ai: AiContext = Field(default_factory=AiContext)
    reopen_count: int = 0  # times it went back from resolved to open (reports' reopen rate, no log read)
    # The team's logged work on it, in minutes (the sum of its `time_logged` events; the team's, like the SLA).
    time_spent_minutes: int = 0
    csat: CsatRating | None = None
    sla: TicketSla | None = None  # due times and states; the SLA hook recomputes it on every change
    imported_from: ImportOrigin | None = None  # brought over from another helpdesk, with its history
    # Out of the team's queues until then (Help Scout's and Front's snooze, Zammad's "pending reminder"): the agent
    # has nothing to do before. A customer's reply or solving it ends it early; a time past is no snooze.
    snoozed_until: datetime | None = None
    snoozed_by: str | None = None  # who set the snooze: told when it ends by its time if nobody has the ticket
    # Its last change by a person, the customer's or the team's (`updated_at` counts the SLA scan's, the triggers' and
    # the AI's too): what a time trigger "since updated" waits from. Set by the trigger hook; None before it was kept.
    touched_at: datetime | None = None
    # When it took its present status, and its present assignee (None while it has none): what time triggers "since
    # it became pending / on hold / ..." and "since it was assigned" wait from. None on tickets stored before they
    # were kept: those triggers wait from `updated_at` instead (late, never early).
    status_changed_at: datetime | None = None
    assigned_at: datetime | None = None
    # The time triggers that acted on it, each with the time it waited from (`triggers.timers`): once for each.
    time_triggers_fired: dict[str, datetime] = Field(default_factory=dict)
    version: int = 0  # optimistic-locking counter, also the sequence of the last event written

    @property
    def key(self) -> str:
        return format_number(self.number)

    @property
    def merged_from(self) -> list[str]:
        """The tickets merged into this one (their messages show on it)."""
        return [link.ticket_id for link in self.links if link.type == "merged_from"]

    @property
    def link_types(self) -> list[str]:
        """The types of its links, each once, sorted: what the lists filter on ("child": it is a problem)."""
        return sorted({link.type for link in self.links})

    # -- rules -----------------------------------------------------------------------------

    def change_status(self, to: Status, actor: str, at: datetime) -> list[TicketEvent]:
        if to == self.status:
            return []
        if to not in TRANSITIONS[self.status]:
            raise InvalidTransition(
                f"cannot move a ticket from {self.status} to {to}",
                {"from": self.status.value, "to": to.value,
                 "allowed": sorted(s.value for s in TRANSITIONS[self.status])},
            )
        before = self.status
        self.status, self.status_changed_at = to, at
        if to == Status.RESOLVED:
            self.resolved_at = at
        elif to == Status.CLOSED:
            self.closed_at = at
            self.resolved_at = self.resolved_at or at
        elif to == Status.OPEN:
            if before in (Status.RESOLVED, Status.CLOSED):
                self.reopen_count += 1
            self.resolved_at = None
        self.updated_at = at
        events = [self._event(EventType.STATUS_CHANGED, actor, at, {"from": before.value, "to": to.value})]
        if to not in UNSOLVED:  # nothing is left to come back for
            events += self.snooze(None, actor, at, woke="solved")
        return events

    def snoozed(self, at: datetime) -> bool:
        return self.snoozed_until is not None and self.snoozed_until > at

    def snooze(self, until: datetime | None, actor: str, at: datetime, *, woke: str | None = None) -> list[TicketEvent]:
        """Out of the queues until `until`; None: back now (`woke`: why, when not the agent's own wish). Only a ticket
        someone still works on is snoozed; a snooze that ended already is ended without an event."""
        if until is None:
            before = self.snoozed_until
            self.snoozed_until = self.snoozed_by = None
            if before is None or before <= at:
                return []
            data: dict[str, Any] = {"from": before.isoformat(), "to": None}
            return [self._event(EventType.SNOOZED, actor, at, {**data, "woke": woke} if woke else data)]
        if self.status not in UNSOLVED:
            raise InvalidTransition("only a ticket still to be solved is snoozed", {"status": self.status.value})
        if not at < until <= at + MAX_SNOOZE:
            raise InvalidInput("snooze until a time in the future, at most a year ahead", {"field": "snoozed_until"})
        before = self.snoozed_until if self.snoozed(at) else None
        self.snoozed_until, self.snoozed_by = until, actor
        return [self._event(EventType.SNOOZED, actor, at,
                            {"from": before.isoformat() if before else None, "to": until.isoformat()})]

    def wake(self, actor: str, at: datetime) -> list[TicketEvent]:
        """The snooze's time came (the scheduled scan): back in the queues, and said so in the history (`woke: time`,
        `by`: who had snoozed it), so the one who has the ticket, or else who snoozed it, is told."""
        until, by = self.snoozed_until, self.snoozed_by
        if until is None or until > at:
            return []
        self.snoozed_until = self.snoozed_by = None
        data: dict[str, Any] = {"from": until.isoformat(), "to": None, "woke": "time"}
        return [self._event(EventType.SNOOZED, actor, at, {**data, "by": by} if by else data)]

    def set_field(self, field: str, value: Any, actor: str, at: datetime) -> list[TicketEvent]:
        """Subject, priority, assignee, group or tags; an unchanged value writes no event."""
        before = getattr(self, field)
        if before == value:
            return []
        setattr(self, field, value)
        self.updated_at = at
        if field == "assignee_id":
            self.assigned_at = at if value is not None else None
        if field == "requester":
            self.no_customer = False
        event_type = {
            "subject": EventType.SUBJECT_CHANGED,
            "priority": EventType.PRIORITY_CHANGED,
            "assignee_id": EventType.ASSIGNEE_CHANGED,
            "group": EventType.GROUP_CHANGED,
            "tags": EventType.TAGS_CHANGED,
            "custom_fields": EventType.FIELDS_CHANGED,
            "participants": EventType.PARTICIPANTS_CHANGED,
            "followers": EventType.FOLLOWERS_CHANGED,
            "requester": EventType.REQUESTER_CHANGED,
        }[field]
        return [self._event(event_type, actor, at, {"from": _plain(before), "to": _plain(value)})]

    def relink_requester(self, requester: Requester, actor: str, at: datetime) -> list[TicketEvent]:
        """The team linked the requester's address to a customer, or took it back (`requester` with the
        `linked_to` it has now): the ticket is that customer's. The team's record, not news of the ticket: the
        customer is not shown it and its update time stays."""
        if requester == self.requester:
            return []
        before = self.requester
        self.requester = requester
        return [TicketEvent(ticket_id=self.id, tenant_id=self.tenant_id, type=EventType.REQUESTER_CHANGED,
                            actor=actor, at=at, internal=True,
                            data={"from": _plain(before), "to": _plain(requester), "linked_to": requester.linked_to,
                                  "linked_from": before.linked_to})]

    def set_participants(self, addresses: list[str], actor: str, at: datetime) -> list[TicketEvent]:
        """The people copied on the ticket (lowercased, deduplicated, at most `MAX_PARTICIPANTS`); the
        requester's address always stays first, so removing it is not possible."""
        return self.set_field("participants", participant_list(self.requester, addresses), actor, at)

    def add_participants(self, addresses: list[str], actor: str, at: datetime) -> list[TicketEvent]:
        return self.set_participants([*self.participants, *addresses], actor, at)

    def follow(self, user_id: str, actor: str, at: datetime) -> list[TicketEvent]:
        """Add a follower; one who follows already writes nothing (a retried request changes nothing)."""
        if user_id in self.followers:
            return []
        if len(self.followers) >= MAX_FOLLOWERS:
            raise InvalidInput(f"a ticket has at most {MAX_FOLLOWERS} followers", {"limit": MAX_FOLLOWERS})
        return self.set_field("followers", [*self.followers, user_id], actor, at)

    def unfollow(self, user_id: str, actor: str, at: datetime) -> list[TicketEvent]:
        return self.set_field("followers", [f for f in self.followers if f != user_id], actor, at)

    def link(self, link: TicketLink, actor: str, at: datetime) -> list[TicketEvent]:
        """Add a link; one that exists already writes nothing (a retried request changes nothing)."""
        if link in self.links:
            return []
        if len(self.links) >= MAX_LINKS:
            raise InvalidInput(f"a ticket has at most {MAX_LINKS} links", {"limit": MAX_LINKS})
        self.links = [*self.links, link]
        self.updated_at = at
        return [self._event(EventType.LINKED, actor, at, link.model_dump())]

    def log_time(self, minutes: int, actor: str, at: datetime) -> list[TicketEvent]:
        """Add time worked on the ticket; a negative entry corrects an earlier one (the log keeps both, as a
        timesheet does), never below nothing logged."""
        total = self.time_spent_minutes + minutes
        if total < 0:
            raise InvalidInput(f"the ticket has {self.time_spent_minutes} minutes logged: a correction of "
                               f"{minutes} would take it below zero",
                               {"field": "minutes", "time_spent_minutes": self.time_spent_minutes})
        self.time_spent_minutes = total
        self.updated_at = at
        # Where the ticket stood when the work was logged: a timesheet of the month reads the entries alone.
        return [self._event(EventType.TIME_LOGGED, actor, at, {
            "minutes": minutes, "total": total, "number": self.key, "organization_id": self.organization_id,
            "group": self.group})]

    def unlink(self, link: TicketLink, actor: str, at: datetime) -> list[TicketEvent]:
        if link not in self.links:
            return []
        self.links = [x for x in self.links if x != link]
        self.updated_at = at
        return [self._event(EventType.UNLINKED, actor, at, link.model_dump())]

    def merge_into(self, target: "Ticket", actor: str, at: datetime) -> list[TicketEvent]:
        """Close this ticket as merged into `target`. The status is `closed` (the one terminal state) with
        `merged_into` saying why; merging again into the same target changes nothing."""
        if self.merged_into == target.id:
            return []
        if self.merged_into is not None:
            raise InvalidTransition(f"ticket {self.key} is already merged into another ticket",
                                    {"merged_into": self.merged_into})
        if self.status == Status.CLOSED:
            raise InvalidTransition(f"ticket {self.key} is closed; a closed ticket is not merged",
                                    {"status": self.status.value})
        self.merged_into = target.id
        self.links = [*self.links, TicketLink(type="merged_into", ticket_id=target.id)][-MAX_LINKS:]
        events = [self._event(EventType.MERGED, actor, at, {"into": target.id, "into_number": target.key})]
        return events + self.change_status(Status.CLOSED, actor, at)

    def absorb(self, source: "Ticket", actor: str, at: datetime) -> list[TicketEvent]:
        """The target's side of a merge: a `merged_from` link (its events view shows the source's messages)
        and the source's people as participants, so their mail threads in here, its followers (as many as
        fit), who followed the conversation that goes on here, and its side contacts, whose answers come here
        now. Idempotent."""
        link = TicketLink(type="merged_from", ticket_id=source.id)
        if link in self.links:
            return []
        if self.status == Status.CLOSED:
            raise InvalidTransition(f"ticket {self.key} is closed; nothing is merged into a closed ticket",
                                    {"status": self.status.value, "merged_into": self.merged_into})
        self.links = [*self.links, link][-MAX_LINKS:]
        self.updated_at = at
        events = [self._event(EventType.MERGED, actor, at, {"from": source.id, "from_number": source.key})]
        events += self.add_participants([source.requester.email or "", *source.participants], actor, at)
        followers = list(dict.fromkeys([*self.followers, *source.followers]))[:MAX_FOLLOWERS]
        self.side_contacts = list(dict.fromkeys([*self.side_contacts, *source.side_contacts]))
        return events + self.set_field("followers", followers, actor, at)

    def rate(self, rating: CsatValue, comment: str | None, actor: str, at: datetime) -> list[TicketEvent]:
        """The customer's satisfaction rating; the same rating and comment again writes nothing."""
        previous = self.csat
        if previous is not None and previous.rating == rating and previous.comment == comment:
            return []
        self.csat = CsatRating(rating=rating, comment=comment, at=at)
        self.updated_at = at
        return [self._event(EventType.CSAT_RATED, actor, at,
                            {"rating": rating, "comment": comment,
                             "previous": previous.rating if previous is not None else None})]

    def add_message(
        self,
        body: str,
        *,
        public: bool,
        actor: str,
        by_customer: bool,
        at: datetime,
        meta: dict[str, Any] | None = None,
        automatic: bool = False,
        only_thanks: bool = False,
    ) -> list[TicketEvent]:
        """A public message or an internal note, with the status moves it implies. `automatic`: a trigger's reply,
        sent and shown as the team's but no answer of a person's: the first response, the team's last reply and the
        status stay as they were (an acknowledgement must not meet the SLA's first response). `only_thanks`: the
        customer's message only thanks (`tickets.thanks`): a solved ticket stays solved, and the message says so."""
        if self.status == Status.CLOSED:
            raise InvalidTransition(
                "a closed ticket takes no more messages; open a follow-up ticket",
                {"status": self.status.value},
            )
        event_type = EventType.PUBLIC_MESSAGE if public else EventType.INTERNAL_NOTE
        data: dict[str, Any] = {"body": body, "public": public, "from_customer": by_customer}
        if meta:
            data.update(meta)
        kept_solved = public and by_customer and only_thanks and self.status == Status.RESOLVED
        if kept_solved:
            data[KEPT_SOLVED] = True
        events = [self._event(event_type, actor, at, data)]
        if public and not automatic:  # an automatic acknowledgement is no one's word on the matter
            self.note_latest(plain_text(body) if written_in_markdown(data) else body, by_customer, at)  # no marks
        if public and by_customer:
            self.last_customer_message_at = at
            if self.status in WAKES_ON_CUSTOMER and not kept_solved:
                events += self.change_status(Status.OPEN, actor, at)
            events += self.snooze(None, actor, at, woke="customer_replied")  # the team has something to read now
        elif public and not automatic:
            self.last_agent_message_at = at
            if self.first_response_at is None:
                self.first_response_at = at
            if self.status == Status.NEW:
                events += self.change_status(Status.OPEN, actor, at)
        self.updated_at = at
        return events

    def note_latest(self, body: str, from_customer: bool, at: datetime) -> None:
        """A public message written at `at` is the latest one unless a later one is known (an import's history)."""
        if self.latest_message is None or at >= self.latest_message.at:
            self.latest_message = MessagePreview(text=clipped(body, PREVIEW_CHARS), from_customer=from_customer, at=at)

    def _event(self, type_: EventType, actor: str, at: datetime, data: dict[str, Any]) -> TicketEvent:
        return TicketEvent(ticket_id=self.id, tenant_id=self.tenant_id, type=type_, actor=actor, at=at, data=data)


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value.value if isinstance(value, StrEnum) else value


class Viewer(BaseModel):
    """An agent who has a ticket open in the console (`tickets/viewers.py`)."""

    user_id: str
    name: str | None = None
    replying: bool = False  # writing a reply or a note
    seen_at: datetime

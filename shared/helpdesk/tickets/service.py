"""Ticket use cases, with the access rules of each role.

Customers see their own tickets only and never internal notes; agents work their tenant's
tickets (restricted to their groups when they have any); admins manage the tenant. A ticket the
caller may not see answers exactly like a missing one.
"""

import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from tenacity import Retrying, retry_if_exception_type, stop_before_delay, wait_random_exponential

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import (
    ConcurrentUpdate,
    Conflict,
    Forbidden,
    InvalidAssignment,
    InvalidFieldValue,
    InvalidInput,
    NotFound,
)
from helpdesk.kernel.mentions import mentions
from helpdesk.kernel.principal import SYSTEM_ACTORS, Principal, Role
from helpdesk.kernel.text import normalise_tags, retagged, single_line
from helpdesk.tickets.customer_links import CustomerLinks
from helpdesk.tickets.fields import merged_values
from helpdesk.tickets.history import EventType, TicketEvent, customer_status
from helpdesk.tickets.model import (
    INVERSE_LINK,
    MAX_FOLLOWERS,
    MAX_LINKS,
    MAX_SUBJECT_CHARS,
    AiContext,
    Channel,
    Priority,
    Requester,
    Status,
    Ticket,
    TicketLink,
    email_key,
    participant_list,
    statuses_shown_as,
)
from helpdesk.tickets.ports import (
    AssignmentPolicy,
    OrganizationLookup,
    TicketFieldStore,
    TicketPage,
    TicketQuery,
    TicketRepository,
)
from helpdesk.tickets.thanks import ThanksRule

T = TypeVar("T")

MAX_MERGE_CHAIN = 20  # merges followed from one ticket; a longer chain stops at the last ticket reached
MERGED_MESSAGE_TYPES = frozenset({EventType.CREATED, EventType.PUBLIC_MESSAGE, EventType.INTERNAL_NOTE})
# What a customer may do with PATCH: say their issue is solved.
CUSTOMER_STATUSES = frozenset({Status.RESOLVED})


logger = logging.getLogger("helpdesk.tickets")


class CreateTicket(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str
    description: str
    priority: Priority = Priority.NORMAL
    channel: Channel = Channel.API
    tags: list[str] = Field(default_factory=list)
    custom_fields: dict[str, Any] = Field(default_factory=dict)  # a key sent as null is not stored
    group: str | None = None
    form: str | None = None  # the request form picked (its fields, its group)
    requester: Requester | None = None  # staff create on behalf of someone; customers are the requester
    ai: AiContext | None = None
    participants: list[str] = Field(default_factory=list)  # staff: people copied on the ticket (mail Cc)
    links: list[TicketLink] = Field(default_factory=list, max_length=10)  # e.g. the closed ticket this follows up
    # Internal callers only (mail ingest): a chosen id makes a retried create fail instead of duplicating,
    # and `event_data` records where the ticket came from (message id, attachments) on its created event.
    id: str | None = Field(default=None, min_length=8, max_length=64, pattern=r"^[0-9a-f]+$")
    event_data: dict[str, Any] = Field(default_factory=dict)
    # Internal callers: what lists show as the latest message when the description is no message (a chat's
    # transcript: the visitor's last words); the description by default.
    latest: str | None = None
    # Internal callers: the description is the team's words to the requester, not their request (an agent's mail
    # to a customer with a support address copied): the team spoke first, so it is the first response and the
    # latest message is the team's.
    description_by_team: bool = False


class UpdateTicket(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    subject: str | None = None  # agents rename a ticket ("help!!!" says little in a queue); customers do not
    priority: Priority | None = None
    assignee_id: str | None = None
    group: str | None = None
    tags: list[str] | None = None
    # Added to and removed from the ticket's own tags (a bulk change keeps each ticket's other tags); not with `tags`.
    add_tags: list[str] | None = None
    remove_tags: list[str] | None = None
    # A JSON merge patch of the ticket's custom fields: each key sent is set, null removes it, the others stay
    # (an agent filling one field cannot drop what an integration put on the ticket).
    custom_fields: dict[str, Any] | None = None
    # Out of the team's queues until then (null: back now); staff only, a ticket still to be solved.
    snoozed_until: AwareDatetime | None = None


SOLVED = frozenset({Status.RESOLVED.value, Status.CLOSED.value})  # what a required field is required for
MAX_TICKET_TAGS = 50  # what a request may set at once; adding keeps a ticket within it too


class TicketHook(Protocol):
    """Runs on every change just before the write (SLA recomputation, for one): it may update
    derived fields of the ticket and return extra events to append in the same transaction.
    `now` is the time of the change (the service's clock, or the time an internal caller pinned)."""

    def before_save(self, ticket: Ticket, events: list[TicketEvent], now: datetime) -> list[TicketEvent]: ...


class TicketService:
    def __init__(self, repository: TicketRepository, retry: "RetryPolicy | None" = None,
                 hooks: Sequence[TicketHook] = (), *, clock: Clock = system_clock,
                 sleep: Callable[[float], None] = time.sleep, assignments: AssignmentPolicy | None = None,
                 organizations: OrganizationLookup | None = None, fields: TicketFieldStore | None = None,
                 customers: CustomerLinks | None = None, thanks: ThanksRule | None = None) -> None:
        self.repository = repository
        self.organizations = organizations
        # Addresses the team linked to one customer: runs first among the hooks, so the others see the ticket's
        # customer; and a signed-in customer's own key is read through it.
        self.customers = customers
        self.fields = fields  # the tenant's custom field definitions: values of defined keys are checked
        # People's (and API clients') groups and assignees are checked against the team directory; internal
        # callers (triage's routing, mail, SLA) apply the tenant's own configuration and are not.
        self.assignments = assignments
        self.thanks = thanks  # a customer's thank-you on a solved ticket keeps it solved (None: every reply reopens)
        self.retry = retry or RetryPolicy()
        self.hooks = (customers, *hooks) if customers is not None else tuple(hooks)
        self._clock = clock
        self._sleep = sleep

    def check_field_values(self, tenant_id: str, values: Mapping[str, Any] | None, at: str = "custom_fields") -> None:
        """`InvalidFieldValue` for a value of a key the tenant defined that is not of the field's type, its
        `details.field` `at` (where the values stand in the caller's request: a macro's `actions.custom_fields`).
        Read only when values are sent, so the many writes that set none pay no read. Also for what other
        capabilities set (a bulk change once for all its tickets, a macro when saved and when applied, a trigger)."""
        if values and self.fields is not None:
            try:
                self.fields.get(tenant_id)[0].check(values)
            except InvalidFieldValue as exc:
                raise InvalidFieldValue(exc.message, {**exc.details, "field": at}) from exc

    def _run_hooks(self, ticket: Ticket, events: list[TicketEvent], now: datetime) -> list[TicketEvent]:
        for hook in self.hooks:
            events = events + hook.before_save(ticket, events, now)
        return events

    # -- commands --------------------------------------------------------------------------

    def create(self, caller: Principal, cmd: CreateTicket) -> Ticket:
        if cmd.requester is not None and not caller.is_staff:
            raise Forbidden("customers open tickets for themselves only")
        if (cmd.id is not None or cmd.event_data or cmd.description_by_team) and not caller.is_staff:
            raise Forbidden("only internal callers choose ticket ids or event data")
        if cmd.participants and not caller.is_staff:
            raise Forbidden("customers cannot copy other people on a ticket")
        requester = cmd.requester or Requester(id=caller.user_id, email=caller.email, name=caller.name,
                                               email_verified=caller.email_verified)
        self._check_links(caller, cmd.links)
        if cmd.group is not None and caller.is_staff:
            self._check_assignment(caller, cmd.group, None, None, None)
        # read on every customer's ticket (a required field needs checking unsent) and for a form; once
        definitions = self.fields.get(caller.tenant_id)[0] \
            if self.fields is not None and (cmd.form or not caller.is_staff) else None
        form = definitions.form(cmd.form) if cmd.form and definitions is not None else None
        if caller.is_staff and definitions is not None:  # read for the form already
            definitions.check(cmd.custom_fields)
        elif caller.is_staff:
            self.check_field_values(caller.tenant_id, cmd.custom_fields)
        elif definitions is not None:
            # The chat's hand-over (a signed-in visitor) asks for no form, so nothing is required there.
            definitions.check_from_customer(cmd.custom_fields, form=form, required=cmd.channel != Channel.CHAT)
        # A customer's ticket opens in their form's group (checked when the form was saved); staff choose.
        group = cmd.group if caller.is_staff else None
        if group is None and form is not None:
            group = form.group
        custom_fields = merged_values({}, cmd.custom_fields)
        now = self._clock()
        ticket = Ticket(
            id=cmd.id or uuid.uuid4().hex,
            number=self.repository.next_number(caller.tenant_id),
            tenant_id=caller.tenant_id,
            subject=cmd.subject,
            description=cmd.description,
            priority=cmd.priority,
            channel=cmd.channel,
            requester=requester,
            no_customer=cmd.requester is None and caller.is_staff,
            organization_id=(self.organizations.organization_of(caller.tenant_id, requester.email)
                             if self.organizations is not None and requester.email else None),
            group=group,
            form=form.key if form is not None else None,
            tags=_clean_tags(cmd.tags),
            custom_fields=custom_fields,
            participants=participant_list(requester, cmd.participants),  # the requester first, then Cc
            links=list(cmd.links),
            created_at=now,
            updated_at=now,
            status_changed_at=now,
            last_customer_message_at=None if cmd.description_by_team else now,
            last_agent_message_at=now if cmd.description_by_team else None,
            first_response_at=now if cmd.description_by_team else None,
            ai=cmd.ai or AiContext(),
        )
        ticket.note_latest(cmd.latest or cmd.description, not ticket.no_customer and not cmd.description_by_team, now)
        created = TicketEvent(
            ticket_id=ticket.id,
            tenant_id=ticket.tenant_id,
            type=EventType.CREATED,
            actor=caller.user_id,
            at=now,
            data={**cmd.event_data, "number": ticket.key, "channel": ticket.channel.value,
                  "subject": ticket.subject, "requester_id": requester.id, "priority": ticket.priority.value,
                  **({"group": ticket.group} if ticket.group else {}),  # whom a new ticket is for (notifications)
                  **({"form": ticket.form} if ticket.form else {}),
                  **({"by_customer": True} if not caller.is_staff else {}),  # they asked (their receipt mail)
                  **({"links": [link.model_dump() for link in cmd.links]} if cmd.links else {})},
        )
        ticket = self.repository.add(ticket, self._run_hooks(ticket, [created], now))
        for link in dict.fromkeys(cmd.links):  # both ends, as POST /tickets/{id}/links writes them
            if link.type in INVERSE_LINK:
                self._mutate(caller, link.ticket_id, _linking(TicketLink(type=INVERSE_LINK[link.type],
                                                                         ticket_id=ticket.id), caller.user_id))
        return ticket

    def _check_links(self, caller: Principal, links: Sequence[TicketLink]) -> None:
        """A new ticket's links: to tickets the caller may see (the same 404 rule as everywhere), none a merge's, and
        the links agents make (parent, child, related, duplicate) by agents only, to a ticket with room for its end."""
        for link in links:
            if link.type in ("merged_into", "merged_from"):  # only a merge writes those, on both tickets
                raise InvalidInput("merge links are made by POST /tickets/{id}/merge", {"links": [link.model_dump()]})
            if link.type in INVERSE_LINK and not caller.is_staff:
                raise Forbidden("only agents and admins link tickets")
            try:
                other = self.get(caller, link.ticket_id)
            except NotFound as exc:
                raise InvalidInput(f"linked ticket {link.ticket_id} not found",
                                   {"links": [link.model_dump()]}) from exc
            if link.type in INVERSE_LINK and len(other.links) >= MAX_LINKS:  # its end is written with the ticket
                raise InvalidInput(f"ticket {other.key} has {MAX_LINKS} links already", {"limit": MAX_LINKS})

    def update(self, caller: Principal, ticket_id: str, cmd: UpdateTicket,
               expected_version: int | None = None, *, values_checked: bool = False) -> Ticket:
        """`values_checked`: the caller checked `cmd.custom_fields` already (a bulk change, once for all its
        tickets: one read of the definitions, and a bad value refused before any ticket is written)."""
        changes = cmd.model_dump(exclude_unset=True)
        self._check_customer_change(caller, ticket_id, changes)
        cleared = sorted(f for f in ("status", "subject", "priority", "custom_fields")
                         if f in changes and changes[f] is None)
        if cleared:  # a ticket always has these: null is no value for them
            raise InvalidInput(f"{', '.join(cleared)} cannot be null", {"fields": cleared})
        adding = bool(cmd.add_tags or cmd.remove_tags)
        if adding and "tags" in changes:
            raise InvalidInput("send either tags (the whole set) or add_tags/remove_tags, not both", {"field": "tags"})
        # once, not per try (the definitions do not change between tries)
        self.check_field_values(caller.tenant_id, None if values_checked else cmd.custom_fields)

        def apply(ticket: Ticket, now: datetime) -> list[TicketEvent]:
            events: list[TicketEvent] = []
            if cmd.subject is not None:
                events += ticket.set_field("subject", _clean_subject(cmd.subject), caller.user_id, now)
            for field in ("priority", "assignee_id", "group"):
                if field in changes:
                    events += ticket.set_field(field, getattr(cmd, field), caller.user_id, now)
            if cmd.custom_fields:
                values = merged_values(ticket.custom_fields, cmd.custom_fields)
                events += ticket.set_field("custom_fields", values, caller.user_id, now)
            if "tags" in changes and cmd.tags is not None:
                events += ticket.set_field("tags", _clean_tags(cmd.tags), caller.user_id, now)
            if adding:
                tags = retagged(ticket.tags, cmd.add_tags or (), cmd.remove_tags or ())
                if len(tags) > MAX_TICKET_TAGS:  # this ticket's own tags leave no room: its state, not the request
                    raise Conflict(f"a ticket has at most {MAX_TICKET_TAGS} tags", {"field": "add_tags"})
                events += ticket.set_field("tags", tags, caller.user_id, now)
            if cmd.status is not None:
                changed = ticket.change_status(cmd.status, caller.user_id, now)
                if not caller.is_staff:  # the customer said it is solved: their rating is asked where they are
                    for event in changed:
                        event.data["by_customer"] = True
                events += changed
            if "snoozed_until" in changes:
                events += ticket.snooze(cmd.snoozed_until, caller.user_id, now)
            return events

        return self._mutate(caller, ticket_id, apply, expected_version, check_assignment=True)

    def _check_customer_change(self, caller: Principal, ticket_id: str, changes: Mapping[str, Any]) -> None:
        """Customers only mark their own request solved: not another field, not a colleague's ticket (one they
        see through a shared organisation)."""
        if caller.is_staff:
            return
        if set(changes) - {"status"} or changes.get("status") not in CUSTOMER_STATUSES:
            raise Forbidden("customers can only mark their ticket resolved")
        if not self.asked_by(caller, self.get(caller, ticket_id)):
            raise Forbidden("the customer who asked marks their request solved")

    def add_message(self, caller: Principal, ticket_id: str, body: str, public: bool,
                    meta: dict[str, Any] | None = None,
                    as_customer: bool | None = None,
                    add_participants: Sequence[str] = (),
                    status: Status | None = None,
                    follow_mentions: bool = False,
                    ends_hold: bool = False) -> tuple[Ticket, TicketEvent]:
        """`as_customer` lets an internal caller (mail ingest) post the requester's own reply;
        `add_participants` copies more people on the ticket in the same write (a mail's Cc); `status` (agents)
        moves the ticket on in the same write ("send and set pending": one click, one transaction, so the
        customer never gets the reply of a ticket the agent failed to solve, nor the other way round).
        `follow_mentions` (a note an agent writes through the API): the teammates it @mentions who may open the
        ticket follow it from this write on, as Zendesk adds them (the mention mail brings them in; the follow keeps
        them told). `ends_hold` (an internal caller): the message is what an on-hold ticket waited for (a side
        conversation's answer), so the ticket opens again in the same write."""
        if not public and not caller.is_staff:
            raise Forbidden("only agents write internal notes")
        if status is not None and not caller.is_staff:
            raise Forbidden("only agents set a status with their message")
        if add_participants and not caller.is_staff:
            raise Forbidden("only internal callers add participants with a message")
        written: list[TicketEvent] = []
        if caller.name and not (meta or {}).get("author_name"):  # customers see who answered them
            meta = {**(meta or {}), "author_name": caller.name}
        mentioned = self._mentioned(caller, body) if follow_mentions and not public else []

        def apply(ticket: Ticket, now: datetime) -> list[TicketEvent]:
            by_customer = (as_customer if as_customer is not None
                           else not caller.is_staff or caller.user_id == ticket.requester.id)
            said = meta
            if not caller.is_staff and not can_see(caller, ticket):  # a colleague of a shared organisation:
                said = {**(meta or {}), "from": caller.email, "from_name": caller.name or caller.email}  # named
            thanked = (public and by_customer and status is None and ticket.status == Status.RESOLVED
                       and self.thanks is not None
                       and self.thanks.keeps_solved(ticket.tenant_id, body, lambda: self._people_of(ticket)))
            events = ticket.add_message(body, public=public, actor=caller.user_id,
                                        by_customer=by_customer, at=now, meta=said, only_thanks=thanked)
            written[:] = events
            if add_participants:
                events = events + ticket.add_participants(list(add_participants), caller.user_id, now)
            if status is not None:
                events = events + ticket.change_status(status, caller.user_id, now)
                self._check_required_fields(caller, ticket, events)  # solving asks for the required fields
            elif ends_hold and ticket.status == Status.ON_HOLD:
                events = events + ticket.change_status(Status.OPEN, caller.user_id, now)
            followers = self._may_follow(ticket, mentioned)
            if followers:
                events = events + ticket.set_field("followers", followers, caller.user_id, now)
            return events

        ticket = self._mutate(caller, ticket_id, apply)
        return ticket, written[0]

    def _mentioned(self, caller: Principal, body: str) -> list[str]:
        """The teammates a note by `caller` mentions (not the author), as user ids; one directory read, and only
        for a note that mentions someone."""
        handles = mentions(body)
        if not handles or self.assignments is None or not caller.is_staff:
            return []
        return [u for u in self.assignments.mentioned_staff(caller.tenant_id, handles) if u != caller.user_id]

    def followers_mentioned(self, caller: Principal, ticket: Ticket, note: str) -> list[str] | None:
        """The ticket's followers with the teammates an internal `note` by `caller` @mentions added (those who may
        open it), None when nobody is added: what a note written another way than `add_message` (a macro's)
        follows as `follow_mentions` does."""
        return self._may_follow(ticket, self._mentioned(caller, note))

    def _may_follow(self, ticket: Ticket, candidates: Sequence[str]) -> list[str] | None:
        """The ticket's followers with those of `candidates` who may open it added (at most `MAX_FOLLOWERS`); None
        when nobody is added. One who may not open it is left out, as the mention mail leaves them out."""
        followers = list(ticket.followers)
        for user_id in candidates:
            if user_id in followers or len(followers) >= MAX_FOLLOWERS or self.assignments is None:
                continue
            try:
                self.assignments.check_follower(ticket.tenant_id, user_id, group=ticket.group,
                                                assignee_id=ticket.assignee_id)
            except InvalidAssignment:
                continue
            followers.append(user_id)
        return followers if len(followers) > len(ticket.followers) else None

    def set_participants(self, caller: Principal, ticket_id: str, addresses: list[str],
                         expected_version: int | None = None) -> Ticket:
        """Who is copied on the ticket besides the requester (their mail replies thread in; replies Cc them)."""
        if not caller.is_staff:
            raise Forbidden("only agents change who is copied on a ticket")
        return self._mutate(caller, ticket_id,
                            lambda ticket, now: ticket.set_participants(addresses, caller.user_id, now),
                            expected_version)

    def follow(self, caller: Principal, ticket_id: str, user_id: str) -> Ticket:
        """`user_id` follows the ticket: its news is mailed to them (a customer's message, a colleague's reply or
        note, the customer solving or rating it). Agents add themselves or a colleague who may open the ticket."""
        if not caller.is_staff:
            raise Forbidden("only agents and admins follow tickets")

        def add(ticket: Ticket, now: datetime) -> list[TicketEvent]:
            if user_id not in ticket.followers and self.assignments is not None:
                self.assignments.check_follower(ticket.tenant_id, user_id, group=ticket.group,
                                                assignee_id=ticket.assignee_id)
            return ticket.follow(user_id, caller.user_id, now)

        return self._mutate(caller, ticket_id, add)

    def unfollow(self, caller: Principal, ticket_id: str, user_id: str) -> Ticket:
        """`user_id` no longer follows the ticket (anyone of the team may take a follower off: one who left)."""
        if not caller.is_staff:
            raise Forbidden("only agents and admins follow tickets")
        return self._mutate(caller, ticket_id, lambda ticket, now: ticket.unfollow(user_id, caller.user_id, now))

    def run_change(self, caller: Principal, ticket_id: str,
                   apply: Callable[[Ticket, datetime], list[TicketEvent]], expected_version: int | None = None,
                   *, dry_run: bool = False,
                   guard: Callable[[], Ticket] | None = None) -> tuple[Ticket, list[TicketEvent]]:
        """A change another capability composes for an agent (a macro: reply, note and field changes), written
        as one transaction like any other. `dry_run`: the ticket and events it would make, nothing written.
        `guard`: read (and checked) on each attempt; the write happens only while that ticket is unchanged."""
        if not caller.is_staff:
            raise Forbidden("only agents and admins change tickets this way")
        if dry_run:
            ticket = self.get(caller, ticket_id)
            if expected_version is not None and ticket.version != expected_version:
                raise ConcurrentUpdate("the ticket changed since you read it",
                                       {"expected_version": expected_version, "current_version": ticket.version})
            before = (ticket.group, ticket.assignee_id)
            events = apply(ticket, self._clock())
            self._check_assignment(caller, ticket.group, ticket.assignee_id, *before)
            self._check_required_fields(caller, ticket, events)  # the preview says what the apply would refuse
            return ticket, events
        written: list[TicketEvent] = []

        def attempt(ticket: Ticket, now: datetime) -> list[TicketEvent]:
            written[:] = apply(ticket, now)
            return written

        return self._mutate(caller, ticket_id, attempt, expected_version, guard=guard,
                            check_assignment=True), written

    def apply_system_change(self, caller: Principal, ticket_id: str,
                            change: Callable[[Ticket], list[TicketEvent]], *,
                            now: datetime | None = None) -> Ticket:
        """For internal callers (mail, SLA, triage): any rule-checked change, retried on races.
        `now` pins the time the hooks see (the SLA scan's pass time); by default the service's clock."""
        return self._mutate(caller, ticket_id, lambda ticket, _now: change(ticket), now=now)

    # -- queries ---------------------------------------------------------------------------

    def get(self, caller: Principal, ticket_id: str) -> Ticket:
        ticket = self.repository.get(caller.tenant_id, ticket_id)
        if ticket is None or not self.may_see(caller, ticket):
            raise NotFound(f"ticket {ticket_id} not found")
        return ticket

    def visible(self, caller: Principal, ticket_ids: list[str]) -> dict[str, Ticket]:
        """The tickets of `ticket_ids` the caller may open, by id, as they are now: one batch read, not one read per
        ticket."""
        if not ticket_ids:
            return {}
        return {t.id: t for t in self.repository.get_many(caller.tenant_id, ticket_ids) if self.may_see(caller, t)}

    def get_by_number(self, caller: Principal, number: int) -> Ticket:
        ticket = self.repository.get_by_number(caller.tenant_id, number)
        if ticket is None or not self.may_see(caller, ticket):
            raise NotFound("ticket not found")
        return ticket

    def may_see(self, caller: Principal, ticket: Ticket) -> bool:
        """`can_see`, and for a customer also the tickets of their organisation when it shares them (read only
        when the ticket is not theirs and belongs to an organisation)."""
        if can_see(self.as_customer(caller), ticket):
            return True
        return (caller.role == Role.CUSTOMER and ticket.tenant_id == caller.tenant_id
                and ticket.organization_id is not None
                and ticket.organization_id == self.shared_organization(caller))

    def asked_by(self, caller: Principal, ticket: Ticket) -> bool:
        """A customer's own request (theirs to mark solved and rate), not a colleague's they see through a shared
        organisation; never the team's."""
        return caller.role == Role.CUSTOMER and can_see(self.as_customer(caller), ticket)

    def as_customer(self, caller: Principal) -> Principal:
        """A signed-in customer with the customer their address is linked to (`Principal.linked_to`)."""
        return self.customers.principal(caller) if self.customers is not None else caller

    def shared_organization(self, caller: Principal) -> str | None:
        """The organisation whose tickets a customer sees besides their own: the one claiming their **verified**
        address's domain, when it shares its tickets. A failed read shares nothing (logged)."""
        if (caller.role != Role.CUSTOMER or not (caller.email and caller.email_verified)
                or self.organizations is None):
            return None
        try:
            return self.organizations.shared_organization_of(caller.tenant_id, caller.email)
        except Exception:  # the directory unreadable (or not granted to this function): own tickets only
            logger.warning("could not read the customer's organisation; showing their own tickets only",
                           extra={"tenant_id": caller.tenant_id}, exc_info=True)
            return None

    def shared_with(self, caller: Principal) -> str:
        """The organisation whose tickets a customer lists besides their own (`GET /tickets?shared=true`)."""
        if caller.is_staff:
            raise InvalidInput("`shared` is for customers; staff filter by `organization`", {"parameter": "shared"})
        found = self.shared_organization(caller)
        if found is None:
            raise Forbidden("your organisation does not share its tickets (or your address is not verified)")
        return found

    def query(self, caller: Principal, q: TicketQuery) -> TicketPage:
        visible = self._visible_query(caller, q)
        return self.repository.query(visible) if visible is not None else TicketPage(items=[])

    def count(self, caller: Principal, q: TicketQuery) -> int:
        """How many tickets of `q` the caller may see (the same access rules as `query`)."""
        visible = self._visible_query(caller, q)
        return self.repository.count(visible) if visible is not None else 0

    def _visible_query(self, caller: Principal, q: TicketQuery) -> TicketQuery | None:
        """`q` narrowed to what the caller may see; None when that is nothing."""
        if q.unassigned and q.assignee_id is not None:
            raise InvalidInput("ask for an assignee's tickets or for unassigned ones, not both")
        if caller.role == Role.CUSTOMER:
            caller = self.as_customer(caller)
            if q.field_terms:  # most fields are the team's: filtering by them would tell their values
                raise Forbidden("customers do not filter by ticket fields")
            if q.follower is not None:  # who follows a ticket is the team's
                raise Forbidden("customers do not filter by followers")
            if q.tag is not None:  # tags are the team's labels: filtering by one would tell which tickets have it
                raise Forbidden("customers do not filter by tags")
            if q.snoozed is not None:  # snoozing is the team's way of ordering its work
                raise Forbidden("customers do not filter by snooze")
            if q.my_groups:
                raise Forbidden("customers are in no group")
            if q.status is not None:  # their "open" is open or on hold, as their tickets show
                shown = tuple(s for s in statuses_shown_as(q.status) if not q.statuses or s in q.statuses)
                if not shown:  # "solved" and "unsolved" at once: nothing
                    return None
                q = replace(q, status=None, statuses=shown)
            me = customer_key(caller)
            if q.requester_id not in (None, caller.user_id, me, address_key(caller)):  # their own, by any name
                return None
            if q.organization_id is not None:  # their organisation's tickets, when it shares them
                return (replace(q, tenant_id=caller.tenant_id)
                        if q.organization_id == self.shared_organization(caller) else None)
            q = replace(q, requester_id=me)
        elif caller.limited_to is not None:
            q = replace(q, groups=caller.limited_to, visible_to=caller.user_id)
        if q.my_groups:  # the caller's groups, as they are now (a saved view says "mine", not which)
            if not caller.groups:
                return None
            q = replace(q, in_groups=caller.groups)
        return replace(q, tenant_id=caller.tenant_id, at=self._clock() if q.snoozed is not None else q.at)

    def _people_of(self, ticket: Ticket) -> list[str]:
        """The names a customer may thank or sign with on the ticket: their own and those of the team's people who
        answered it."""
        answered = (e.data.get("author_name") for e in self.repository.events(ticket.tenant_id, ticket.id)
                    if e.type == EventType.PUBLIC_MESSAGE and not e.data.get("from_customer"))
        return [name for name in (ticket.requester.name, *answered) if isinstance(name, str) and name]

    def events(self, caller: Principal, ticket_id: str, *, with_merged: bool = False) -> list[TicketEvent]:
        """The ticket's log. `with_merged` (the history people read): on a merge target also the messages of the
        tickets merged into it, in time order, each with its own ticket id and seq (`data.merged_from`)."""
        ticket = self.get(caller, ticket_id)
        events = self.repository.events(caller.tenant_id, ticket.id)
        merged = self._merged_messages(caller, ticket) if with_merged else []
        if merged:
            events = sorted([*events, *merged], key=lambda e: e.at)  # stable: each log keeps its own order
        if not caller.is_staff:  # the one place customers' view of the log is filtered
            events = [e.for_customer() for e in events if e.shown_to_customers]
        return events

    def time_logged(self, caller: Principal, since: datetime, until: datetime,
                    limit: int) -> tuple[list[TicketEvent], bool]:
        """The time entries logged in the caller's tenant in [since, until), in time order (staff only). An agent
        limited to groups sees the entries of tickets that were in their groups when logged, and their own."""
        if not caller.is_staff:
            raise Forbidden("time entries are the team's")
        entries, truncated = self.repository.time_logged(caller.tenant_id, since, until, limit)
        limits = caller.limited_to
        if limits is not None:
            entries = [e for e in entries if e.data.get("group") in limits or e.actor == caller.user_id]
        return entries, truncated

    def follow_merges(self, caller: Principal, ticket: Ticket) -> Ticket:
        """The ticket that now carries `ticket`'s conversation: the end of its merge chain (itself if unmerged)."""
        seen = {ticket.id}
        while ticket.merged_into is not None and len(seen) <= MAX_MERGE_CHAIN:
            try:
                following = self.get(caller, ticket.merged_into)
            except NotFound:  # not visible to this caller: the conversation stays where they can see it
                return ticket
            if following.id in seen:
                return ticket
            seen.add(following.id)
            ticket = following
        return ticket

    # -- internals -------------------------------------------------------------------------

    def _check_assignment(self, caller: Principal, group: str | None, assignee_id: str | None,
                          group_before: str | None, assignee_before: str | None) -> None:
        """A group the change sets must exist; an assignee it sets must be an active agent of the tenant in the
        ticket's group, also when only the group changes (the ticket's assignee must be in its new group). Checked on
        people's commands (create, update, bulk, macros); `apply_system_change` applies internal callers'
        configured routing (triage) and its undo unchecked."""
        if self.assignments is None or (caller.user_id in SYSTEM_ACTORS and caller.scopes is None):
            return
        if (group, assignee_id) == (group_before, assignee_before):
            return
        self.assignments.check(caller.tenant_id, group=group if group != group_before else None,
                               assignee_id=assignee_id, assignee_group=group)

    def _check_required_fields(self, caller: Principal, ticket: Ticket, events: list[TicketEvent]) -> None:
        """A person who solves a ticket (resolved or closed by hand: not merged, not closed as spam, not by an
        API client, the SLA scan or the customer) fills the fields the tenant requires first."""
        if self.fields is None or not caller.is_staff or caller.scopes is not None or caller.user_id in SYSTEM_ACTORS:
            return
        solved = any(e.type == EventType.STATUS_CHANGED and e.data.get("to") in SOLVED and not e.data.get("reason")
                     for e in events)
        if solved and ticket.merged_into is None:
            self.fields.get(ticket.tenant_id)[0].require_to_resolve(ticket.custom_fields)

    def _merged_messages(self, caller: Principal, target: Ticket) -> list[TicketEvent]:
        """The messages of the tickets merged into `target`, read from their own logs (nothing is copied) and
        marked with the ticket they were written on. A customer gets those of sources they may see."""
        source_ids = target.merged_from
        if not source_ids:
            return []
        shown: list[TicketEvent] = []
        for source in self.repository.get_many(caller.tenant_id, source_ids):
            if not self.may_see(caller, source):
                continue
            for event in self.repository.events(caller.tenant_id, source.id):
                if event.type in MERGED_MESSAGE_TYPES:
                    data = {**event.data, "merged_from": source.id, "merged_from_number": source.key}
                    if event.type == EventType.CREATED:  # the opening message is the ticket's description
                        data.setdefault("body", source.description)
                    shown.append(event.model_copy(update={"data": data}))
        return shown

    def _mutate(self, caller: Principal, ticket_id: str,
                apply: Callable[[Ticket, datetime], list[TicketEvent]],
                expected_version: int | None = None, *, now: datetime | None = None,
                guard: Callable[[], Ticket] | None = None, check_assignment: bool = False) -> Ticket:
        """Read, apply, conditional write. API callers that pin a version get the 409 on a race;
        everyone else is retried on a fresh read (see `RetryPolicy`), so no write is ever lost. Each
        attempt reads the clock once (unless `now` is pinned): the change and the hooks see the same time."""

        def attempt() -> Ticket:
            ticket = self.get(caller, ticket_id)
            if expected_version is not None and ticket.version != expected_version:
                raise ConcurrentUpdate(
                    "the ticket changed since you read it",
                    {"expected_version": expected_version, "current_version": ticket.version},
                )
            at = now if now is not None else self._clock()
            unchanged = guard() if guard is not None else None
            before = (ticket.group, ticket.assignee_id)
            events = apply(ticket, at)
            if check_assignment:
                self._check_assignment(caller, ticket.group, ticket.assignee_id, *before)
                self._check_required_fields(caller, ticket, events)
            if not events:
                return ticket
            return self.repository.save(ticket, self._run_hooks(ticket, events, at), unchanged)

        if expected_version is not None:
            return attempt()
        return self.retry.retrying(self._sleep)(attempt)


@dataclass(frozen=True)
class RetryPolicy:
    """How an internal write that lost a race tries again: after a random wait in a window that doubles each
    time (exponential backoff with full jitter: writers that collided spread out instead of colliding again
    in lockstep, as immediate retries do), until `deadline_s` after the first attempt, never sleeping past it.
    The window grows to `cap_s`: wide enough that 50 writers of one ticket spread out (bench/concurrency.py).
    The deadline stays under the API functions' timeout (15 s): only then does the caller see the 409."""

    base_s: float = 0.02
    cap_s: float = 2.0
    deadline_s: float = 10.0

    def retrying(self, sleep: Callable[[float], None] = time.sleep) -> Retrying:
        return Retrying(retry=retry_if_exception_type(ConcurrentUpdate), reraise=True, sleep=sleep,
                        wait=wait_random_exponential(multiplier=self.base_s, max=self.cap_s),
                        stop=stop_before_delay(self.deadline_s))


def _linking(link: TicketLink, actor: str) -> Callable[[Ticket, datetime], list[TicketEvent]]:
    return lambda ticket, at: ticket.link(link, actor, at)


def can_see(caller: Principal, ticket: Ticket) -> bool:
    if caller.tenant_id != ticket.tenant_id:
        return False
    if caller.role == Role.ADMIN:
        return True
    if caller.role == Role.CUSTOMER:  # theirs: as the requester, their key, or the address they wrote from
        return (ticket.requester.id == caller.user_id or ticket.requester.key == customer_key(caller)
                or (ticket.requester.address_key is not None and ticket.requester.address_key == address_key(caller)))
    limits = caller.limited_to
    return limits is None or ticket.group in limits or ticket.assignee_id == caller.user_id


def customer_key(caller: Principal) -> str:
    """The requester key (`Requester.key`) of a signed-in customer: their verified address, so they see the
    tickets opened for it by mail, chat or an agent (or the customer the team linked it to, whose tickets are all
    theirs); without a verified address, their user id only."""
    if caller.email and caller.email_verified:
        return caller.linked_to or email_key(caller.email)
    return caller.user_id


def address_key(caller: Principal) -> str | None:
    """The key of the caller's verified address itself, whoever the team linked it to."""
    return email_key(caller.email) if caller.email and caller.email_verified else None


def _clean_tags(tags: list[str]) -> list[str]:
    return sorted(normalise_tags(tags))


def _clean_subject(subject: str) -> str:
    """One line, as the queue shows it (`single_line`, as the API's request model cleans it; internal callers
    reach the service directly)."""
    try:
        cleaned = single_line(subject)
    except ValueError as exc:
        raise InvalidInput("a subject cannot be blank", {"field": "subject"}) from exc
    if len(cleaned) > MAX_SUBJECT_CHARS:
        raise InvalidInput(f"a subject has at most {MAX_SUBJECT_CHARS} characters", {"field": "subject"})
    return cleaned


def as_seen_by(caller: Principal, ticket: Ticket) -> Ticket:
    """The ticket as `caller` may see it: AI context, SLA clocks, tags ("vip", "spam", triage's category), custom
    fields (the team's "plan", "churn risk", an integration's CRM ids), followers and side conversations' contacts are
    for the team, not the customer; "on hold" (the team waits for someone else) is "open" to them."""
    if caller.is_staff:
        return ticket
    return ticket.model_copy(update={"ai": AiContext(), "sla": None, "tags": [], "snoozed_until": None,
                                     "snoozed_by": None, "time_triggers_fired": {},
                                     "status": Status(customer_status(ticket.status.value)),
                                     "custom_fields": {}, "followers": [], "side_contacts": []})

"""Ticket commands API: the REST API agents, customers and integrations use.

Thin on purpose: parse and validate the request, call the TicketService, shape the response.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from helpdesk.attachments.model import AttachmentView, UploadGrant, UploadRequest, shown_entry
from helpdesk.attachments.service import MailHtml
from helpdesk.bootstrap import container
from helpdesk.directory.addresses import AddressesLinked, AddressToLink, CustomerAddresses
from helpdesk.inbox.model import MarkRead, NoticeKind
from helpdesk.kernel.errors import Forbidden
from helpdesk.kernel.principal import Principal
from helpdesk.kernel.text import EMAIL_ADDRESS_PATTERN, one_line
from helpdesk.mail.side import MAX_SIDE_RECIPIENTS
from helpdesk.platform.observability import http_handler, metrics
from helpdesk.reminders.model import ReminderRequest, ReminderView
from helpdesk.tickets.bulk import BulkOutcome, BulkResult
from helpdesk.tickets.fields import TicketFields, TicketFieldsView
from helpdesk.tickets.history import MessageFormat, TicketEvent, format_meta
from helpdesk.tickets.links import link, merge, split, unlink
from helpdesk.tickets.model import (
    MAX_CUSTOM_FIELDS,
    MAX_PARTICIPANTS,
    MAX_SUBJECT_CHARS,
    MAX_TEXT_BYTES,
    UNSOLVED_STATUSES,
    AgentLinkType,
    Channel,
    CsatRating,
    CustomFields,
    ImportOrigin,
    LinkType,
    MessagePreview,
    Priority,
    Requester,
    Status,
    Ticket,
    TicketLink,
    Viewer,
)
from helpdesk.tickets.ports import TicketQuery
from helpdesk.tickets.service import CreateTicket, UpdateTicket, as_seen_by
from helpdesk.tickets.sla_state import SlaStanding
from helpdesk.tickets.time_spent import MAX_ENTRY_MINUTES, log_time
from helpdesk.tickets.viewers import CHECK_IN_S
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.idempotency import request_id
from helpdesk.web.paths import CustomerKeyPath
from helpdesk.web.ticket_changes import TicketChanges
from helpdesk.web.validation import FieldFilters, bounded_text, email_list, tag_list
from helpdesk.web.versioning import IfMatch, expected_version, set_etag

app = create_app("Helpdesk ticket commands", description="Tickets, messages and their history.",
                 extra_error_statuses=(415,))  # attachments of a type that is not accepted
Caller = Annotated[Principal, Depends(current_principal)]
LinkedEmailPath = Annotated[str, Path(max_length=254, pattern=EMAIL_ADDRESS_PATTERN,
                                      description="an address linked to the customer")]


def requester_address(requester: Requester | None) -> Requester | None:
    if requester is not None and requester.email is not None:
        email_list([requester.email])
    if requester is not None and requester.linked_to is not None:
        raise ValueError("linked_to is the team's: link the address to a customer (POST /customers/{key}/addresses)")
    return requester


class TicketCreateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: Annotated[str, Field(min_length=1, max_length=MAX_SUBJECT_CHARS), AfterValidator(one_line)]
    description: Annotated[str, AfterValidator(bounded_text(MAX_TEXT_BYTES))]
    priority: Priority = Field(default=Priority.NORMAL, description="staff and integrations only (403 for a customer)")
    tags: Annotated[list[str], AfterValidator(tag_list)] = Field(default_factory=list, max_length=50,
                                                                 description="staff and integrations only (403 for a "
                                                                             "customer: tags are the team's labels)")
    custom_fields: CustomFields = Field(
        default_factory=dict, max_length=MAX_CUSTOM_FIELDS,
        description="agents and integrations: free-form; a key the tenant defined (`GET /ticket-fields`) takes a "
                    "value of its type (422 otherwise), null leaves it empty. Customers: only the fields they fill in "
                    "(`customer_editable`), and those `required_for_customers` filled (422 `invalid_field_value`, "
                    "`required_fields`)")
    group: str | None = Field(default=None, max_length=128)
    form: str | None = Field(default=None, max_length=40,
                             description="the request form picked (`GET /ticket-fields`'s `forms`): a customer "
                                         "fills only its fields and its required ones; the ticket opens in its "
                                         "group. Unknown or inactive: 422 `invalid_field_value`")
    # agents and admins only: open on someone's behalf. Their address is where replies are mailed and how the
    # portal knows them, so it is checked like a Cc address.
    requester: Annotated[Requester | None, AfterValidator(requester_address)] = None
    participants: Annotated[list[str], AfterValidator(email_list)] = Field(default_factory=list,
                                                                           max_length=MAX_PARTICIPANTS)
    links: list[TicketLink] = Field(default_factory=list, max_length=10)  # e.g. follow-up of a closed ticket


class TicketUpdateRequest(TicketChanges):
    """Only what is sent changes. `assignee_id` and `group` may be null (unassign, no group); a ticket
    always has a status, a priority and a tag list, so null is refused for those (422). `subject` renames the
    ticket (agents); it is here and not in `TicketChanges`, since a bulk change gives tickets no one subject.
    `custom_fields` (agents) is merged into the ticket's as a JSON merge patch: each key sent is set, null removes
    it, keys not sent stay. A key the tenant defined (`GET /ticket-fields`) takes a value of its type (422
    otherwise)."""

    subject: Annotated[str, AfterValidator(one_line)] = Field(  # type: ignore[assignment]  # absent: unchanged
        default=None, min_length=1, max_length=MAX_SUBJECT_CHARS)


class MessageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: Annotated[str, AfterValidator(bounded_text(MAX_TEXT_BYTES))]
    public: bool = True
    # uploads of the caller on this ticket (POST /tickets/{id}/attachments); at most 10 a message
    attachment_ids: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(default_factory=list,
                                                                                    max_length=100)
    status: Status | None = Field(default=None, description="agents: the ticket's status after this message, in "
                                                            "the same write (\"send and set pending\"); 409 "
                                                            "`invalid_transition` for a move the ticket cannot make")
    mail_to: Annotated[list[str], AfterValidator(email_list)] = Field(
        default_factory=list, max_length=MAX_SIDE_RECIPIENTS,
        description="agents, with `public: false`: mail the note to these people outside the ticket (a supplier, "
                    "another department: a side conversation); their answers come back as internal notes. Not the "
                    "requester or a participant (a public reply reaches them), nor the team's support addresses")

    format: MessageFormat = Field(default="text", description=(
        "`markdown`: the body is Markdown (CommonMark without raw HTML: emphasis, lists, quotes, code, links), shown "
        "so in the console and the portal and in the mail's HTML part; its plain text part is the Markdown as "
        "written. `text` (the default): shown as written, nothing read as markup"))

    children: bool = Field(default=False, description=(
        "agents: the same message (with the same `status`) on every ticket linked to this one as a `child` too "
        "(the incidents of a problem), each as that ticket's own message. The body is then a macro template, "
        "rendered for each ticket (`{{ requester.first_name }}` is each customer's). A child already closed, or "
        "already solved when `status` solves, is `skipped`; one child's refusal never stops the others"))

    @model_validator(mode="after")
    def _mailed_notes_only(self) -> "MessageRequest":
        if self.mail_to and self.public:
            raise ValueError("mail_to goes with an internal note (public: false); a public reply reaches the "
                             "ticket's own people")
        if self.children and (self.mail_to or self.attachment_ids):
            raise ValueError("children goes with a message without files or mail_to: a ticket's files and side "
                             "conversations are its own")
        return self


class ParticipantsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    participants: Annotated[list[str], AfterValidator(email_list)] = Field(max_length=MAX_PARTICIPANTS)


class ParticipantsOut(BaseModel):
    requester: str | None  # the requester's address: always a participant, never removed
    participants: list[str]  # everyone mail goes to, the requester first
    version: int


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    into: str = Field(min_length=1, max_length=64, description="the ticket that goes on; this one closes")


class SplitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_seq: int = Field(ge=1, le=2**53, description="the seq of a customer's message on this ticket")


class LinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: AgentLinkType
    ticket_id: str = Field(min_length=1, max_length=64)


class TicketOut(BaseModel):
    id: str
    number: str
    status: Status
    priority: Priority
    subject: str
    description: str
    channel: str
    requester: Requester
    # Who the requester is across channels (`Requester.key`): what `GET /tickets?requester=` takes, so a client
    # lists the person's other tickets without knowing how keys are made.
    requester_key: str
    organization_id: str | None = None  # the requester's company (the organisation claiming their mail domain)
    form: str | None = None  # the request form it was opened with
    assignee_id: str | None
    group: str | None
    tags: list[str]
    custom_fields: dict[str, Any]
    created_at: str
    updated_at: str
    first_response_at: str | None
    resolved_at: str | None
    closed_at: str | None
    version: int
    participants: list[str] = Field(default_factory=list)
    followers: list[str] = Field(default_factory=list)  # team members following it (staff only)
    # addresses outside the ticket its notes were mailed to (side conversations; staff only)
    side_contacts: list[str] = Field(default_factory=list)
    links: list[TicketLink] = Field(default_factory=list)
    no_customer: bool = False  # the team's own ticket (opened with no requester): no customer waits, no reply clock
    merged_into: str | None = None  # closed by a merge: the ticket its conversation goes on in
    ai: dict[str, Any] | None = None
    sla: dict[str, Any] | None = None  # due times and state per SLA target (staff only)
    csat: CsatRating | None = None  # the customer's rating from the link mailed on resolution (the latest)
    reopen_count: int = 0
    # The latest public message, one line (lists show it under the subject; who wrote it: waiting on whom)
    latest_message: MessagePreview | None = None
    time_spent_minutes: int | None = None  # the team's logged work (staff only; customers see none)
    imported_from: ImportOrigin | None = None  # brought over from another helpdesk: its id and page there (staff only)
    snoozed_until: str | None = None  # out of the team's queues until then (staff only; a time past: not snoozed)
    # A customer's own request (theirs to mark solved and rate, under any of their addresses); false for a colleague's
    # they see through a shared organisation, and for the team.
    own: bool = False

    @classmethod
    def of(cls, ticket: Ticket, caller: Principal, custom_fields: dict[str, Any] | None = None) -> "TicketOut":
        """`custom_fields`: the values the caller may see, when read (`TicketFieldDefinitions.shown_to`); else a
        customer sees none."""
        seen = as_seen_by(caller, ticket)
        data = seen.model_dump(mode="json")
        if custom_fields is not None:
            data["custom_fields"] = custom_fields
        data["number"] = ticket.key
        data["requester_key"] = seen.requester.key
        data["own"] = container().ticket_service.asked_by(caller, ticket)
        if not caller.is_staff:
            data["ai"] = None  # shown as absent rather than empty
            data["time_spent_minutes"] = None
            data["imported_from"] = None
        return cls.model_validate(data)


class TimeEntryRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    minutes: int = Field(strict=True, ge=-MAX_ENTRY_MINUTES, le=MAX_ENTRY_MINUTES,
                         description="minutes worked (at most a day per entry); negative corrects an earlier entry, "
                                     "never below nothing logged (400 `invalid_input`)")

    @field_validator("minutes")
    @classmethod
    def _not_zero(cls, minutes: int) -> int:
        if minutes == 0:
            raise ValueError("log at least one minute (or a negative correction)")
        return minutes


class MergeOut(BaseModel):
    source: TicketOut  # closed, `merged_into` the target
    target: TicketOut  # a `merged_from` link; the source's requester is a participant


class SpamRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    block_sender: bool = Field(default=True, description="add the requester's address to the blocked senders")


class SpamOut(BaseModel):
    ticket: TicketOut  # closed, tagged `spam`
    blocked_sender: str | None  # the address whose mail now opens no ticket (None: none blocked)
    kept_sender: str | None = None  # the requester's address, not blocked: it is a teammate's (an agent or admin)


class TicketPageOut(BaseModel):
    items: list[TicketOut]
    next_cursor: str | None


class EventOut(BaseModel):
    seq: int
    type: str
    actor: str
    at: str
    data: dict[str, Any]

    @classmethod
    def of(cls, event: TicketEvent) -> "EventOut":
        shown = event.model_dump(mode="json", include={"seq", "type", "actor", "at", "data"})
        files = shown["data"].get("attachments")
        if isinstance(files, list):  # each file with the id it is downloaded by (mail's have none of their own)
            shown["data"]["attachments"] = [shown_entry(entry) for entry in files]
        return cls.model_validate(shown)


class MessageOut(EventOut):
    # with `children`: what became of each child ticket, in the order they were linked
    children: list[BulkResult] | None = None


@app.get("/health", tags=["meta"])
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/tickets", status_code=201, response_model=TicketOut, tags=["tickets"])
def create_ticket(body: TicketCreateRequest, caller: Caller, response: Response) -> TicketOut:
    """Staff and integrations tag and set the priority; a customer's `tags` or `priority` are refused (403): tags are
    the team's labels and the priority the team's judgement (triage reads the customer's urgency from their words),
    and SLA policies, rules, views and reports act on both ("vip", "urgent")."""
    if not caller.is_staff and (body.tags or "priority" in body.model_fields_set):
        raise Forbidden("tags and the priority are the team's to set: customers describe their request")
    ticket = container().ticket_service.create(caller, CreateTicket(**body.model_dump(exclude_unset=True)))
    metrics.add_metric(name="TicketsCreated", unit="Count", value=1)
    response.headers["Location"] = f"/tickets/{ticket.id}"
    set_etag(response, ticket.version)
    return TicketOut.of(ticket, caller, container().ticket_fields.shown_to(caller, ticket.custom_fields))


@app.get("/tickets", response_model=TicketPageOut, tags=["tickets"])
def list_tickets(
    caller: Caller,
    status: Annotated[Status | None, Query(description="customers: `open` includes the tickets the team put on hold "
                                                       "(shown to them as open); `on_hold` is 403")] = None,
    priority: Priority | None = None,
    assignee: Annotated[str | None, Query(max_length=256)] = None,
    unassigned: Annotated[bool, Query(description="tickets nobody has (not with `assignee`)")] = False,
    unsolved: Annotated[bool, Query(description="only the tickets still to be solved: new, open, pending and on "
                                                "hold (Zendesk's \"status less than solved\")")] = False,
    requester: Annotated[str | None, Query(max_length=256,
                                           description="a requester's tickets: a ticket's `requester_key`")] = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    follower: Annotated[str | None, Query(max_length=128, description="tickets a team member follows (a user id, "
                                                                      "or `me`)")] = None,
    group: Annotated[str | None, Query(max_length=128)] = None,
    my_groups: Annotated[bool, Query(description="staff: only the tickets in the caller's groups (none when they "
                                                 "are in no group)")] = False,
    channel: Channel | None = None,
    sla: SlaStanding | None = None,
    snoozed: Annotated[bool | None, Query(description="staff: false leaves out the tickets snoozed now (the "
                                                      "queues), true lists only them; absent: both")] = None,
    organization: Annotated[str | None, Query(max_length=64)] = None,
    form: Annotated[str | None, Query(max_length=40, description="the request form tickets were opened with "
                                                                 "(a form's key)")] = None,
    field: FieldFilters = None,
    link_type: Annotated[LinkType | None, Query(description="tickets holding a link of this type: `child` lists "
                                                            "problems (tickets with incidents), `parent` their "
                                                            "incidents")] = None,
    shared: Annotated[bool, Query(description="customers: their organisation's tickets (everyone's), when it "
                                              "shares them (403 otherwise); staff filter by `organization`")] = False,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> TicketPageOut:
    tickets = container().ticket_service
    page = tickets.query(caller, TicketQuery(
        tenant_id=caller.tenant_id, status=status, statuses=UNSOLVED_STATUSES if unsolved else (), priority=priority,
        assignee_id=assignee, unassigned=unassigned, requester_id=requester, tag=tag, group=group,
        my_groups=my_groups, channel=channel, sla=sla, snoozed=snoozed,
        follower=caller.resolve(follower) if follower is not None else None,
        organization_id=tickets.shared_with(caller) if shared else organization,
        form=form, field_terms=tuple(field or ()), link_type=link_type, cursor=cursor, limit=limit))
    return TicketPageOut(items=[TicketOut.of(t, caller) for t in page.items], next_cursor=page.next_cursor)


@app.get("/tickets/{ticket_id}", response_model=TicketOut, tags=["tickets"])
def get_ticket(ticket_id: str, caller: Caller, response: Response) -> TicketOut:
    ticket = container().ticket_service.get(caller, ticket_id)
    set_etag(response, ticket.version)
    return TicketOut.of(ticket, caller, container().ticket_fields.shown_to(caller, ticket.custom_fields))


@app.patch("/tickets/{ticket_id}", response_model=TicketOut, tags=["tickets"])
def update_ticket(ticket_id: str, body: TicketUpdateRequest, caller: Caller, response: Response,
                  if_match: IfMatch = None) -> TicketOut:
    """`If-Match: "<version>"` (the ETag of a GET) turns a concurrent change into 409."""
    ticket = container().ticket_service.update(caller, ticket_id, UpdateTicket(**body.model_dump(exclude_unset=True)),
                                     expected_version=expected_version(if_match))
    set_etag(response, ticket.version)
    return TicketOut.of(ticket, caller)


@app.get("/ticket-fields", response_model=TicketFieldsView, tags=["ticket fields"])
def get_ticket_fields(caller: Caller, response: Response) -> TicketFieldsView:
    """The custom fields the tenant defined, in the order agents see them (agents, admins, API clients); a customer
    gets the active fields marked `customer_visible` (the labels of what their tickets show)."""
    view = container().ticket_fields.view(caller)
    set_etag(response, view.version)
    return view


@app.put("/ticket-fields", response_model=TicketFieldsView, tags=["ticket fields"])
def put_ticket_fields(body: TicketFields, caller: Caller, response: Response,
                      if_match: IfMatch = None) -> TicketFieldsView:
    """Admins: the whole list. A field left out is no longer defined (its values stay on tickets, unchecked);
    `active: false` keeps it defined but not offered. `If-Match: "<version>"` (the ETag of a GET) turns a save
    made meanwhile into 409."""
    view = container().ticket_fields.replace(caller, body, expected_version(if_match))
    set_etag(response, view.version)
    return view


@app.post("/tickets/{ticket_id}/messages", status_code=201, response_model=MessageOut, tags=["messages"])
def add_message(ticket_id: str, body: MessageRequest, caller: Caller, request: Request) -> MessageOut:
    """`attachment_ids`: the caller's uploads on this ticket; each is checked before anything is written. The
    teammates a note @mentions who may open the ticket follow it. `mail_to`: the note (with its files) is mailed to
    people outside the ticket, and their mail answers come back as internal notes. `children`: the message goes to
    the child tickets too, answered per child (`updated`, `skipped`, `conflict`, `forbidden`, `not_found`)."""
    children: list[BulkResult] | None = None
    meta = format_meta(body.format) or None
    if body.children:
        reply = container().child_replies.reply(caller, ticket_id, body.body, public=body.public, status=body.status,
                                                request=request_id(request), meta=meta)
        event, children = reply.event, reply.children
        metrics.add_metric(name="ChildTicketsAnswered", unit="Count",
                           value=sum(1 for r in children if r.outcome == BulkOutcome.UPDATED))
    elif body.mail_to:
        _, event = container().side_conversations.mail_note(caller, ticket_id, body.body, body.mail_to,
                                                            body.attachment_ids, status=body.status, meta=meta)
    elif body.attachment_ids:
        _, event = container().attachment_service.post_message(caller, ticket_id, body.body, body.public,
                                                               body.attachment_ids, meta=meta, status=body.status,
                                                               follow_mentions=True)
    else:  # no attachment store needed (a stack may have none)
        _, event = container().ticket_service.add_message(caller, ticket_id, body.body, body.public, meta=meta,
                                                          status=body.status, follow_mentions=True)
    metrics.add_metric(name="PublicReplies" if body.public else "InternalNotes", unit="Count", value=1)
    return MessageOut(**EventOut.of(event).model_dump(), children=children)


@app.get("/tickets/{ticket_id}/events", response_model=list[EventOut], tags=["messages"])
def list_events(ticket_id: str, caller: Caller) -> list[EventOut]:
    """The ticket's history; on a merge target also the messages of the merged tickets (`data.merged_from`)."""
    return [EventOut.of(e) for e in container().ticket_service.events(caller, ticket_id, with_merged=True)]


@app.post("/tickets/{ticket_id}/merge", response_model=MergeOut, tags=["links"])
def merge_ticket(ticket_id: str, body: MergeRequest, caller: Caller) -> MergeOut:
    """Agents: close this ticket as merged into `into`. Its messages show on the target, its requester becomes a
    participant there, and later mail or chat on its thread lands there. A retry changes nothing; merging into
    itself is 400, into a closed or merged ticket (or merging a closed one) 409."""
    source, target = merge(container().ticket_service, caller, ticket_id, body.into)
    metrics.add_metric(name="TicketsMerged", unit="Count", value=1)
    return MergeOut(source=TicketOut.of(source, caller), target=TicketOut.of(target, caller))


@app.post("/tickets/{ticket_id}/spam", response_model=SpamOut, tags=["tickets"])
def mark_spam(ticket_id: str, caller: Caller, body: SpamRequest | None = None) -> SpamOut:
    """Agents: close the ticket as spam (tag `spam`) and, unless `block_sender` is false, add the requester's
    address to the tenant's blocked senders (audited; an admin unblocks it in the mail settings); a teammate's
    address is never blocked (`kept_sender`). Again: 200, nothing new. A full blocklist is 409 before anything
    changes."""
    marked = container().spam_marking.mark(caller, ticket_id, block_sender=(body or SpamRequest()).block_sender)
    metrics.add_metric(name="TicketsMarkedSpam", unit="Count", value=1)
    return SpamOut(ticket=TicketOut.of(marked.ticket, caller), blocked_sender=marked.blocked_sender,
                   kept_sender=marked.kept_sender)


@app.post("/tickets/{ticket_id}/split", status_code=201, response_model=TicketOut, tags=["links"])
def split_ticket(ticket_id: str, body: SplitRequest, caller: Caller, response: Response) -> TicketOut:
    """Agents: open a new ticket from one customer message (same requester, group, channel), linked `related`
    both ways. A retry answers the same ticket; a seq that is not a customer's message is 400."""
    ticket = split(container().ticket_service, caller, ticket_id, body.event_seq)
    metrics.add_metric(name="TicketsSplit", unit="Count", value=1)
    response.headers["Location"] = f"/tickets/{ticket.id}"
    set_etag(response, ticket.version)
    return TicketOut.of(ticket, caller)


@app.post("/tickets/{ticket_id}/links", response_model=TicketOut, tags=["links"])
def add_link(ticket_id: str, body: LinkRequest, caller: Caller, response: Response) -> TicketOut:
    """Agents: link two tickets both ways (`parent` here is `child` there). Linking again changes nothing."""
    ticket = link(container().ticket_service, caller, ticket_id, body.type, body.ticket_id)
    set_etag(response, ticket.version)
    return TicketOut.of(ticket, caller)


@app.post("/tickets/{ticket_id}/time", response_model=TicketOut, tags=["time"])
def add_time(ticket_id: str, body: TimeEntryRequest, caller: Caller, response: Response) -> TicketOut:
    """Agents: log time worked on the ticket; its `time_spent_minutes` is the total and its history has the entry
    (`time_logged`, team only). Send an `Idempotency-Key` so a retried request does not count twice."""
    ticket = log_time(container().ticket_service, caller, ticket_id, body.minutes)
    set_etag(response, ticket.version)
    return TicketOut.of(ticket, caller)


@app.delete("/tickets/{ticket_id}/links/{link_type}/{other_id}", response_model=TicketOut, tags=["links"])
def remove_link(ticket_id: str, link_type: AgentLinkType, other_id: str, caller: Caller,
                response: Response) -> TicketOut:
    """Agents: remove a link and its inverse. A link that is not there is already removed (200, no event)."""
    ticket = unlink(container().ticket_service, caller, ticket_id, link_type, other_id)
    set_etag(response, ticket.version)
    return TicketOut.of(ticket, caller)


@app.post("/tickets/{ticket_id}/attachments", status_code=201, response_model=UploadGrant, tags=["attachments"])
def request_upload(ticket_id: str, body: UploadRequest, caller: Caller) -> UploadGrant:
    """An S3 presigned POST for one file: send `upload.fields` and then the file as multipart form data to
    `upload.url`. The signed policy holds the size and type; executables and unknown types are refused
    here (415), files over 25 MB too (413). Then name `attachment_id` in `POST /tickets/{id}/messages`."""
    grant = container().attachment_service.request_upload(caller, ticket_id, body.filename, body.content_type,
                                                          body.size)
    metrics.add_metric(name="AttachmentUploadsRequested", unit="Count", value=1)
    return grant


@app.get("/tickets/{ticket_id}/attachments", response_model=list[AttachmentView], tags=["attachments"])
def list_attachments(ticket_id: str, caller: Caller) -> list[AttachmentView]:
    """The files on the messages the caller may see (a customer never sees an internal note's files)."""
    return container().attachment_service.listed(caller, ticket_id)


@app.get("/tickets/{ticket_id}/attachments/{attachment_id}", status_code=302, tags=["attachments"],
         responses={200: {"description": "with `Accept: application/json`: the URL and the file's metadata"},
                    302: {"description": "to a short-lived download URL"}})
def download_attachment(ticket_id: str, attachment_id: str, caller: Caller,
                        accept: Annotated[str | None, Header(max_length=512)] = None) -> Response:
    download = container().attachment_service.download(caller, ticket_id, attachment_id)
    if accept and "application/json" in accept:
        return JSONResponse(download.model_dump(mode="json"), headers={"Cache-Control": "no-store"})
    return RedirectResponse(download.url, status_code=302, headers={"Cache-Control": "no-store"})


@app.get("/tickets/{ticket_id}/events/{seq}/html", response_model=MailHtml, tags=["messages"])
def mail_html(ticket_id: str, seq: int, caller: Caller) -> MailHtml:
    """Agents: the sanitised HTML of a received mail (the event's `html_key`), inline `cid:` images pointing
    at short-lived download URLs, to show beside the text."""
    return container().attachment_service.mail_html(caller, ticket_id, seq)


@app.get("/tickets/{ticket_id}/participants", response_model=ParticipantsOut, tags=["participants"])
def get_participants(ticket_id: str, caller: Caller, response: Response) -> ParticipantsOut:
    ticket = container().ticket_service.get(caller, ticket_id)
    set_etag(response, ticket.version)
    return ParticipantsOut(requester=ticket.requester.email, participants=ticket.participants, version=ticket.version)


@app.put("/tickets/{ticket_id}/participants", response_model=ParticipantsOut, tags=["participants"])
def put_participants(ticket_id: str, body: ParticipantsRequest, caller: Caller, response: Response,
                     if_match: IfMatch = None) -> ParticipantsOut:
    """Who is copied on the ticket besides the requester (agents): their mail replies thread into it and
    replies are copied to them. The requester always stays."""
    ticket = container().ticket_service.set_participants(caller, ticket_id, body.participants,
                                                         expected_version=expected_version(if_match))
    set_etag(response, ticket.version)
    return ParticipantsOut(requester=ticket.requester.email, participants=ticket.participants, version=ticket.version)


class FollowersOut(BaseModel):
    followers: list[str]  # directory user ids: who hears of the ticket's news by mail
    version: int


# A follower's path parameter: a directory user id, or `me` for the caller.
FollowerId = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9@._+:-]+$")]


@app.put("/tickets/{ticket_id}/followers/{user_id}", response_model=FollowersOut, tags=["followers"])
def follow(ticket_id: str, user_id: FollowerId, caller: Caller, response: Response) -> FollowersOut:
    """Agents: follow the ticket (`me`) or add a colleague who may open it (422 `invalid_assignment` naming
    `followers` otherwise). Followers get its news by mail: a customer's message, a colleague's reply or note,
    the customer solving or rating it. Following twice changes nothing."""
    ticket = container().ticket_service.follow(caller, ticket_id, caller.resolve(user_id))
    set_etag(response, ticket.version)
    return FollowersOut(followers=ticket.followers, version=ticket.version)


@app.delete("/tickets/{ticket_id}/followers/{user_id}", response_model=FollowersOut, tags=["followers"])
def unfollow(ticket_id: str, user_id: FollowerId, caller: Caller, response: Response) -> FollowersOut:
    """Agents: stop following (`me`), or take a colleague off. Not following already changes nothing."""
    ticket = container().ticket_service.unfollow(caller, ticket_id, caller.resolve(user_id))
    set_etag(response, ticket.version)
    return FollowersOut(followers=ticket.followers, version=ticket.version)


@app.put("/tickets/{ticket_id}/reminder", response_model=ReminderView, tags=["reminders"])
def remind_me(ticket_id: str, body: ReminderRequest, caller: Caller) -> ReminderView:
    """Agents: remind me of this ticket at `at` (at least a minute, at most a year ahead): a mail with its link then.
    Each agent's own; setting it again moves it."""
    return container().reminders.put(caller, ticket_id, body.at)


@app.delete("/tickets/{ticket_id}/reminder", status_code=204, tags=["reminders"])
def remove_reminder(ticket_id: str, caller: Caller) -> Response:
    container().reminders.clear(caller, ticket_id)
    return Response(status_code=204)


@app.get("/reminders", response_model=list[ReminderView], tags=["reminders"])
def my_reminders(caller: Caller) -> list[ReminderView]:
    """The caller's reminders: those to come (soonest first), then the sent ones."""
    return container().reminders.mine(caller)


class NotificationTicketOut(BaseModel):
    id: str
    number: str  # as people say it ("T-000042")
    subject: str
    status: Status
    requester_name: str | None  # the customer's name, else their address


class NotificationOut(BaseModel):
    id: str  # what `cursor`, `ids` and `until` take
    kind: NoticeKind
    at: datetime
    read: bool
    following: bool  # news of a ticket they follow, not one that is theirs
    actor_name: str | None  # the teammate who acted (assigned it, mentioned them, replied or noted)
    ticket: NotificationTicketOut


class NotificationPageOut(BaseModel):
    items: list[NotificationOut]
    unread: int  # counted up to 100: more shows as "99+"
    next_cursor: str | None


class UnreadOut(BaseModel):
    unread: int


@app.get("/notifications", response_model=NotificationPageOut, tags=["notifications"])
def my_notifications(caller: Caller, limit: Annotated[int, Query(ge=1, le=100)] = 25,
                     cursor: Annotated[str | None, Query(max_length=256)] = None) -> NotificationPageOut:
    """Agents and admins: the news of their tickets the team's mail tells them of, newest first, kept 30 days (the
    same news whether or not they take it by mail): the tickets they may still open."""
    page = container().inbox.page(caller, limit, cursor)
    items = [NotificationOut(id=e.item.id, kind=e.item.kind, at=e.item.at, read=e.read, following=e.item.following,
                             actor_name=e.actor_name,
                             ticket=NotificationTicketOut(id=e.ticket.id, number=e.ticket.key, subject=e.ticket.subject,
                                                          status=e.ticket.status,
                                                          requester_name=e.ticket.requester.name
                                                          or e.ticket.requester.email))
             for e in page.items]
    return NotificationPageOut(items=items, unread=page.unread, next_cursor=page.next_cursor)


@app.get("/notifications/unread", response_model=UnreadOut, tags=["notifications"])
def unread_notifications(caller: Caller) -> UnreadOut:
    """How many are unread (up to 100): what the console's top bar polls."""
    return UnreadOut(unread=container().inbox.unread(caller))


@app.post("/notifications/read", response_model=UnreadOut, tags=["notifications"])
def mark_notifications_read(body: MarkRead, caller: Caller) -> UnreadOut:
    """Mark read: `{"ids": [...]}`, every one of a ticket (`{"ticket_id"}`: the agent opened it), or everything up
    to and including one (`{"until": id}`: the newest the agent saw). The unread count after."""
    return UnreadOut(unread=container().inbox.mark_read(caller, body))


@app.get("/customers/{customer_key}/addresses", response_model=CustomerAddresses, tags=["customers"])
def customer_addresses(customer_key: CustomerKeyPath, caller: Caller) -> CustomerAddresses:
    """Agents and admins: the other addresses the customer writes from, linked by the team. For an address linked to
    a customer, that customer's (its `id` is then theirs: their page is the one to show)."""
    return container().customer_addresses.addresses(caller, customer_key)


@app.post("/customers/{customer_key}/addresses", response_model=AddressesLinked, tags=["customers"])
def link_customer_address(customer_key: CustomerKeyPath, body: AddressToLink, caller: Caller) -> AddressesLinked:
    """Admins and agents who see every ticket: link another address the customer writes from. Its tickets become the
    customer's (`moved`), mail from it opens tickets under them, and whoever signs in with either address sees all
    of them. 409 `address_linked_elsewhere` when the address (or this customer's) belongs to another customer,
    `address_has_addresses` when addresses are linked to it. `more`: send it again to move the rest."""
    return container().customer_addresses.link(caller, customer_key, body)


@app.delete("/customers/{customer_key}/addresses/{email}", response_model=AddressesLinked, tags=["customers"])
def unlink_customer_address(customer_key: CustomerKeyPath, email: LinkedEmailPath, caller: Caller) -> AddressesLinked:
    """Admins and agents who see every ticket: the address is its own again, and so are its tickets (`moved`).
    404 when it is not linked to this customer."""
    return container().customer_addresses.unlink(caller, customer_key, email)


class CheckInRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    replying: bool = False  # the agent is writing a reply or a note


class ViewersOut(BaseModel):
    """The other agents who have the ticket open now; check in again within `check_in_s`."""

    others: list[Viewer]
    check_in_s: int = CHECK_IN_S


@app.put("/tickets/{ticket_id}/viewers/me", response_model=ViewersOut, tags=["viewers"])
def check_in(ticket_id: str, body: CheckInRequest, caller: Caller) -> ViewersOut:
    """Agents: "I have this ticket open" (and whether writing), answered with who else has it open, so two
    agents do not answer one customer twice. The console repeats it while the page is open."""
    return ViewersOut(others=container().ticket_viewers.check_in(caller, ticket_id, replying=body.replying))


@app.delete("/tickets/{ticket_id}/viewers/me", status_code=204, tags=["viewers"])
def leave(ticket_id: str, caller: Caller) -> Response:
    container().ticket_viewers.leave(caller, ticket_id)
    return Response(status_code=204)


lambda_handler = http_handler(app)

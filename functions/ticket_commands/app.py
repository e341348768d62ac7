"""Ticket commands API: the REST API agents, customers and integrations use.

Thin on purpose: parse and validate the request, call the TicketService, shape the response.
"""

from typing import Annotated, Any

from fastapi import Depends, Query, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from helpdesk.bootstrap import container
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import http_handler, metrics
from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import MAX_SUBJECT_CHARS, MAX_TEXT_BYTES, Priority, Requester, Status, Ticket
from helpdesk.tickets.ports import TicketQuery
from helpdesk.tickets.service import CreateTicket, UpdateTicket, as_seen_by
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.validation import bounded_text, tag_list
from helpdesk.web.versioning import IfMatch, expected_version, set_etag

app = create_app("Helpdesk ticket commands", description="Tickets, messages and their history.")
Caller = Annotated[Principal, Depends(current_principal)]


class TicketCreateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: Annotated[str, Field(min_length=1, max_length=MAX_SUBJECT_CHARS)]
    description: Annotated[str, AfterValidator(bounded_text(MAX_TEXT_BYTES))]
    priority: Priority = Priority.NORMAL
    tags: Annotated[list[str], AfterValidator(tag_list)] = Field(default_factory=list, max_length=50)
    custom_fields: dict[str, Any] = Field(default_factory=dict, max_length=100)
    group: str | None = Field(default=None, max_length=128)
    requester: Requester | None = None  # agents and admins only: open on someone's behalf


class TicketUpdateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    priority: Priority | None = None
    assignee_id: str | None = Field(default=None, max_length=256)
    group: str | None = Field(default=None, max_length=128)
    tags: Annotated[list[str] | None, AfterValidator(tag_list)] = Field(default=None, max_length=50)


class MessageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: Annotated[str, AfterValidator(bounded_text(MAX_TEXT_BYTES))]
    public: bool = True


class TicketOut(BaseModel):
    id: str
    number: str
    status: Status
    priority: Priority
    subject: str
    description: str
    channel: str
    requester: Requester
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
    ai: dict[str, Any] | None = None
    sla: dict[str, Any] | None = None  # due times and state per SLA target (staff only)

    @classmethod
    def of(cls, ticket: Ticket, caller: Principal) -> "TicketOut":
        seen = as_seen_by(caller, ticket)
        data = seen.model_dump(mode="json")
        data["number"] = ticket.key
        if not caller.is_staff:
            data["ai"] = None  # shown as absent rather than empty
        return cls.model_validate(data)


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
        return cls.model_validate(event.model_dump(mode="json", include={"seq", "type", "actor", "at", "data"}))


@app.get("/health", tags=["meta"])
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/tickets", status_code=201, response_model=TicketOut, tags=["tickets"])
def create_ticket(body: TicketCreateRequest, caller: Caller, response: Response) -> TicketOut:
    ticket = container().ticket_service.create(caller, CreateTicket(**body.model_dump(exclude_unset=True)))
    metrics.add_metric(name="TicketsCreated", unit="Count", value=1)
    response.headers["Location"] = f"/tickets/{ticket.id}"
    set_etag(response, ticket.version)
    return TicketOut.of(ticket, caller)


@app.get("/tickets", response_model=TicketPageOut, tags=["tickets"])
def list_tickets(
    caller: Caller,
    status: Status | None = None,
    priority: Priority | None = None,
    assignee: Annotated[str | None, Query(max_length=256)] = None,
    requester: Annotated[str | None, Query(max_length=256)] = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> TicketPageOut:
    page = container().ticket_service.query(caller, TicketQuery(
        tenant_id=caller.tenant_id, status=status, priority=priority, assignee_id=assignee,
        requester_id=requester, tag=tag, cursor=cursor, limit=limit))
    return TicketPageOut(items=[TicketOut.of(t, caller) for t in page.items], next_cursor=page.next_cursor)


@app.get("/tickets/{ticket_id}", response_model=TicketOut, tags=["tickets"])
def get_ticket(ticket_id: str, caller: Caller, response: Response) -> TicketOut:
    ticket = container().ticket_service.get(caller, ticket_id)
    set_etag(response, ticket.version)
    return TicketOut.of(ticket, caller)


@app.patch("/tickets/{ticket_id}", response_model=TicketOut, tags=["tickets"])
def update_ticket(ticket_id: str, body: TicketUpdateRequest, caller: Caller, response: Response,
                  if_match: IfMatch = None) -> TicketOut:
    """`If-Match: "<version>"` (the ETag of a GET) turns a concurrent change into 409."""
    ticket = container().ticket_service.update(caller, ticket_id, UpdateTicket(**body.model_dump(exclude_unset=True)),
                                     expected_version=expected_version(if_match))
    set_etag(response, ticket.version)
    return TicketOut.of(ticket, caller)


@app.post("/tickets/{ticket_id}/messages", status_code=201, response_model=EventOut, tags=["messages"])
def add_message(ticket_id: str, body: MessageRequest, caller: Caller) -> EventOut:
    _, event = container().ticket_service.add_message(caller, ticket_id, body.body, body.public)
    metrics.add_metric(name="PublicReplies" if body.public else "InternalNotes", unit="Count", value=1)
    return EventOut.of(event)


@app.get("/tickets/{ticket_id}/events", response_model=list[EventOut], tags=["messages"])
def list_events(ticket_id: str, caller: Caller) -> list[EventOut]:
    return [EventOut.of(e) for e in container().ticket_service.events(caller, ticket_id)]


lambda_handler = http_handler(app)

"""Agent tools API: macros (canned replies with placeholders and actions), saved views with their counts, bulk
changes of tickets, and the triggers that change tickets when something happens to them.

Thin on purpose: parse and validate the request, call `helpdesk.macros` / the ticket service, shape the response.
Staff only: customers get 403.
"""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from helpdesk.bootstrap import container
from helpdesk.kernel.principal import Principal
from helpdesk.macros.model import Macro, MacroDraft
from helpdesk.macros.service import MacroApplication
from helpdesk.platform.observability import http_handler, metrics
from helpdesk.tickets.bulk import MAX_BULK_IDS, BulkOutcome, BulkResult, bulk_update
from helpdesk.tickets.history import MessageFormat, TicketEvent
from helpdesk.tickets.model import Channel, MessagePreview, Priority, Status, Ticket
from helpdesk.tickets.service import UpdateTicket
from helpdesk.tickets.sla_state import SlaStanding, sla_standing
from helpdesk.triggers.model import TriggerList, TriggersView, TriggerTrial, TriggerTry
from helpdesk.views.model import View, ViewDraft
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.ticket_changes import TicketChanges
from helpdesk.web.versioning import IfMatch, expected_version, set_etag

app = create_app("Helpdesk agent tools", description="Macros, saved views, bulk changes of tickets and triggers.",
                 openapi_url="/tools/openapi.json", docs_url=None)
Caller = Annotated[Principal, Depends(current_principal)]
Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class TicketRow(BaseModel):
    """A ticket as a list row (a view's tickets; a ticket after a macro)."""

    id: str
    number: str
    subject: str
    status: Status
    priority: Priority
    channel: Channel
    group: str | None
    assignee_id: str | None
    requester_name: str | None
    requester_email: str | None
    tags: list[str]
    sla: SlaStanding | None
    created_at: datetime
    updated_at: datetime
    version: int
    snoozed_until: datetime | None = None  # out of the queues until then (a time past: not snoozed)
    latest_message: MessagePreview | None = None  # the latest public message, one line (shown under the subject)

    @classmethod
    def of(cls, t: Ticket) -> "TicketRow":
        return cls(id=t.id, number=t.key, subject=t.subject, status=t.status, priority=t.priority, channel=t.channel,
                   group=t.group, assignee_id=t.assignee_id, requester_name=t.requester.name,
                   requester_email=t.requester.email, tags=t.tags, sla=sla_standing(t.sla), created_at=t.created_at,
                   updated_at=t.updated_at, version=t.version, snoozed_until=t.snoozed_until,
                   latest_message=t.latest_message)


class EventOut(BaseModel):
    seq: int
    type: str
    actor: str
    at: str
    data: dict[str, Any]

    @classmethod
    def of(cls, event: TicketEvent) -> "EventOut":
        return cls.model_validate(event.model_dump(mode="json", include={"seq", "type", "actor", "at", "data"}))


class MacroApplicationOut(BaseModel):
    dry_run: bool
    macro_id: str
    reply: str | None  # the rendered public reply
    note: str | None  # the rendered internal note
    format: MessageFormat  # what the reply and the note are written in (the macro's `actions.format`)
    ticket: TicketRow
    events: list[EventOut]  # written (or, for a dry run, what would be written; seq 0)

    @classmethod
    def of(cls, result: MacroApplication) -> "MacroApplicationOut":
        return cls(dry_run=result.dry_run, macro_id=result.macro.id, reply=result.reply, note=result.note,
                   format=result.macro.actions.format, ticket=TicketRow.of(result.ticket),
                   events=[EventOut.of(e) for e in result.events])


def _macro_out(macro: Macro, response: Response) -> Macro:
    set_etag(response, macro.version)
    return macro


@app.get("/macros", response_model=list[Macro], tags=["macros"])
def list_macros(caller: Caller) -> list[Macro]:
    """The caller's personal macros, their groups' macros and the tenant's."""
    return container().macro_service.list(caller)


@app.post("/macros", status_code=201, response_model=Macro, tags=["macros"])
def create_macro(body: MacroDraft, caller: Caller, response: Response) -> Macro:
    """Templates (`actions.reply`, `actions.note`) name `ticket.*`, `requester.*` and `agent.*`
    (`{{ requester.first_name }}`, `{{ ticket.number }}`); placeholders, `if` and one level of `for` only."""
    macro = container().macro_service.create(caller, body)
    response.headers["Location"] = f"/macros/{macro.id}"
    return _macro_out(macro, response)


@app.get("/macros/{macro_id}", response_model=Macro, tags=["macros"])
def get_macro(macro_id: Id, caller: Caller, response: Response) -> Macro:
    return _macro_out(container().macro_service.get(caller, macro_id), response)


@app.put("/macros/{macro_id}", response_model=Macro, tags=["macros"])
def replace_macro(macro_id: Id, body: MacroDraft, caller: Caller, response: Response,
                  if_match: IfMatch = None) -> Macro:
    macro = container().macro_service.replace(caller, macro_id, body, expected_version(if_match))
    return _macro_out(macro, response)


@app.delete("/macros/{macro_id}", status_code=204, tags=["macros"])
def delete_macro(macro_id: Id, caller: Caller) -> Response:
    container().macro_service.delete(caller, macro_id)
    return Response(status_code=204)


@app.post("/tickets/{ticket_id}/macros/{macro_id}/apply", response_model=MacroApplicationOut, tags=["macros"])
def apply_macro(ticket_id: Id, macro_id: Id, caller: Caller, response: Response,
                dry_run: Annotated[bool, Query(description="preview: render and check, write nothing")] = False,
                if_match: IfMatch = None) -> MacroApplicationOut:
    """Reply, note and changes in one write, recorded as a `macro_applied` event. `If-Match` (the ticket's
    ETag) turns a concurrent change into 409."""
    result = container().macro_service.apply(caller, ticket_id, macro_id, dry_run=dry_run,
                                              expected_version=expected_version(if_match))
    if not dry_run:
        metrics.add_metric(name="MacrosApplied", unit="Count", value=1)
    set_etag(response, result.ticket.version)
    return MacroApplicationOut.of(result)


class ViewTicketsOut(BaseModel):
    items: list[TicketRow]
    next_cursor: str | None


class ViewCountOut(BaseModel):
    view_id: str
    name: str
    count: int


def _view_out(view: View, response: Response) -> View:
    set_etag(response, view.version)
    return view


@app.get("/views", response_model=list[View], tags=["views"])
def list_views(caller: Caller) -> list[View]:
    """The caller's personal views, their groups' views and the tenant's."""
    return container().view_service.list(caller)


@app.post("/views", status_code=201, response_model=View, tags=["views"])
def create_view(body: ViewDraft, caller: Caller, response: Response) -> View:
    """`filters` are those of `GET /tickets` (`assignee: "me"` means whoever looks), plus `sla`
    (`ok|at_risk|breached`); `order` is `newest` or `oldest`."""
    view = container().view_service.create(caller, body)
    response.headers["Location"] = f"/views/{view.id}"
    return _view_out(view, response)


@app.get("/views/counts", response_model=list[ViewCountOut], tags=["views"])
def view_counts(caller: Caller) -> list[ViewCountOut]:
    """How many tickets each of the caller's views holds, for the caller, in one call."""
    return [ViewCountOut(**asdict(c)) for c in container().view_service.counts(caller)]


@app.get("/views/{view_id}", response_model=View, tags=["views"])
def get_view(view_id: Id, caller: Caller, response: Response) -> View:
    return _view_out(container().view_service.get(caller, view_id), response)


@app.put("/views/{view_id}", response_model=View, tags=["views"])
def replace_view(view_id: Id, body: ViewDraft, caller: Caller, response: Response,
                 if_match: IfMatch = None) -> View:
    return _view_out(container().view_service.replace(caller, view_id, body, expected_version(if_match)), response)


@app.delete("/views/{view_id}", status_code=204, tags=["views"])
def delete_view(view_id: Id, caller: Caller) -> Response:
    container().view_service.delete(caller, view_id)
    return Response(status_code=204)


@app.get("/views/{view_id}/tickets", response_model=ViewTicketsOut, tags=["views"])
def view_tickets(view_id: Id, caller: Caller,
                 cursor: Annotated[str | None, Query(max_length=2048)] = None,
                 limit: Annotated[int, Query(ge=1, le=100)] = 25) -> ViewTicketsOut:
    page = container().view_service.tickets_of(caller, view_id, cursor=cursor, limit=limit)
    return ViewTicketsOut(items=[TicketRow.of(t) for t in page.items], next_cursor=page.next_cursor)


@app.get("/triggers", response_model=TriggersView, tags=["triggers"])
def get_triggers(caller: Caller, response: Response) -> TriggersView:
    """The tenant's triggers, in the order they run, and their version (the ETag)."""
    view = container().triggers.view(caller)
    set_etag(response, view.version)
    return view


@app.put("/triggers", response_model=TriggersView, tags=["triggers"])
def put_triggers(body: TriggerList, caller: Caller, response: Response, if_match: IfMatch = None) -> TriggersView:
    """The whole list, in the order they run (admins). `If-Match: "<version>"` (the ETag of a GET) turns a save
    made meanwhile into 409. Each trigger runs in the write of every change of a ticket whose events it waits for
    (`on`) and whose state its conditions name, once, after the ones before it; it reaches every function within
    30 seconds."""
    view = container().triggers.replace(caller, body, expected_version(if_match))
    set_etag(response, view.version)
    return view


@app.post("/triggers/try", response_model=TriggerTrial, tags=["triggers"])
def try_trigger(body: TriggerTry, caller: Caller) -> TriggerTrial:
    """Whether a trigger (as typed on the Triggers screen, saved or not) would act on one ticket as it stands, its
    `on` taken as having happened, and what it would change. Nothing is written; the team's (404 for customers, and
    for a ticket the caller may not open)."""
    return container().triggers.try_on(caller, body)


def _at_most_100(ids: list[str]) -> list[str]:
    if len(ids) > MAX_BULK_IDS:  # too many is "too large" (413), not a schema mismatch
        raise PydanticCustomError("payload_too_large", "at most {limit} tickets at once; got {count}",
                                  {"limit": MAX_BULK_IDS, "count": len(ids)})
    return ids


class BulkChanges(TicketChanges):
    """The same fields as `PATCH /tickets/{id}`: only what is sent changes."""


class BulkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: Annotated[list[Id], AfterValidator(_at_most_100)] = Field(min_length=1)
    changes: BulkChanges
    # the version each ticket was seen at (its ETag): a ticket changed since is a `conflict`, left as it is
    versions: dict[Id, Annotated[int, Field(ge=0)]] = Field(default_factory=dict, max_length=MAX_BULK_IDS)


class BulkOut(BaseModel):
    results: list[BulkResult]  # one per distinct id, in the order given
    counts: dict[str, int]  # per outcome


@app.post("/tickets/bulk", response_model=BulkOut, tags=["bulk"])
def bulk_change(body: BulkRequest, caller: Caller) -> BulkOut:
    """The same change to up to 100 tickets (more: 413), each with its own rule checks and conditional
    write, answered per ticket: `updated`, `conflict`, `forbidden` or `not_found`."""
    changes = UpdateTicket(**body.changes.model_dump(exclude_unset=True))
    results = bulk_update(container().ticket_service, caller, body.ids, changes, body.versions)
    counts = {outcome.value: sum(1 for r in results if r.outcome == outcome)
              for outcome in BulkOutcome if outcome != BulkOutcome.SKIPPED}  # a bulk change skips none
    metrics.add_metric(name="BulkTicketsUpdated", unit="Count", value=counts[BulkOutcome.UPDATED])
    return BulkOut(results=results, counts=counts)


lambda_handler = http_handler(app)

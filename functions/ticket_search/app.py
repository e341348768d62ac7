"""Ticket search API: full-text search over the tickets the caller may see (`GET /tickets/search`), their export,
and the team's list of customers drawn from the same index (`GET /customers`).

Thin on purpose: validate the query parameters, call TicketSearch, shape the response. In AWS the index is
OpenSearch (its own index in the knowledge base's domain or collection); locally the embedded index.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from helpdesk.bootstrap import container
from helpdesk.kernel.errors import InvalidInput
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import http_handler, metrics
from helpdesk.search.customers import CustomerListRequest
from helpdesk.search.export import MEDIA_TYPES, Delivery, ExportFormat, InlineExport
from helpdesk.search.model import Order, SearchFilters, SlaFilter
from helpdesk.search.service import MAX_LIMIT, SearchRequest, SearchResult
from helpdesk.tickets.model import UNSOLVED_STATUSES, Channel, LinkType, Priority, Status
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.validation import FieldFilters

# Up to this a query reaches the service, which refuses more than 512 characters with a clear 400.
MAX_Q_PARAM = 8192

app = create_app("Helpdesk ticket search", description="Full-text search over tickets.",
                 openapi_url="/search/openapi.json", docs_url=None)
Caller = Annotated[Principal, Depends(current_principal)]


class SnippetOut(BaseModel):
    text: str  # HTML-escaped; the matched words in <mark>...</mark>
    internal: bool  # from an internal note (staff only)


class SearchHitOut(BaseModel):
    ticket: dict[str, Any]  # the ticket as `GET /tickets/{id}` shows it to the caller
    score: float | None  # BM25 relevance; null when ordered by time
    snippets: list[SnippetOut]


class SearchPageOut(BaseModel):
    items: list[SearchHitOut]
    next_cursor: str | None


def _hit(result: SearchResult, caller: Principal) -> SearchHitOut:
    from helpdesk.tickets.service import as_seen_by

    seen = as_seen_by(caller, result.ticket)
    ticket = seen.model_dump(mode="json", exclude={"ai"} if not caller.is_staff else set())
    ticket["number"] = result.ticket.key
    return SearchHitOut(ticket=ticket, score=result.score,
                        snippets=[SnippetOut(text=s.text, internal=s.internal) for s in result.snippets])


@app.get("/search/health", tags=["meta"])
def health() -> dict[str, str]:
    return {"status": "ok"}


def search_filters(
    status: Annotated[Status | None, Query(description="customers: `open` includes the tickets the team put on hold "
                                                       "(shown to them as open); `on_hold` is 403")] = None,
    priority: Priority | None = None,
    group: Annotated[str | None, Query(max_length=128)] = None,
    my_groups: Annotated[bool, Query(description="staff: only the tickets in the caller's groups")] = False,
    assignee: Annotated[str | None, Query(max_length=256)] = None,
    unassigned: Annotated[bool, Query(description="tickets nobody has (not with `assignee`)")] = False,
    unsolved: Annotated[bool, Query(description="only the tickets still to be solved: new, open, pending and on "
                                                "hold")] = False,
    requester: Annotated[str | None, Query(max_length=256)] = None,
    organization: Annotated[str | None, Query(max_length=64, description="an organisation's id")] = None,
    form: Annotated[str | None, Query(max_length=40, description="a request form's key")] = None,
    follower: Annotated[str | None, Query(min_length=1, max_length=128,
                                          description="a team member who follows the tickets, or `me`")] = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    field: FieldFilters = None,
    link_type: Annotated[LinkType | None, Query(description="tickets holding a link of this type: `child` lists "
                                                            "problems, `parent` their incidents")] = None,
    channel: Channel | None = None,
    sla: SlaFilter | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    updated_from: datetime | None = None,
    updated_to: datetime | None = None,
) -> SearchFilters:
    """The filters of `GET /tickets` (organisation and custom field values included), plus channel, SLA state and
    time ranges (ISO 8601; UTC if no zone)."""
    if unassigned and assignee is not None:
        raise InvalidInput("ask for an assignee's tickets or for unassigned ones, not both")
    return SearchFilters(
        status=status.value if status else None, statuses=tuple(s.value for s in UNSOLVED_STATUSES) if unsolved else (),
        priority=priority.value if priority else None, group=group, my_groups=my_groups,
        assignee_id=assignee, unassigned=unassigned, requester_id=requester, organization_id=organization, form=form,
        follower=follower, link_type=link_type, tag=tag, field_terms=tuple(field or ()),
        channel=channel.value if channel else None,
        sla_state=sla, created_from=created_from, created_to=created_to, updated_from=updated_from,
        updated_to=updated_to)


Filters = Annotated[SearchFilters, Depends(search_filters)]
Words = Annotated[str, Query(max_length=MAX_Q_PARAM, description="words; at most 512 characters")]


@app.get("/tickets/search", response_model=SearchPageOut, tags=["search"])
def search_tickets(
    caller: Caller,
    filters: Filters,
    q: Words = "",
    order: Order = "relevance",
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 25,
) -> SearchPageOut:
    """Subject, messages (internal notes for staff only), requester name and address, number and tags,
    with the filters of `GET /tickets`; customers find their own tickets, agents with groups those of their
    groups. `order=newest` sorts by creation time; without `q` the newest come first."""
    page = container().ticket_search.search(caller, SearchRequest(q=q, filters=filters, order=order, limit=limit,
                                                                  cursor=cursor))
    metrics.add_metric(name="TicketSearches", unit="Count", value=1)
    return SearchPageOut(items=[_hit(r, caller) for r in page.items], next_cursor=page.next_cursor)


class ExportLinkOut(BaseModel):
    download_url: str  # a presigned S3 GET; no Authorization header needed (or wanted) to follow it
    expires_at: datetime
    size_bytes: int
    filename: str


@app.get("/tickets/export", tags=["search"], response_class=Response,
         responses={200: {"description": "the tickets (an export that fits an API answer)",
                          "content": {"text/csv": {"schema": {"type": "string"}},
                                      "application/x-ndjson": {"schema": {"type": "string"}}}},
                    303: {"description": "the export is in S3: `Location` (and the body) give a short-lived "
                                         "download link", "model": ExportLinkOut}})
def export(caller: Caller, filters: Filters, q: Words = "", order: Order = "newest",
           format: ExportFormat = "csv", delivery: Delivery = "auto") -> Response:
    """Agents and admins: every ticket the same search finds (the filters and words of `GET /tickets/search`),
    as CSV (one row per ticket) or JSON lines (the whole ticket). Up to 4 MB the export is the answer; a larger
    one, or any with `delivery=link`, is written to S3 and answered 303 with a download link valid for 15
    minutes (Lambda answers at most 6 MB)."""
    result = container().ticket_export.run(caller, SearchRequest(q=q, filters=filters, order=order), format,
                                           delivery)
    metrics.add_metric(name="TicketExports", unit="Count", value=1)
    if isinstance(result, InlineExport):
        return Response(result.body, media_type=MEDIA_TYPES[format],
                        headers={"Content-Disposition": f'attachment; filename="{result.filename}"',
                                 "Cache-Control": "no-store"})
    link = ExportLinkOut(download_url=result.url, expires_at=result.expires_at, size_bytes=result.size_bytes,
                         filename=result.filename)
    return JSONResponse(link.model_dump(mode="json"), status_code=303,
                        headers={"Location": result.url, "Cache-Control": "no-store"})


class LatestTicketOut(BaseModel):
    id: str
    number: str  # the ticket's key as people say it ("HD-42")
    subject: str
    status: Status
    updated_at: datetime


class CustomerOut(BaseModel):
    key: str  # the requester key, as `GET /tickets?requester=` and `/customers/{key}/notes` take it
    name: str | None
    email: str | None
    organization_id: str | None
    tickets: int  # their tickets the caller may see
    unsolved: int
    latest_ticket: LatestTicketOut


class CustomerPageOut(BaseModel):
    items: list[CustomerOut]
    next_cursor: str | None


@app.get("/customers", response_model=CustomerPageOut, tags=["customers"])
def list_customers(
    caller: Caller,
    q: Annotated[str, Query(max_length=MAX_Q_PARAM, description="words of a name or an address; the last may be "
                                                                "the beginning of one")] = "",
    organization: Annotated[str | None, Query(max_length=64, description="an organisation's id: its people (those "
                                                                         "whose tickets carry it)")] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 25,
) -> CustomerPageOut:
    """Agents and admins: everyone with a ticket the caller may see (an agent limited to groups: those groups'
    tickets), A-Z by address, with their tickets counted; each named as their profile names them, else as their last
    updated ticket does."""
    page = container().customer_list.page(caller, CustomerListRequest(q=q, organization_id=organization, limit=limit,
                                                                      cursor=cursor))
    items = [CustomerOut(key=c.key, name=c.name, email=c.email,
                         organization_id=c.latest.organization_id, tickets=c.tickets, unsolved=c.unsolved,
                         latest_ticket=LatestTicketOut(id=c.latest.id, number=c.latest.key, subject=c.latest.subject,
                                                       status=c.latest.status, updated_at=c.latest.updated_at))
             for c in page.items]
    return CustomerPageOut(items=items, next_cursor=page.next_cursor)


lambda_handler = http_handler(app)

"""Agent assist API: a ticket's triage results for agents, accept (or correct) / reject, a fresh reply
draft, the one-call revert of every field AI applied, and the tenant's AI settings and ticket categories.
Customers get 404, as for any ticket they cannot see.

Thin on purpose: parse, call `helpdesk.triage`, shape the response.
"""

from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from helpdesk.bootstrap import container
from helpdesk.intents.taxonomy import Categories
from helpdesk.intents.tenant_categories import CategoriesView, CategoryGuess, CategoryTrial
from helpdesk.kernel.errors import InvalidInput, NotFound
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import http_handler, metrics
from helpdesk.tickets.history import MessageFormat
from helpdesk.tickets.model import MAX_TEXT_BYTES, Status, Ticket
from helpdesk.triage.model import ApplicableField, TriageResult
from helpdesk.triage.settings import TriageSettings
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.validation import bounded_text
from helpdesk.web.versioning import IfMatch, expected_version, set_etag

app = create_app("Helpdesk agent assist", description="AI triage results, suggestions and drafts for agents.",
                 openapi_url="/assist/openapi.json", docs_url=None)
Caller = Annotated[Principal, Depends(current_principal)]
TicketId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
AssistField = Literal["priority", "group", "category", "reply"]


def staff_principal(caller: Caller) -> Principal:
    if not caller.is_staff:
        raise NotFound("not found")  # the assist API does not exist for customers
    return caller


Staff = Annotated[Principal, Depends(staff_principal)]


class AssistOut(BaseModel):
    ticket_id: str
    number: str
    # pending: the stream has not processed the ticket yet; imported: history brought over done, not triaged
    status: Literal["triaged", "pending", "imported"]
    # triaged, and the automatic changes it decided are still being written (a moment): GET again for `applied`
    applying: bool = False
    applied: list[str] = Field(default_factory=list)  # fields AI changed on the ticket and that stand
    triage: dict[str, Any] | None = None

    @classmethod
    def of(cls, ticket: Ticket, result: TriageResult | None) -> "AssistOut":
        if result is None:  # an imported ticket that was done is not triaged (until a customer writes to it again)
            done = ticket.status in (Status.RESOLVED, Status.CLOSED)
            return cls(ticket_id=ticket.id, number=ticket.key,
                       status="imported" if ticket.imported_from is not None and done else "pending")
        applied = [n for n in ("priority", "group", "category") if getattr(result, n).state == "applied"]
        return cls(ticket_id=ticket.id, number=ticket.key, status="triaged", applying=not result.auto_apply_done,
                   applied=applied,
                   triage=result.model_dump(mode="json", exclude={"tenant_id", "revision", "auto_apply_done"}))


class AcceptRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # reply only: the agent's edited text to send instead of the draft as is
    body: Annotated[str | None, AfterValidator(lambda v: v if v is None else bounded_text(MAX_TEXT_BYTES)(v))] = None
    # category only: the right category when triage's is wrong; the ticket then teaches the tenant's classifier
    value: str | None = Field(default=None, min_length=1, max_length=64)
    # reply only: the agent's uploads on this ticket to send with it (`POST /tickets/{id}/attachments`)
    attachment_ids: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(default_factory=list,
                                                                                     max_length=100)
    # reply only: the ticket's status after the reply, in the same write ("send and set pending")
    status: Status | None = None
    # reply only: `markdown` when the text is Markdown (as `POST /tickets/{id}/messages` takes it)
    format: MessageFormat = "text"


class RevertOut(AssistOut):
    reverted: list[str]


@app.get("/tickets/{ticket_id}/assist", response_model=AssistOut, tags=["assist"])
def get_assist(ticket_id: TicketId, caller: Staff) -> AssistOut:
    ticket, result = container().triage.get(caller, ticket_id)
    return AssistOut.of(ticket, result)


@app.post("/tickets/{ticket_id}/assist/{field}/accept", response_model=AssistOut, tags=["assist"])
def accept(ticket_id: TicketId, field: AssistField, caller: Staff, body: AcceptRequest | None = None) -> AssistOut:
    if field == "reply":
        if body is not None and body.value is not None:
            raise InvalidInput("a reply takes an edited body, not a value", {"field": field})
        result = container().triage.accept_reply(caller, ticket_id, body.body if body else None,
                                                 body.attachment_ids if body else (), body.status if body else None,
                                                 body.format if body else "text")
    else:
        if body is not None and (body.body is not None or body.attachment_ids or body.status is not None
                                 or body.format != "text"):
            raise InvalidInput("only a reply takes an edited body, files, a status or a format", {"field": field})
        name: ApplicableField = field
        result = container().triage.accept(caller, ticket_id, name, body.value if body else None)
    metrics.add_metric(name="AssistAccepted", unit="Count", value=1)
    ticket, _ = container().triage.get(caller, ticket_id)
    return AssistOut.of(ticket, result)


@app.post("/tickets/{ticket_id}/assist/{field}/reject", response_model=AssistOut, tags=["assist"])
def reject(ticket_id: TicketId, field: AssistField, caller: Staff) -> AssistOut:
    result = container().triage.reject(caller, ticket_id, field)
    metrics.add_metric(name="AssistRejected", unit="Count", value=1)
    ticket, _ = container().triage.get(caller, ticket_id)
    return AssistOut.of(ticket, result)


@app.post("/tickets/{ticket_id}/assist/draft", response_model=AssistOut, tags=["assist"])
def redraft(ticket_id: TicketId, caller: Staff) -> AssistOut:
    result = container().triage.redraft(caller, ticket_id)
    ticket, _ = container().triage.get(caller, ticket_id)
    return AssistOut.of(ticket, result)


@app.post("/tickets/{ticket_id}/assist/revert", response_model=RevertOut, tags=["assist"])
def revert(ticket_id: TicketId, caller: Staff) -> RevertOut:
    ticket, result, reverted = container().triage.revert(caller, ticket_id)
    metrics.add_metric(name="AssistReverted", unit="Count", value=len(reverted))
    out = AssistOut.of(ticket, result)
    return RevertOut(**out.model_dump(), reverted=reverted)


@app.get("/assist/settings", response_model=TriageSettings, tags=["settings"])
def get_settings(caller: Staff, response: Response) -> TriageSettings:
    settings, version = container().ai_settings.get(caller)
    set_etag(response, version)
    return settings


@app.put("/assist/settings", response_model=TriageSettings, tags=["settings"])
def put_settings(body: TriageSettings, caller: Staff, response: Response, if_match: IfMatch = None) -> TriageSettings:
    """The whole document. `If-Match: "<version>"` (the ETag of a GET) turns a save made meanwhile into 409."""
    settings, version = container().ai_settings.change(caller, body, expected_version(if_match))
    set_etag(response, version)
    return settings


@app.get("/assist/categories", response_model=CategoriesView, tags=["settings"])
def get_categories(caller: Staff, response: Response) -> CategoriesView:
    view = container().tenant_categories.view(caller)
    set_etag(response, view.version)
    return view


@app.put("/assist/categories", response_model=CategoriesView, tags=["settings"])
def put_categories(body: Categories, caller: Staff, response: Response, if_match: IfMatch = None) -> CategoriesView:
    """The whole list. `If-Match: "<version>"` (the ETag of a GET) turns a save made meanwhile into 409."""
    view = container().tenant_categories.replace(caller, body, expected_version(if_match))
    set_etag(response, view.version)
    return view


@app.post("/assist/categories/try", response_model=CategoryGuess, tags=["settings"])
def try_categories(body: CategoryTrial, caller: Staff) -> CategoryGuess:
    """Admins: where triage would put a ticket with this text, with these categories (unsaved edits) or the
    tenant's. Nothing is stored."""
    return container().tenant_categories.trial(caller, body)


lambda_handler = http_handler(app)

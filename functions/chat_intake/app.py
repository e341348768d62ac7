"""Chat intake API: anonymous or customer chat sessions with the help assistant.

Anonymous routes have no Cognito authorizer: the session token this app signs is the credential
(`Authorization: Bearer <session token>`). A signed-in customer starts a session on the one route that
has the authorizer; the session remembers who they are. Replies come from the intent_rag function
(Lambda invoke in AWS, in-process locally); this function never imports the LLM SDK.
"""

import asyncio
import re
import time
from collections.abc import MutableMapping
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, model_validator
from pydantic_core import PydanticCustomError
from starlette.concurrency import run_in_threadpool

from helpdesk.assistant.service import MAX_MESSAGE_CHARS, Awaiting
from helpdesk.attachments.model import UploadGrant, UploadRequest
from helpdesk.bootstrap import container
from helpdesk.chat.identity import MAX_TOKEN_CHARS
from helpdesk.chat.model import ChatMessage, ChatSession, RateLimited
from helpdesk.chat.service import PostedReply, StartedSession
from helpdesk.chat.widget import LOOK_MAX_AGE_S, WidgetLook
from helpdesk.kernel.errors import Forbidden, Unauthorized
from helpdesk.kernel.i18n import Language
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import http_handler, metrics
from helpdesk.tickets.model import VisitedPage
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.cors import query_value
from helpdesk.web.errors import error_response


def _widget_origins(scope: MutableMapping[str, Any]) -> frozenset[str]:
    """CORS: the origins of the tenant the widget names in `?tenant=` (a preflight carries neither the body
    nor the session token; `_check_origin` makes sure that tenant is the request's own)."""
    tenant = query_value(scope, "tenant")
    return container().chat_widget_origins(tenant) if tenant and _TENANT.fullmatch(tenant) else frozenset()


_TENANT = re.compile(r"[A-Za-z0-9_.-]{1,128}")


def _widget_tenant(tenant: Annotated[str | None, Query(
        pattern=f"^{_TENANT.pattern}$", max_length=128,
        description="The tenant of the page's widget: its widget origins are allowed by CORS (a preflight "
                    "carries neither the body nor the session token)")] = None) -> None:
    """Declares `?tenant=` on every chat route (strict query strings); `_widget_origins` and `_check_origin`
    act on it."""


app = create_app("Helpdesk chat", description="Chat with the help assistant; hand over to a person.",
                 openapi_url="/chat/openapi.json", docs_url=None,
                 extra_error_statuses=(410, 413, 415),  # a chat the visitor ended or that expired; files refused
                 cors_extra=_widget_origins, dependencies=[Depends(_widget_tenant)])


def _check_origin(request: Request, tenant_id: str) -> None:
    """A browser call from a page of another origin must come from one of the tenant's widget origins (or a
    statically allowed one): otherwise nothing happens, before any session or message is made."""
    origin = request.headers.get("origin")
    if origin is None:
        return  # not a cross-origin browser call (servers, curl, same-origin pages)
    static = container().settings.api.cors_origin_list()
    if origin in static or "*" in static or origin in container().chat_widget_origins(tenant_id):
        return
    host = f"{request.url.scheme}://{request.url.netloc}"
    if origin == host:
        return
    raise Forbidden(f"origin {origin} is not one of tenant {tenant_id}'s widget origins",
                    {"origin": origin, "tenant_id": tenant_id})


def _message_text(value: str) -> str:
    if len(value) > MAX_MESSAGE_CHARS:
        raise PydanticCustomError("payload_too_large", "a message is at most {limit} characters; this one has {size}",
                                  {"limit": MAX_MESSAGE_CHARS, "size": len(value)})
    return value


class StartSessionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tenant_id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.-]+$")
    identity: str | None = Field(
        default=None, min_length=1, max_length=MAX_TOKEN_CHARS,
        description="a visitor the tenant's site signed in: a JWT (HS256) signed with one of the tenant's identity "
                    "keys (`kid` in its header) carrying `email`, optional `name`, and `exp` at most a day ahead. The "
                    "chat is then that customer's (a verified address); a token that does not verify is 401")


class MessageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, AfterValidator(_message_text)] = Field(
        default="", description="not blank, unless the message sends files")
    attachment_ids: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        default_factory=list, max_length=10,
        description="after the hand-over: the visitor's uploads (`POST /chat/sessions/{id}/attachments`) to send "
                    "with the message")

    page: VisitedPage | None = Field(
        default=None, description="the page of the site the visitor writes from (its query and fragment are "
                                   "dropped): the ticket a hand-over opens names it for the team")

    @model_validator(mode="after")
    def _says_something(self) -> "MessageRequest":
        if not self.text.strip() and not self.attachment_ids:
            raise PydanticCustomError("blank", "a message must not be blank")
        return self


class TranscriptMessage(BaseModel):
    id: str
    role: str  # user, assistant, or agent (a person of the team, after the hand-over)
    text: str
    at: str
    citations: list[dict[str, Any]] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    ticket: dict[str, Any] | None = None
    author_name: str | None = None  # an agent's display name
    channel: str | None = None  # how a message copied from the ticket was written (chat, email, web)
    attachments: list[dict[str, Any]] = Field(default_factory=list)  # each with its download `url`
    helpful: bool | None = None  # the visitor's rating of this answer (null: not rated)

    @classmethod
    def of(cls, m: ChatMessage) -> "TranscriptMessage":
        return cls(id=m.id, role=m.role, text=m.text, at=m.at.isoformat(), citations=m.meta.get("citations") or [],
                   actions=m.meta.get("actions") or [], ticket=m.meta.get("ticket"),
                   author_name=m.meta.get("author_name"), channel=m.meta.get("channel"),
                   attachments=m.meta.get("attachments") or [], helpful=m.helpful)


class Transcript(BaseModel):
    id: str
    kind: str
    expires_at: str
    messages: list[TranscriptMessage]
    ticket_id: str | None = None  # the ticket the conversation continues on, once handed over
    email_verified: bool = False
    # A widget that reloads shows the answers again (the yes/no buttons, the address form) from this, not by guessing.
    awaiting: Awaiting | None = Field(default=None, description=(
        "The assistant's question still open, which the visitor's next message answers: `ticket_confirm` (yes or no "
        "to a ticket), `email` (the address to answer at); null when none is, or once handed over."))
    # the conversation's language so far (of the five the chat speaks), as each reply gives it
    language: Language | None = None


class MessagePage(BaseModel):
    messages: list[TranscriptMessage]
    next_after: str | None  # pass as `after` next time (the last message's id, or the `after` you sent)
    ticket_id: str | None = None


class VerifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=6, max_length=6, pattern=r"^[0-9]{6}$")


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    helpful: StrictBool


class FeedbackOut(BaseModel):
    message_id: str
    helpful: bool
    offer: TranscriptMessage | None  # after "no": the assistant's offer of a person (answer yes to take it)


def _session(request: Request, session_id: Annotated[str, Path(min_length=1, max_length=64)],
             authorization: Annotated[str | None, Header()] = None) -> ChatSession:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("missing chat session token (Authorization: Bearer <token>)")
    session = container().chat_service.session_for(token.strip(), session_id)
    _check_origin(request, session.tenant_id)
    return session


Session = Annotated[ChatSession, Depends(_session)]


@app.exception_handler(RateLimited)
async def _rate_limited(_: Any, exc: RateLimited) -> Any:
    return error_response(429, "rate_limited", exc.reason, {"retry_after_s": exc.retry_after_s},
                          headers={"Retry-After": str(exc.retry_after_s)})


def client_ip(request: Request) -> str | None:
    """The caller's address: API Gateway's `sourceIp` (Mangum puts it in the scope), never a header the
    client could set."""
    return request.client.host if request.client else None


ClientIp = Annotated[str | None, Depends(client_ip)]


@app.get("/chat/widget", response_model=WidgetLook)
def widget_look(tenant: Annotated[str, Query(pattern=f"^{_TENANT.pattern}$", max_length=128,
                                               description="The tenant whose widget is on the page")],
                response: Response) -> WidgetLook:
    """How the tenant's widget shows: its title, its greeting per language, its colour and its corner, read before
    any conversation starts. Public (every visitor of the tenant's sites sees it); 404 where the tenant has no
    public chat."""
    look = container().chat_widget_looks.of(tenant)
    response.headers["Cache-Control"] = f"public, max-age={LOOK_MAX_AGE_S}"
    return look


@app.post("/chat/sessions", status_code=201, response_model=StartedSession)
def start_session(body: StartSessionRequest, ip: ClientIp, request: Request) -> StartedSession:
    _check_origin(request, body.tenant_id)
    if container().settings.chat.allows_anonymous(body.tenant_id):  # other tenants: the service's 404, uncounted
        container().chat_limits.session_started(body.tenant_id, ip)
    metrics.add_metric(name="ChatSessionsStarted", unit="Count", value=1)
    if body.identity is not None:
        visitor = container().chat_identity_keys.verify(body.tenant_id, body.identity)
        return container().chat_service.start_identified(body.tenant_id, visitor)
    return container().chat_service.start_anonymous(body.tenant_id)


@app.post("/chat/customer-sessions", status_code=201, response_model=StartedSession)
def start_customer_session(caller: Annotated[Principal, Depends(current_principal)], ip: ClientIp,
                           request: Request) -> StartedSession:
    _check_origin(request, caller.tenant_id)
    container().chat_limits.session_started(caller.tenant_id, ip)
    metrics.add_metric(name="ChatSessionsStarted", unit="Count", value=1)
    return container().chat_service.start_customer(caller)


@app.post("/chat/sessions/{session_id}/messages", response_model=PostedReply)
def post_message(body: MessageRequest, session: Session, response: Response, ip: ClientIp) -> PostedReply:
    container().chat_limits.turn(session.tenant_id, ip)
    posted = container().chat_service.post(session, body.text, body.attachment_ids, body.page)
    metrics.add_metric(name="ChatTurns", unit="Count", value=1)
    if posted.degraded:
        metrics.add_metric(name="ChatTurnsDegraded", unit="Count", value=1)
    if "ticket_created" in posted.actions:
        metrics.add_metric(name="ChatTicketsCreated", unit="Count", value=1)
    response.headers["Cache-Control"] = "no-store"
    return posted


@app.get("/chat/sessions/{session_id}", response_model=Transcript)
def get_transcript(session: Session, response: Response) -> Transcript:
    messages = [TranscriptMessage.of(m) for m in container().chat_service.transcript(session)]
    response.headers["Cache-Control"] = "no-store"
    return Transcript(id=session.id, kind=session.caller.kind, expires_at=session.expires_at.isoformat(),
                      messages=messages, ticket_id=session.ticket_id,
                      email_verified=session.verified_email is not None or session.caller.email_verified,
                      awaiting=session.awaiting_visitor, language=session.state.language)


@app.get("/chat/sessions/{session_id}/messages", response_model=MessagePage)
async def list_messages(
    session: Session,
    response: Response,
    after: Annotated[str | None, Query(max_length=64, description="a message id: only later messages")] = None,
    wait: Annotated[float, Query(ge=0, le=25, description="seconds to wait for a new message (long poll)")] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
) -> MessagePage:
    """New messages in order: the assistant's, and after the hand-over the agents' replies (role `agent`,
    with `author_name` and `attachments`). With `wait`, the call returns as soon as one arrives, or empty
    after `wait` seconds (at most 20): poll again with `after` = `next_after`."""
    service = container().chat_service
    after_seq = await run_in_threadpool(service.seq_of, session, after) if after else 0
    deadline = time.monotonic() + min(wait, container().settings.chat.long_poll_max_s)
    while True:
        found = await run_in_threadpool(service.messages_after, session, after_seq, limit)
        left = deadline - time.monotonic()
        if found or left <= 0:
            break
        await asyncio.sleep(min(1.0, left))
    response.headers["Cache-Control"] = "no-store"
    return MessagePage(messages=[TranscriptMessage.of(m) for m in found],
                       next_after=found[-1].id if found else after, ticket_id=session.ticket_id)


@app.delete("/chat/sessions/{session_id}", response_model=Transcript)
def end_session(session: Session) -> Transcript:
    """The visitor leaves: the session ends now (its token stops working) and later replies on its ticket
    go out by mail to the address they gave."""
    ended = container().chat_service.end(session)
    return Transcript(id=ended.id, kind=ended.caller.kind, expires_at=ended.expires_at.isoformat(), messages=[],
                      ticket_id=ended.ticket_id, email_verified=ended.verified_email is not None)


@app.post("/chat/sessions/{session_id}/messages/{message_id}/feedback", response_model=FeedbackOut)
def rate_answer(body: FeedbackRequest, session: Session,
                message_id: Annotated[str, Path(min_length=1, max_length=64)]) -> FeedbackOut:
    """"Did this answer your question?" on an answer of the assistant that cites articles: once (409
    `already_rated` after), 400 `not_an_answer` for other messages. After "no", while no person has the
    conversation, the assistant offers a ticket in `offer` (the visitor's "yes" opens it)."""
    rated = container().chat_service.rate(session, message_id, body.helpful)
    metrics.add_metric(name="ChatAnswersHelpful" if rated.helpful else "ChatAnswersNotHelpful", unit="Count", value=1)
    return FeedbackOut(message_id=rated.message_id, helpful=rated.helpful,
                       offer=TranscriptMessage.of(rated.offer) if rated.offer else None)


@app.post("/chat/sessions/{session_id}/email-code", status_code=202)
def send_email_code(session: Session) -> dict[str, Any]:
    """Mail (again) a 6-digit code to the address the anonymous visitor gave, to confirm it."""
    return container().chat_service.send_code(session, ticket_number=None)


@app.post("/chat/sessions/{session_id}/email-verification")
def verify_email(body: VerifyRequest, session: Session) -> dict[str, Any]:
    """Confirm the address with the mailed code: the conversation's tickets become that address's, so the
    customer who signs in with it (verified) sees them in `GET /tickets`."""
    return container().chat_service.verify_email(session, body.code)


@app.post("/chat/sessions/{session_id}/attachments", status_code=201, response_model=UploadGrant)
def request_upload(body: UploadRequest, session: Session, ip: ClientIp) -> UploadGrant:
    """After the hand-over, a file for the person who answers (a screenshot of the error): an S3 presigned POST, as
    `POST /tickets/{id}/attachments` grants a customer (types and size checked the same: 415, 413). Send
    `upload.fields` and then the file as multipart form data to `upload.url`, then name `attachment_id` in the next
    `POST .../messages`. Before a person has the conversation: 409 `invalid_transition`."""
    container().chat_limits.turn(session.tenant_id, ip)
    grant = container().chat_service.request_upload(session, body.filename, body.content_type, body.size)
    metrics.add_metric(name="ChatUploadsRequested", unit="Count", value=1)
    return grant


@app.get("/chat/sessions/{session_id}/attachments/{attachment_id}", status_code=302,
         responses={200: {"description": "with `Accept: application/json`: the URL and the file's metadata"},
                    302: {"description": "to a short-lived download URL"}})
def download_attachment(session: Session, attachment_id: Annotated[str, Path(min_length=1, max_length=64)],
                        accept: Annotated[str | None, Header(max_length=512)] = None) -> Response:
    """A file of a public message on this conversation's ticket (an internal note's files never)."""
    download = container().chat_service.attachment(session, attachment_id)
    if accept and "application/json" in accept:
        return JSONResponse(download.model_dump(mode="json"), headers={"Cache-Control": "no-store"})
    return RedirectResponse(download.url, status_code=302, headers={"Cache-Control": "no-store"})


lambda_handler = http_handler(app)

"""Chat intake API: anonymous or customer chat sessions with the help assistant.

Anonymous routes have no Cognito authorizer: the session token this app signs is the credential
(`Authorization: Bearer <session token>`). A signed-in customer starts a session on the one route that
has the authorizer; the session remembers who they are. Replies come from the intent_rag function
(Lambda invoke in AWS, in-process locally); this function never imports the LLM SDK.
"""

from typing import Annotated, Any

from fastapi import Depends, Header, Path, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from helpdesk.assistant.service import MAX_MESSAGE_CHARS
from helpdesk.bootstrap import container
from helpdesk.chat.model import ChatSession, RateLimited
from helpdesk.chat.service import PostedReply, StartedSession
from helpdesk.kernel.errors import Unauthorized
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import http_handler, metrics
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.errors import error_response

app = create_app("Helpdesk chat", description="Chat with the help assistant; hand over to a person.",
                 openapi_url="/chat/openapi.json", docs_url=None)


def _message_text(value: str) -> str:
    if len(value) > MAX_MESSAGE_CHARS:
        raise PydanticCustomError("payload_too_large", "a message is at most {limit} characters; this one has {size}",
                                  {"limit": MAX_MESSAGE_CHARS, "size": len(value)})
    if not value.strip():
        raise PydanticCustomError("blank", "a message must not be blank")
    return value


class StartSessionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tenant_id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.-]+$")


class MessageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, AfterValidator(_message_text)]


class TranscriptMessage(BaseModel):
    id: str
    role: str
    text: str
    at: str
    citations: list[dict[str, Any]] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    ticket: dict[str, Any] | None = None


class Transcript(BaseModel):
    id: str
    kind: str
    expires_at: str
    messages: list[TranscriptMessage]


def _session(session_id: Annotated[str, Path(min_length=1, max_length=64)],
             authorization: Annotated[str | None, Header()] = None) -> ChatSession:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("missing chat session token (Authorization: Bearer <token>)")
    return container().chat_service.session_for(token.strip(), session_id)


Session = Annotated[ChatSession, Depends(_session)]


@app.exception_handler(RateLimited)
async def _rate_limited(_: Any, exc: RateLimited) -> Any:
    return error_response(429, "rate_limited", exc.reason, {"retry_after_s": exc.retry_after_s},
                          headers={"Retry-After": str(exc.retry_after_s)})


@app.post("/chat/sessions", status_code=201, response_model=StartedSession)
def start_session(body: StartSessionRequest) -> StartedSession:
    metrics.add_metric(name="ChatSessionsStarted", unit="Count", value=1)
    return container().chat_service.start_anonymous(body.tenant_id)


@app.post("/chat/customer-sessions", status_code=201, response_model=StartedSession)
def start_customer_session(caller: Annotated[Principal, Depends(current_principal)]) -> StartedSession:
    metrics.add_metric(name="ChatSessionsStarted", unit="Count", value=1)
    return container().chat_service.start_customer(caller)


@app.post("/chat/sessions/{session_id}/messages", response_model=PostedReply)
def post_message(body: MessageRequest, session: Session, response: Response) -> PostedReply:
    posted = container().chat_service.post(session, body.text)
    metrics.add_metric(name="ChatTurns", unit="Count", value=1)
    if posted.degraded:
        metrics.add_metric(name="ChatTurnsDegraded", unit="Count", value=1)
    if "ticket_created" in posted.actions:
        metrics.add_metric(name="ChatTicketsCreated", unit="Count", value=1)
    response.headers["Cache-Control"] = "no-store"
    return posted


@app.get("/chat/sessions/{session_id}", response_model=Transcript)
def get_transcript(session: Session, response: Response) -> Transcript:
    messages = [
        TranscriptMessage(id=m.id, role=m.role, text=m.text, at=m.at.isoformat(),
                          citations=m.meta.get("citations") or [], actions=m.meta.get("actions") or [],
                          ticket=m.meta.get("ticket"))
        for m in container().chat_service.transcript(session)
    ]
    response.headers["Cache-Control"] = "no-store"
    return Transcript(id=session.id, kind=session.caller.kind, expires_at=session.expires_at.isoformat(),
                      messages=messages)


lambda_handler = http_handler(app)

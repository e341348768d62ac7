"""Chat use cases: start a session, post a message and get the assistant's reply, read the transcript.

The user's message is stored before the assistant is asked, and a failing assistant still gets an
answer back to the user (with the way to a person), so no message is lost and no turn ends in a 500.
"""

import uuid
from datetime import timedelta
from typing import Any

from pydantic import BaseModel

from helpdesk.assistant.ports import HistoryTurn
from helpdesk.assistant.service import ChatCaller, TurnReply, TurnRequest
from helpdesk.chat.model import ChatMessage, ChatSession, RateLimited
from helpdesk.chat.ports import ChatStore, IntentRagClient, IntentRagUnavailable
from helpdesk.chat.tokens import issue_session_token, verify_session_token
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import NotFound
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import logger
from helpdesk.settings import ChatSection

DEGRADED_REPLY = ("Sorry, I can't answer right now. Please try again in a moment, or say “talk to a human” "
                  "and I'll pass your conversation to our team.")


class StartedSession(BaseModel):
    id: str
    token: str
    expires_at: str
    kind: str


class PostedReply(BaseModel):
    message_id: str
    reply_id: str
    reply: str
    intent: str | None
    confidence: float | None
    citations: list[dict[str, Any]]
    actions: list[str]
    ticket: dict[str, Any] | None
    degraded: bool = False


class ChatService:
    def __init__(self, store: ChatStore, assistant: IntentRagClient, settings: ChatSection, secret: str, *,
                 clock: Clock = system_clock) -> None:
        self._store = store
        self._assistant = assistant
        self._settings = settings
        self._secret = secret
        self._clock = clock

    # -- sessions ---------------------------------------------------------------------------

    def start_anonymous(self, tenant_id: str) -> StartedSession:
        if not self._settings.allows_anonymous(tenant_id):
            raise NotFound(f"no public chat for tenant {tenant_id}")
        return self._start(ChatCaller(tenant_id=tenant_id, kind="anonymous"),
                           timedelta(hours=self._settings.anonymous_ttl_hours))

    def start_customer(self, principal: Principal) -> StartedSession:
        caller = ChatCaller(tenant_id=principal.tenant_id, kind="customer", user_id=principal.user_id,
                            email=principal.email, name=principal.name)
        return self._start(caller, timedelta(hours=self._settings.customer_ttl_hours))

    def _start(self, caller: ChatCaller, ttl: timedelta) -> StartedSession:
        now = self._clock()
        session = ChatSession(id=uuid.uuid4().hex, tenant_id=caller.tenant_id, caller=caller, created_at=now,
                              expires_at=now + ttl)
        self._store.add_session(session)
        token = issue_session_token(self._secret, session.tenant_id, session.id, now, session.expires_at)
        return StartedSession(id=session.id, token=token, expires_at=session.expires_at.isoformat(),
                              kind=caller.kind)

    def session_for(self, token: str, session_id: str) -> ChatSession:
        """The session a valid token opens; another session's id answers like a missing one."""
        now = self._clock()
        tenant_id, token_session = verify_session_token(self._secret, token, now)
        if token_session != session_id:
            raise NotFound("chat session not found")
        session = self._store.get_session(tenant_id, session_id)
        if session is None or session.expires_at <= now:  # TTL deletion lags: expiry is checked here too
            raise NotFound("chat session not found")
        return session

    # -- messages ---------------------------------------------------------------------------

    def post(self, session: ChatSession, text: str) -> PostedReply:
        self._check_rate(session)
        history = self._store.messages(session.tenant_id, session.id, limit=self._settings.max_messages)
        if len(history) >= self._settings.max_messages:
            raise RateLimited(3600, "this conversation has reached its message limit: start a new one")
        user_message = ChatMessage(id=uuid.uuid4().hex, session_id=session.id, seq=self._store.next_seq(session),
                                   role="user", text=text, at=self._clock())
        self._store.add_message(session, user_message)
        keep = self._settings.history_turns
        turns = [HistoryTurn(role=m.role, text=m.text) for m in history][-keep:] if keep else []
        turn = TurnRequest(conversation_id=session.id, message_id=user_message.id, text=text, caller=session.caller,
                           history=turns, state=session.state)
        try:
            reply: TurnReply | None = self._assistant.reply(turn)
        except IntentRagUnavailable as exc:
            logger.warning("assistant unavailable", extra={"session_id": session.id, "error": str(exc)})
            reply = None
        meta: dict[str, Any] = {"degraded": True}
        if reply is not None:
            meta = reply.model_dump(mode="json", include={"intent", "confidence", "citations", "actions", "ticket",
                                                          "decision"})
            logger.info("chat turn", extra={"session_id": session.id, "message_id": user_message.id,
                                            "decision": meta["decision"], "actions": reply.actions})
        answer = ChatMessage(id=uuid.uuid4().hex, session_id=session.id, seq=self._store.next_seq(session),
                             role="assistant", text=reply.reply if reply else DEGRADED_REPLY, at=self._clock(),
                             meta=meta)
        self._store.add_message(session, answer)
        if reply is not None:
            session.state = reply.state
            self._store.save_state(session)
        return PostedReply(message_id=user_message.id, reply_id=answer.id, reply=answer.text,
                           intent=reply.intent if reply else None, confidence=reply.confidence if reply else None,
                           citations=meta.get("citations") or [], actions=reply.actions if reply else [],
                           ticket=meta.get("ticket"), degraded=reply is None)

    def _check_rate(self, session: ChatSession) -> None:
        now = self._clock()
        window = int(now.timestamp()) // 60
        count = self._store.hit_rate_limit(session, window, now + timedelta(minutes=5))
        if count > self._settings.rate_per_minute:
            raise RateLimited(60 - int(now.timestamp()) % 60,
                              f"too many messages: at most {self._settings.rate_per_minute} a minute")

    def transcript(self, session: ChatSession) -> list[ChatMessage]:
        return self._store.messages(session.tenant_id, session.id, limit=self._settings.max_messages * 2)


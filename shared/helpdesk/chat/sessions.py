"""A chat session and its messages. Sessions expire (TTL): anonymous ones after a day by default."""

from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from helpdesk.ai.rag import ChatCaller, ConversationState

Role = Literal["user", "assistant"]


class ChatSession(BaseModel):
    id: str
    tenant_id: str
    caller: ChatCaller
    created_at: datetime
    expires_at: datetime
    state: ConversationState = Field(default_factory=ConversationState)


class ChatMessage(BaseModel):
    id: str
    session_id: str
    seq: int
    role: Role
    text: str
    at: datetime
    # assistant messages: intent, confidence, citations, actions, ticket, and the recorded decision
    meta: dict[str, Any] = Field(default_factory=dict)


class RateLimited(Exception):
    def __init__(self, retry_after_s: int, reason: str) -> None:
        super().__init__(reason)
        self.retry_after_s, self.reason = retry_after_s, reason


class ChatStore(Protocol):
    def add_session(self, session: ChatSession) -> None: ...

    def get_session(self, tenant_id: str, session_id: str) -> ChatSession | None: ...

    def save_state(self, session: ChatSession) -> None: ...

    def next_seq(self, session: ChatSession) -> int:
        """Atomically allocate the session's next message number (1, 2, ...)."""
        ...

    def hit_rate_limit(self, session: ChatSession, window: int, expires_at: datetime) -> int:
        """Count one message in the session's time window; returns the window's count so far."""
        ...

    def add_message(self, session: ChatSession, message: ChatMessage) -> None: ...

    def messages(self, tenant_id: str, session_id: str, limit: int = 500) -> list[ChatMessage]: ...

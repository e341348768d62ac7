"""A chat session and its messages. Sessions expire (TTL): anonymous ones after a day by default."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from helpdesk.assistant.service import ChatCaller, ConversationState

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

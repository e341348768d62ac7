"""What chat needs from the outside: where sessions are kept, and who answers a turn."""

from datetime import datetime
from typing import Protocol

from helpdesk.assistant.service import TurnReply, TurnRequest
from helpdesk.chat.model import ChatMessage, ChatSession


class IntentRagUnavailable(Exception):
    """The assistant could not produce a reply (invoke error, function error, malformed reply)."""


class IntentRagClient(Protocol):
    def reply(self, turn: TurnRequest) -> TurnReply: ...


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

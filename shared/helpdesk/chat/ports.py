"""What chat needs from the outside: where sessions are kept, who answers a turn, and who mails codes."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from helpdesk.assistant.service import TurnReply, TurnRequest
from helpdesk.chat.identity import IdentityKey
from helpdesk.chat.model import ChatMessage, ChatSession, CitedArticle


class MessagePolicy(Protocol):
    """What a tenant's policy makes of a chat message as it is stored (privacy's card masking)."""

    def __call__(self, tenant_id: str, message: ChatMessage) -> ChatMessage: ...


class IntentRagUnavailable(Exception):
    """The assistant could not produce a reply (invoke error, function error, malformed reply)."""


class IntentRagClient(Protocol):
    def reply(self, turn: TurnRequest) -> TurnReply: ...


class ChatStore(Protocol):
    def add_session(self, session: ChatSession) -> None: ...

    def get_session(self, tenant_id: str, session_id: str) -> ChatSession | None: ...

    def save_state(self, session: ChatSession) -> None: ...

    def hit_rate_limit(self, session: ChatSession, window: int, expires_at: datetime) -> int:
        """Count one message in the session's time window; returns the window's count so far."""
        ...

    def append(self, session: ChatSession, message: ChatMessage, *,
               relay: tuple[str, int] | None = None) -> ChatMessage | None:
        """Store `message` as the session's next one: its seq (and id, when empty) are given in the same
        atomic write, so a reader never sees message n+1 without message n. `relay=(ticket_id, seq)`: a copy
        of that ticket event, written only if no later event of the ticket was copied (None when it was)."""
        ...

    def messages(self, tenant_id: str, session_id: str, limit: int = 500, after_seq: int = 0) -> list[ChatMessage]:
        ...

    def message_at(self, tenant_id: str, session_id: str, seq: int) -> ChatMessage | None: ...

    def rate(self, session: ChatSession, seq: int, helpful: bool, day: date,
             articles: Sequence[CitedArticle] = ()) -> bool:
        """Record the visitor's rating of message `seq` and count it on the tenant's `day` (UTC) and for each of
        the `articles` it cited (that day, and in all), in one write; False when the message was rated already
        (nothing changes, nothing counted)."""
        ...

    def relayed_through(self, tenant_id: str, session_id: str, ticket_id: str) -> int:
        """The last ticket event seq copied into the session (0: none)."""
        ...

    def touch(self, session: ChatSession, at: datetime) -> None:
        """The visitor fetched the conversation at `at`."""
        ...

    def last_seen(self, tenant_id: str, session_id: str) -> datetime | None: ...

    def put_code(self, session: ChatSession, email: str, code_hash: str, expires_at: datetime) -> None: ...

    def code(self, tenant_id: str, session_id: str) -> tuple[str, str, datetime, int] | None:
        """(email, code hash, expiry, failed attempts) of the pending verification code."""
        ...

    def count_failed_code(self, session: ChatSession) -> int: ...

    def drop_code(self, session: ChatSession) -> None: ...


class CodeMailer(Protocol):
    def send_code(self, tenant_id: str, to: str, code: str, ticket_number: str | None,
                  language: str | None = None) -> None:
        """Mail a one-time code that proves the visitor reads `to`, in the conversation's language."""
        ...


class IdentityKeyStore(Protocol):
    """The keys a tenant's site signs its signed-in chat visitors with (`chat.identity`)."""

    def keys(self, tenant_id: str) -> list[IdentityKey]: ...

    def add(self, key: IdentityKey) -> None: ...

    def delete(self, tenant_id: str, kid: str) -> None:
        """NotFound when there is no such key."""
        ...

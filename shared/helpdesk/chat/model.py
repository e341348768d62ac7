"""A chat session and its messages. Sessions expire (TTL): anonymous ones after a day by default."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from helpdesk.assistant.service import Awaiting, ChatCaller, ConversationState

# user: the visitor or customer (in the chat, or by mail after a hand-over); assistant: the help assistant;
# agent: a person of the team, answering on the ticket the chat became.
Role = Literal["user", "assistant", "agent"]


class ChatSession(BaseModel):
    id: str
    tenant_id: str
    caller: ChatCaller
    created_at: datetime
    expires_at: datetime
    state: ConversationState = Field(default_factory=ConversationState)
    ended_at: datetime | None = None  # the visitor ended the chat: replies go by mail from then on
    verified_email: str | None = None  # the address the visitor proved with a code sent to it

    @property
    def ticket_id(self) -> str | None:
        """The ticket this conversation continues on (the latest one it made), once it was handed over."""
        return self.state.ticket_ids[-1] if self.state.ticket_ids else None

    @property
    def awaiting_visitor(self) -> Awaiting | None:
        """The assistant's question the visitor's next message answers (a yes or no to a ticket, an address), so a
        page that reloads offers the answers again. None once handed over: a message goes to the ticket then."""
        return self.state.awaiting if self.ticket_id is None else None


class ChatMessage(BaseModel):
    id: str  # "<seq:08d>-<random>": ordered, and names its place for `?after=`
    session_id: str
    seq: int
    role: Role
    text: str
    at: datetime
    # assistant messages: intent, confidence, citations, actions, ticket, and the recorded decision;
    # messages copied from the ticket: ticket_id, ticket_seq, author_name, channel, attachments
    meta: dict[str, Any] = Field(default_factory=dict)
    # The visitor's "Did this answer your question?" on an assistant's answer (once; None: not rated)
    helpful: bool | None = None


class CitedArticle(BaseModel):
    """An article an answer cited, as a rating counts it: its id and its title when the answer was given."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    title: str


def message_seq(message_id: str) -> int | None:
    """The sequence number a message id starts with (None for ids of another shape)."""
    head, _, _ = message_id.partition("-")
    return int(head) if head.isdigit() and len(head) <= 12 else None


class RateLimited(Exception):
    def __init__(self, retry_after_s: int, reason: str) -> None:
        super().__init__(reason)
        self.retry_after_s, self.reason = retry_after_s, reason

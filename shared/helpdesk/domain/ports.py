"""Ports: the small interfaces the services depend on. One adapter per backend implements each."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from helpdesk.domain.events import TicketEvent
from helpdesk.domain.ticket import Priority, Status, Ticket

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


@dataclass(frozen=True)
class TicketQuery:
    """A list request. Exactly one index drives the query; the rest are filters on it."""

    tenant_id: str
    status: Status | None = None
    priority: Priority | None = None
    assignee_id: str | None = None
    requester_id: str | None = None
    tag: str | None = None
    groups: tuple[str, ...] = ()  # restrict to these groups (or assigned to `visible_to`)
    visible_to: str | None = None
    limit: int = 25
    cursor: str | None = None


@dataclass
class TicketPage:
    items: list[Ticket]
    next_cursor: str | None = None


@dataclass
class NewTicket:
    """A ticket and its first events, before the repository has given it a number."""

    ticket: Ticket
    events: list[TicketEvent] = field(default_factory=list)


class TicketRepository(Protocol):
    def next_number(self, tenant_id: str) -> int:
        """Atomically allocate the tenant's next human ticket number."""
        ...

    def add(self, ticket: Ticket, events: list[TicketEvent]) -> Ticket:
        """Insert a new ticket with its first events, all or nothing."""
        ...

    def get(self, tenant_id: str, ticket_id: str) -> Ticket | None: ...

    def get_by_number(self, tenant_id: str, number: int) -> Ticket | None: ...

    def save(self, ticket: Ticket, events: list[TicketEvent]) -> Ticket:
        """Write the ticket if nobody changed it since it was read, and append its events.

        Raises `ConcurrentUpdate` when the stored version moved on.
        """
        ...

    def query(self, q: TicketQuery) -> TicketPage: ...

    def events(self, tenant_id: str, ticket_id: str) -> list[TicketEvent]: ...


class Embedder(Protocol):
    """Text to vectors. Adapters: Bedrock Titan v2 in AWS, MiniLM on onnxruntime embedded."""

    model_id: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> "NDArray[np.float32]":
        """One L2-normalised row per text, shape (len(texts), dimension), batched inside."""
        ...

"""Ports of triage: where its results, settings and ticket vectors live, and where drafts go."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from helpdesk.assistant.ports import ThreadMessage, ThreadSummary  # what a summary model reads and writes
from helpdesk.intents.model import IntentCatalog
from helpdesk.intents.ports import IntentClassifier
from helpdesk.triage.model import TriageResult
from helpdesk.triage.settings import TriageSettings

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from helpdesk.kernel.principal import Principal
    from helpdesk.tickets.history import TicketEvent
    from helpdesk.tickets.model import Status, Ticket


class FilePoster(Protocol):
    """Posts a message with the caller's uploaded files (`AttachmentService.post_message`): an AI draft sent with
    files the agent attached."""

    def __call__(self, caller: "Principal", ticket_id: str, body: str, public: bool, attachment_ids: Sequence[str],
                 *, meta: dict[str, Any] | None = None,
                 status: "Status | None" = None) -> tuple["Ticket", "TicketEvent"]: ...


class TriageStore(Protocol):
    def get(self, tenant_id: str, ticket_id: str) -> TriageResult | None: ...

    def save(self, result: TriageResult) -> TriageResult:
        """Write if nobody saved since `result.revision` was read (0: must not exist yet); bumps the
        revision. Raises `ConcurrentUpdate` otherwise."""
        ...


class CategoryClassifiers(Protocol):
    """Each tenant's categories to classify into (its own, or the built-in catalog), and learning from agents."""

    def for_tenant(self, tenant_id: str) -> tuple[IntentCatalog, IntentClassifier]: ...

    def learn(self, tenant_id: str, ticket_id: str, text: str, category: str, how: str) -> bool:
        """The ticket's text becomes an example of `category` (if the tenant has such a category of its own)."""
        ...

    def forget(self, tenant_id: str, ticket_id: str) -> None: ...


class TriageSettingsStore(Protocol):
    def get(self, tenant_id: str) -> TriageSettings: ...

    def get_versioned(self, tenant_id: str) -> tuple[TriageSettings, int]:
        """The settings and their version (0 while the tenant has never saved any)."""
        ...

    def put(self, tenant_id: str, settings: TriageSettings, expected_version: int | None = None) -> int:
        """Save and return the new version; with `expected_version`, only if still at it (`ConcurrentUpdate`)."""
        ...


@dataclass(frozen=True)
class TicketVector:
    ticket_id: str
    number: str
    subject: str
    requester_id: str
    created_at: datetime
    vector: "NDArray[np.float32]"


class TicketVectors(Protocol):
    """Recent open tickets of one tenant with their embeddings: what similar tickets are found among.
    Bounded per tenant; every key starts with the tenant."""

    def add(self, tenant_id: str, item: TicketVector) -> None: ...

    def remove(self, tenant_id: str, ticket_id: str, created_at: datetime) -> None: ...

    def recent(self, tenant_id: str, limit: int) -> list[TicketVector]: ...


@dataclass(frozen=True)
class DraftArticle:
    tenant_id: str
    title: str
    body: str  # Markdown
    tags: tuple[str, ...]
    source_ticket_id: str
    language: str = "en"


class ArticleDrafts(Protocol):
    def create_draft(self, draft: DraftArticle) -> str:
        """Store an unpublished (`draft`) article; returns its id. Idempotent per source ticket."""
        ...


class SummaryModel(Protocol):
    """A model that summarises a conversation (Claude, when configured). Raises
    `helpdesk.assistant.ports.LlmUnavailable` when it does not answer; the extractive summary is written then."""

    name: str
    model_id: str
    tokens_used: int  # billed so far: the difference a call makes is charged to the tenant's daily budget

    def summarize(self, subject: str, thread: Sequence[ThreadMessage]) -> ThreadSummary: ...

"""What privacy requests need from the outside: where a person's tickets are found, how a written event is
rewritten in place, where chat transcripts and stored files are, and where erasures and settings are kept."""

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, Protocol

from helpdesk.chat.model import ChatMessage, ChatSession
from helpdesk.privacy.model import Erasure, PrivacySettings
from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import Ticket


class PersonTickets(Protocol):
    def mentioning(self, tenant_id: str, email: str) -> list[Ticket]:
        """The tenant's tickets the address is on: as requester (its index) or anywhere in the ticket
        (participant, copied, written into a field). One tenant's partition, never another's."""
        ...

    def closed_before(self, tenant_id: str, cutoff: datetime) -> Iterator[Ticket]:
        """The tenant's closed tickets last changed before `cutoff`."""
        ...


class EventLog(Protocol):
    def rewrite(self, events: list[TicketEvent]) -> None:
        """Replace the data and actor of events already written (same ticket, same seq); never adds one."""
        ...


class ChatTranscripts(Protocol):
    def get(self, tenant_id: str, session_id: str) -> tuple[ChatSession, list[ChatMessage]] | None: ...

    def rewrite(self, session: ChatSession, messages: list[ChatMessage]) -> None:
        """Store the session and these (existing) messages as given; a pending e-mail code is dropped."""
        ...


class ObjectStore(Protocol):
    def put_json(self, key: str, document: Any) -> None: ...

    def presign(self, key: str, filename: str, expires_s: int) -> str: ...

    def read(self, key: str) -> bytes | None:
        """The object's bytes (None: there is none)."""
        ...

    def delete(self, key: str) -> int:
        """Delete the object and every stored version of it; returns how many versions went (0: none)."""
        ...


class QuarantinedMail(Protocol):
    def mentioning(self, tenant_id: str, email: str) -> list[dict[str, Any]]:
        """The tenant's quarantine records (as JSON) naming the address: sender, recipients, details."""
        ...

    def remove(self, tenant_id: str, record: dict[str, Any]) -> None: ...


Change = Callable[[dict[str, Any]], dict[str, Any]]


class DerivedRecords(Protocol):
    """What AI derived from a ticket's text: triage's record (summary, reply draft), its similarity vector and the
    knowledge loop's draft article."""

    def rewrite_triage(self, tenant_id: str, ticket_id: str, change: Change) -> bool:
        """Store `change(record as JSON)` as the ticket's triage record; False when it has none."""
        ...

    def drop_vector(self, tenant_id: str, ticket_id: str, created_at: datetime) -> None: ...

    def drop_draft_article(self, tenant_id: str, ticket_id: str) -> bool:
        """Delete the knowledge loop's draft article made from the ticket (its "Problem" is the requester's
        words) while no person has published it; True when one was deleted."""
        ...


class PrivacyStore(Protocol):
    def erasure(self, tenant_id: str, subject_hash: str) -> Erasure | None: ...

    def put_erasure(self, erasure: Erasure) -> None: ...

    def settings(self, tenant_id: str) -> tuple[PrivacySettings, int]:
        """The settings and their version (0: never saved)."""
        ...

    def put_settings(self, tenant_id: str, settings: PrivacySettings, expected_version: int | None = None) -> int:
        """Save and return the new version; with `expected_version`, only if no one saved since
        (`ConcurrentUpdate` otherwise). Also lists (or unlists) the tenant among those the retention scan
        visits."""
        ...

    def retention_tenants(self) -> list[tuple[str, int]]:
        """(tenant, retention days) of every tenant with a retention period."""
        ...

"""In-memory privacy ports over the in-memory ticket repository (tests/fakes.py)."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from helpdesk.chat.model import ChatMessage, ChatSession
from helpdesk.kernel.errors import ConcurrentUpdate
from helpdesk.privacy.model import Erasure, PrivacySettings
from helpdesk.privacy.ports import Change
from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import Status, Ticket, email_key
from tests.fakes import InMemoryTicketRepository


class FakePersonTickets:
    def __init__(self, repository: InMemoryTicketRepository) -> None:
        self._repository = repository

    def mentioning(self, tenant_id: str, email: str) -> list[Ticket]:
        return [t for t in self._repository.tickets(tenant_id)
                if t.requester.key == email_key(email) or email in t.model_dump_json()]

    def closed_before(self, tenant_id: str, cutoff: datetime) -> Iterator[Ticket]:
        return (t for t in self._repository.tickets(tenant_id) if t.status == Status.CLOSED and t.updated_at < cutoff)


class FakeEventLog:
    def __init__(self, repository: InMemoryTicketRepository) -> None:
        self._repository = repository
        self.rewritten = 0

    def rewrite(self, events: list[TicketEvent]) -> None:
        for event in events:
            log = self._repository._events[(event.tenant_id, event.ticket_id)]
            [index] = [i for i, e in enumerate(log) if e.seq == event.seq]  # it must exist
            log[index] = event.model_copy(deep=True)
            self.rewritten += 1


class FakeChatTranscripts:
    def __init__(self) -> None:
        self.sessions: dict[tuple[str, str], tuple[ChatSession, list[ChatMessage]]] = {}

    def get(self, tenant_id: str, session_id: str) -> tuple[ChatSession, list[ChatMessage]] | None:
        return self.sessions.get((tenant_id, session_id))

    def rewrite(self, session: ChatSession, messages: list[ChatMessage]) -> None:
        _, stored = self.sessions[(session.tenant_id, session.id)]
        changed = {m.seq: m for m in messages}
        self.sessions[(session.tenant_id, session.id)] = (session, [changed.get(m.seq, m) for m in stored])


class FakeObjects:
    def __init__(self) -> None:
        self.objects: dict[str, Any] = {}

    def put_json(self, key: str, document: Any) -> None:
        self.objects[key] = document

    def presign(self, key: str, filename: str, expires_s: int) -> str:
        return f"https://bucket.example/{key}?expires={expires_s}"

    def read(self, key: str) -> bytes | None:
        found = self.objects.get(key)
        return found if isinstance(found, bytes) else None

    def delete(self, key: str) -> int:
        return 1 if self.objects.pop(key, None) is not None else 0


class FakePrivacyStore:
    def __init__(self) -> None:
        self.erasures: dict[tuple[str, str], Erasure] = {}
        self._settings: dict[str, tuple[PrivacySettings, int]] = {}  # with their version

    def erasure(self, tenant_id: str, subject_hash: str) -> Erasure | None:
        found = self.erasures.get((tenant_id, subject_hash))
        return found.model_copy(deep=True) if found else None

    def put_erasure(self, erasure: Erasure) -> None:
        self.erasures[(erasure.tenant_id, erasure.subject_hash)] = erasure.model_copy(deep=True)

    def settings(self, tenant_id: str) -> tuple[PrivacySettings, int]:
        return self._settings.get(tenant_id, (PrivacySettings(), 0))

    def put_settings(self, tenant_id: str, settings: PrivacySettings, expected_version: int | None = None) -> int:
        version = self.settings(tenant_id)[1]
        if expected_version is not None and expected_version != version:
            raise ConcurrentUpdate("changed since read", {"expected_version": expected_version})
        self._settings[tenant_id] = (settings, version + 1)
        return version + 1

    def retention_tenants(self) -> list[tuple[str, int]]:
        return [(t, s.retention_days) for t, (s, _) in self._settings.items() if s.retention_days]


class FakeDerivedRecords:
    def __init__(self) -> None:
        self.triage: dict[tuple[str, str], dict[str, Any]] = {}
        self.vectors: set[tuple[str, str]] = set()
        self.drafts: set[tuple[str, str]] = set()  # (tenant, source ticket) of the knowledge loop's drafts

    def rewrite_triage(self, tenant_id: str, ticket_id: str, change: Change) -> bool:
        if (tenant_id, ticket_id) not in self.triage:
            return False
        self.triage[(tenant_id, ticket_id)] = change(self.triage[(tenant_id, ticket_id)])
        return True

    def drop_vector(self, tenant_id: str, ticket_id: str, created_at: datetime) -> None:
        self.vectors.discard((tenant_id, ticket_id))

    def drop_draft_article(self, tenant_id: str, ticket_id: str) -> bool:
        found = (tenant_id, ticket_id) in self.drafts
        self.drafts.discard((tenant_id, ticket_id))
        return found


class FakeQuarantinedMail:
    def __init__(self) -> None:
        self.records: dict[str, list[dict[str, Any]]] = {}

    def mentioning(self, tenant_id: str, email: str) -> list[dict[str, Any]]:
        return [r for r in self.records.get(tenant_id, []) if email in str(r)]

    def remove(self, tenant_id: str, record: dict[str, Any]) -> None:
        self.records[tenant_id].remove(record)

"""Where audit entries are kept."""

from typing import Protocol

from helpdesk.audit.model import AuditEntry, AuditPage


class AuditStore(Protocol):
    def append(self, entry: AuditEntry) -> None: ...

    def page(self, tenant_id: str, *, kind: str | None, limit: int, cursor: str | None) -> AuditPage:
        """Newest first."""

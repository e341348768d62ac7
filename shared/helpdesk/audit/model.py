"""One change to a tenant's administration: settings, policies, calendars, addresses, webhooks (and users,
groups and API clients as their services record them)."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

Action = Literal["created", "updated", "deleted"]


class AuditEntry(BaseModel):
    id: str
    tenant_id: str
    at: datetime
    actor: str  # the caller's user id
    kind: str  # what was changed: `sla.policy`, `sla.calendar`, `mail.settings`, `webhook`, ...
    resource_id: str
    action: Action
    before: dict[str, Any] | None  # None: it did not exist
    after: dict[str, Any] | None  # None: it was deleted


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None

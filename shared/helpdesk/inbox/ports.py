"""Where an agent's inbox is kept."""

from datetime import datetime
from typing import Protocol

from helpdesk.inbox.model import InboxItem


class InboxStore(Protocol):
    def add(self, item: InboxItem) -> bool:
        """Keep it unless it is there already (a retried stream batch); False when it was."""
        ...

    def newest(self, tenant_id: str, user_id: str, limit: int, before: str | None = None) -> list[InboxItem]:
        """Their items newest first, those older than the item id `before` when given."""
        ...

    def unread(self, tenant_id: str, user_id: str, limit: int) -> list[InboxItem]:
        """Their unread items, newest first, at most `limit` (the ones after their read mark, not marked one by
        one)."""
        ...

    def mark_read(self, items: list[InboxItem], at: datetime) -> None: ...

    def read_until(self, tenant_id: str, user_id: str) -> str:
        """The id up to which everything counts as read ("" for none)."""
        ...

    def set_read_until(self, tenant_id: str, user_id: str, item_id: str) -> None:
        """Move the mark forward to `item_id` (never back)."""
        ...

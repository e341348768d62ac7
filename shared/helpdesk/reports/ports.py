"""Ports of reports: what they read besides tickets (which come through `TicketService`, with its access rules)."""

from datetime import date
from typing import Protocol


class ChatActivity(Protocol):
    def sessions_started(self, tenant_id: str, first_day: date, last_day: date) -> int:
        """Chat sessions the tenant's visitors and customers started on the days [first_day, last_day] (UTC)."""
        ...

    def answers_rated(self, tenant_id: str, first_day: date, last_day: date) -> tuple[int, int]:
        """The assistant's answers visitors rated (helpful, not helpful) on the days [first_day, last_day] (UTC)."""
        ...

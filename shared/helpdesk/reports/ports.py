"""Ports of reports: what they read besides tickets (which come through `TicketService`, with its access rules)."""

from datetime import date
from typing import Protocol

from helpdesk.reports.model import RatedArticle


class ChatActivity(Protocol):
    def sessions_started(self, tenant_id: str, first_day: date, last_day: date) -> int:
        """Chat sessions the tenant's visitors and customers started on the days [first_day, last_day] (UTC)."""
        ...

    def answers_rated(self, tenant_id: str, first_day: date, last_day: date) -> tuple[int, int]:
        """The assistant's answers visitors rated (helpful, not helpful) on the days [first_day, last_day] (UTC)."""
        ...

    def articles_rated(self, tenant_id: str, first_day: date, last_day: date,
                       max_counts: int) -> tuple[list[RatedArticle], bool]:
        """Per article cited, the rated answers citing it on the days [first_day, last_day] (UTC), in no order;
        reads at most `max_counts` day counts (True: there were more, the later days are left out)."""
        ...

    def article_rated(self, tenant_id: str, article_id: str) -> tuple[int, int]:
        """The rated answers (helpful, not helpful) that cited one article, in all."""
        ...

"""Reports' reads besides tickets: the daily chat counters the chat store keeps (`CHAT#<t>#STATS`)."""

from datetime import date
from typing import TYPE_CHECKING

from helpdesk.chat.adapters.dynamo import (
    article_days_between,
    article_total_sk,
    day_sk,
    parse_article_day_sk,
    rating_kind,
    stats_pk,
)
from helpdesk.reports.model import RatedArticle

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


class DynamoChatActivity:
    """Implements `helpdesk.reports.ports.ChatActivity`: each read is one query on the tenant's counters
    partition."""

    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def sessions_started(self, tenant_id: str, first_day: date, last_day: date) -> int:
        return self._counted(tenant_id, first_day, last_day, "DAY")

    def answers_rated(self, tenant_id: str, first_day: date, last_day: date) -> tuple[int, int]:
        return (self._counted(tenant_id, first_day, last_day, rating_kind(True)),
                self._counted(tenant_id, first_day, last_day, rating_kind(False)))

    def articles_rated(self, tenant_id: str, first_day: date, last_day: date,
                       max_counts: int) -> tuple[list[RatedArticle], bool]:
        meta = self._tables.meta
        found: dict[str, RatedArticle] = {}
        # Day first in the key: the range is one `between`, oldest day first, so the last title read is the newest.
        items = meta.query(stats_pk(tenant_id), meta.sk.between(*article_days_between(first_day, last_day)),
                           limit=max_counts + 1)
        for read, item in enumerate(items, start=1):
            if read > max_counts:
                return list(found.values()), True
            _, helpful, article_id = parse_article_day_sk(item.sk)
            title = (item.data or {}).get("title") if isinstance(item.data, dict) else None
            rated = found.setdefault(article_id, RatedArticle(article_id=article_id, title=article_id, helpful=0,
                                                              not_helpful=0))
            rated.title = str(title) if title else rated.title
            if helpful:
                rated.helpful += int(item.value or 0)
            else:
                rated.not_helpful += int(item.value or 0)
        return list(found.values()), False

    def article_rated(self, tenant_id: str, article_id: str) -> tuple[int, int]:
        meta = self._tables.meta
        counts = {item.sk: int(item.value or 0)
                  for item in meta.query(stats_pk(tenant_id), meta.sk.startswith(article_total_sk(article_id)))}
        return counts.get(article_total_sk(article_id, True), 0), counts.get(article_total_sk(article_id, False), 0)

    def _counted(self, tenant_id: str, first_day: date, last_day: date, kind: str) -> int:
        meta = self._tables.meta
        items = meta.query(stats_pk(tenant_id), meta.sk.between(day_sk(first_day, kind), day_sk(last_day, kind)))
        return sum(int(item.value or 0) for item in items)

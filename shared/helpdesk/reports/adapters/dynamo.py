"""Reports' reads besides tickets: the daily chat-session counters the chat store keeps (`CHAT#<t>#STATS`)."""

from datetime import date
from typing import TYPE_CHECKING

from helpdesk.chat.adapters.dynamo import day_sk, rating_kind, stats_pk

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


class DynamoChatActivity:
    """Implements `helpdesk.reports.ports.ChatActivity`: one query on the tenant's counters partition."""

    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def sessions_started(self, tenant_id: str, first_day: date, last_day: date) -> int:
        return self._counted(tenant_id, first_day, last_day, "DAY")

    def answers_rated(self, tenant_id: str, first_day: date, last_day: date) -> tuple[int, int]:
        return (self._counted(tenant_id, first_day, last_day, rating_kind(True)),
                self._counted(tenant_id, first_day, last_day, rating_kind(False)))

    def _counted(self, tenant_id: str, first_day: date, last_day: date, kind: str) -> int:
        meta = self._tables.meta
        items = meta.query(stats_pk(tenant_id), meta.sk.between(day_sk(first_day, kind), day_sk(last_day, kind)))
        return sum(int(item.value or 0) for item in items)

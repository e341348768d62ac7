"""The token ledger in the meta table: pk = AIBUDGET#<tenant>, sk = <YYYY-MM-DD>, value = tokens, TTL 3 days."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


class DynamoTokenLedger:
    """Implements `helpdesk.assistant.ports.TokenLedger`."""

    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def spent(self, tenant_id: str, day: str) -> int:
        try:
            item = self._tables.meta.get(f"AIBUDGET#{tenant_id}", day)
        except self._tables.meta.DoesNotExist:
            return 0
        return int(item.value or 0)

    def add(self, tenant_id: str, day: str, tokens: int) -> int:
        meta = self._tables.meta
        item = meta(f"AIBUDGET#{tenant_id}", day)
        expires = datetime.fromisoformat(day + "T00:00:00+00:00") + timedelta(days=3)
        item.update(actions=[meta.value.add(tokens), meta.expires_at.set(expires)])
        return int(item.value or 0)

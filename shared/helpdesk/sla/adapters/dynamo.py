"""SLA settings, the exactly-once notification ledger and the due index, on DynamoDB.

Settings and ledger are small keyed records in the Meta table (tenant in the key):
  pk `TENANT#<tenant>#SLA`     sk `POLICY#<id>` | `CALENDAR#<id>`   data: the model as JSON
  pk `TENANT#<tenant>#SLANOTE` sk `<ticket>#<target>@<clock start>#<kind>`  (TTL 180 days)
"""

import threading
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pynamodb.exceptions import PutError

from helpdesk.sla.calendar import BusinessCalendar
from helpdesk.sla.policy import SlaPolicy
from helpdesk.sla.ports import DueBatch, DueTicket, SlaSettings
from helpdesk.tickets.adapters.dynamo import sla_bucket
from helpdesk.tickets.sla_state import SLA_SHARDS

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


LEDGER_TTL = timedelta(days=180)


def _settings_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#SLA"


class DynamoSlaSettingsStore:
    """Loaded with one Query per tenant and cached briefly: the hook reads them on every ticket change."""

    def __init__(self, tables: "Tables", cache_seconds: float = 30.0) -> None:
        self._tables = tables
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, SlaSettings]] = {}
        self._lock = threading.Lock()

    def load(self, tenant_id: str) -> SlaSettings:
        with self._lock:
            hit = self._cache.get(tenant_id)
        if hit is not None and time.monotonic() - hit[0] < self.cache_seconds:
            return hit[1]
        settings = SlaSettings()
        for item in self._tables.meta.query(_settings_pk(tenant_id), consistent_read=True):
            kind, _, _ = item.sk.partition("#")
            if kind == "POLICY":
                settings.policies.append(SlaPolicy.model_validate(item.data))
            elif kind == "CALENDAR":
                calendar = BusinessCalendar.model_validate(item.data)
                settings.calendars[calendar.id] = calendar
        with self._lock:
            self._cache[tenant_id] = (time.monotonic(), settings)
        return settings

    def put_policy(self, tenant_id: str, policy: SlaPolicy) -> None:
        data = policy.model_dump(mode="json")
        self._tables.meta(pk=_settings_pk(tenant_id), sk=f"POLICY#{policy.id}", data=data).save()
        self._forget(tenant_id)

    def delete_policy(self, tenant_id: str, policy_id: str) -> bool:
        return self._delete(tenant_id, f"POLICY#{policy_id}")

    def put_calendar(self, tenant_id: str, calendar: BusinessCalendar) -> None:
        self._tables.meta(pk=_settings_pk(tenant_id), sk=f"CALENDAR#{calendar.id}",
                  data=calendar.model_dump(mode="json")).save()
        self._forget(tenant_id)

    def delete_calendar(self, tenant_id: str, calendar_id: str) -> bool:
        return self._delete(tenant_id, f"CALENDAR#{calendar_id}")

    def _delete(self, tenant_id: str, sk: str) -> bool:
        self._forget(tenant_id)
        try:
            self._tables.meta.get(_settings_pk(tenant_id), sk).delete()
        except self._tables.meta.DoesNotExist:
            return False
        return True

    def _forget(self, tenant_id: str) -> None:
        with self._lock:
            self._cache.pop(tenant_id, None)


class DynamoNotificationLedger:
    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def claim(self, tenant_id: str, key: str, at: datetime) -> bool:
        record = self._tables.meta(pk=f"TENANT#{tenant_id}#SLANOTE", sk=key, expires_at=at + LEDGER_TTL)
        try:
            record.save(condition=self._tables.meta.pk.does_not_exist())  # first writer wins, later ones fail
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release(self, tenant_id: str, key: str) -> None:
        self._tables.meta(pk=f"TENANT#{tenant_id}#SLANOTE", sk=key).delete()


class DynamoDueIndex:
    """Queries each shard of the sparse `by_sla_due` index for next actions at or before `now`."""

    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def due(self, now: datetime, limit: int) -> DueBatch:
        cutoff = int(now.timestamp())
        items: list[DueTicket] = []
        examined = 0
        for shard in range(SLA_SHARDS):
            before_cutoff = self._tables.tickets.sla_next_due <= cutoff
            results = self._tables.tickets.by_sla_due.query(sla_bucket(shard), before_cutoff,
                                                            limit=max(limit - len(items), 0) or None)
            items.extend(DueTicket(tenant_id=m.tenant_id, ticket_id=m.ticket_id) for m in results)
            examined += results.page_iter.total_scanned_count  # what DynamoDB read (and bills)
            if len(items) >= limit:
                break
        return DueBatch(items=items[:limit], examined=examined)

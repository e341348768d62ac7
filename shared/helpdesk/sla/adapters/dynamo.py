"""SLA settings, the exactly-once notification ledger and the due index, on DynamoDB.

Settings and ledger are small keyed records in the Meta table (tenant in the key):
  pk `TENANT#<tenant>#SLA`     sk `POLICY#<id>` | `CALENDAR#<id>`   data: the model as JSON
      value: its version, written as a `TenantDocument` (an item saved before versions existed reads as 1)
  pk `TENANT#<tenant>#SLANOTE` sk `<ticket>#<target>@<clock start>#<kind>`  (TTL 180 days)
      value: 0 once the notification was sent (confirmed); before that the claim's lease end (epoch seconds).
      A record without `value` was written by the earlier claim-then-send ledger and counts as sent.
"""

import threading
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel
from pynamodb.exceptions import PutError, UpdateError

from helpdesk.platform.dynamo.tenant_document import TenantDocument
from helpdesk.sla.calendar import BusinessCalendar
from helpdesk.sla.policy import SlaPolicy
from helpdesk.sla.ports import Claim, DueBatch, DueTicket, SlaSettings
from helpdesk.tickets.adapters.dynamo import sla_bucket
from helpdesk.tickets.sla_state import SLA_SHARDS

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


LEDGER_TTL = timedelta(days=180)
_SETTINGS_PARTITION = "SLA"  # the settings' pk: TENANT#<tenant>#SLA


def _settings_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#{_SETTINGS_PARTITION}"


class DynamoSlaSettingsStore:
    """Loaded with one Query per tenant and cached briefly: the hook reads them on every ticket change."""

    def __init__(self, tables: "Tables", cache_seconds: float = 30.0) -> None:
        self._tables = tables
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, SlaSettings]] = {}
        self._lock = threading.Lock()

    def load(self, tenant_id: str, *, fresh: bool = False) -> SlaSettings:
        with self._lock:
            hit = None if fresh else self._cache.get(tenant_id)
        if hit is not None and time.monotonic() - hit[0] < self.cache_seconds:
            return hit[1]
        settings = SlaSettings()
        for item in self._tables.meta.query(_settings_pk(tenant_id), consistent_read=True):
            kind, _, _ = item.sk.partition("#")
            stored = {**(item.data or {}), "version": int(item.value or 1)}  # no `value`: saved before versions
            if kind == "POLICY":
                settings.policies.append(SlaPolicy.model_validate(stored))
            elif kind == "CALENDAR":
                calendar = BusinessCalendar.model_validate(stored)
                settings.calendars[calendar.id] = calendar
        with self._lock:
            self._cache[tenant_id] = (time.monotonic(), settings)
        return settings

    def put_policy(self, tenant_id: str, policy: SlaPolicy, expected_version: int | None = None) -> int:
        return self._put(tenant_id, f"POLICY#{policy.id}", policy, expected_version)

    def delete_policy(self, tenant_id: str, policy_id: str, expected_version: int | None = None) -> bool:
        return self._delete(tenant_id, f"POLICY#{policy_id}", expected_version)

    def put_calendar(self, tenant_id: str, calendar: BusinessCalendar, expected_version: int | None = None) -> int:
        return self._put(tenant_id, f"CALENDAR#{calendar.id}", calendar, expected_version)

    def delete_calendar(self, tenant_id: str, calendar_id: str, expected_version: int | None = None) -> bool:
        return self._delete(tenant_id, f"CALENDAR#{calendar_id}", expected_version)

    def _item(self, sk: str) -> TenantDocument:
        return TenantDocument(self._tables, sk, partition=_SETTINGS_PARTITION)

    def _put(self, tenant_id: str, sk: str, model: BaseModel, expected_version: int | None) -> int:
        try:  # the version lives in `value`, never in the data
            return self._item(sk).write(tenant_id, model.model_dump(mode="json", exclude={"version"}),
                                        expected_version)
        finally:
            self._forget(tenant_id)

    def _delete(self, tenant_id: str, sk: str, expected_version: int | None) -> bool:
        item = self._item(sk)
        stored = (item.read(tenant_id)[1] if expected_version is None else expected_version) > 0
        try:
            item.write(tenant_id, None, expected_version)
        finally:
            self._forget(tenant_id)
        return stored

    def _forget(self, tenant_id: str) -> None:
        with self._lock:
            self._cache.pop(tenant_id, None)


class DynamoNotificationLedger:
    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def claim(self, tenant_id: str, key: str, at: datetime, lease: timedelta) -> Claim:
        meta = self._tables.meta
        record = meta(pk=f"TENANT#{tenant_id}#SLANOTE", sk=key, value=int((at + lease).timestamp()),
                      expires_at=at + LEDGER_TTL)
        # First claim wins; so does a later one once the holder's lease ran out without a confirmation.
        lapsed = (meta.value > 0) & (meta.value < int(at.timestamp()))
        try:
            record.save(condition=meta.pk.does_not_exist() | lapsed)
        except PutError as exc:
            if exc.cause_response_code != "ConditionalCheckFailedException":
                raise
            try:
                held = meta.get(record.pk, key, consistent_read=True)
            except meta.DoesNotExist:  # released in between: the next scan claims it
                return Claim.BUSY
            return Claim.BUSY if held.value is not None and held.value > 0 else Claim.SENT
        return Claim.WON

    def confirm(self, tenant_id: str, key: str, at: datetime) -> None:
        meta = self._tables.meta
        try:
            meta(pk=f"TENANT#{tenant_id}#SLANOTE", sk=key).update(
                actions=[meta.value.set(0), meta.expires_at.set(at + LEDGER_TTL)], condition=meta.pk.exists())
        except UpdateError as exc:
            if exc.cause_response_code != "ConditionalCheckFailedException":
                raise
            # The record is gone (released by a confused peer, or expired): write it as sent.
            meta(pk=f"TENANT#{tenant_id}#SLANOTE", sk=key, value=0, expires_at=at + LEDGER_TTL).save()

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

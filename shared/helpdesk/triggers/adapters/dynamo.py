"""The tenant's triggers as one document (`TENANT#<t>#TRIGGERS` / `list`), cached briefly for the hook that reads
them on every ticket change: an admin's save reaches every function within `cache_seconds`; and the plan of the time
triggers' sweeps (`TRIGGERS#SWEEPS`)."""

import threading
import time
from datetime import datetime
from typing import TYPE_CHECKING

from pynamodb.exceptions import DeleteError, PutError

from helpdesk.platform.dynamo.tenant_document import TenantDocument
from helpdesk.triggers.model import TriggerList
from helpdesk.triggers.ports import PlannedSweep

if TYPE_CHECKING:
    from pynamodb.expressions.condition import Condition

    from helpdesk.platform.dynamo.models import Tables


class DynamoTriggerStore:
    def __init__(self, tables: "Tables", cache_seconds: float = 30.0) -> None:
        self._document = TenantDocument(tables, "list", partition="TRIGGERS")
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, TriggerList]] = {}
        self._lock = threading.Lock()

    def get(self, tenant_id: str) -> tuple[TriggerList, int]:
        data, version = self._document.read(tenant_id)
        triggers = TriggerList.model_validate(data or {})
        with self._lock:
            self._cache[tenant_id] = (time.monotonic(), triggers)
        return triggers, version

    def cached(self, tenant_id: str) -> TriggerList:
        with self._lock:
            hit = self._cache.get(tenant_id)
        if hit is not None and time.monotonic() - hit[0] < self.cache_seconds:
            return hit[1]
        return self.get(tenant_id)[0]

    def put(self, tenant_id: str, triggers: TriggerList, expected_version: int | None) -> int:
        version = self._document.write(tenant_id, triggers.model_dump(mode="json"), expected_version)
        with self._lock:
            self._cache[tenant_id] = (time.monotonic(), triggers)
        return version


SWEEPS_PK = "TRIGGERS#SWEEPS"  # one item per tenant with time triggers: sk the tenant, data when and from where


class DynamoSweepPlan:
    """The tenants with time triggers in one partition of the meta table (`TRIGGERS#SWEEPS` / `<tenant>`): the scan
    reads it with one Query. They are few (a deployment serves its own tenants), so it is read whole and the due ones
    picked here."""

    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def plan(self, tenant_id: str, at: datetime, cursor: str | None = None, over: PlannedSweep | None = None) -> bool:
        item = self._tables.meta(pk=SWEEPS_PK, sk=tenant_id, value=time.time_ns(),  # this writing's stamp
                                 data={"at": at.isoformat(), "cursor": cursor})
        try:
            item.save(condition=self._as_read(over))
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def drop(self, tenant_id: str, over: PlannedSweep | None = None) -> bool:
        try:
            self._tables.meta(pk=SWEEPS_PK, sk=tenant_id).delete(condition=self._as_read(over))
        except DeleteError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def _as_read(self, over: PlannedSweep | None) -> "Condition | None":
        meta = self._tables.meta
        if over is None:
            return None
        return meta.value.does_not_exist() if over.stamp is None else meta.value == over.stamp

    def due(self, now: datetime, limit: int) -> list[PlannedSweep]:
        planned = [PlannedSweep(tenant_id=item.sk, at=datetime.fromisoformat(item.data["at"]),
                                cursor=item.data.get("cursor"),
                                stamp=int(item.value) if item.value is not None else None)
                   for item in self._tables.meta.query(SWEEPS_PK) if item.data and item.data.get("at")]
        return sorted((p for p in planned if p.at <= now), key=lambda p: p.at)[:limit]

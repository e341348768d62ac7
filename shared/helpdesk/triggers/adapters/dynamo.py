"""The tenant's triggers as one document (`TENANT#<t>#TRIGGERS` / `list`), cached briefly for the hook that reads
them on every ticket change: an admin's save reaches every function within `cache_seconds`."""

import threading
import time
from typing import TYPE_CHECKING

from helpdesk.platform.dynamo.tenant_document import TenantDocument
from helpdesk.triggers.model import TriggerList

if TYPE_CHECKING:
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

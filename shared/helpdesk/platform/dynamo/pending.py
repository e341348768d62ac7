"""Records of uploads in the meta table, one partition per owner (a ticket's files, an article's pictures): kept as
JSON, forgotten after a TTL while pending (an upload nobody finished: `helpdesk.attachments.expired` then deletes
its object), kept for good once taken."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables

PENDING_TTL = timedelta(days=2)


class PendingRecords[R: BaseModel]:
    """`partition(tenant, owner)` names the owner's partition (the tenant in it); the sort key is the record's id."""

    def __init__(self, tables: "Tables", model: type[R], partition: Callable[[str, str], str],
                 ttl: timedelta = PENDING_TTL) -> None:
        self._tables, self._model, self._partition, self._ttl = tables, model, partition, ttl

    def add(self, tenant_id: str, owner_id: str, record_id: str, record: R, created_at: datetime) -> None:
        meta = self._tables.meta
        meta(self._partition(tenant_id, owner_id), record_id, data=record.model_dump(mode="json"),
             expires_at=created_at + self._ttl).save(condition=meta.pk.does_not_exist())

    def get(self, tenant_id: str, owner_id: str, record_id: str) -> R | None:
        try:
            item = self._tables.meta.get(self._partition(tenant_id, owner_id), record_id, consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        return self._model.model_validate(item.data)

    def keep(self, tenant_id: str, owner_id: str, record_id: str, record: R) -> None:
        """Store the record as it is now, for good (its TTL removed)."""
        meta = self._tables.meta
        meta(self._partition(tenant_id, owner_id), record_id).update(actions=[
            meta.data.set(record.model_dump(mode="json")),
            meta.expires_at.remove(),
        ])

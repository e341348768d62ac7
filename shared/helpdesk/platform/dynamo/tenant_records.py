"""Small records of one kind per tenant in the meta table (macros, saved views), one partition per tenant so
listing them is one Query:

  pk `TENANT#<tenant>#<KIND>`   sk `<record id>`   data: the record   value: its version (the write condition)
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import BaseModel
from pynamodb.exceptions import DeleteError, PutError

from helpdesk.kernel.errors import ConcurrentUpdate, NotFound

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


class TenantRecords[R: BaseModel]:
    def __init__(self, tables: "Tables", kind: str, model: type[R], max_items: int) -> None:
        self._tables, self._kind, self._model, self._max = tables, kind, model, max_items

    def _pk(self, tenant_id: str) -> str:
        return f"TENANT#{tenant_id}#{self._kind}"

    def list(self, tenant_id: str) -> list[R]:
        items = self._tables.meta.query(self._pk(tenant_id), limit=self._max, consistent_read=True)
        return [self._model.model_validate(item.data) for item in items]

    def get(self, tenant_id: str, record_id: str) -> R | None:
        if not record_id:  # no record has one, and DynamoDB refuses an empty key (a client's `"group": ""`)
            return None
        try:
            item = self._tables.meta.get(self._pk(tenant_id), record_id, consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        return self._model.model_validate(item.data)

    def get_many(self, tenant_id: str, record_ids: Iterable[str]) -> dict[str, R]:
        """Those of `record_ids` that are stored, by id: one BatchGetItem (PynamoDB splits it by 100 keys)."""
        wanted = sorted({record_id for record_id in record_ids if record_id})
        items = self._tables.meta.batch_get([(self._pk(tenant_id), record_id) for record_id in wanted]) \
            if wanted else []
        return {item.sk: self._model.model_validate(item.data) for item in items}

    def add(self, record: R) -> None:
        meta = self._tables.meta
        tenant_id, record_id, version = _key(record)
        meta(self._pk(tenant_id), record_id, value=version,
             data=record.model_dump(mode="json")).save(condition=meta.pk.does_not_exist())

    def replace(self, record: R, expected_version: int) -> None:
        meta = self._tables.meta
        tenant_id, record_id, version = _key(record)
        try:
            meta(self._pk(tenant_id), record_id, value=version,
                 data=record.model_dump(mode="json")).save(condition=meta.value == expected_version)
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise ConcurrentUpdate("it changed since it was read", {"id": record_id}) from exc
            raise

    def delete(self, tenant_id: str, record_id: str) -> None:
        meta = self._tables.meta
        if not record_id:
            raise NotFound("not found")
        try:
            meta(self._pk(tenant_id), record_id).delete(condition=meta.pk.exists())
        except DeleteError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise NotFound(f"{record_id} not found") from exc
            raise


def _key(record: BaseModel) -> tuple[str, str, int]:
    """Every record kind has `tenant_id`, `id` and `version` fields."""
    key = record.model_dump(include={"tenant_id", "id", "version"})
    return str(key["tenant_id"]), str(key["id"]), int(key["version"])

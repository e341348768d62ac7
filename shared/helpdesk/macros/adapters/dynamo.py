"""Macros in the meta table, one partition per tenant (listing them is one Query):

  pk `TENANT#<tenant>#MACROS`   sk `<macro id>`   data: Macro   value: its version (the write condition)
"""

from typing import TYPE_CHECKING

from pynamodb.exceptions import DeleteError, PutError

from helpdesk.kernel.errors import ConcurrentUpdate, NotFound
from helpdesk.macros.model import MAX_MACROS_PER_TENANT, Macro

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


def _pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#MACROS"


class DynamoMacroStore:
    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def list(self, tenant_id: str) -> list[Macro]:
        items = self._tables.meta.query(_pk(tenant_id), limit=MAX_MACROS_PER_TENANT, consistent_read=True)
        return [Macro.model_validate(item.data) for item in items]

    def get(self, tenant_id: str, macro_id: str) -> Macro | None:
        try:
            item = self._tables.meta.get(_pk(tenant_id), macro_id, consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        return Macro.model_validate(item.data)

    def add(self, macro: Macro) -> None:
        meta = self._tables.meta
        meta(_pk(macro.tenant_id), macro.id, value=macro.version,
             data=macro.model_dump(mode="json")).save(condition=meta.pk.does_not_exist())

    def replace(self, macro: Macro, expected_version: int) -> None:
        meta = self._tables.meta
        try:
            meta(_pk(macro.tenant_id), macro.id, value=macro.version,
                 data=macro.model_dump(mode="json")).save(condition=meta.value == expected_version)
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise ConcurrentUpdate("the macro changed since it was read", {"macro_id": macro.id}) from exc
            raise

    def delete(self, tenant_id: str, macro_id: str) -> None:
        meta = self._tables.meta
        try:
            meta(_pk(tenant_id), macro_id).delete(condition=meta.pk.exists())
        except DeleteError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise NotFound(f"macro {macro_id} not found") from exc
            raise

"""The widget's identity keys in the meta table: `TENANT#<t>#WIDGETKEY` / `<kid>` (at most two a tenant)."""

from typing import TYPE_CHECKING

from helpdesk.chat.identity import MAX_IDENTITY_KEYS, IdentityKey
from helpdesk.platform.dynamo.tenant_records import TenantRecords

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


class DynamoIdentityKeys:
    def __init__(self, tables: "Tables") -> None:
        self._records = TenantRecords(tables, "WIDGETKEY", IdentityKey, MAX_IDENTITY_KEYS)

    def keys(self, tenant_id: str) -> list[IdentityKey]:
        return self._records.list(tenant_id)

    def add(self, key: IdentityKey) -> None:
        self._records.add(key)

    def delete(self, tenant_id: str, kid: str) -> None:
        self._records.delete(tenant_id, kid)

"""The tenant's custom ticket field definitions in the Meta table: `TENANT#<tenant>` / `TICKETS#fields`, a
`TenantDocument` (the tenant's own partition, beside its other settings)."""

from helpdesk.platform.dynamo.models import Tables
from helpdesk.platform.dynamo.tenant_document import TenantDocument
from helpdesk.tickets.fields import TicketFields


class DynamoTicketFieldStore:
    def __init__(self, tables: Tables) -> None:
        self._document = TenantDocument(tables, "TICKETS#fields")

    def get(self, tenant_id: str) -> tuple[TicketFields, int]:
        data, version = self._document.read(tenant_id)
        return TicketFields.model_validate(data or {}), version

    def put(self, tenant_id: str, fields: TicketFields, expected_version: int | None = None) -> int:
        return self._document.write(tenant_id, fields.model_dump(mode="json"), expected_version)

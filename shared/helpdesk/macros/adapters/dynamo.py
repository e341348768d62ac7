"""Macros in the meta table: `TENANT#<tenant>#MACROS` / `<macro id>` (see `platform/dynamo/tenant_records.py`)."""

from typing import TYPE_CHECKING

from helpdesk.macros.model import MAX_MACROS_PER_TENANT, Macro
from helpdesk.platform.dynamo.tenant_records import TenantRecords

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


class DynamoMacroStore(TenantRecords[Macro]):
    def __init__(self, tables: "Tables") -> None:
        super().__init__(tables, "MACROS", Macro, MAX_MACROS_PER_TENANT)

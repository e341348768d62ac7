"""Saved views in the meta table: `TENANT#<tenant>#VIEWS` / `<view id>` (`platform/dynamo/tenant_records.py`)."""

from typing import TYPE_CHECKING

from helpdesk.platform.dynamo.tenant_records import TenantRecords
from helpdesk.views.model import MAX_VIEWS_PER_TENANT, View

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


class DynamoViewStore(TenantRecords[View]):
    def __init__(self, tables: "Tables") -> None:
        super().__init__(tables, "VIEWS", View, MAX_VIEWS_PER_TENANT)

"""Where each tenant's intents live: the built-ins plus the tenant's own, in the meta table."""

from typing import TYPE_CHECKING

from pydantic import TypeAdapter

from helpdesk.intents.model import ASSISTANT_CATALOG, Intent, IntentCatalog

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


_INTENTS = TypeAdapter(list[Intent])


def _pk(tenant_id: str) -> str:
    return f"AI#{tenant_id}"


CATALOG_SK = "INTENTS"


class BuiltinCatalogStore:
    """Every tenant gets the built-in catalog (tests, benches, and tenants that never customised it)."""

    def catalog(self, tenant_id: str) -> IntentCatalog:
        return ASSISTANT_CATALOG

    def save_intents(self, tenant_id: str, intents: list[Intent]) -> IntentCatalog:
        raise NotImplementedError("the built-in catalog is read-only")


class DynamoIntentCatalogStore:
    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def catalog(self, tenant_id: str) -> IntentCatalog:
        try:
            item = self._tables.meta.get(_pk(tenant_id), CATALOG_SK)
        except self._tables.meta.DoesNotExist:
            return ASSISTANT_CATALOG
        return ASSISTANT_CATALOG.with_intents(_INTENTS.validate_python((item.data or {}).get("intents", [])))

    def save_intents(self, tenant_id: str, intents: list[Intent]) -> IntentCatalog:
        catalog = ASSISTANT_CATALOG.with_intents(intents)  # validates names are unique
        data = {"intents": _INTENTS.dump_python(intents, mode="json")}
        self._tables.meta(_pk(tenant_id), CATALOG_SK, data=data).save()
        return catalog

"""Where each tenant's intents live: the built-ins plus the tenant's own, in the meta table."""

from typing import Protocol

from pydantic import TypeAdapter

from helpdesk.ai.intents import BUILTIN_CATALOG, Intent, IntentCatalog

_INTENTS = TypeAdapter(list[Intent])


def _pk(tenant_id: str) -> str:
    return f"AI#{tenant_id}"


CATALOG_SK = "INTENTS"


class IntentCatalogStore(Protocol):
    def catalog(self, tenant_id: str) -> IntentCatalog:
        """The built-ins merged with the tenant's own intents."""
        ...

    def save_intents(self, tenant_id: str, intents: list[Intent]) -> IntentCatalog: ...


class BuiltinCatalogStore:
    """Every tenant gets the built-in catalog (tests, benches, and tenants that never customised it)."""

    def catalog(self, tenant_id: str) -> IntentCatalog:
        return BUILTIN_CATALOG

    def save_intents(self, tenant_id: str, intents: list[Intent]) -> IntentCatalog:
        raise NotImplementedError("the built-in catalog is read-only")


class DynamoIntentCatalogStore:
    def catalog(self, tenant_id: str) -> IntentCatalog:
        from helpdesk.adapters.dynamo.models import MetaModel

        try:
            item = MetaModel.get(_pk(tenant_id), CATALOG_SK)
        except MetaModel.DoesNotExist:
            return BUILTIN_CATALOG
        return BUILTIN_CATALOG.with_intents(_INTENTS.validate_python((item.data or {}).get("intents", [])))

    def save_intents(self, tenant_id: str, intents: list[Intent]) -> IntentCatalog:
        from helpdesk.adapters.dynamo.models import MetaModel

        catalog = BUILTIN_CATALOG.with_intents(intents)  # validates names are unique
        MetaModel(_pk(tenant_id), CATALOG_SK, data={"intents": _INTENTS.dump_python(intents, mode="json")}).save()
        return catalog

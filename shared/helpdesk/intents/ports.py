"""What the intents capability needs from the outside: where each tenant's catalog is kept."""

from typing import Protocol

from helpdesk.intents.classifier import Intent, IntentCatalog


class IntentCatalogStore(Protocol):
    def catalog(self, tenant_id: str) -> IntentCatalog:
        """The built-ins merged with the tenant's own intents."""
        ...

    def save_intents(self, tenant_id: str, intents: list[Intent]) -> IntentCatalog: ...

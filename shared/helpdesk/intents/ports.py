"""What the intents capability needs from the outside (where each tenant's catalog is kept), and what
every intent classifier offers."""

from collections.abc import Sequence
from typing import Protocol

from helpdesk.intents.model import Intent, IntentCatalog, IntentPrediction


class IntentCatalogStore(Protocol):
    def catalog(self, tenant_id: str) -> IntentCatalog:
        """The built-ins merged with the tenant's own intents."""
        ...

    def save_intents(self, tenant_id: str, intents: list[Intent]) -> IntentCatalog: ...


class IntentClassifier(Protocol):
    def predict(self, texts: Sequence[str]) -> list[IntentPrediction]:
        """One prediction per text, in order."""
        ...

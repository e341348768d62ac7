"""What the intents capability needs from the outside (where each tenant's catalog and categories are
kept), and what every intent classifier offers."""

from collections.abc import Sequence
from typing import Protocol

from helpdesk.intents.model import Intent, IntentCatalog, IntentPrediction
from helpdesk.intents.taxonomy import Category, LearnedExample


class IntentCatalogStore(Protocol):
    def catalog(self, tenant_id: str) -> IntentCatalog:
        """The built-ins merged with the tenant's own intents."""
        ...

    def save_intents(self, tenant_id: str, intents: list[Intent]) -> IntentCatalog: ...


class IntentClassifier(Protocol):
    def predict(self, texts: Sequence[str]) -> list[IntentPrediction]:
        """One prediction per text, in order."""
        ...


class TaxonomyStore(Protocol):
    """Each tenant's own ticket categories and the examples learned from its agents."""

    def categories(self, tenant_id: str) -> tuple[Category, ...]:
        """The tenant's categories; () when it has none (it uses the built-in catalog)."""
        ...

    def categories_versioned(self, tenant_id: str) -> tuple[tuple[Category, ...], int]:
        """The categories and their version (0 while the tenant has none)."""
        ...

    def put_categories(self, tenant_id: str, categories: Sequence[Category],
                       expected_version: int | None = None) -> int:
        """Replace them (none: back to the catalog, version 0) and return the new version; with
        `expected_version`, only if still at it (`ConcurrentUpdate` otherwise)."""
        ...

    def learned(self, tenant_id: str) -> list[LearnedExample]: ...

    def learn(self, tenant_id: str, example: LearnedExample) -> None:
        """Keep `example` (replacing the one learned from the same ticket), bounded per category."""
        ...

    def forget(self, tenant_id: str, ticket_id: str) -> None:
        """Drop what was learned from `ticket_id`, if anything."""
        ...

"""Where each tenant's intents and ticket categories live, in the meta table (tenant first in every key):

  pk `AI#<tenant>`       sk `INTENTS`              the assistant's intents the tenant added
  pk `TENANT#<tenant>`   sk `TAXONOMY#categories`  the tenant's ticket categories
  pk `TENANT#<tenant>`   sk `TAXONOMY#learned`     examples learned from agents (value: revision)
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pydantic import TypeAdapter
from pynamodb.exceptions import PutError

from helpdesk.intents.model import ASSISTANT_CATALOG, Intent, IntentCatalog
from helpdesk.intents.taxonomy import Category, LearnedExample, remember
from helpdesk.platform.dynamo.tenant_document import TenantDocument

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


_CATEGORIES = TypeAdapter(tuple[Category, ...])
_LEARNED = TypeAdapter(list[LearnedExample])
CATEGORIES_SK = "TAXONOMY#categories"
LEARNED_SK = "TAXONOMY#learned"
_ATTEMPTS = 5


class DynamoTaxonomyStore:
    def __init__(self, tables: "Tables") -> None:
        self._tables = tables
        self._categories = TenantDocument(tables, CATEGORIES_SK)

    def categories(self, tenant_id: str) -> tuple[Category, ...]:
        return self.categories_versioned(tenant_id)[0]

    def categories_versioned(self, tenant_id: str) -> tuple[tuple[Category, ...], int]:
        data, version = self._categories.read(tenant_id)
        return _CATEGORIES.validate_python((data or {}).get("categories", [])), version

    def put_categories(self, tenant_id: str, categories: Sequence[Category],
                       expected_version: int | None = None) -> int:
        data = {"categories": _CATEGORIES.dump_python(tuple(categories), mode="json")} if categories else None
        return self._categories.write(tenant_id, data, expected_version)

    def learned(self, tenant_id: str) -> list[LearnedExample]:
        return self._read(tenant_id)[0]

    def learn(self, tenant_id: str, example: LearnedExample) -> None:
        self._update(tenant_id, lambda learned: remember(learned, example))

    def forget(self, tenant_id: str, ticket_id: str) -> None:
        self._update(tenant_id, lambda learned: [e for e in learned if e.ticket_id != ticket_id])

    def _read(self, tenant_id: str) -> tuple[list[LearnedExample], int]:
        try:
            item = self._tables.meta.get(f"TENANT#{tenant_id}", LEARNED_SK, consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return [], 0
        return _LEARNED.validate_python((item.data or {}).get("examples", [])), int(item.value or 0)

    def _update(self, tenant_id: str, change: Callable[[list[LearnedExample]], list[LearnedExample]]) -> None:
        """Read-modify-write on the revision: two agents deciding at once both land."""
        meta = self._tables.meta
        for attempt in range(_ATTEMPTS):
            learned, revision = self._read(tenant_id)
            changed = change(learned)
            if changed == learned:
                return
            item = meta(pk=f"TENANT#{tenant_id}", sk=LEARNED_SK, value=revision + 1,
                        data={"examples": _LEARNED.dump_python(changed, mode="json")})
            try:
                item.save(condition=meta.pk.does_not_exist() if revision == 0 else meta.value == revision)
                return
            except PutError as exc:
                if exc.cause_response_code != "ConditionalCheckFailedException" or attempt == _ATTEMPTS - 1:
                    raise

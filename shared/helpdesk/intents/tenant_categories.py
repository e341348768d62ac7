"""Each tenant's ticket categories: what admins see and change, what triage classifies with, and what it
learns from agents' decisions.

A tenant with categories gets a classifier over them from `classify_with` (the composition root's:
`CatalogClassifiers.nearest`, the nearest-example classifier the built-in catalog uses, behind a configured
LLM); a tenant without gets the built-in catalog. When an agent accepts triage's
category or corrects it, the ticket's text becomes an example of that category; when the agent rejects it,
what was learned from the ticket is forgotten.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from helpdesk.intents.model import TRIAGE_CATALOG, IntentCatalog
from helpdesk.intents.ports import IntentClassifier, TaxonomyStore
from helpdesk.intents.taxonomy import (
    MAX_EXAMPLE_CHARS,
    Categories,
    Category,
    CategoryList,
    LearnedExample,
    builtin_template,
    to_catalog,
)
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Forbidden, InvalidInput, NotFound
from helpdesk.kernel.principal import Principal, Role

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail

# The classifier for a catalog. Called only when a ticket is classified, so reading or changing the
# categories never loads a model.
ClassifyWith = Callable[[IntentCatalog], IntentClassifier]


class CategoriesView(BaseModel):
    """What `GET /assist/categories` shows: the tenant's categories, or the built-in template while it has none."""

    source: Literal["tenant", "builtin"] = Field(
        description="tenant: triage classifies into these; builtin: the tenant has none yet and triage uses the "
                    "built-in catalog, shown here as a template to PUT back edited")
    categories: tuple[Category, ...]
    learned: dict[str, int] = Field(default_factory=dict,
                                    description="per category, how many tickets agents confirmed are examples")
    version: int = Field(default=0, description="the tenant's categories' version (0: none yet), also the ETag "
                                               "that `PUT` may name in If-Match")


class CategoryTrial(BaseModel):
    """What `POST /assist/categories/try` takes: a text as a customer writes it, and the categories to try it on
    (the screen's unsaved edits; none: the tenant's own, or the built-in catalog while it has none)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=4000)
    categories: CategoryList | None = None

    @field_validator("text")
    @classmethod
    def _words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a text to classify")
        return value.strip()


class CategoryGuess(BaseModel):
    """Where triage would put the text: the category it chooses, its group, and the next best ones."""

    category: str | None
    confidence: float
    group: str | None = None
    ranking: list[tuple[str, float]] = Field(default_factory=list, description="the best categories, best first")
    method: str


class TenantCategories:
    def __init__(self, store: TaxonomyStore, classify_with: ClassifyWith, *, clock: Clock = system_clock,
                 audit: "AuditTrail | None" = None) -> None:
        self._store, self._classify_with = store, classify_with
        self._clock, self._audit = clock, audit

    # -- admins ---------------------------------------------------------------------------------

    def view(self, caller: Principal) -> CategoriesView:
        if not caller.is_staff:
            raise NotFound("not found")  # agent assist does not exist for customers
        own, version = self._store.categories_versioned(caller.tenant_id)
        if not own:
            return CategoriesView(source="builtin", categories=builtin_template())
        counts: dict[str, int] = {}
        names = {c.name for c in own}
        for example in self._store.learned(caller.tenant_id):
            if example.category in names:
                counts[example.category] = counts.get(example.category, 0) + 1
        return CategoriesView(source="tenant", categories=own, learned=counts, version=version)

    def replace(self, caller: Principal, categories: Categories,
                expected_version: int | None = None) -> CategoriesView:
        """The tenant's whole list; an empty list goes back to the built-in catalog. Examples learned for a
        category survive as long as a category of that name exists. With `expected_version` (the view's), only
        if no one saved since (409 otherwise)."""
        if not caller.is_staff:
            raise NotFound("not found")
        if caller.role != Role.ADMIN:
            raise Forbidden("only admins change the ticket categories")
        before = self._store.categories(caller.tenant_id) if self._audit else ()
        self._store.put_categories(caller.tenant_id, categories.categories, expected_version)
        if self._audit:
            # They decide where tickets go: who changed them is kept with the other AI settings' changes.
            # No categories reads as none (created when the first are set, deleted when back to the catalog).
            self._audit.record(caller, "triage.categories", caller.tenant_id,
                               Categories(categories=before) if before else None,
                               categories if categories.categories else None)
        return self.view(caller)

    def trial(self, caller: Principal, trial: CategoryTrial) -> CategoryGuess:
        """Classify a text as triage would, with the categories given (before they are saved). Nothing is kept."""
        if not caller.is_staff:
            raise NotFound("not found")
        if caller.role != Role.ADMIN:
            raise Forbidden("only admins try the ticket categories")
        categories = trial.categories
        if categories is None:
            categories = self._store.categories(caller.tenant_id) or builtin_template()
        if not categories:
            raise InvalidInput("no categories to try the text on", {"field": "categories"})
        catalog = to_catalog(categories, self._store.learned(caller.tenant_id))
        prediction = self._classify_with(catalog).predict([trial.text])[0]
        ranking = [(name, round(p, 3)) for name, p in prediction.ranking[:3]]
        category = prediction.category
        return CategoryGuess(category=category, confidence=round(prediction.category_confidence, 3),
                             group=catalog.group_of(category) if category else None, ranking=ranking,
                             method=prediction.method)

    # -- triage ---------------------------------------------------------------------------------

    def for_tenant(self, tenant_id: str) -> tuple[IntentCatalog, IntentClassifier]:
        """The catalog triage classifies a ticket of `tenant_id` into, and the classifier for it."""
        own = self._store.categories(tenant_id)
        catalog = to_catalog(own, self._store.learned(tenant_id)) if own else TRIAGE_CATALOG
        return catalog, self._classify_with(catalog)

    def learn(self, tenant_id: str, ticket_id: str, text: str, category: str, how: str) -> bool:
        """The ticket becomes an example of `category` when it is one of the tenant's; False otherwise."""
        if not text.strip() or category not in {c.name for c in self._store.categories(tenant_id)}:
            return False
        self._store.learn(tenant_id, LearnedExample(ticket_id=ticket_id, category=category,
                                                    text=text.strip()[:MAX_EXAMPLE_CHARS], how=how, at=self._clock()))
        return True

    def forget(self, tenant_id: str, ticket_id: str) -> None:
        self._store.forget(tenant_id, ticket_id)

"""A tenant's categories as an intent catalog, the bounds on what is learned, and who may change them (fakes)."""

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from helpdesk.intents.classifier import CatalogClassifiers
from helpdesk.intents.model import TRIAGE_CATALOG, IntentCatalog
from helpdesk.intents.ports import IntentClassifier
from helpdesk.intents.taxonomy import (
    LEARNED_PER_CATEGORY,
    Categories,
    Category,
    LearnedExample,
    builtin_template,
    remember,
    to_catalog,
)
from helpdesk.intents.tenant_categories import TenantCategories
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import Forbidden, NotFound
from helpdesk.kernel.principal import Principal, Role
from tests.fakes import InMemoryTaxonomyStore

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ADMIN = Principal(user_id="admin-1", tenant_id="softco", role=Role.ADMIN)
AGENT = Principal(user_id="agent-1", tenant_id="softco", role=Role.AGENT)
CUSTOMER = Principal(user_id="email:c@x.example", tenant_id="softco", role=Role.CUSTOMER)
API = Category(name="api_errors", description="Errors from our API: status codes, rate limits",
               examples=("The API returns 500",), group="platform", priority="high")
PLANS = Category(name="plans", description="Plans and seats of the subscription", examples=("add seats",))


class WordEmbedder:
    """A deterministic bag-of-words embedder: enough for nearest examples to tell topics apart."""

    model_id = "words"
    dimension = 64

    def embed(self, texts: Any) -> Any:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, sum(map(ord, word.strip(".,:!?"))) % self.dimension] += 1.0
            out[i] /= max(float(np.linalg.norm(out[i])), 1e-9)
        return out


def _example(ticket: str, category: str, text: str = "text") -> LearnedExample:
    return LearnedExample(ticket_id=ticket, category=category, text=text, how="accepted", at=NOW)


def test_each_category_is_one_intent_with_description_and_learned_examples() -> None:
    catalog = to_catalog([API, PLANS], [_example("t1", "plans", "we need ten more seats"), _example("t2", "gone")])
    assert [i.name for i in catalog.intents] == ["api_errors", "plans"]
    assert catalog.category_of("api_errors") == "api_errors"
    assert catalog.group_of("api_errors") == "platform"
    assert catalog.group_of("plans") is None
    assert catalog.get("api_errors").base_priority == "high"  # type: ignore[union-attr]
    assert catalog.get("plans").examples == ("add seats", PLANS.description,  # type: ignore[union-attr]
                                             "we need ten more seats")


def test_learning_is_bounded_per_category_newest_first_and_one_per_ticket() -> None:
    learned: list[LearnedExample] = []
    for i in range(LEARNED_PER_CATEGORY + 5):
        learned = remember(learned, _example(f"t{i}", "plans"))
    learned = remember(learned, _example("x", "api_errors"))
    assert len([e for e in learned if e.category == "plans"]) == LEARNED_PER_CATEGORY
    assert learned[0].ticket_id == "x"
    assert learned[1].ticket_id == f"t{LEARNED_PER_CATEGORY + 4}"
    learned = remember(learned, _example("x", "plans"))  # a ticket re-decided: its old example goes
    assert [e.category for e in learned if e.ticket_id == "x"] == ["plans"]


def test_builtin_template_is_valid_categories_with_the_builtin_groups() -> None:
    template = builtin_template()
    Categories(categories=template)  # an admin can PUT it back as is
    refund = next(c for c in template if c.name == "refund")
    assert refund.group == TRIAGE_CATALOG.group_of("REFUND")
    assert refund.examples


def test_bad_categories_are_refused() -> None:
    with pytest.raises(ValidationError):
        Categories(categories=(API, API))
    for bad in ({"name": "API errors"}, {"description": " "}, {"examples": ("x" * 301,)}):
        with pytest.raises(ValidationError):
            Category.model_validate({**API.model_dump(), **bad})


def test_tenants_without_categories_use_the_builtin_catalog_and_learn_nothing() -> None:
    store = InMemoryTaxonomyStore()
    seen: list[IntentCatalog] = []

    def classify_with(catalog: IntentCatalog) -> IntentClassifier:
        seen.append(catalog)
        return CatalogClassifiers(WordEmbedder(), min_confidence=0.4).nearest(catalog)

    categories = TenantCategories(store, classify_with, clock=FixedClock(NOW))
    catalog, _ = categories.for_tenant("softco")
    assert catalog is TRIAGE_CATALOG
    assert categories.view(AGENT).source == "builtin"
    assert not categories.learn("softco", "t1", "refund please", "REFUND", "accepted")
    categories.replace(ADMIN, Categories(categories=(API, PLANS)))
    catalog, classifier = categories.for_tenant("softco")
    assert [i.name for i in catalog.intents] == ["api_errors", "plans"]
    assert classifier.predict(["The API returns 500 errors"])[0].category == "api_errors"
    assert categories.learn("softco", "t1", "Our dashboard shows no charts", "plans", "corrected")
    assert not categories.learn("softco", "t2", "text", "refund", "corrected")  # not one of the tenant's
    assert categories.view(AGENT).learned == {"plans": 1}
    assert categories.for_tenant("other")[0] is TRIAGE_CATALOG  # another tenant: untouched
    _, classifier = categories.for_tenant("softco")
    assert classifier.predict(["Our dashboard shows no charts today"])[0].category == "plans"
    categories.forget("softco", "t1")
    assert categories.view(AGENT).learned == {}


def test_only_admins_change_categories_and_customers_see_none() -> None:
    categories = TenantCategories(InMemoryTaxonomyStore(), lambda catalog: pytest.fail("no model needed"))
    with pytest.raises(Forbidden):
        categories.replace(AGENT, Categories(categories=(API,)))
    with pytest.raises(NotFound):
        categories.view(CUSTOMER)
    with pytest.raises(NotFound):
        categories.replace(CUSTOMER, Categories(categories=(API,)))
    assert categories.replace(ADMIN, Categories(categories=(API,))).source == "tenant"

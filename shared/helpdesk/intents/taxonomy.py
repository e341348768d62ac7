"""A tenant's own ticket categories, and how they become an intent catalog the classifiers already know.

A software company and a shop do not sort tickets the same way: an admin names the tenant's categories
(`Category`: a name, a description, a few example phrases, optionally the group a ticket of it goes to and
the priority it starts at), and triage classifies into them with the same classifiers as the built-in
catalog. Each category becomes one `Intent` whose examples are the admin's phrases, the description (so a
category with no phrases is still found, zero-shot) and the tickets agents confirmed for it
(`LearnedExample`: accepted or corrected categories), bounded per category so a busy tenant's store and
classifier stay small. The built-in catalog serves tenants without categories and is the template an admin
can start from (`builtin_template`).

Pure pydantic: no I/O.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from helpdesk.intents.model import TRIAGE_CATALOG, BasePriority, Intent, IntentCatalog

MAX_CATEGORIES = 30
MAX_EXAMPLES = 20  # an admin's phrases per category
MAX_EXAMPLE_CHARS = 300
LEARNED_PER_CATEGORY = 20  # agents' confirmed tickets kept per category, newest first
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"


class Category(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=64, pattern=NAME_PATTERN,
                      description="lower case letters, digits and _; the ticket gets the tag category:<name>")
    description: str = Field(min_length=1, max_length=500, description="what tickets of this category are about")
    examples: tuple[str, ...] = Field(default=(), max_length=MAX_EXAMPLES,
                                      description="a few phrases a customer of this category writes")
    group: str | None = Field(default=None, min_length=1, max_length=128,
                              description="the group a ticket of this category is routed to")
    priority: BasePriority | None = Field(default=None, description="where a ticket's priority starts")

    @field_validator("description")
    @classmethod
    def _description(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a category needs a description")
        return value.strip()

    @field_validator("examples")
    @classmethod
    def _examples(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(dict.fromkeys(e.strip() for e in value if e.strip()))
        if any(len(e) > MAX_EXAMPLE_CHARS for e in cleaned):
            raise ValueError(f"examples are at most {MAX_EXAMPLE_CHARS} characters")
        return cleaned


def _unique_names(value: tuple[Category, ...]) -> tuple[Category, ...]:
    names = [c.name for c in value]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"category names must be unique: {', '.join(duplicates)}")
    return value


# A tenant's categories as a request gives them: at most 30, each name once.
CategoryList = Annotated[tuple[Category, ...], Field(max_length=MAX_CATEGORIES), AfterValidator(_unique_names)]


class Categories(BaseModel):
    """What `PUT /assist/categories` takes: the tenant's whole list (empty: back to the built-in catalog)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    categories: CategoryList = ()


class LearnedExample(BaseModel):
    """A ticket an agent confirmed (accepted) or corrected into a category: a labelled example of the tenant's."""

    model_config = ConfigDict(frozen=True)

    ticket_id: str
    category: str
    text: str = Field(max_length=MAX_EXAMPLE_CHARS)
    how: str  # "accepted" or "corrected"
    at: datetime


def remember(learned: Sequence[LearnedExample], example: LearnedExample) -> list[LearnedExample]:
    """The list with `example` first, replacing what was learned from the same ticket, bounded per category."""
    out: list[LearnedExample] = []
    per_category: dict[str, int] = {}
    for item in [example, *(e for e in learned if e.ticket_id != example.ticket_id)]:
        kept = per_category.get(item.category, 0)
        if kept < LEARNED_PER_CATEGORY:
            per_category[item.category] = kept + 1
            out.append(item)
    return out


def to_catalog(categories: Iterable[Category], learned: Iterable[LearnedExample] = ()) -> IntentCatalog:
    """One intent per category (its name is the intent and the category), examples: the admin's phrases,
    the description, then the agents' confirmed tickets. Learned examples of categories no longer defined
    are left out."""
    cats = list(categories)
    extra: dict[str, list[str]] = {c.name: [] for c in cats}
    for example in learned:
        if example.category in extra:
            extra[example.category].append(example.text)
    intents = tuple(
        Intent(name=c.name, description=c.description, category=c.name, base_priority=c.priority or "normal",
               examples=tuple(dict.fromkeys([*c.examples, c.description, *extra[c.name]])))
        for c in cats
    )
    return IntentCatalog(intents=intents, category_groups={c.name: c.group for c in cats if c.group})


def builtin_template() -> tuple[Category, ...]:
    """The built-in catalog as categories, for an admin to start from (GET shows it while the tenant has none)."""
    order = ["low", "normal", "high", "urgent"]
    out: list[Category] = []
    for category in sorted({i.category for i in TRIAGE_CATALOG.intents if i.category}):
        intents = [i for i in TRIAGE_CATALOG.intents if i.category == category]
        examples = [e for i in intents for e in i.examples][:MAX_EXAMPLES]
        priority = max((i.base_priority or "normal" for i in intents), key=order.index)
        described = ", ".join(i.name.replace("_", " ") for i in intents)
        out.append(Category(name=category.lower(), description=f"{category.lower().replace('_', ' ')}: {described}",
                            examples=tuple(examples), group=TRIAGE_CATALOG.group_of(category),
                            priority=priority))
    return tuple(out)

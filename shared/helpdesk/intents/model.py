"""The intent catalog model, the two built-in catalogs, and the one prediction type of every classifier.

One `Intent` carries what each user of a catalog needs: the chat assistant reads its `action`, the
classifiers its `examples` (and an LLM its `description`), triage its routing `category` and
`base_priority`; an `IntentCatalog` also names each category's default routing group.

Two built-in catalogs, for two different questions:
- `ASSISTANT_CATALOG`: what a chat message asks the assistant to do (answer, ticket status, handoff, ...);
  tenants add their own intents to it (`IntentCatalogStore`).
- `TRIAGE_CATALOG`: what a ticket is about, with its category, routing group and base priority
  (`data/triage_catalog.json`).

Pure pydantic: no I/O beyond reading the packaged catalog file once at import.
"""

import hashlib
import json
from collections.abc import Sequence
from enum import StrEnum
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, field_validator, model_serializer

BasePriority = Literal["low", "normal", "high", "urgent"]  # the values of `helpdesk.tickets.model.Priority`


class IntentAction(StrEnum):
    ANSWER = "answer"  # answer from the knowledge base
    CREATE_TICKET = "create_ticket"
    TICKET_STATUS = "ticket_status"
    HANDOFF = "handoff"
    GREETING = "greeting"
    CUSTOM = "custom"  # a tenant's own intent: handled like a question, its name recorded on the ticket


class Intent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(max_length=500)
    examples: tuple[str, ...] = Field(min_length=1, max_length=500)
    action: IntentAction = IntentAction.ANSWER
    # Triage routing: the category the intent belongs to, and where a ticket's priority starts.
    category: str | None = Field(default=None, min_length=1, max_length=64)
    base_priority: BasePriority | None = None

    @field_validator("examples")
    @classmethod
    def _non_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(e.strip() for e in value if e.strip())
        if not cleaned:
            raise ValueError("an intent needs at least one non-blank example")
        return cleaned

    @model_serializer(mode="wrap")
    def _without_unset_routing(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Intents without routing fields (the assistant's, the tenants') serialise as they always did."""
        data: dict[str, Any] = handler(self)
        for key in ("category", "base_priority"):
            if data.get(key) is None:
                data.pop(key, None)
        return data


class IntentCatalog(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    intents: tuple[Intent, ...] = Field(min_length=1)
    category_groups: dict[str, str] = Field(default_factory=dict)  # category -> default routing group

    @field_validator("intents")
    @classmethod
    def _unique(cls, value: tuple[Intent, ...]) -> tuple[Intent, ...]:
        names = [i.name for i in value]
        if len(names) != len(set(names)):
            raise ValueError("intent names must be unique")
        return value

    @model_serializer(mode="wrap")
    def _without_empty_groups(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A catalog without routing (the assistant's) serialises as it always did."""
        data: dict[str, Any] = handler(self)
        if not data.get("category_groups"):
            data.pop("category_groups", None)
        return data

    def get(self, name: str) -> Intent | None:
        return next((i for i in self.intents if i.name == name), None)

    def action_of(self, name: str) -> IntentAction:
        intent = self.get(name)
        return intent.action if intent else IntentAction.ANSWER

    def category_of(self, name: str) -> str:
        """The routing category of intent `name`; KeyError for an unknown intent or one without a category."""
        intent = self.get(name)
        if intent is None or intent.category is None:
            raise KeyError(name)
        return intent.category

    def group_of(self, category: str) -> str | None:
        return self.category_groups.get(category) or None

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]

    def with_intents(self, extra: Sequence[Intent]) -> "IntentCatalog":
        """The built-ins plus a tenant's intents; a tenant intent replaces a built-in of the same name."""
        names = {i.name for i in extra}
        return IntentCatalog(intents=tuple(i for i in self.intents if i.name not in names) + tuple(extra),
                             category_groups=self.category_groups)


class IntentPrediction(BaseModel):
    """What every intent classifier answers, for one text."""

    model_config = ConfigDict(frozen=True)

    intent: str
    confidence: float = Field(ge=0.0, le=1.0)
    in_scope: bool = True  # False when the message fits no intent of the catalog well enough
    # With a routing catalog (triage): the category, chosen on its intents' summed probability.
    category: str | None = None
    category_confidence: float = 0.0
    ranking: list[tuple[str, float]] = Field(default_factory=list)  # the best intents with their probabilities
    method: str = ""  # how it was made, as recorded on triage fields; "" where nobody records it


def catalog_to_json(catalog: IntentCatalog) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(catalog.model_dump_json())
    return data


# -- the built-in catalogs ------------------------------------------------------------------------

ASSISTANT_CATALOG = IntentCatalog(intents=(
    Intent(name="question", action=IntentAction.ANSWER,
           description="A question about the product, an account, billing or how to do something.",
           examples=(
               "How do I reset my password?", "What are your opening hours?", "Can I change my plan?",
               "How do I export my data to CSV?", "Why was I charged twice this month?",
               "Does the product support single sign-on?", "How can I add a user to my account?",
               "Where do I find my invoices?", "Is there a mobile app?", "How do I cancel my subscription?",
               "what payment methods do you accept", "how to change the email on my account",
               "Can I get a refund?", "How long does delivery take?", "my login does not work, what should I do",
               "How do I enable two-factor authentication?", "Is my data encrypted?",
               # The chat speaks five languages: each intent has examples in each, so the word features of
               # one language do not pull its questions towards the only intents that have examples in it.
               "Wie setze ich mein Passwort zurück?", "Wo finde ich meine Rechnungen?", "¿Cómo cambio mi plan?",
               "¿Dónde encuentro mis facturas?", "Comment exporter mes données ?",
               "Comment activer l'authentification à deux facteurs ?", "Como cancelo a minha assinatura?",
               "Onde encontro as minhas faturas?",
           )),
    Intent(name="ticket_status", action=IntentAction.TICKET_STATUS,
           description="The user asks about the status or progress of an existing ticket or request.",
           examples=(
               "Where is my ticket T-000123?", "What's the status of my ticket?", "Any update on my request?",
               "Has my case been resolved yet?", "Check ticket T-000042 please", "status of T-001234",
               "Is anyone working on my issue?", "I opened a ticket yesterday, what is happening with it?",
               "when will my support request be answered", "track my ticket",
               "Wie ist der Stand meines Tickets?", "¿Cuál es el estado de mi ticket?", "Où en est mon ticket ?",
               "Qual é o status do meu ticket?",
           )),
    Intent(name="handoff", action=IntentAction.HANDOFF,
           description="The user wants to talk to a human agent or person instead of the assistant.",
           examples=(
               "I want to talk to a human", "Can I speak to a real person?", "agent please",
               "Connect me with support staff", "Let me talk to someone", "get me a human",
               "I need to speak with a representative", "transfer me to an agent", "talk to a person",
               "This bot is not helping, I want a human", "human please", "operator",
               # What the widget's "talk to a person" button sends on a page in that language.
               "Ich möchte mit einem Menschen sprechen", "Quiero hablar con una persona",
               "Je veux parler à une personne", "Quero falar com uma pessoa",
           )),
    Intent(name="create_ticket", action=IntentAction.CREATE_TICKET,
           description="The user asks to open a ticket or to report a problem to the support team.",
           examples=(
               "Please open a ticket", "I want to report a problem", "Create a support ticket for me",
               "File a bug report", "log a complaint", "I'd like to submit a request",
               "Open a case for this issue", "raise a ticket", "report an issue with my order",
               "can you create a ticket", "new ticket",
               "Bitte erstellen Sie ein Ticket", "Quiero abrir un ticket", "Je voudrais ouvrir un ticket",
               "Quero abrir um chamado",
           )),
    Intent(name="greeting", action=IntentAction.GREETING,
           description="Greetings, thanks and goodbyes with no request in them.",
           examples=(
               "hi", "hello", "good morning", "hey there", "thanks", "thank you very much", "bye",
               "goodbye", "thanks, that helped", "ok great", "good evening", "cheers",
               "hallo", "danke, das hat geholfen", "hola", "gracias", "bonjour", "merci", "olá", "obrigado",
           )),
))


def _triage_catalog() -> IntentCatalog:
    raw = json.loads(resources.files("helpdesk.intents").joinpath("data/triage_catalog.json").read_text("utf-8"))
    return IntentCatalog(
        intents=tuple(
            Intent(name=name, category=spec["category"], base_priority=spec.get("base_priority", "normal"),
                   examples=tuple(spec["examples"]),
                   # What an LLM reads about the intent: its category and its name, in words.
                   description=f"{spec['category'].replace('_', ' ').lower()}: {name.replace('_', ' ')}")
            for name, spec in raw["intents"].items()
        ),
        category_groups={category: spec["group"] for category, spec in raw["categories"].items() if spec.get("group")},
    )


TRIAGE_CATALOG = _triage_catalog()

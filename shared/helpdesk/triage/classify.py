"""Intent, category, routing group and priority, the embedded way.

The intent classifier compares the ticket's embedding with seed examples (nearest neighbours per
intent, softmax over intents). Each intent belongs to one category; a category names the default
routing group; priority starts at the intent's base and moves with urgency cues and sentiment.
"""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol

from helpdesk.knowledge.ports import Embedder
from helpdesk.tickets.model import Priority

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from helpdesk.assistant.ports import LlmPort

CLASSIFIER_METHOD = "embedded:knn-seed-examples"
PRIORITY_METHOD = "rules:intent-base+urgency+sentiment"
TEMPERATURE = 0.03  # cosine gaps between intents are small; a low temperature makes them decisive
NEIGHBOURS = 2  # mean of the best k examples of an intent


def confidence_level(confidence: float) -> str:
    return "high" if confidence >= 0.75 else "medium" if confidence >= 0.45 else "low"


@dataclass(frozen=True)
class IntentPrediction:
    intent: str
    category: str
    confidence: float  # of the intent
    category_confidence: float
    ranking: list[tuple[str, float]]  # the best intents with their probabilities
    method: str = CLASSIFIER_METHOD


@dataclass(frozen=True)
class IntentCatalog:
    """Intents with their category and base priority, and each category's default group."""

    intents: dict[str, dict[str, Any]]
    categories: dict[str, dict[str, Any]]

    @classmethod
    def builtin(cls) -> "IntentCatalog":
        raw = json.loads(resources.files("helpdesk.triage").joinpath("data/intents.json").read_text("utf-8"))
        return cls(intents=raw["intents"], categories=raw["categories"])

    def category_of(self, intent: str) -> str:
        return str(self.intents[intent]["category"])

    def group_of(self, category: str) -> str | None:
        group = self.categories.get(category, {}).get("group")
        return str(group) if group else None

    def base_priority(self, intent: str) -> Priority:
        return Priority(self.intents.get(intent, {}).get("base_priority", "normal"))


class IntentClassifier(Protocol):
    def predict(self, texts: Sequence[str]) -> list[IntentPrediction]: ...


class EmbeddedIntentClassifier:
    """k-nearest seed examples in embedding space. `examples` defaults to the catalog's seeds; the
    bench passes a bigger labelled set to measure the same code with more data."""

    def __init__(self, embedder: Embedder, catalog: IntentCatalog,
                 examples: Sequence[tuple[str, str]] | None = None) -> None:
        self._embedder = embedder
        self.catalog = catalog
        self._examples = list(examples) if examples is not None else [
            (text, intent) for intent, spec in catalog.intents.items() for text in spec["examples"]
        ]

    @cached_property
    def _matrix(self) -> tuple["NDArray[np.float32]", list[str]]:
        vectors = self._embedder.embed([text for text, _ in self._examples])
        return vectors, [intent for _, intent in self._examples]

    def predict(self, texts: Sequence[str]) -> list[IntentPrediction]:
        import numpy as np

        if not texts:
            return []
        matrix, labels = self._matrix
        queries = self._embedder.embed(list(texts))
        sims = queries @ matrix.T  # rows are L2-normalised: cosine similarity
        intents = sorted(set(labels))
        label_idx = np.array([intents.index(label) for label in labels])
        out: list[IntentPrediction] = []
        for row in sims:
            scores = np.empty(len(intents), dtype=np.float64)
            for i in range(len(intents)):
                mine = np.sort(row[label_idx == i])[::-1][:NEIGHBOURS]
                scores[i] = float(mine.mean())
            logits = (scores - scores.max()) / TEMPERATURE
            probs = np.exp(logits) / np.exp(logits).sum()
            order = np.argsort(-probs)[:3]
            best = intents[int(order[0])]
            # The category is chosen on its intents' summed probability: near-tie intents of one
            # category (get_refund vs track_refund) still make a confident category.
            by_category: dict[str, float] = {}
            for i, intent in enumerate(intents):
                category = self.catalog.category_of(intent)
                by_category[category] = by_category.get(category, 0.0) + float(probs[i])
            category = max(by_category, key=lambda c: by_category[c])
            if self.catalog.category_of(best) != category:
                best = max((i for i in intents if self.catalog.category_of(i) == category),
                           key=lambda i: float(probs[intents.index(i)]))
            # A text unlike every example (best cosine low) is not confidently anything.
            closeness = min(1.0, max(0.0, (float(scores.max()) - 0.2) / 0.3))
            out.append(IntentPrediction(
                intent=best, category=category,
                confidence=round(float(probs[intents.index(best)]) * closeness, 3),
                category_confidence=round(by_category[category] * closeness, 3),
                ranking=[(intents[int(j)], round(float(probs[j]), 3)) for j in order],
            ))
        return out


# Words that make a ticket urgent whatever it is about.
_URGENT = re.compile(
    r"\b(urgent|asap|immediately|emergency|outage|(is|are|went) down|production|security|hacked|breach|fraud"
    r"|data loss|lost (all|my) data|charged twice|double charged|locked out|cannot (log ?in|access|work)"
    r"|can't (log ?in|access|work)|blocking|critical)\b",
    re.IGNORECASE,
)
_ORDER = [Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT]


@dataclass(frozen=True)
class PrioritySuggestion:
    priority: Priority
    confidence: float
    reasons: list[str]
    method: str = PRIORITY_METHOD


def suggest_priority(text: str, intent: IntentPrediction | None, catalog: IntentCatalog,
                     sentiment: str | None) -> PrioritySuggestion:
    reasons: list[str] = []
    level = 1
    confidence = 0.4
    if intent is not None and intent.confidence >= 0.3:
        base = catalog.base_priority(intent.intent)
        level = _ORDER.index(base)
        reasons.append(f"intent {intent.intent} starts at {base.value}")
        confidence = 0.45 + 0.4 * intent.confidence
    cues = sorted({m.group(0).lower() for m in _URGENT.finditer(text[:20_000])})
    if cues:
        level = max(level + 1, 2)
        reasons.append("urgency cues: " + ", ".join(cues[:5]))
        confidence = max(confidence, 0.7)
        if len(cues) >= 2:
            level += 1
    if sentiment == "very_negative":
        level = max(level, 2)
        reasons.append("very negative sentiment")
    level = min(level, len(_ORDER) - 1)
    if not reasons:
        reasons.append("no intent or urgency signal: default priority")
    return PrioritySuggestion(_ORDER[level], round(min(confidence, 0.95), 3), reasons)



class LlmIntentClassifier:
    """Intents from a configured LLM (the chat capability's `LlmPort.classify`) over the triage catalog;
    the embedded classifier answers when the model is unavailable or says the text fits no intent."""

    def __init__(self, llm: "LlmPort", catalog: IntentCatalog, fallback: IntentClassifier) -> None:
        from helpdesk.intents.classifier import Intent
        from helpdesk.intents.classifier import IntentCatalog as LlmCatalog

        self._llm = llm
        self._fallback = fallback
        self.catalog = catalog
        self.method = f"llm:{llm.name}:{llm.model_id}"
        self._llm_catalog = LlmCatalog(intents=tuple(
            Intent(name=name, description=f"{spec['category'].replace('_', ' ').lower()}: {name.replace('_', ' ')}",
                   examples=tuple(spec["examples"]))
            for name, spec in catalog.intents.items()
        ))

    def predict(self, texts: Sequence[str]) -> list[IntentPrediction]:
        from helpdesk.assistant.ports import LlmUnavailable

        out: list[IntentPrediction] = []
        for text in texts:
            try:
                answer = self._llm.classify(text, self._llm_catalog)
            except LlmUnavailable:
                answer = None
            if answer is None or not answer.in_scope or answer.intent not in self.catalog.intents:
                out.extend(self._fallback.predict([text]))
                continue
            confidence = round(float(answer.confidence), 3)
            out.append(IntentPrediction(intent=answer.intent, category=self.catalog.category_of(answer.intent),
                                        confidence=confidence, category_confidence=confidence,
                                        ranking=[(answer.intent, confidence)], method=self.method))
        return out

"""Priority rules of triage: start at the intent's base priority, move up with urgency cues and sentiment."""

import re
from dataclasses import dataclass

from helpdesk.intents.model import IntentCatalog, IntentPrediction
from helpdesk.tickets.model import Priority

PRIORITY_METHOD = "rules:intent-base+urgency+sentiment"

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


def base_priority(catalog: IntentCatalog, intent: str) -> Priority:
    """Where the catalog starts a ticket of `intent`: normal for an intent it does not know or rank."""
    found = catalog.get(intent)
    return Priority(found.base_priority if found is not None and found.base_priority else Priority.NORMAL)


def suggest_priority(text: str, intent: IntentPrediction | None, catalog: IntentCatalog,
                     sentiment: str | None) -> PrioritySuggestion:
    reasons: list[str] = []
    level = 1
    confidence = 0.4
    if intent is not None and intent.confidence >= 0.3:
        base = base_priority(catalog, intent.intent)
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

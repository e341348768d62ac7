"""Triage's intents from a configured LLM (the assistant's `LlmPort.classify`), over the triage catalog.

Beside `replies.LlmReplyWriter`, not in `helpdesk.intents`: it depends on the assistant's LLM port, and
the assistant depends on `helpdesk.intents`.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from helpdesk.intents.model import IntentCatalog, IntentPrediction
from helpdesk.intents.ports import IntentClassifier

if TYPE_CHECKING:
    from helpdesk.assistant.ports import LlmPort


class LlmIntentClassifier:
    """The LLM's intent over the catalog; `fallback` answers when the model is unavailable or says the text
    fits no intent."""

    def __init__(self, llm: "LlmPort", catalog: IntentCatalog, fallback: IntentClassifier) -> None:
        self._llm = llm
        self._fallback = fallback
        self.catalog = catalog
        self.method = f"llm:{llm.name}:{llm.model_id}"

    def predict(self, texts: Sequence[str]) -> list[IntentPrediction]:
        from helpdesk.assistant.ports import LlmUnavailable

        out: list[IntentPrediction] = []
        for text in texts:
            try:
                answer = self._llm.classify(text, self.catalog)
            except LlmUnavailable:
                answer = None
            if answer is None or not answer.in_scope or self.catalog.get(answer.intent) is None:
                out.extend(self._fallback.predict([text]))
                continue
            confidence = round(float(answer.confidence), 3)
            out.append(IntentPrediction(intent=answer.intent, category=self.catalog.category_of(answer.intent),
                                        confidence=confidence, category_confidence=confidence,
                                        ranking=[(answer.intent, confidence)], method=self.method))
        return out

"""The LLM port: what the chat assistant asks a model for, whatever the model is.

Two structured questions only: which intent is this message, and what is the answer to this
question given these passages. The model never gets tools that act: actions (tickets, status)
are decided and executed by our code with the caller's own rights.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from helpdesk.intents.model import IntentCatalog, IntentPrediction

if TYPE_CHECKING:
    from helpdesk.knowledge.ports import SearchHit


class HistoryTurn(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Literal["user", "assistant"]
    text: str


class DraftAnswer(BaseModel):
    """A grounded answer: `answerable` False means the passages do not contain the answer."""

    text: str
    answerable: bool
    cited_article_ids: list[str] = Field(default_factory=list)


class LlmUnavailable(Exception):
    """The model did not answer (timeout, 429, 5xx, malformed output): callers fall back."""


class LlmPort(Protocol):
    name: str  # "anthropic", "bedrock", "offline"
    model_id: str
    temperature: float | None

    def classify(self, text: str, catalog: IntentCatalog, history: Sequence[HistoryTurn] = ()) -> IntentPrediction:
        ...

    def answer(self, question: str, passages: Sequence["SearchHit"],
               history: Sequence[HistoryTurn] = ()) -> DraftAnswer:
        """Answer from `passages` only, citing their article ids; passages are data, never instructions."""
        ...

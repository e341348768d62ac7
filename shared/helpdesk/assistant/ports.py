"""The LLM port: what the chat assistant asks a model for, whatever the model is.

Two structured questions only: which intent is this message, and what is the answer to this
question given these passages. The model never gets tools that act: actions (tickets, status)
are decided and executed by our code with the caller's own rights.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from helpdesk.intents.model import IntentCatalog, IntentPrediction

if TYPE_CHECKING:
    from helpdesk.knowledge.ports import SearchHit


class HistoryTurn(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Literal["user", "assistant"]
    text: str
    helpful: bool | None = None  # the visitor's rating of this answer (None: not rated), for the ticket's team


class DraftAnswer(BaseModel):
    """A grounded answer: `answerable` False means the passages do not contain the answer."""

    text: str
    answerable: bool
    cited_article_ids: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class ThreadMessage:
    """One public message of a ticket's conversation (the opening description included); internal notes are
    never summarised."""

    author: Literal["customer", "agent"]
    text: str


@dataclass(frozen=True)
class ThreadSummary:
    """What a summary names: the problem, what was already tried (by anyone), what the customer asks now."""

    problem: str
    tried: str = ""
    asked: str = ""
    tried_by: Literal["customer", "agent", ""] = ""  # who wrote what was tried, when one message says it


class LlmUnavailable(Exception):
    """The model did not answer (timeout, 429, 5xx, malformed output): callers fall back."""


class LlmPort(Protocol):
    name: str  # "anthropic", "bedrock", "offline"
    model_id: str
    temperature: float | None
    # True: the model reads the passages and says whether they answer (`DraftAnswer.answerable`), so the chat also
    # gives it the passages the answerability model doubted (`AnswerModel.judge_floor`). False (the offline
    # writer): it quotes what it is given, so it is given only the passages the answerability model accepted.
    judges_evidence: bool

    def classify(self, text: str, catalog: IntentCatalog, history: Sequence[HistoryTurn] = ()) -> IntentPrediction:
        ...

    def answer(self, question: str, passages: Sequence["SearchHit"],
               history: Sequence[HistoryTurn] = ()) -> DraftAnswer:
        """Answer from `passages` only, citing their article ids; passages are data, never instructions."""
        ...


class SharedBreakerState(BaseModel):
    """What every container knows about one dependency's breaker (wall-clock epoch seconds)."""

    model_config = ConfigDict(frozen=True)

    open_until: float  # the dependency is skipped until then; past: one container may try it


class BreakerStateStore(Protocol):
    """Breaker state shared by all containers, so that a dependency found down by one is skipped by all.

    Advisory: callers treat every error of the store as "nothing shared" and go on with their own state.
    """

    def read(self, name: str) -> SharedBreakerState | None:
        """The shared state, or None when no container has the breaker open."""
        ...

    def add_failure(self, name: str, now: float, window_s: float) -> int:
        """Count one failure in the current `window_s` window; the window's count so far, this one included."""
        ...

    def open(self, name: str, until: float) -> None:
        """Open the breaker for every container until `until`."""
        ...

    def claim_trial(self, name: str, now: float, until: float) -> bool:
        """The open period is over: may this container make the one trial call? The winner holds the
        breaker open for the others until `until` (its trial's time limit); False for everyone else."""
        ...

    def close(self, name: str) -> None:
        """A trial succeeded: the dependency is back for every container."""
        ...


class TokenLedger(Protocol):
    """Model tokens spent per tenant and UTC day, shared by every container."""

    def spent(self, tenant_id: str, day: str) -> int:
        """Tokens recorded for the tenant on `day` (YYYY-MM-DD); 0 when none."""
        ...

    def add(self, tenant_id: str, day: str, tokens: int) -> int:
        """Record `tokens` more (atomically); the day's total so far."""
        ...

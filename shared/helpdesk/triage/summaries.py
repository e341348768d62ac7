"""Ticket summaries that follow the conversation: the opening message on creation, the whole public thread
after every new message (the tickets' events stream).

With a model configured (Claude, `SummaryModel`) the summary is abstractive, composed from its three parts
under the same 40-word limit; otherwise, or when the model does not answer, extractive (`signals`).
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from helpdesk.assistant.ports import ThreadMessage
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Ticket
from helpdesk.triage import signals
from helpdesk.triage.ports import SummaryModel
from helpdesk.triage.text import prepare

if TYPE_CHECKING:
    from helpdesk.assistant.budget import TokenBudget

MAX_WORDS = 40


def thread_of(ticket: Ticket, events: Sequence[TicketEvent]) -> list[ThreadMessage]:
    """The public conversation: the description, then every public message (merged tickets' included when
    `events` holds them). Internal notes are left out: they may hold what the customer must never read."""
    # What triage reads of each (`prepare`): a chat transcript's visitor turns, pasted logs folded, bounded.
    thread = [ThreadMessage(author="customer", text=prepare(ticket.subject, ticket.description).body)]
    thread += [ThreadMessage(author="customer" if e.data.get("from_customer") else "agent",
                             text=prepare("", str(e.data.get("body", ""))).body)
               for e in events if e.type == EventType.PUBLIC_MESSAGE]
    return [m for m in thread if m.text.strip()]


class ThreadSummarizer:
    """The summary of a thread: the model's when one is configured and the tenant's daily token budget (the one
    the chat spends) is not spent, else extractive."""

    def __init__(self, model: SummaryModel | None = None, budget: "TokenBudget | None" = None) -> None:
        self._model = model
        self._budget = budget

    def summarize(self, tenant_id: str, subject: str, thread: Sequence[ThreadMessage]) -> signals.Scored:
        model = self._model
        if model is None or not thread:
            return signals.summarize_thread(subject, thread, max_words=MAX_WORDS)
        if self._budget is not None and self._budget.exhausted(tenant_id):
            return self._extractive(subject, thread, "the daily token budget is spent")
        from helpdesk.assistant.ports import LlmUnavailable
        from helpdesk.assistant.prompts import SUMMARY_PROMPT_VERSION

        before = model.tokens_used
        try:
            parts = model.summarize(subject, thread)
        except LlmUnavailable as exc:
            return self._extractive(subject, thread, f"{model.name}: {exc}")
        finally:
            if self._budget is not None:
                self._budget.charge(tenant_id, model.tokens_used - before)
        text = signals.compose(subject, parts, MAX_WORDS)
        return signals.Scored(text, 0.8, f"llm:{model.name}:{model.model_id}",
                              {"messages": len(thread), "prompt_version": SUMMARY_PROMPT_VERSION})

    @staticmethod
    def _extractive(subject: str, thread: Sequence[ThreadMessage], why: str) -> signals.Scored:
        summary = signals.summarize_thread(subject, thread, max_words=MAX_WORDS)
        return signals.Scored(summary.value, summary.confidence, summary.method, {**summary.detail, "fell_back": why})

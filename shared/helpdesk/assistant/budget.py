"""A daily budget of model tokens per tenant for the chat assistant: once a tenant has spent it, its
chat answers with the offline adapter (extractive answers from the same passages) until the next UTC day,
so no visitor, script or prompt can run up an unbounded bill. Checked once per turn before the model is
asked, charged with what the model reported afterwards (a turn in flight may overshoot by one turn)."""

from collections.abc import Callable
from typing import Any

from helpdesk.assistant.ports import TokenLedger
from helpdesk.kernel.clock import Clock, system_clock

Warn = Callable[..., Any]  # `logger.warning(message, extra={...})`: the composition root passes Powertools'


def _quiet(message: str, *, extra: dict[str, Any] | None = None) -> None:
    return None


class TokenBudget:
    def __init__(self, ledger: TokenLedger, daily_tokens: int, *, clock: Clock = system_clock,
                 warn: Warn = _quiet) -> None:
        self._ledger = ledger
        self._daily = daily_tokens
        self._clock = clock
        self._warn = warn

    def _day(self) -> str:
        return self._clock().strftime("%Y-%m-%d")

    def exhausted(self, tenant_id: str) -> bool:
        if self._daily <= 0:
            return False
        try:
            return self._ledger.spent(tenant_id, self._day()) >= self._daily
        except Exception as exc:  # the ledger is advisory: a read failure must not take chat down
            self._warn("token budget unreadable", extra={"tenant_id": tenant_id, "error": type(exc).__name__})
            return False

    def charge(self, tenant_id: str, tokens: int) -> None:
        if self._daily <= 0 or tokens <= 0:
            return
        try:
            total = self._ledger.add(tenant_id, self._day(), tokens)
        except Exception as exc:
            self._warn("token budget not charged", extra={"tenant_id": tenant_id, "tokens": tokens,
                                                              "error": type(exc).__name__})
            return
        if total >= self._daily > total - tokens:
            self._warn("daily token budget spent: chat answers offline until midnight UTC",
                           extra={"tenant_id": tenant_id, "budget": self._daily})

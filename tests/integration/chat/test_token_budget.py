"""A daily budget of model tokens per tenant: past it the tenant's chat answers offline until the next day."""

import json
from datetime import timedelta
from typing import Any

import httpx2

from helpdesk.assistant.adapters.anthropic import anthropic_llm
from helpdesk.assistant.adapters.dynamo_budget import DynamoTokenLedger
from helpdesk.assistant.budget import TokenBudget
from helpdesk.assistant.circuit_breaker import CircuitBreaker
from helpdesk.assistant.evidence import EvidenceJudge
from helpdesk.assistant.service import ChatAssistant, ChatCaller, TurnRequest
from helpdesk.intents.adapters.dynamo import BuiltinCatalogStore
from helpdesk.kernel.clock import FixedClock
from helpdesk.settings import AiSection
from tests.integration.chat.conftest import TENANT
from tests.unit.ai.test_anthropic_llm import message

BILLED_PER_CALL = 1250 + 42  # what `message()` reports as usage


def _turn(tenant: str, text: str = "How do I reset my password?") -> TurnRequest:
    return TurnRequest(conversation_id="conv-1", message_id="msg-1", text=text,
                       caller=ChatCaller(tenant_id=tenant, kind="anonymous"))


def test_a_tenant_over_its_daily_budget_gets_offline_answers_until_the_next_day(chat_env: None,
                                                                                clock: FixedClock) -> None:
    from helpdesk import bootstrap

    calls: list[str] = []

    def claude(request: httpx2.Request) -> httpx2.Response:
        tool = json.loads(request.content)["tool_choice"]["name"]
        calls.append(tool)
        answer: dict[str, Any] = {"answer": "Use Forgot password on the sign-in page.", "answerable": True,
                                  "cited_article_ids": ["kb-reset-password"]}
        return httpx2.Response(200, json=message(tool, {"intent": "question", "confidence": 0.95}
                                                 if tool == "record_intent" else answer))

    c = bootstrap.container()
    primary = anthropic_llm(AiSection(max_retries=0, timeout_s=2), "sk-ant-test",
                            http_client=httpx2.Client(transport=httpx2.MockTransport(claude)))
    ledger = DynamoTokenLedger(c.tables)
    assistant = ChatAssistant(tickets=c.ticket_service, retriever=c.retriever, evidence=EvidenceJudge(c.embedder),
                              catalogs=BuiltinCatalogStore(), offline=c.offline_llm, primary=primary,
                              breaker=CircuitBreaker(failure_threshold=2, reset_after_s=60),
                              budget=TokenBudget(ledger, 3 * BILLED_PER_CALL, clock=clock))

    first = assistant.reply(_turn(TENANT))
    assert (first.decision.provider, first.decision.fell_back) == ("anthropic", False)
    second = assistant.reply(_turn(TENANT))  # still under the budget when it starts
    assert second.decision.provider == "anthropic"
    spent = ledger.spent(TENANT, clock().strftime("%Y-%m-%d"))
    assert spent == len(calls) * BILLED_PER_CALL >= 3 * BILLED_PER_CALL  # charged with the usage the API reported

    before = len(calls)
    over = assistant.reply(_turn(TENANT))
    assert (over.decision.fell_back, over.decision.fallback_reason, over.decision.provider) == (
        True, "budget", "offline")
    assert len(calls) == before  # the model was not asked at all
    assert over.actions == ["answered"]  # the offline adapter still answers from the articles
    assert over.citations[0].article_id == "kb-reset-password"

    other = assistant.reply(_turn("globex", "hello"))  # another tenant's budget is its own
    assert other.decision.fell_back is False

    clock.advance(timedelta(days=1))
    next_day = assistant.reply(_turn(TENANT))
    assert (next_day.decision.provider, next_day.decision.fell_back) == ("anthropic", False)

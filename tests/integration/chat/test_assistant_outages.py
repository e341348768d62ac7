"""The chat turn with a dependency hanging: the model or retrieval gets its time limit, then the fallback
answers; their breakers open after repeated failures, and open breakers are shared by containers (the
breaker state on moto's Meta table, as in AWS). Hangs are released at the end of every test."""

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest

from helpdesk import bootstrap
from helpdesk.assistant.adapters.anthropic import anthropic_llm
from helpdesk.assistant.adapters.dynamo_breaker import DynamoBreakerStore
from helpdesk.assistant.circuit_breaker import BreakerState, CircuitBreaker
from helpdesk.assistant.evidence import EvidenceJudge
from helpdesk.assistant.service import ChatAssistant, ChatCaller, TurnLimits, TurnRequest
from helpdesk.intents.adapters.dynamo import BuiltinCatalogStore
from helpdesk.settings import AiSection
from tests.integration.chat.conftest import TENANT
from tests.unit.ai.test_anthropic_llm import message

ANON = ChatCaller(tenant_id=TENANT, kind="anonymous")
# The dependency under test gets a short limit, the healthy one a long one (a cold embedder may take a second).
MODEL_DOWN = TurnLimits(budget_s=20, llm_call_s=0.3, retrieval_s=15)
RETRIEVAL_DOWN = TurnLimits(budget_s=20, llm_call_s=15, retrieval_s=0.3)


def turn(text: str) -> TurnRequest:
    return TurnRequest(conversation_id="conv-1", message_id="msg-1", text=text, caller=ANON)


class Hangs:
    """Whatever is called through it waits until the test ends (at most 10 s), counting the calls."""

    def __init__(self) -> None:
        self.released = threading.Event()
        self.calls = 0

    def wait(self) -> None:
        self.calls += 1
        self.released.wait(10)


@pytest.fixture
def hangs() -> Iterator[Hangs]:
    h = Hangs()
    yield h
    h.released.set()


def claude_handler(hangs: Hangs | None = None) -> Callable[[httpx2.Request], httpx2.Response]:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if hangs is not None:
            hangs.wait()
        tool = json.loads(request.content)["tool_choice"]["name"]
        if tool == "record_intent":
            return httpx2.Response(200, json=message(tool, {"intent": "question", "confidence": 0.95}))
        return httpx2.Response(200, json=message(tool, {"answer": "Use Forgot password.", "answerable": True,
                                                        "cited_article_ids": ["kb-reset-password"]}))

    return handler


def assistant(limits: TurnLimits, *, llm_hangs: Hangs | None = None, retriever: Any = None, threshold: int = 2,
              store: Any = None, offline: Any = None) -> ChatAssistant:
    # The SDK's own timeout is long here: the assistant's time limit must bound the call by itself.
    primary = anthropic_llm(AiSection(max_retries=0, timeout_s=30), "sk-ant-test",
                            http_client=httpx2.Client(transport=httpx2.MockTransport(claude_handler(llm_hangs))))
    c = bootstrap.container()
    return ChatAssistant(tickets=c.ticket_service, retriever=retriever or c.retriever,
                         evidence=EvidenceJudge(c.embedder),
                         catalogs=BuiltinCatalogStore(), offline=offline or c.offline_llm, primary=primary,
                         breaker=CircuitBreaker(threshold, 60, name="llm:test", store=store, refresh_s=0),
                         retrieval_breaker=CircuitBreaker(threshold, 60, name="retrieval:test", store=store,
                                                          refresh_s=0),
                         limits=limits)


class HangingOffline:
    """The offline adapter, starved of CPU: every call waits."""

    name, model_id, temperature = "offline", "offline-extractive-1", None

    def __init__(self, hangs: Hangs) -> None:
        self.hangs = hangs

    def classify(self, *_: Any) -> Any:
        self.hangs.wait()

    def answer(self, *_: Any) -> Any:
        self.hangs.wait()


class HangingRetriever:
    def __init__(self, hangs: Hangs) -> None:
        self.hangs = hangs

    def search_sections(self, **_: Any) -> list[Any]:
        self.hangs.wait()
        return []


def test_a_hanging_model_costs_one_time_limit_then_the_offline_adapter_answers(chat_env: None,
                                                                              hangs: Hangs) -> None:
    bot = assistant(MODEL_DOWN, llm_hangs=hangs)

    reply = bot.reply(turn("How do I export my data to CSV?"))

    assert reply.decision.fell_back
    assert reply.decision.fallback_reason == "timeout"
    assert reply.decision.provider == "offline"
    assert [c.article_id for c in reply.citations] == ["kb-export-csv"]  # still answered, from the articles
    assert hangs.calls == 1  # the answer did not wait on the model a second time
    bot.reply(turn("How do I turn on two-factor authentication?"))
    third = bot.reply(turn("How do I reset my password?"))
    assert third.decision.fallback_reason == "open"
    assert hangs.calls == 2  # the breaker opened after two time limits: the model is no longer called


def test_hanging_retrieval_offers_a_ticket_within_its_limit_and_trips_its_breaker(chat_env: None,
                                                                                 hangs: Hangs) -> None:
    bot = assistant(RETRIEVAL_DOWN, retriever=HangingRetriever(hangs))

    reply = bot.reply(turn("How do I reset my password?"))

    assert reply.actions == ["offer_ticket"]
    assert reply.decision.retrieval_error == "timeout"
    assert not reply.decision.fell_back  # the model answered the intent; only retrieval was down
    bot.reply(turn("How do I export my data?"))
    third = bot.reply(turn("How do I turn on two-factor authentication?"))
    assert third.decision.retrieval_error == "open"
    assert hangs.calls == 2


def test_an_open_breaker_is_shared_by_containers_through_the_meta_table(chat_env: None, hangs: Hangs) -> None:
    store = DynamoBreakerStore(bootstrap.container().tables)
    first = assistant(RETRIEVAL_DOWN, retriever=HangingRetriever(hangs), store=store)
    first.reply(turn("How do I reset my password?"))
    first.reply(turn("How do I export my data?"))
    assert hangs.calls == 2

    # Another container, which never failed itself.
    second = assistant(RETRIEVAL_DOWN, retriever=HangingRetriever(hangs), store=store)
    reply = second.reply(turn("How do I turn on two-factor authentication?"))

    assert reply.decision.retrieval_error == "open"
    assert hangs.calls == 2
    assert second._retrieval_breaker.state == BreakerState.OPEN


def test_the_container_wires_shared_breakers_and_the_chat_limits(chat_env: None,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_AI_TURN_BUDGET_S", "5.5")
    from tests.conftest import rebuild

    bot = rebuild().assistant
    assert isinstance(bot._breaker.store, DynamoBreakerStore)
    assert bot._retrieval_breaker.store is bot._breaker.store
    assert bot._retrieval_breaker.name.startswith("retrieval:")
    assert bot._limits == TurnLimits(budget_s=5.5, llm_call_s=4.0, retrieval_s=3.5)


def test_the_fallback_too_gets_only_what_is_left_of_the_turn(chat_env: None, hangs: Hangs) -> None:
    limits = TurnLimits(budget_s=0.6, llm_call_s=0.3, retrieval_s=15, min_fallback_s=0.2)
    bot = assistant(limits, llm_hangs=hangs, offline=HangingOffline(hangs))

    reply = bot.reply(turn("How do I export my data to CSV?"))

    assert reply.decision.fallback_reason == "timeout"
    assert reply.decision.retrieval_error == "timeout"  # no time left to search: not even started
    assert reply.actions == ["offer_ticket"]  # a person instead of an answer, within the turn's budget
    assert hangs.calls == 2  # the model, then the offline classifier

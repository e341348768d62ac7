"""The assistant use case with Claude behind a mocked transport: grounded answers, fallback when the
model fails (circuit breaker), retrieval down, and the intent_rag function's payloads."""

import io
import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from helpdesk.assistant.adapters.anthropic import anthropic_llm
from helpdesk.assistant.answerability import AnswerModel
from helpdesk.assistant.circuit_breaker import BreakerState, CircuitBreaker
from helpdesk.assistant.evidence import EvidenceJudge
from helpdesk.assistant.service import ChatAssistant, ChatCaller, TurnLimits, TurnReply, TurnRequest
from helpdesk.chat.adapters.intent_rag import LambdaIntentRag
from helpdesk.chat.ports import IntentRagUnavailable
from helpdesk.intents.adapters.dynamo import BuiltinCatalogStore, DynamoIntentCatalogStore
from helpdesk.intents.model import Intent, IntentAction
from helpdesk.settings import AiSection
from tests.integration.chat.conftest import TENANT
from tests.unit.ai.test_anthropic_llm import message

ANON = ChatCaller(tenant_id=TENANT, kind="anonymous")


def turn(text: str, **changes: Any) -> TurnRequest:
    return TurnRequest(conversation_id="conv-1", message_id="msg-1", text=text, caller=ANON, **changes)


def assistant(handler: Callable[[httpx2.Request], httpx2.Response] | None, *, breaker: CircuitBreaker | None = None,
              retriever: Any = None, answer_model: AnswerModel | None = None) -> ChatAssistant:
    from helpdesk import bootstrap

    primary = None
    if handler is not None:
        primary = anthropic_llm(AiSection(max_retries=0, timeout_s=2), "sk-ant-test",
                                http_client=httpx2.Client(transport=httpx2.MockTransport(handler)))
    c = bootstrap.container()
    return ChatAssistant(tickets=c.ticket_service, retriever=retriever or c.retriever,
                         evidence=EvidenceJudge(c.embedder, model=answer_model),
                         catalogs=BuiltinCatalogStore(), offline=c.offline_llm, primary=primary,
                         breaker=breaker or CircuitBreaker(failure_threshold=2, reset_after_s=60),
                         # These tests are about what the turn decides, not how long it may take (that is
                         # test_assistant_outages.py): a starved CI machine must not turn them into time-outs.
                         limits=TurnLimits(budget_s=120, llm_call_s=60, retrieval_s=60))


def claude(classify: dict[str, Any],
           answer: dict[str, Any] | None = None) -> Callable[[httpx2.Request], httpx2.Response]:
    def handler(request: httpx2.Request) -> httpx2.Response:
        tool = json.loads(request.content)["tool_choice"]["name"]
        return httpx2.Response(200, json=message(tool, classify if tool == "record_intent" else answer or {}))

    return handler


def test_claude_answer_is_grounded_in_the_retrieved_passages(chat_env: None) -> None:
    seen: list[dict[str, Any]] = []
    inner = claude({"intent": "question", "confidence": 0.95},
                   {"answer": "Use Forgot password on the sign-in page.", "answerable": True,
                    "cited_article_ids": ["kb-reset-password"]})

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(json.loads(request.content))
        return inner(request)

    reply = assistant(handler).reply(turn("How do I reset my password?"))

    assert reply.reply == "Use Forgot password on the sign-in page."
    assert [c.article_id for c in reply.citations] == ["kb-reset-password"]
    assert reply.decision.provider == "anthropic"
    assert not reply.decision.fell_back
    assert reply.decision.passages[0].article_id == "kb-reset-password"
    assert 'article_id="kb-reset-password"' in seen[1]["messages"][0]["content"]


def test_claude_saying_the_passages_do_not_answer_gives_i_dont_know(chat_env: None) -> None:
    handler = claude({"intent": "question", "confidence": 0.9},
                     {"answer": "", "answerable": False, "cited_article_ids": []})
    reply = assistant(handler).reply(turn("How do I reset my password on the fax machine?"))
    assert reply.actions == ["offer_ticket"]
    assert reply.citations == []


def test_model_failures_fall_back_offline_and_trip_the_breaker(chat_env: None) -> None:
    calls: list[int] = []

    def overloaded(request: httpx2.Request) -> httpx2.Response:
        calls.append(1)
        return httpx2.Response(529, json={"type": "error", "error": {"type": "overloaded_error", "message": "x"}})

    breaker = CircuitBreaker(failure_threshold=2, reset_after_s=60)
    bot = assistant(overloaded, breaker=breaker)

    reply = bot.reply(turn("How do I export my data to CSV?"))

    assert reply.decision.fell_back
    assert reply.decision.provider == "offline"
    assert [c.article_id for c in reply.citations] == ["kb-export-csv"]  # the user still gets the answer
    assert len(calls) == 1  # after one failed call the rest of the turn stays offline (bounded latency)
    state_after_one_failure = breaker.state
    assert state_after_one_failure == BreakerState.CLOSED
    bot.reply(turn("How do I turn on two-factor authentication?"))
    assert breaker.state == BreakerState.OPEN
    again = bot.reply(turn("I want to talk to a human"))
    assert len(calls) == 2  # open: the model is not called at all
    assert again.actions == ["confirm_ticket"]
    assert again.decision.fell_back


def test_retrieval_down_offers_a_ticket(chat_env: None) -> None:
    class DownRetriever:
        def search_sections(self, **_: Any) -> list[Any]:
            raise ConnectionError("opensearch unreachable")

    reply = assistant(None, retriever=DownRetriever()).reply(turn("How do I reset my password?"))

    assert reply.actions == ["offer_ticket"]
    assert reply.decision.retrieval_error == "ConnectionError"
    assert reply.state.awaiting == "ticket_confirm"


def test_every_reply_records_its_decision(chat_env: None) -> None:
    reply = assistant(None).reply(turn("How do I turn on two-factor authentication?"))
    d = reply.decision
    assert d.provider == "offline"
    assert d.model == "offline-extractive-1"
    assert d.prompt_version
    assert d.intent == "question"
    assert d.confidence is not None
    assert d.latency_ms > 0
    assert d.passages
    assert all(p.relevance <= 1 for p in d.passages)


def test_a_tenant_intent_from_the_catalog_store_routes_the_message(chat_env: None) -> None:
    from helpdesk import bootstrap

    store = DynamoIntentCatalogStore(bootstrap.container().tables)
    store.save_intents(TENANT, [Intent(name="report_outage", description="The service is down",
                                       action=IntentAction.CREATE_TICKET,
                                       examples=("the service is down", "your site is not loading",
                                                 "outage in the app", "nothing works since this morning"))])
    c = bootstrap.container()
    bot = ChatAssistant(tickets=c.ticket_service, retriever=c.retriever, evidence=EvidenceJudge(c.embedder),
                        catalogs=store, offline=c.offline_llm)
    reply = bot.reply(turn("your website is down and not loading"))
    assert reply.intent == "report_outage"
    assert reply.actions == ["confirm_ticket"]  # a ticket only after an explicit yes
    assert store.catalog("other-tenant").get("report_outage") is None


# -- the intent_rag function ----------------------------------------------------------------------


def test_intent_rag_handler_answers_the_sample_event(chat_env: None, invoke: Callable[..., dict[str, Any]]) -> None:
    from tests.conftest import EVENTS, load_function

    event = json.loads((EVENTS / "intent_rag" / "turn.json").read_text())
    from tests.conftest import FakeLambdaContext

    out = load_function("intent_rag").lambda_handler(event, FakeLambdaContext())

    reply = TurnReply.model_validate(out)
    assert [c.article_id for c in reply.citations] == ["kb-reset-password"]


def test_intent_rag_handler_rejects_a_malformed_payload(chat_env: None) -> None:
    from tests.conftest import FakeLambdaContext, load_function

    out = load_function("intent_rag").lambda_handler({"text": ""}, FakeLambdaContext())
    assert out["error"]["code"] == "validation_error"


def test_intent_rag_handler_sends_stream_batches_to_triage(chat_env: None) -> None:
    from tests.conftest import FakeLambdaContext, load_function

    assert load_function("intent_rag").lambda_handler({"Records": []}, FakeLambdaContext()) == {
        "batchItemFailures": []}


def test_lambda_client_invokes_intent_rag_and_parses_its_reply(chat_env: None) -> None:
    import boto3
    from botocore.response import StreamingBody
    from botocore.stub import Stubber

    local = assistant(None).reply(turn("hello"))
    client = boto3.client("lambda", region_name="us-east-1")
    stub = Stubber(client)
    body = local.model_dump_json().encode()
    stub.add_response("invoke", {"StatusCode": 200, "Payload": StreamingBody(io.BytesIO(body), len(body))},
                      {"FunctionName": "intent-rag", "InvocationType": "RequestResponse",
                       "Payload": turn("hello").model_dump_json().encode()})
    error = b'{"errorMessage": "boom", "errorType": "RuntimeError"}'
    stub.add_response("invoke", {"StatusCode": 200, "FunctionError": "Unhandled",
                                 "Payload": StreamingBody(io.BytesIO(error), len(error))})
    with stub:
        remote = LambdaIntentRag("intent-rag", client=client)
        assert remote.reply(turn("hello")).reply == local.reply
        with pytest.raises(IntentRagUnavailable):
            remote.reply(turn("hello"))


@pytest.mark.parametrize(("text", "opening"), [("Thanks, that solved it!", "You're welcome!"),
                                              ("great, thank you so much", "You're welcome!"),
                                              ("hello", "Hello!")])
def test_thanks_are_answered_as_thanks_and_a_hello_as_a_hello(chat_env: None, text: str, opening: str) -> None:
    reply = assistant(None).reply(turn(text))
    assert reply.decision.route == "greeting"
    assert reply.reply.startswith(opening)
    assert reply.citations == []


def doubting(handler: Callable[[httpx2.Request], httpx2.Response] | None) -> ChatAssistant:
    """An assistant whose answerability model doubts every passage: each is as probable as the next (0.5), under
    the threshold (0.9) and over the judge's floor (0.4)."""
    from helpdesk.assistant.answerability import from_dict

    return assistant(handler, answer_model=from_dict({
        "features": ["passage_cosine"], "mean": [0.0], "scale": [1.0], "coef": [0.0], "intercept": 0.0,
        "threshold": 0.9, "judge_floor": 0.4}, "doubting"))


def test_claude_judges_the_passages_the_answerability_model_doubted(chat_env: None) -> None:
    """With Claude, passages the offline model doubted (from its `judge_floor` to its threshold) are given to it
    too, and its `answerable` decides; the offline writer, which quotes what it is given, never gets them."""
    seen: list[str] = []
    inner = claude({"intent": "question", "confidence": 0.95},
                   {"answer": "Use Forgot password on the sign-in page.", "answerable": True,
                    "cited_article_ids": ["kb-reset-password"]})

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(json.loads(request.content)["messages"][0]["content"])
        return inner(request)

    judged = doubting(handler).reply(turn("How do I reset my password?"))
    assert [c.article_id for c in judged.citations] == ["kb-reset-password"]
    assert "kb-reset-password" in judged.decision.judged  # the judge's call, recorded as such
    assert 'article_id="kb-reset-password"' in seen[-1]

    offline = doubting(None).reply(turn("How do I reset my password?"))
    assert offline.actions == ["offer_ticket"]
    assert offline.citations == []
    assert offline.decision.judged == []

    refused = doubting(claude({"intent": "question", "confidence": 0.9},
                              {"answer": "", "answerable": False, "cited_article_ids": []}))
    assert refused.reply(turn("How do I reset my password on the fax machine?")).actions == ["offer_ticket"]


def test_a_failed_judge_falls_back_to_what_the_offline_model_accepted(chat_env: None) -> None:
    def classify_then_fail(request: httpx2.Request) -> httpx2.Response:
        if json.loads(request.content)["tool_choice"]["name"] == "record_intent":
            return httpx2.Response(200, json=message("record_intent", {"intent": "question", "confidence": 0.95}))
        return httpx2.Response(529, json={"type": "error", "error": {"type": "overloaded_error", "message": "x"}})

    reply = doubting(classify_then_fail).reply(turn("How do I reset my password?"))
    assert reply.decision.fell_back
    assert reply.decision.provider == "offline"
    assert reply.actions == ["offer_ticket"]
    assert reply.decision.judged == []

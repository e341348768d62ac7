"""Claude through the `anthropic` SDK (Messages API), for the Anthropic API and Amazon Bedrock alike.

Structured output by forced tool use (one tool per question, the SDK validates nothing for us, so we
validate the tool input with pydantic). Explicit timeout; the SDK retries 408/409/429/5xx with
exponential backoff (honouring retry-after) `max_retries` times, then we raise `LlmUnavailable`
and the circuit breaker falls back. The stable system prompts carry `cache_control` so repeated
turns read them from the prompt cache. Import this module only in the intent_rag code path: the
SDK costs a noticeable part of a cold start.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import anthropic
from pydantic import BaseModel, Field, ValidationError

from helpdesk.assistant import prompts
from helpdesk.assistant.ports import DraftAnswer, HistoryTurn, LlmUnavailable, ThreadMessage, ThreadSummary
from helpdesk.intents.model import IntentCatalog, IntentPrediction

if TYPE_CHECKING:
    from anthropic.types import TextBlockParam, ToolParam

    from helpdesk.knowledge.ports import SearchHit
    from helpdesk.settings import AiSection

OTHER_INTENT = "other"
CLASSIFY_TOOL = "record_intent"
ANSWER_TOOL = "give_answer"
SUMMARY_TOOL = "give_summary"


class _IntentToolInput(BaseModel):
    intent: str
    confidence: float = Field(ge=0.0, le=1.0)


class _AnswerToolInput(BaseModel):
    answer: str = Field(max_length=4000)
    answerable: bool
    cited_article_ids: list[str] = Field(default_factory=list, max_length=20)


class _SummaryToolInput(BaseModel):
    problem: str = Field(min_length=1, max_length=400)
    tried: str = Field(default="", max_length=400)
    asked: str = Field(default="", max_length=400)


def _cached_system(text: str) -> list["TextBlockParam"]:
    return [{"type": "text", "text": text, "cache_control": {"type": "ephemeral"}}]


class ClaudeLlm:
    """Implements `helpdesk.assistant.ports.LlmPort` on an `anthropic.Anthropic` or `AnthropicBedrock` client."""

    judges_evidence = True  # `answerable` in its answer tool: it reads the passages and says whether they answer

    def __init__(self, client: "anthropic.Anthropic | anthropic.AnthropicBedrock", *, name: str, model_id: str,
                 temperature: float | None = None, max_tokens: int = 700) -> None:
        self._client = client
        self.name = name
        self.model_id = model_id
        self.temperature = temperature
        self._max_tokens = max_tokens
        self.tokens_used = 0  # input + output tokens billed so far: the tenant's daily budget is charged with it

    def classify(self, text: str, catalog: IntentCatalog, history: Sequence[HistoryTurn] = ()) -> IntentPrediction:
        names = [i.name for i in catalog.intents]
        tool: ToolParam = {
            "name": CLASSIFY_TOOL,
            "description": "Record the intent of the customer's message.",
            "input_schema": {
                "type": "object",
                "properties": {
                    "intent": {"type": "string", "enum": [*names, OTHER_INTENT]},
                    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                },
                "required": ["intent", "confidence"],
            },
        }
        raw = self._call_tool(prompts.CLASSIFY_SYSTEM, prompts.classify_user_content(text, catalog, history), tool,
                              max_tokens=200)
        try:
            parsed = _IntentToolInput.model_validate(raw)
        except ValidationError as exc:
            raise LlmUnavailable(f"malformed {CLASSIFY_TOOL} input") from exc
        if parsed.intent == OTHER_INTENT or parsed.intent not in names:
            return IntentPrediction(intent=OTHER_INTENT, confidence=parsed.confidence, in_scope=False)
        return IntentPrediction(intent=parsed.intent, confidence=parsed.confidence, in_scope=True)

    def answer(self, question: str, passages: Sequence["SearchHit"],
               history: Sequence[HistoryTurn] = ()) -> DraftAnswer:
        if not passages:
            return DraftAnswer(text="", answerable=False)
        tool: ToolParam = {
            "name": ANSWER_TOOL,
            "description": "Give the answer to the customer, grounded in the passages, with the articles cited.",
            "input_schema": {
                "type": "object",
                "properties": {
                    "answer": {"type": "string"},
                    "answerable": {"type": "boolean",
                                   "description": "false when the passages do not contain the answer"},
                    "cited_article_ids": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["answer", "answerable", "cited_article_ids"],
            },
        }
        raw = self._call_tool(prompts.ANSWER_SYSTEM, prompts.answer_user_content(question, passages, history), tool,
                              max_tokens=self._max_tokens)
        try:
            parsed = _AnswerToolInput.model_validate(raw)
        except ValidationError as exc:
            raise LlmUnavailable(f"malformed {ANSWER_TOOL} input") from exc
        known = {p.article_id for p in passages}
        cited = [a for a in dict.fromkeys(parsed.cited_article_ids) if a in known]  # never cite what was not given
        answerable = parsed.answerable and bool(cited) and bool(parsed.answer.strip())
        return DraftAnswer(text=parsed.answer.strip(), answerable=answerable, cited_article_ids=cited)

    def summarize(self, subject: str, thread: Sequence[ThreadMessage]) -> ThreadSummary:
        """`helpdesk.triage.ports.SummaryModel`: the conversation's problem, what was tried, what is asked."""
        part = {"type": "string", "maxLength": 400}
        tool: ToolParam = {
            "name": SUMMARY_TOOL,
            "description": "Record the summary of the ticket's conversation for the agent.",
            "input_schema": {
                "type": "object",
                "properties": {"problem": part, "tried": part, "asked": part},
                "required": ["problem", "tried", "asked"],
            },
        }
        raw = self._call_tool(prompts.SUMMARY_SYSTEM, prompts.summary_user_content(subject, thread), tool,
                              max_tokens=300)
        try:
            parsed = _SummaryToolInput.model_validate(raw)
        except ValidationError as exc:
            raise LlmUnavailable(f"malformed {SUMMARY_TOOL} input") from exc
        return ThreadSummary(problem=parsed.problem.strip(), tried=parsed.tried.strip(), asked=parsed.asked.strip())

    def _call_tool(self, system: str, user_content: str, tool: "ToolParam", *, max_tokens: int) -> dict[str, Any]:
        try:
            message = self._client.messages.create(
                model=self.model_id,
                max_tokens=max_tokens,
                system=_cached_system(system),
                messages=[{"role": "user", "content": user_content}],
                tools=[tool],
                tool_choice={"type": "tool", "name": tool["name"]},
                # This SDK has no temperature parameter; models that still take one get it in the body.
                extra_body={"temperature": self.temperature} if self.temperature is not None else None,
            )
        except anthropic.APIError as exc:
            raise LlmUnavailable(f"{self.name} call failed: {type(exc).__name__}") from exc
        usage = getattr(message, "usage", None)
        if usage is not None:
            billed = int(getattr(usage, "input_tokens", 0) or 0) + int(getattr(usage, "output_tokens", 0) or 0)
            self.tokens_used += billed
        for block in message.content:
            if block.type == "tool_use" and block.name == tool["name"]:
                data = block.input
                if isinstance(data, dict):
                    return data
        raise LlmUnavailable(f"{self.name} returned no {tool['name']} call (stop_reason={message.stop_reason})")


def client_limits(settings: "AiSection", *, chat: bool) -> dict[str, Any]:
    """Timeout and retries of the SDK client: tight for the chat turn (one retry, the turn's call limit),
    generous for background work (triage)."""
    timeout_s, retries = ((settings.chat_call_timeout_s, settings.chat_max_retries) if chat
                          else (settings.timeout_s, settings.max_retries))
    return {"timeout": anthropic.Timeout(timeout_s, connect=settings.connect_timeout_s), "max_retries": retries}


def anthropic_llm(settings: "AiSection", api_key: str, http_client: Any = None, *, chat: bool = False) -> ClaudeLlm:
    client = anthropic.Anthropic(api_key=api_key, http_client=http_client, **client_limits(settings, chat=chat))
    return ClaudeLlm(client, name="anthropic", model_id=settings.model, temperature=settings.temperature,
                     max_tokens=settings.max_tokens)

"""The Claude clients' limits: the chat turn's client connects within 1 s, waits `chat_call_timeout_s` and
retries once; background work (triage) keeps the generous timeout and retries."""

from collections.abc import Callable

import anthropic
import pytest

from helpdesk.assistant.adapters.anthropic import ClaudeLlm, anthropic_llm
from helpdesk.assistant.adapters.bedrock import bedrock_llm
from helpdesk.settings import AiSection

Build = Callable[[AiSection, bool], ClaudeLlm]


def _anthropic(ai: AiSection, chat: bool) -> ClaudeLlm:
    return anthropic_llm(ai, "sk-ant-test", chat=chat)


def _bedrock(ai: AiSection, chat: bool) -> ClaudeLlm:
    return bedrock_llm(ai, chat=chat)


@pytest.mark.parametrize("build", [_anthropic, _bedrock])
def test_chat_and_background_clients_have_their_own_limits(build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TIMEOUT_S", "MAX_RETRIES", "CONNECT_TIMEOUT_S", "CHAT_CALL_TIMEOUT_S", "CHAT_MAX_RETRIES"):
        monkeypatch.delenv(f"HELPDESK_AI_{name}", raising=False)
    ai = AiSection()
    chat, background = build(ai, True), build(ai, False)
    assert chat._client.timeout == anthropic.Timeout(4.0, connect=1.0)
    assert chat._client.max_retries == 1
    assert background._client.timeout == anthropic.Timeout(7.0, connect=1.0)
    assert background._client.max_retries == 2

"""Claude on Amazon Bedrock: the same adapter over `anthropic.AnthropicBedrock` (IAM credentials of the
function, no API key). Selected with HELPDESK_AI_PROVIDER=bedrock."""

from typing import TYPE_CHECKING, Any

import anthropic

from helpdesk.assistant.adapters.anthropic import ClaudeLlm, client_limits

if TYPE_CHECKING:
    from helpdesk.settings import AiSection


def bedrock_llm(settings: "AiSection", http_client: Any = None, *, chat: bool = False) -> ClaudeLlm:
    client = anthropic.AnthropicBedrock(aws_region=settings.bedrock_region, http_client=http_client,
                                        **client_limits(settings, chat=chat))
    return ClaudeLlm(client, name="bedrock", model_id=settings.bedrock_model, temperature=settings.temperature,
                     max_tokens=settings.max_tokens)

"""AI settings from the environment (template.yaml in AWS, `helpdesk serve` locally).

The model, its temperature and the prompts are configuration; every AI output records them
(`Decision`), so an answer can always be traced to what produced it.
"""

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class AiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HELPDESK_AI_", extra="ignore")

    # "auto": Anthropic when an API key is configured, else offline. "bedrock": Claude on Amazon Bedrock.
    provider: Literal["auto", "anthropic", "bedrock", "offline"] = "auto"
    model: str = "claude-haiku-4-5"
    bedrock_model: str = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
    bedrock_region: str | None = None
    # None: the model's default (the current SDK no longer takes a temperature; older models may).
    temperature: float | None = Field(default=None, ge=0.0, le=1.0)
    max_tokens: int = Field(default=700, ge=64, le=4096)
    # Worst case of one call: (1 + max_retries) * timeout_s plus backoff, about 23 s with these defaults, which
    # stays under chat intake's invoke timeout (26 s); a turn makes at most one failing model call.
    timeout_s: float = Field(default=7.0, gt=0, le=60)
    max_retries: int = Field(default=2, ge=0, le=5)
    # The key comes from the environment (locally) or from an SSM SecureString named here (AWS).
    anthropic_api_key: SecretStr | None = None
    anthropic_api_key_parameter: str | None = None
    # Circuit breaker: after `breaker_failures` failures in a row, use the offline adapter for
    # `breaker_reset_s` seconds before trying the model again.
    breaker_failures: int = Field(default=3, ge=1)
    breaker_reset_s: float = Field(default=60.0, gt=0)
    # Below this intent confidence the message is out of scope for the catalog.
    intent_min_confidence: float = Field(default=0.45, ge=0, le=1)
    # A passage answers a question only if its cosine similarity to the question (as a whole or its best
    # sentence) reaches this. 0.45 for MiniLM, measured on the seed help centre (bench/intents.py).
    answer_min_relevance: float = Field(default=0.45, ge=-1, le=1)
    passages: int = Field(default=4, ge=1, le=10)


@lru_cache(maxsize=1)
def ai_settings() -> AiSettings:
    return AiSettings()

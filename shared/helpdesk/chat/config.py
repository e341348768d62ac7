"""Chat settings from the environment (template.yaml in AWS, `helpdesk serve` locally)."""

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ChatSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HELPDESK_CHAT_", extra="ignore")

    # Session tokens are HS256-signed with this secret: set directly (local, tests) or read from an SSM
    # SecureString by name (AWS). Locally, `helpdesk serve` derives one from the development secret.
    token_secret: SecretStr | None = None
    token_secret_parameter: str | None = None
    anonymous_ttl_hours: float = Field(default=24.0, gt=0)
    customer_ttl_hours: float = Field(default=24.0 * 7, gt=0)
    # Flood control per session: at most `rate_per_minute` messages a minute and `max_messages` in all.
    rate_per_minute: int = Field(default=20, ge=1)
    max_messages: int = Field(default=400, ge=2)
    history_turns: int = Field(default=40, ge=0, le=60)  # how much transcript the assistant gets
    # The intent_rag Lambda to invoke (AWS); unset: the assistant runs in this process (local stack).
    intent_rag_function: str | None = None
    intent_rag_timeout_s: float = Field(default=25.0, gt=0)
    # Tenants whose public chat accepts anonymous visitors: comma-separated ids, "*" for any (local stack).
    # In AWS the template sets it, so nobody can open sessions (and tickets) in a tenant of their choosing.
    anonymous_tenants: str = "*"

    def allows_anonymous(self, tenant_id: str) -> bool:
        allowed = {t.strip() for t in self.anonymous_tenants.split(",") if t.strip()}
        return "*" in allowed or tenant_id in allowed


@lru_cache(maxsize=1)
def chat_settings() -> ChatSettings:
    return ChatSettings()

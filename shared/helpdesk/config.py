"""Settings from the environment: template.yaml sets them in AWS, `helpdesk serve` locally."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HELPDESK_", extra="ignore")

    # "apigw": the HTTP API's JWT authorizer verified the token, the app reads the claims.
    # "local": the app verifies tokens signed with the local development secret itself.
    auth_mode: Literal["apigw", "local"] = "apigw"
    local_jwt_secret: SecretStr | None = None
    jwt_issuer: str = "helpdesk-local"
    jwt_audience: str = "helpdesk"
    max_body_bytes: int = Field(default=1024 * 1024, gt=0)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

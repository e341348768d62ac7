"""Mail settings from the environment (template.yaml in AWS, `helpdesk serve` locally)."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class MailConfig(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    bucket: str = Field(default="helpdesk-mail", validation_alias="MAIL_BUCKET")
    inbound_prefix: str = Field(default="inbound/", validation_alias="MAIL_INBOUND_PREFIX")
    # Tenant of mail sent to an address with no INBOUND mapping; empty: such mail is quarantined.
    default_tenant: str = Field(default="", validation_alias="HELPDESK_DEFAULT_TENANT")
    # From address of outbound mail when the tenant set none and the ticket has no inbound address.
    support_address: str = Field(default="support@helpdesk.example", validation_alias="HELPDESK_SUPPORT_ADDRESS")
    max_raw_bytes: int = Field(default=40 * 1024 * 1024, gt=0, validation_alias="MAIL_MAX_RAW_BYTES")
    max_attachment_bytes: int = Field(default=15 * 1024 * 1024, gt=0, validation_alias="MAIL_MAX_ATTACHMENT_BYTES")


@lru_cache(maxsize=1)
def get_mail_config() -> MailConfig:
    return MailConfig()

"""Ports of the mail capability: where raw mail lives, how mail goes out, and the mail records."""

from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field


class MailSettings(BaseModel):
    """Per-tenant mail settings (Meta table; defaults when the tenant has none)."""

    support_address: str | None = None  # From of outbound mail; else the address the mail came to
    from_name: str = "Support"
    acknowledge_new: bool = True  # answer a new email ticket with its number
    spam_action: Literal["quarantine", "tag"] = "quarantine"


class QuarantineRecord(BaseModel):
    """A received mail that did not become a ticket message, and why. Admins list these."""

    delivery_id: str
    tenant_id: str
    reason: str  # virus, spam, auto_reply, no_sender, too_large, unknown_recipient, closed...
    kind: Literal["quarantined", "ignored"] = "quarantined"
    raw_key: str
    sender: str | None = None
    subject: str | None = None
    received_at: datetime
    details: dict[str, Any] = Field(default_factory=dict)


class RawMailStore(Protocol):
    def get_raw(self, key: str) -> bytes:
        """The raw message stored by SES (or the local SMTP server); raises KeyError when missing."""
        ...

    def size(self, key: str) -> int: ...

    def put_raw(self, key: str, data: bytes) -> None: ...

    def put_attachment(self, key: str, data: bytes, content_type: str) -> None: ...


class MailSender(Protocol):
    def send_raw(self, source: str, destinations: list[str], raw: bytes) -> str:
        """Send a complete MIME message; returns the provider's message id."""
        ...


class MailRecords(Protocol):
    """Small keyed mail records: deliveries (idempotency), Message-ID lookups, routing, quarantine."""

    def claim_delivery(self, delivery_id: str, lease_seconds: int) -> Literal["new", "retry"] | None:
        """May this caller process the delivery? "new" the first time, "retry" when an earlier attempt's
        lease ran out (it may have written part of its work), None when it was completed or another attempt
        holds a live lease."""
        ...

    def complete_delivery(self, delivery_id: str, result: dict[str, Any]) -> None: ...

    def release_delivery(self, delivery_id: str) -> None:
        """End this attempt's lease early (it failed): the next attempt may claim it as a retry."""
        ...

    def delivery_result(self, delivery_id: str) -> dict[str, Any] | None: ...

    def tenant_for_address(self, address: str) -> str | None: ...

    def set_inbound_address(self, address: str, tenant_id: str) -> None: ...

    def settings(self, tenant_id: str) -> MailSettings: ...

    def put_settings(self, tenant_id: str, settings: MailSettings) -> None: ...

    def ticket_for_message_id(self, tenant_id: str, message_id: str) -> str | None: ...

    def remember_message_id(self, tenant_id: str, message_id: str, ticket_id: str) -> None: ...

    def quarantine(self, record: QuarantineRecord) -> None: ...

    def quarantined(self, tenant_id: str, limit: int = 50) -> list[QuarantineRecord]: ...

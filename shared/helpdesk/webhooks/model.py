"""Webhook subscriptions, their URLs' rules and the delivery log's records."""

from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from helpdesk.kernel.errors import InvalidInput
from helpdesk.kernel.public_url import Resolver, check_public_url, resolve


class WebhookUrlRefused(InvalidInput):
    code = "webhook_url_refused"


def check_url(url: str, *, allow_loopback: bool, resolver: Resolver = resolve) -> None:
    """https to a public address only (`kernel.public_url`). Checked when a webhook is registered and again before
    every delivery (DNS may change in between)."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise WebhookUrlRefused("a webhook URL carries no credentials; the signature authenticates us")
    check_public_url(url, what="a webhook URL", refused=WebhookUrlRefused, allow_loopback=allow_loopback,
                     resolver=resolver)


WebhookFormat = Literal["standard_webhooks", "slack"]


class Subscription(BaseModel):
    id: str
    tenant_id: str
    url: str
    event_types: list[str]  # `ticket.created`, ...; ["*"]: every type
    secret: str  # `whsec_<base64>` (Standard Webhooks)
    description: str = ""
    # "standard_webhooks": the event as JSON, signed; "slack": a Slack incoming webhook's message (webhooks/slack.py)
    format: WebhookFormat = "standard_webhooks"
    active: bool = True
    created_at: datetime
    created_by: str

    def wants(self, event_type: str) -> bool:
        return self.active and ("*" in self.event_types or event_type in self.event_types)


class Delivery(BaseModel):
    """One attempt to deliver one event to one subscription."""

    subscription_id: str
    message_id: str  # the `webhook-id`: the same for every attempt of one event
    event_type: str
    attempt: int = Field(ge=1)
    at: datetime
    outcome: Literal["delivered", "failed", "dead"]  # dead: the last attempt failed, the message went to the DLQ
    status: int | None = None  # the receiver's HTTP status; None: no answer (refused, timeout, address refused)
    error: str | None = None
    next_attempt_in_s: int | None = None

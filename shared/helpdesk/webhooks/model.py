"""Webhook subscriptions, their URLs' rules and the delivery log's records."""

import ipaddress
import socket
from collections.abc import Callable
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from helpdesk.kernel.errors import InvalidInput

Resolver = Callable[[str], list[str]]


class WebhookUrlRefused(InvalidInput):
    code = "webhook_url_refused"


def resolve(host: str) -> list[str]:
    """Every address `host` resolves to (an IP literal is itself)."""
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)})
    except (socket.gaierror, UnicodeError) as exc:
        raise WebhookUrlRefused(f"the host {host!r} does not resolve") from exc


def check_url(url: str, *, allow_loopback: bool, resolver: Resolver = resolve) -> None:
    """https to a public address only. The local stack (`allow_loopback`) also takes http and https to loopback,
    where the tests' receivers run. Private, link-local (the instance metadata service), multicast and reserved
    addresses are refused always: a webhook must never reach into the network it is sent from. Checked when a
    webhook is registered and again before every delivery (DNS may change in between)."""
    parts = urlsplit(url)
    host = parts.hostname
    if parts.scheme not in ("https", "http") or not host:
        raise WebhookUrlRefused("a webhook URL is https://host/path")
    if parts.username or parts.password:
        raise WebhookUrlRefused("a webhook URL carries no credentials; the signature authenticates us")
    addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolver(host)]
    if not addresses:
        raise WebhookUrlRefused(f"the host {host!r} does not resolve")
    loopback = all(a.is_loopback for a in addresses)
    if loopback and allow_loopback:
        return
    if parts.scheme != "https":
        raise WebhookUrlRefused("a webhook URL must use https")
    refused = [str(a) for a in addresses if a.is_loopback or not a.is_global]
    if refused:
        raise WebhookUrlRefused(f"the host {host!r} is a private or reserved address ({', '.join(refused)})")


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

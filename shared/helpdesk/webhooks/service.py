"""Webhooks: admins register them; the sender signs and delivers each event, retries with backoff, logs every
attempt and dead-letters what never got through."""

import json
import uuid
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, field_validator

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Forbidden, NotFound
from helpdesk.kernel.principal import Principal, Role
from helpdesk.kernel.public_url import Resolver, resolve
from helpdesk.webhooks import slack
from helpdesk.webhooks.model import Delivery, Subscription, WebhookFormat, WebhookUrlRefused, check_url
from helpdesk.webhooks.ports import DeliveryLog, HttpPoster, RetryQueue, SubscriptionStore
from helpdesk.webhooks.schema import ALL_TYPES
from helpdesk.webhooks.signing import new_secret, signed_headers

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail

# Seconds before attempt 2, 3, ...: about 42 minutes in all, every step within SQS's 15-minute delay.
BACKOFF_S = (30, 120, 600, 900, 900)
MAX_ATTEMPTS = len(BACKOFF_S) + 1
MAX_SUBSCRIPTIONS = 20  # per tenant: every event is delivered to each in one invocation


class NewSubscription(BaseModel):
    url: str = Field(min_length=8, max_length=2048)
    event_types: list[str] = Field(min_length=1, max_length=len(ALL_TYPES) + 1)
    description: str = Field(default="", max_length=500)
    format: WebhookFormat = Field(
        default="standard_webhooks", description="`slack`: a Slack incoming-webhook URL that gets SLA warnings and "
        "breaches and new urgent tickets as messages (its event_types are set for it)")
    secret: str | None = Field(default=None, description="`whsec_` + base64 of 24 to 64 random bytes; "
                               "omitted: one is made and returned once",
                               pattern=r"^whsec_[A-Za-z0-9+/]{32,88}={0,2}$")

    @field_validator("event_types")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - ALL_TYPES - {"*"})
        if unknown:
            raise ValueError(f"unknown event types {unknown}; known: {sorted(ALL_TYPES)} or '*'")
        return sorted(set(value))


class WebhookAdmin:
    """`/webhooks`: admins of a tenant register, list and remove its webhooks."""

    def __init__(self, store: SubscriptionStore, log: DeliveryLog, *, allow_loopback: bool,
                 resolver: Resolver = resolve, clock: Clock = system_clock, audit: "AuditTrail | None" = None) -> None:
        self._store, self._log, self._allow_loopback = store, log, allow_loopback
        self._resolver, self._clock, self._audit = resolver, clock, audit

    def create(self, caller: Principal, new: NewSubscription) -> Subscription:
        _admin(caller)
        check_url(new.url, allow_loopback=self._allow_loopback, resolver=self._resolver)
        if len(self._store.of_tenant(caller.tenant_id)) >= MAX_SUBSCRIPTIONS:
            raise WebhookUrlRefused(f"a tenant has at most {MAX_SUBSCRIPTIONS} webhooks")
        subscription = Subscription(id=uuid.uuid4().hex, tenant_id=caller.tenant_id, url=new.url,
                                    event_types=slack.SLACK_TYPES if new.format == "slack" else new.event_types,
                                    secret=new.secret or new_secret(), format=new.format,
                                    description=new.description, created_at=self._clock(), created_by=caller.user_id)
        self._store.put(subscription)
        if self._audit:
            self._audit.record(caller, "webhook", subscription.id, None, _shown(subscription))
        return subscription

    def listed(self, caller: Principal) -> list[Subscription]:
        _admin(caller)
        return self._store.of_tenant(caller.tenant_id)

    def event_types(self, caller: Principal) -> list[str]:
        _admin(caller)
        return sorted(ALL_TYPES)

    def get(self, caller: Principal, subscription_id: str) -> Subscription:
        _admin(caller)
        found = self._store.get(caller.tenant_id, subscription_id)
        if found is None:
            raise NotFound("no such webhook")
        return found

    def delete(self, caller: Principal, subscription_id: str) -> None:
        before = self.get(caller, subscription_id)
        if not self._store.delete(caller.tenant_id, subscription_id):
            raise NotFound("no such webhook")
        if self._audit:
            self._audit.record(caller, "webhook", subscription_id, _shown(before), None)

    def deliveries(self, caller: Principal, subscription_id: str, limit: int = 50) -> list[Delivery]:
        self.get(caller, subscription_id)
        return self._log.recent(caller.tenant_id, subscription_id, limit)


def _shown(subscription: Subscription) -> dict[str, Any]:
    """What the audit keeps of a webhook: everything but its secret (and a Slack URL, which is one)."""
    shown = subscription.model_dump(mode="json", exclude={"secret"})
    if subscription.format == "slack":
        shown["url"] = slack.masked(subscription.url)
    return shown


def _admin(caller: Principal) -> None:
    if caller.role != Role.ADMIN:
        raise Forbidden("only admins manage webhooks")


class WebhookSender:
    """Delivers bus events (detail schema v1) to the tenant's subscriptions.

    A message is either an event from the bus (every subscription that wants its type gets an attempt) or a
    retry of one subscription's delivery (`{"retry": {...}}`). A failed attempt is queued again after the next
    backoff step; after the last one the message goes to the dead-letter queue and the log says `dead`.
    """

    def __init__(self, store: SubscriptionStore, log: DeliveryLog, http: HttpPoster, queue: RetryQueue, *,
                 allow_loopback: bool, timeout_s: float = 5.0, resolver: Resolver = resolve,
                 clock: Clock = system_clock) -> None:
        self._store, self._log, self._http, self._queue = store, log, http, queue
        self._allow_loopback, self._timeout_s, self._resolver, self._clock = allow_loopback, timeout_s, resolver, clock

    def handle(self, message: dict[str, Any]) -> None:
        if "retry" in message:
            retry = message["retry"]
            subscription = self._store.get(retry["detail"]["tenant_id"], retry["subscription_id"])
            if subscription is not None:  # removed since: nothing left to deliver to
                self._attempt(subscription, retry["detail"], int(retry["attempt"]))
            return
        detail = message.get("detail", message)
        for subscription in self._store.of_tenant(str(detail["tenant_id"])):
            if subscription.wants(str(detail["type"])):
                self._attempt(subscription, detail, 1)

    def _attempt(self, subscription: Subscription, detail: dict[str, Any], attempt: int) -> None:
        now = self._clock()
        to_slack = subscription.format == "slack"
        if to_slack and not slack.worth_a_message(detail):
            return
        body = json.dumps(slack.message(detail) if to_slack else detail, separators=(",", ":"), ensure_ascii=False)
        status: int | None = None
        error: str | None = None
        try:
            check_url(subscription.url, allow_loopback=self._allow_loopback, resolver=self._resolver)
            headers = {"content-type": "application/json", "user-agent": "helpdesk-webhooks/1"}
            if not to_slack:  # Slack authenticates by its secret URL and ignores signatures
                headers.update(signed_headers(subscription.secret, str(detail["id"]), body, now))
            status = self._http.post(subscription.url, body.encode(), headers, self._timeout_s)
        except (OSError, WebhookUrlRefused) as exc:
            error = str(exc)[:300] or type(exc).__name__
        if status is not None and 200 <= status < 300:
            self._record(subscription, detail, attempt, "delivered", status, None, None)
            return
        error = error or f"HTTP {status}"
        retry = {"retry": {"subscription_id": subscription.id, "attempt": attempt + 1, "detail": detail}}
        if attempt >= MAX_ATTEMPTS:
            self._queue.dead_letter(retry)
            self._record(subscription, detail, attempt, "dead", status, error, None)
            return
        delay = BACKOFF_S[attempt - 1]
        self._queue.retry(retry, delay)
        self._record(subscription, detail, attempt, "failed", status, error, delay)

    def _record(self, subscription: Subscription, detail: dict[str, Any], attempt: int, outcome: str,
                status: int | None, error: str | None, delay: int | None) -> None:
        self._log.record(subscription.tenant_id, Delivery.model_validate({
            "subscription_id": subscription.id, "message_id": detail["id"], "event_type": detail["type"],
            "attempt": attempt, "at": self._clock(), "outcome": outcome, "status": status, "error": error,
            "next_attempt_in_s": delay}))

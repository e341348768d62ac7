"""What the events-out services need."""

from typing import Any, Protocol

from helpdesk.webhooks.model import Delivery, Subscription


class EventBus(Protocol):
    def publish(self, details: list[dict[str, Any]]) -> None:
        """Put the events (detail schema v1) on the bus; raises when any entry failed."""


class SubscriptionStore(Protocol):
    def put(self, subscription: Subscription) -> None: ...
    def get(self, tenant_id: str, subscription_id: str) -> Subscription | None: ...
    def of_tenant(self, tenant_id: str) -> list[Subscription]: ...
    def delete(self, tenant_id: str, subscription_id: str) -> bool: ...


class DeliveryLog(Protocol):
    def record(self, tenant_id: str, delivery: Delivery) -> None: ...
    def recent(self, tenant_id: str, subscription_id: str, limit: int) -> list[Delivery]: ...


class HttpPoster(Protocol):
    def post(self, url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> int:
        """The response's status; raises OSError when there is none (refused, timeout, TLS)."""


class RetryQueue(Protocol):
    def retry(self, message: dict[str, Any], delay_s: int) -> None:
        """Deliver `message` to the sender again after `delay_s` (at most 900: SQS's limit)."""

    def dead_letter(self, message: dict[str, Any]) -> None:
        """Keep a message whose every attempt failed (the DLQ)."""


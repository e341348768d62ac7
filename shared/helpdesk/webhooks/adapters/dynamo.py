"""Subscriptions and the delivery log in the Meta table: `TENANT#<t>#WEBHOOK` / `<id>` and
`TENANT#<t>#WEBHOOKLOG` / `<subscription>#<time>#<message>#<attempt>` (kept 30 days)."""

from datetime import timedelta

from helpdesk.platform.dynamo.models import Tables
from helpdesk.webhooks.model import Delivery, Subscription

LOG_DAYS = 30


def _subscriptions(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#WEBHOOK"


def _log(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#WEBHOOKLOG"


class DynamoSubscriptionStore:
    def __init__(self, tables: Tables) -> None:
        self._meta = tables.meta

    def put(self, subscription: Subscription) -> None:
        self._meta(_subscriptions(subscription.tenant_id), subscription.id,
                   data=subscription.model_dump(mode="json")).save()

    def get(self, tenant_id: str, subscription_id: str) -> Subscription | None:
        try:
            item = self._meta.get(_subscriptions(tenant_id), subscription_id)
        except self._meta.DoesNotExist:
            return None
        return Subscription.model_validate(item.data)

    def of_tenant(self, tenant_id: str) -> list[Subscription]:
        return [Subscription.model_validate(i.data) for i in self._meta.query(_subscriptions(tenant_id))]

    def delete(self, tenant_id: str, subscription_id: str) -> bool:
        if self.get(tenant_id, subscription_id) is None:
            return False
        self._meta(_subscriptions(tenant_id), subscription_id).delete()
        return True


class DynamoDeliveryLog:
    def __init__(self, tables: Tables) -> None:
        self._meta = tables.meta

    def record(self, tenant_id: str, delivery: Delivery) -> None:
        sk = f"{delivery.subscription_id}#{delivery.at.isoformat()}#{delivery.message_id}#{delivery.attempt:02d}"
        self._meta(_log(tenant_id), sk, data=delivery.model_dump(mode="json"),
                   expires_at=delivery.at + timedelta(days=LOG_DAYS)).save()

    def recent(self, tenant_id: str, subscription_id: str, limit: int) -> list[Delivery]:
        items = self._meta.query(_log(tenant_id), self._meta.sk.startswith(f"{subscription_id}#"),
                                 scan_index_forward=False, limit=limit)
        return [Delivery.model_validate(i.data) for i in items]

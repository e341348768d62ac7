"""MailRecords in the Meta table (tenant in every tenant-owned key):

  pk `MAILDELIVERY#<delivery id>`           sk `DELIVERY`   value: lease end (epoch s), -1 once done; TTL 30 days
  pk `INBOUND#<address>`                    sk `TENANT`     data: {"tenant_id"}
  pk `TENANT#<tenant>`                      sk `MAIL#settings`  data: MailSettings
  pk `MAILMSG#<tenant>#<message id>`        sk `TICKET`     data: {"ticket_id"}; TTL 2 years
  pk `TENANT#<tenant>#MAILQ`                sk `<received at>#<delivery id>`  data: QuarantineRecord; TTL 90 days
"""

import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from pynamodb.exceptions import PutError, UpdateError

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.mail.ports import MailSettings, QuarantineRecord

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


DELIVERY_TTL = timedelta(days=30)
MESSAGE_ID_TTL = timedelta(days=730)
QUARANTINE_TTL = timedelta(days=90)
DONE = -1


class DynamoMailRecords:
    def __init__(self, tables: "Tables", *, clock: Clock = system_clock) -> None:
        self._tables = tables
        self._clock = clock  # TTL stamps; the delivery leases stay on epoch seconds (time.time())

    def claim_delivery(self, delivery_id: str, lease_seconds: int) -> Literal["new", "retry"] | None:
        now = int(time.time())
        record = self._tables.meta(pk=f"MAILDELIVERY#{delivery_id}", sk="DELIVERY", value=now + lease_seconds,
                           expires_at=self._clock() + DELIVERY_TTL)
        try:
            record.save(condition=self._tables.meta.pk.does_not_exist())
            return "new"
        except PutError as exc:
            if not _condition_failed(exc):
                raise
        try:  # taken before: take it over only when that attempt's lease ran out and it never finished
            record.save(condition=(self._tables.meta.value < now) & (self._tables.meta.value >= 0))
            return "retry"
        except PutError as exc:
            if not _condition_failed(exc):
                raise
        return None

    def complete_delivery(self, delivery_id: str, result: dict[str, Any]) -> None:
        self._tables.meta(pk=f"MAILDELIVERY#{delivery_id}", sk="DELIVERY", value=DONE, data=result,
                  expires_at=self._clock() + DELIVERY_TTL).save()

    def release_delivery(self, delivery_id: str) -> None:
        record = self._tables.meta(pk=f"MAILDELIVERY#{delivery_id}", sk="DELIVERY")
        try:  # lease end 0 = expired but not done; never touches a completed record
            record.update(actions=[self._tables.meta.value.set(0)], condition=self._tables.meta.value >= 0)
        except UpdateError as exc:
            if getattr(exc, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise

    def delivery_result(self, delivery_id: str) -> dict[str, Any] | None:
        try:
            item = self._tables.meta.get(f"MAILDELIVERY#{delivery_id}", "DELIVERY", consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        return dict(item.data) if item.value == DONE and item.data else None

    def tenant_for_address(self, address: str) -> str | None:
        try:
            item = self._tables.meta.get(f"INBOUND#{address.lower()}", "TENANT")
        except self._tables.meta.DoesNotExist:
            return None
        tenant = (item.data or {}).get("tenant_id")
        return str(tenant) if tenant else None

    def set_inbound_address(self, address: str, tenant_id: str) -> None:
        self._tables.meta(pk=f"INBOUND#{address.lower()}", sk="TENANT", data={"tenant_id": tenant_id}).save()

    def settings(self, tenant_id: str) -> MailSettings:
        try:
            item = self._tables.meta.get(f"TENANT#{tenant_id}", "MAIL#settings")
        except self._tables.meta.DoesNotExist:
            return MailSettings()
        return MailSettings.model_validate(item.data or {})

    def put_settings(self, tenant_id: str, settings: MailSettings) -> None:
        self._tables.meta(pk=f"TENANT#{tenant_id}", sk="MAIL#settings", data=settings.model_dump(mode="json")).save()

    def ticket_for_message_id(self, tenant_id: str, message_id: str) -> str | None:
        try:
            item = self._tables.meta.get(_message_pk(tenant_id, message_id), "TICKET", consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        ticket_id = (item.data or {}).get("ticket_id")
        return str(ticket_id) if ticket_id else None

    def remember_message_id(self, tenant_id: str, message_id: str, ticket_id: str) -> None:
        self._tables.meta(pk=_message_pk(tenant_id, message_id), sk="TICKET", data={"ticket_id": ticket_id},
                  expires_at=self._clock() + MESSAGE_ID_TTL).save()

    def quarantine(self, record: QuarantineRecord) -> None:
        self._tables.meta(pk=f"TENANT#{record.tenant_id}#MAILQ",
                  sk=f"{record.received_at.isoformat()}#{record.delivery_id}",
                  data=record.model_dump(mode="json"), expires_at=self._clock() + QUARANTINE_TTL).save()

    def quarantined(self, tenant_id: str, limit: int = 50) -> list[QuarantineRecord]:
        return [QuarantineRecord.model_validate(item.data)
                for item in self._tables.meta.query(f"TENANT#{tenant_id}#MAILQ", scan_index_forward=False, limit=limit)]


def _message_pk(tenant_id: str, message_id: str) -> str:
    return f"MAILMSG#{tenant_id}#{message_id[:900]}"


def _condition_failed(exc: PutError) -> bool:
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"

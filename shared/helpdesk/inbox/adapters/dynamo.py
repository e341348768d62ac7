"""Agents' inboxes in the Meta table.

- `TENANT#<t>#INBOX#<user id>` / `<item id>` (time first, so a Query reads newest first): the item, `value` 1 once
  marked read, `expires_at` its end (DynamoDB's TTL removes it);
- `TENANT#<t>#INBOXREAD` / `<user id>`: the id up to which they marked everything read.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from pynamodb.exceptions import PutError

from helpdesk.inbox.model import KEPT_FOR, InboxItem

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import MetaModel, Tables


def _pk(tenant_id: str, user_id: str) -> str:
    return f"TENANT#{tenant_id}#INBOX#{user_id}"


def _read_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#INBOXREAD"


class DynamoInbox:
    """Implements `helpdesk.inbox.ports.InboxStore`."""

    def __init__(self, tables: "Tables") -> None:
        self._meta = tables.meta

    def _record(self, item: InboxItem) -> "MetaModel":
        return self._meta(_pk(item.tenant_id, item.user_id), item.id, value=1 if item.read_at else None,
                          data=item.model_dump(mode="json"), expires_at=item.at + KEPT_FOR)

    def add(self, item: InboxItem) -> bool:
        try:
            self._record(item).save(condition=self._meta.pk.does_not_exist())
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def newest(self, tenant_id: str, user_id: str, limit: int, before: str | None = None) -> list[InboxItem]:
        meta = self._meta
        found = meta.query(_pk(tenant_id, user_id), meta.sk < before if before else None, scan_index_forward=False,
                           limit=limit)
        return [InboxItem.model_validate(i.data) for i in found]

    def unread(self, tenant_id: str, user_id: str, limit: int) -> list[InboxItem]:
        meta = self._meta
        mark = self.read_until(tenant_id, user_id)
        found = meta.query(_pk(tenant_id, user_id), meta.sk > mark if mark else None, scan_index_forward=False,
                           filter_condition=meta.value.does_not_exist(), limit=limit)
        return [InboxItem.model_validate(i.data) for i in found]

    def mark_read(self, items: list[InboxItem], at: datetime) -> None:
        for item in items:
            try:  # not an item TTL removed meanwhile: that one stays gone
                self._record(item.model_copy(update={"read_at": at})).save(condition=self._meta.pk.exists())
            except PutError as exc:
                if exc.cause_response_code != "ConditionalCheckFailedException":
                    raise

    def read_until(self, tenant_id: str, user_id: str) -> str:
        try:
            data = self._meta.get(_read_pk(tenant_id), user_id, consistent_read=True).data
        except self._meta.DoesNotExist:
            return ""
        return str((data or {}).get("until") or "")

    def set_read_until(self, tenant_id: str, user_id: str, item_id: str) -> None:
        if item_id > self.read_until(tenant_id, user_id):  # forward only: a second tab's older "mark all" is no undo
            self._meta(_read_pk(tenant_id), user_id, data={"until": item_id}).save()

"""Attachment records in the meta table, one partition per ticket (tenant in the key):

  pk `ATT#<tenant>#<ticket>`   sk `<attachment id>`   data: AttachmentRecord; TTL while pending
"""

from datetime import timedelta
from typing import TYPE_CHECKING

from helpdesk.attachments.model import AttachmentRecord

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables

PENDING_TTL = timedelta(days=2)  # an upload no message took is forgotten (its object stays until lifecycle)


def _pk(tenant_id: str, ticket_id: str) -> str:
    return f"ATT#{tenant_id}#{ticket_id}"


class DynamoAttachmentRecords:
    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def add(self, record: AttachmentRecord) -> None:
        meta = self._tables.meta
        meta(_pk(record.tenant_id, record.ticket_id), record.id, data=record.model_dump(mode="json"),
             expires_at=record.created_at + PENDING_TTL).save(condition=meta.pk.does_not_exist())

    def get(self, tenant_id: str, ticket_id: str, attachment_id: str) -> AttachmentRecord | None:
        try:
            item = self._tables.meta.get(_pk(tenant_id, ticket_id), attachment_id, consistent_read=True)
        except self._tables.meta.DoesNotExist:
            return None
        return AttachmentRecord.model_validate(item.data)

    def mark_attached(self, record: AttachmentRecord) -> None:
        meta = self._tables.meta
        meta(_pk(record.tenant_id, record.ticket_id), record.id).update(actions=[
            meta.data.set(record.model_dump(mode="json")),
            meta.expires_at.remove(),
        ])

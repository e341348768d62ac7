"""Attachment records in the meta table, one partition per ticket (tenant in the key):

  pk `ATT#<tenant>#<ticket>`   sk `<attachment id>`   data: AttachmentRecord; TTL while pending

An upload no message took is forgotten after two days; the upload sweeper then deletes its object
(`helpdesk.attachments.expired`).
"""

from typing import TYPE_CHECKING

from helpdesk.attachments.model import AttachmentRecord
from helpdesk.platform.dynamo.pending import PendingRecords

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


def _pk(tenant_id: str, ticket_id: str) -> str:
    return f"ATT#{tenant_id}#{ticket_id}"


class DynamoAttachmentRecords:
    def __init__(self, tables: "Tables") -> None:
        self._records = PendingRecords(tables, AttachmentRecord, _pk)

    def add(self, record: AttachmentRecord) -> None:
        self._records.add(record.tenant_id, record.ticket_id, record.id, record, record.created_at)

    def get(self, tenant_id: str, ticket_id: str, attachment_id: str) -> AttachmentRecord | None:
        return self._records.get(tenant_id, ticket_id, attachment_id)

    def mark_attached(self, record: AttachmentRecord) -> None:
        self._records.keep(record.tenant_id, record.ticket_id, record.id, record)

"""Uploads nobody finished: a file a customer or an agent uploaded and then never sent with a message (a ticket's
attachment), or a picture never completed into an article. Their records wait in the meta table with a TTL
(`helpdesk.platform.dynamo.pending`, two days); once DynamoDB's TTL deletes one, the stored object is the only trace
left, and nothing would ever reach it again: not a message, not an erasure, not a retention period. The meta table's
stream hands those deletions (filtered in the template to TTL removals of upload records) to the upload sweeper,
which deletes the object.

A record taken by a message or completed is kept for good (its TTL removed), so it never arrives here; the record's
own `status` is checked anyway, the object key must lie under the record's own tenant, and a ticket's file is
deleted only when no event of the ticket names it: marking the record taken comes after the message is written
and may fail (`AttachmentService.post_message`), and the history is what says where a file belongs.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
    DynamoDBRecordEventName,
)

from helpdesk.attachments.ports import AttachmentBlobs
from helpdesk.platform.observability import logger, metrics
from helpdesk.platform.stream_batches import process_dynamodb_batch

if TYPE_CHECKING:
    from helpdesk.tickets.history import TicketEvent

# The record partitions of uploads (`attachments.adapters.dynamo`, `knowledge.adapters.dynamo_images`) and where
# each kind's objects live: (pk prefix, part of the pk after the tenant, object key prefix).
_UPLOADS = (("ATT#", "", "tickets/"), ("KB#", "IMG#", "kb/"))
PENDING = "pending"  # the status of an upload no message took and no `complete` checked (either kind)
# Whether an event of the ticket (tenant, ticket id) names the object key: `on_ticket` below, on the event log.
NamedOnTicket = Callable[[str, str, str], bool]


@dataclass(frozen=True)
class UnfinishedUpload:
    tenant_id: str
    key: str
    ticket_id: str | None  # a ticket's upload; None for an article's picture


def is_ttl_removal(record: DynamoDBRecord) -> bool:
    """Whether DynamoDB's TTL removed the item (not a person or a program): the stream names the service."""
    identity = record.user_identity
    return (record.event_name == DynamoDBRecordEventName.REMOVE and identity.get("type") == "Service"
            and identity.get("principalId") == "dynamodb.amazonaws.com")


def unfinished_upload(old_image: Mapping[str, Any]) -> UnfinishedUpload | None:
    """The pending upload record `old_image` (a meta table item) describes; None for any other item."""
    pk = str(old_image.get("pk") or "")
    raw = old_image.get("data")
    try:
        data = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("status") != PENDING:
        return None
    tenant, key = str(data.get("tenant_id") or ""), str(data.get("key") or "")
    for prefix, kind, objects in _UPLOADS:
        if tenant and pk.startswith(f"{prefix}{tenant}#{kind}") and key.startswith(f"{objects}{tenant}/"):
            ticket_id = str(data.get("ticket_id") or "") if prefix == "ATT#" else None
            return None if ticket_id == "" else UnfinishedUpload(tenant, key, ticket_id)
    return None


def on_ticket(events: "Callable[[str, str], list[TicketEvent]]") -> NamedOnTicket:
    """`NamedOnTicket` over the ticket's event log (`TicketRepository.events`): a message's files, a split's."""
    def named(tenant_id: str, ticket_id: str, key: str) -> bool:
        return any(isinstance(entry, dict) and entry.get("key") == key
                   for event in events(tenant_id, ticket_id) for entry in event.data.get("attachments") or [])
    return named


def sweep_stream(event: dict[str, Any], context: Any, blobs: AttachmentBlobs,
                 named_on_ticket: NamedOnTicket) -> dict[str, Any]:
    """The meta table's stream records (partial batch failures): each TTL removal of a pending upload record
    deletes its object (deleting one already gone changes nothing, so a retried batch is harmless)."""

    def record_handler(record: DynamoDBRecord, lambda_context: Any = None) -> None:
        if not is_ttl_removal(record) or record.dynamodb is None:
            return
        upload = unfinished_upload(record.dynamodb.old_image)
        if upload is None:
            return
        if upload.ticket_id is not None and named_on_ticket(upload.tenant_id, upload.ticket_id, upload.key):
            logger.warning("an expired upload record names a file on its ticket: kept",
                           extra={"tenant_id": upload.tenant_id, "ticket_id": upload.ticket_id})
            return
        blobs.delete(upload.key)
        logger.info("unfinished upload deleted", extra={"tenant_id": upload.tenant_id, "ticket_id": upload.ticket_id})
        metrics.add_metric(name="UnfinishedUploadsDeleted", unit="Count", value=1)

    return process_dynamodb_batch(event, context, record_handler)

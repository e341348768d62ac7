"""The tickets and ticket-events streams -> the ticket index.

Both streams say only which ticket changed: a tickets record names it by its keys, an events record by its
`ticket_key` (`<tenant>#<ticket id>`). Each changed ticket is re-read and re-indexed once per batch (a
message writes both a ticket and an event record, and a batch often holds several records of one ticket).
A record whose ticket fails to index is reported for retry with the records after it (partial batch
failures); a REMOVE of a ticket takes it out of the index.
"""

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
    DynamoDBRecordEventName,
)

from helpdesk.platform.observability import metrics
from helpdesk.platform.stream_batches import process_dynamodb_batch

if TYPE_CHECKING:
    from helpdesk.search.indexing import TicketIndexer
    from helpdesk.search.ports import TicketIndex


def changed_ticket(record: DynamoDBRecord) -> tuple[str, str] | None:
    """(tenant, ticket id) a stream record of either table is about; None for anything else."""
    keys = record.dynamodb.keys if record.dynamodb else None
    if not keys:
        return None
    if "ticket_key" in keys:
        tenant, _, ticket_id = str(keys["ticket_key"]).partition("#")
        return (tenant, ticket_id) if tenant and ticket_id else None
    if "tenant_id" in keys and "ticket_id" in keys:
        return str(keys["tenant_id"]), str(keys["ticket_id"])
    return None


def process_stream_event(event: dict[str, Any], context: Any, indexer: "TicketIndexer",
                         index: "TicketIndex") -> dict[str, Any]:
    done: set[tuple[str, str]] = set()

    def record_handler(record: DynamoDBRecord, lambda_context: Any = None) -> None:
        ticket = changed_ticket(record)
        if ticket is None or ticket in done:
            return
        keys = (record.dynamodb.keys if record.dynamodb else None) or {}
        if record.event_name == DynamoDBRecordEventName.REMOVE and "ticket_id" in keys:
            index.delete(*ticket)
        else:
            indexer.refresh(ticket[0], [ticket[1]])
        done.add(ticket)
        metrics.add_metric(name="TicketsIndexed", unit="Count", value=1)

    return process_dynamodb_batch(event, context, record_handler, imported_too=True)  # history is searched too

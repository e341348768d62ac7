"""The tickets-table stream: triage on INSERT, the knowledge loop when a ticket becomes resolved; and the
ticket-events stream's public messages: the summary follows the thread.

At-least-once delivery with partial batch failures: a record whose processing raises (DynamoDB
throttled, say) is reported and retried, the others are not; after the retries the event source
mapping sends it to the dead-letter queue. Processing is idempotent (see `Triage.run`), so a replayed
record changes nothing. Bad ticket text never raises: it makes low-confidence results.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
    DynamoDBRecordEventName,
)

from helpdesk.kernel.errors import NotFound
from helpdesk.platform.observability import logger, metrics
from helpdesk.platform.stream_batches import process_dynamodb_batch
from helpdesk.tickets.adapters.stream import ticket_from_image
from helpdesk.tickets.history import EventType
from helpdesk.tickets.model import Status, Ticket

if TYPE_CHECKING:
    from helpdesk.triage.knowledge_loop import KnowledgeLoop
    from helpdesk.triage.ports import TicketVectors
    from helpdesk.triage.service import Triage

DONE = frozenset({Status.RESOLVED.value, Status.CLOSED.value})
# One ticket with an LLM reply draft takes a few seconds (model timeouts and retries included, up to ~23 s);
# offline it is well under one.
MIN_REMAINING_MS = 10_000


class OutOfTime(Exception):
    """Too little of the invocation left to triage another ticket: reported failed, retried by the mapping."""


@dataclass(frozen=True)
class TicketStreamServices:
    """What the tickets stream drives: triage of new tickets, the knowledge loop on resolution."""

    triage: "Triage"
    knowledge_loop: "KnowledgeLoop"
    vectors: "TicketVectors"


def handle_record(record: DynamoDBRecord, services: TicketStreamServices, lambda_context: Any = None) -> None:
    remaining = lambda_context.get_remaining_time_in_millis() if lambda_context is not None else None
    if remaining is not None and remaining < MIN_REMAINING_MS:
        raise OutOfTime(f"{remaining} ms left")  # better a retry than a timeout that fails the whole batch
    image = record.dynamodb.new_image if record.dynamodb else {}
    if "ticket_key" in image:  # the ticket events table: a public message makes the summary follow the thread
        if not image.get("imported"):  # an imported thread is summarised once, when its ticket arrives
            _on_message(record, image, services)
        return
    ticket = ticket_from_image(image)
    if ticket is None:
        return  # REMOVE, or not a ticket item
    try:
        if ticket.imported_from is not None and record.event_name == DynamoDBRecordEventName.INSERT:
            _on_imported(ticket, services)
            return
        _handle(record, ticket, services)
    except NotFound:  # deleted since (tenant offboarding): nothing left to triage, not worth a retry
        logger.warning("ticket of a stream record is gone", extra={"ticket_id": ticket.id})


def _on_message(record: DynamoDBRecord, image: dict[str, Any], services: TicketStreamServices) -> None:
    if record.event_name != DynamoDBRecordEventName.INSERT or image.get("type") != EventType.PUBLIC_MESSAGE.value:
        return
    tenant_id, _, ticket_id = str(image["ticket_key"]).partition("#")
    try:
        result = services.triage.summarize_thread(tenant_id, ticket_id)
        if result is None:  # no record: an imported ticket that was done, written to again, is triaged now
            result = services.triage.imported_opened_again(tenant_id, ticket_id)
    except NotFound:  # deleted since (tenant offboarding, erasure): nothing left to summarise
        return
    if result is not None:
        logger.info("thread summarised", extra={"ticket_id": ticket_id, "tenant_id": tenant_id,
                                                "method": result.summary.method,
                                                "messages": result.summary.detail.get("messages")})


def _on_imported(ticket: Ticket, services: TicketStreamServices) -> None:
    """A ticket brought over from another helpdesk that still needs work gets triage's suggestions, its reply draft
    and a summary of its whole thread, as an agent opening it expects; nothing is applied to a ticket people worked
    on (`Triage.imported`). History that is done is left alone until a customer writes to it (`_on_message`)."""
    if services.triage.imported(ticket) is not None:
        logger.info("imported ticket given suggestions", extra={"ticket_id": ticket.id, "tenant_id": ticket.tenant_id})


def _handle(record: DynamoDBRecord, ticket: Ticket, services: TicketStreamServices) -> None:
    if record.event_name == DynamoDBRecordEventName.INSERT:
        result = services.triage.run(ticket)
        logger.info("ticket triaged", extra={"ticket_id": ticket.id, "tenant_id": ticket.tenant_id,
                                             "category": result.category.value, "level": result.category.level})
        metrics.add_metric(name="TicketsTriaged", unit="Count", value=1)
        return
    before = record.dynamodb.old_image.get("status") if record.dynamodb else None
    if ticket.status.value in DONE and before not in DONE:
        services.vectors.remove(ticket.tenant_id, ticket.id, ticket.created_at)  # no longer a duplicate target
    if ticket.status == Status.RESOLVED and before != Status.RESOLVED.value:
        result = services.knowledge_loop.on_resolved(ticket)
        resolution = result.resolution
        logger.info("resolution recorded", extra={
            "ticket_id": ticket.id, "tenant_id": ticket.tenant_id,
            "draft_article_id": resolution.draft_article_id if resolution else None,
            "covered_by": resolution.covered_by if resolution else None})
        if resolution is not None and resolution.draft_article_id:
            metrics.add_metric(name="KnowledgeDraftsCreated", unit="Count", value=1)


def process_stream_event(event: dict[str, Any], context: Any, services: TicketStreamServices) -> dict[str, Any]:
    """Entry point for a tickets-table stream batch; returns the partial batch failure response."""
    def record_handler(record: DynamoDBRecord, lambda_context: Any = None) -> None:
        handle_record(record, services, lambda_context)  # Powertools passes the context by this name

    # Imported tickets too (`_on_imported`); imported messages are skipped above.
    return process_dynamodb_batch(event, context, record_handler, imported_too=True)

"""Lambda event shapes -> services: the ticket-events stream onto the bus (event_publisher), the webhook
queue into the sender (webhook_sender). The local stack runs the same functions on moto."""

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from helpdesk.platform.dynamo.models import TicketEventModel
from helpdesk.platform.stream_batches import process_dynamodb_batch
from helpdesk.tickets.adapters.dynamo import event_of
from helpdesk.tickets.history import TicketEvent
from helpdesk.webhooks.ports import EventBus
from helpdesk.webhooks.schema import detail
from helpdesk.webhooks.service import WebhookSender


def ticket_event_of(record: DynamoDBRecord) -> TicketEvent | None:
    """The ticket event a stream record inserted (None for other changes)."""
    if record.raw_event.get("eventName") != "INSERT":
        return None
    image = (record.raw_event.get("dynamodb") or {}).get("NewImage")
    if not image:
        return None
    return event_of(TicketEventModel.from_raw_data(image))


def publish_ticket_events(event: dict[str, Any], context: Any, bus: EventBus) -> dict[str, Any]:
    """A ticket_events stream batch onto the bus; a record that fails is retried alone."""

    def publish(record: DynamoDBRecord) -> None:
        ticket_event = ticket_event_of(record)
        if ticket_event is not None:
            bus.publish([detail(ticket_event)])

    return process_dynamodb_batch(event, context, publish)


def deliver_webhooks(event: dict[str, Any], context: Any, sender: WebhookSender) -> dict[str, Any]:
    """A webhook queue batch (EventBridge events, or retries the sender queued itself)."""
    if not event.get("Records"):
        return {"batchItemFailures": []}

    def deliver(record: SQSRecord) -> None:
        sender.handle(json.loads(record.body))

    processor = BatchProcessor(event_type=EventType.SQS)
    return dict(process_partial_response(event=event, record_handler=deliver, processor=processor, context=context))

"""The ticket-events stream, turned into chat relay calls (functions/chat_relay and the local poller)."""

from typing import Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from helpdesk.chat.relay import ChatRelay
from helpdesk.platform.stream_batches import process_dynamodb_batch


def _relay_record(record: DynamoDBRecord, relay: ChatRelay) -> None:
    stream = record.dynamodb
    if stream is None or record.raw_event.get("eventName") != "INSERT":
        return
    image = stream.new_image
    tenant_id, _, ticket_id = str(image.get("ticket_key", "")).partition("#")
    if tenant_id and ticket_id:
        relay.on_ticket_event(tenant_id, ticket_id, int(image.get("seq", 0)), str(image.get("type", "")))


def handle_ticket_events(event: dict[str, Any], context: Any, relay: ChatRelay) -> dict[str, Any]:
    """A ticket_events batch: copy public messages of chat tickets into their sessions; failures are retried."""
    return process_dynamodb_batch(event, context, lambda record: _relay_record(record, relay))

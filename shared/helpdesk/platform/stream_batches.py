"""DynamoDB stream batches, the one way: Powertools' BatchProcessor with partial batch failures, so a
failing record is retried (and ends in the DLQ) without replaying the records that succeeded."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord


def process_dynamodb_batch(event: dict[str, Any], context: Any,
                           record_handler: Callable[[DynamoDBRecord], Any]) -> dict[str, Any]:
    """Run `record_handler` on every record; returns `{"batchItemFailures": [...]}` for Lambda."""
    if not event.get("Records"):
        return {"batchItemFailures": []}
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    return dict(process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                         context=context))

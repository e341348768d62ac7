"""DynamoDB stream batches, the one way: Powertools' BatchProcessor with partial batch failures, so a
failing record is retried (and ends in the DLQ) without replaying the records that succeeded."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord


def process_dynamodb_batch(event: dict[str, Any], context: Any,
                           record_handler: Callable[[DynamoDBRecord], Any], *,
                           imported_too: bool = False) -> dict[str, Any]:
    """Run `record_handler` on every record; returns `{"batchItemFailures": [...]}` for Lambda.

    The INSERT of a ticket or an event brought over from another helpdesk (`helpdesk import`) is history, not new
    work: it is left out here, for every consumer (no mail, no webhook, no automatic assignment), unless the consumer
    asks for it (`imported_too`: the search index; triage, which gives an imported ticket still open its suggestions
    and applies nothing). Later changes to an imported ticket are not marked. The event source mappings of those
    consumers filter the same INSERTs out in template.yaml (no invocation for an import's batches); this check
    keeps a handler right when it is given records another way (a replayed DLQ batch, a test)."""
    if not imported_too:
        event = {**event, "Records": [record for record in event.get("Records") or [] if not _imported(record)]}
    if not event.get("Records"):
        return {"batchItemFailures": []}
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    return dict(process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                         context=context))


def _imported(record: dict[str, Any]) -> bool:
    image = (record.get("dynamodb") or {}).get("NewImage") or {}
    return record.get("eventName") == "INSERT" and (image.get("imported") or {}).get("BOOL") is True

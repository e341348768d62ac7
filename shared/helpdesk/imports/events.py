"""The import queue's messages (`{"tenant_id", "import_id"}`), each one round of an import job."""

import json
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

if TYPE_CHECKING:
    from helpdesk.imports.job_service import ImportJobs


def run_import_rounds(event: dict[str, Any], context: Any, jobs: "ImportJobs") -> dict[str, Any]:
    """Each message's round gets what is left of the invocation (one message a batch in the template)."""

    def remaining_s() -> float:
        return float(context.get_remaining_time_in_millis()) / 1000

    def run(record: SQSRecord) -> None:
        message = json.loads(record.body)
        delivery = int(record.raw_event.get("attributes", {}).get("ApproximateReceiveCount") or 1)
        jobs.run_round(str(message["tenant_id"]), str(message["import_id"]), remaining_s, delivery=delivery)

    processor = BatchProcessor(event_type=EventType.SQS)
    return dict(process_partial_response(event=event, record_handler=run, processor=processor, context=context))

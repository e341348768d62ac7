"""The tickets stream, turned into a problem's incidents solved with it (functions/incident_solver and the local
poller): `problems.ProblemIncidents` decides; this reads the records."""

from typing import Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from helpdesk.platform.observability import logger
from helpdesk.platform.stream_batches import process_dynamodb_batch
from helpdesk.tickets.adapters.stream import ticket_from_image
from helpdesk.tickets.bulk import BulkOutcome
from helpdesk.tickets.problems import ProblemIncidents


def _solve_record(record: DynamoDBRecord, incidents: ProblemIncidents) -> None:
    stream = record.dynamodb
    after = ticket_from_image(stream.new_image) if stream is not None else None
    if stream is None or after is None:
        return  # a REMOVE
    results = incidents.on_change(ticket_from_image(stream.old_image), after)
    if results:
        logger.info("problem solved with its incidents", extra={
            "tenant_id": after.tenant_id, "ticket_id": after.id,
            "solved": sum(r.outcome == BulkOutcome.UPDATED for r in results), "incidents": len(results)})


def handle_problem_changes(event: dict[str, Any], context: Any, incidents: ProblemIncidents) -> dict[str, Any]:
    """A tickets-stream batch: every problem solved in it solves its incidents still unsolved; a failed record is
    retried, and a replay finds them solved."""
    return process_dynamodb_batch(event, context, lambda record: _solve_record(record, incidents))

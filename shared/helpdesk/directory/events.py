"""The tickets stream, turned into automatic assignment (functions/auto_assign and the local poller)."""

from typing import Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from helpdesk.directory.rotation import AutoAssignment
from helpdesk.platform.observability import logger
from helpdesk.platform.stream_batches import process_dynamodb_batch
from helpdesk.tickets.adapters.stream import ticket_from_image


def _assign_record(record: DynamoDBRecord, assignment: AutoAssignment) -> None:
    stream = record.dynamodb
    after = ticket_from_image(stream.new_image) if stream is not None else None
    if stream is None or after is None:
        return  # a REMOVE
    assigned = assignment.on_change(ticket_from_image(stream.old_image), after)
    if assigned is not None:
        logger.info("ticket assigned in turn", extra={"tenant_id": after.tenant_id, "ticket_id": assigned.ticket_id,
                                                     "group": assigned.group_id, "assignee_id": assigned.user_id})


def handle_ticket_changes(event: dict[str, Any], context: Any, assignment: AutoAssignment) -> dict[str, Any]:
    """A tickets-stream batch: every ticket that came to wait in an automatically assigning group is given to
    its next member; failures are retried (and replays change nothing)."""
    return process_dynamodb_batch(event, context, lambda record: _assign_record(record, assignment))

"""The tickets stream, turned into automatic assignment (functions/auto_assign and the local poller): a ticket
that came to wait is given, and one that left its assignee's plate lets their capped groups' queues move."""

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
    before = ticket_from_image(stream.old_image)
    # the queues first: a ticket handed back to a full queue waits behind older ones, as the queue's order says
    for given in assignment.on_load_freed(before, after):
        logger.info("waiting ticket assigned as a slot freed", extra={
            "tenant_id": after.tenant_id, "ticket_id": given.ticket_id, "group": given.group_id,
            "assignee_id": given.user_id})
    assigned = assignment.on_change(before, after)
    if assigned is not None:
        logger.info("ticket assigned in turn", extra={"tenant_id": after.tenant_id, "ticket_id": assigned.ticket_id,
                                                     "group": assigned.group_id, "assignee_id": assigned.user_id})


def handle_ticket_changes(event: dict[str, Any], context: Any, assignment: AutoAssignment) -> dict[str, Any]:
    """A tickets-stream batch: every ticket that came to wait in an automatically assigning group is given to
    its next member, and a ticket that left someone's plate hands out the queues of their groups with a capacity;
    failures are retried (and replays change nothing)."""
    return process_dynamodb_batch(event, context, lambda record: _assign_record(record, assignment))

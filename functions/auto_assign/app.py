"""Automatic assignment: the tickets stream -> a ticket that comes to wait unassigned in a group that assigns
automatically goes to the group's next member in turn (`helpdesk.directory.rotation`).

Turns are claimed with a conditional write and a ticket is assigned only while it still waits, so failed records
are simply reported for retry: a replay finds the ticket assigned and does nothing.
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.directory.events import handle_ticket_changes
from helpdesk.platform.observability import logger, metrics


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle_ticket_changes(event, context, container().auto_assignment)

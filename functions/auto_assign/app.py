"""Automatic assignment (`helpdesk.directory.rotation`), two ways in:
- the tickets stream: a ticket that comes to wait unassigned in a group that assigns automatically goes to the
  group's next member in turn; a ticket that leaves its assignee's plate (solved, given to someone else, handed
  back) hands out the waiting tickets of their groups with a capacity;
- `{"action": "hand_out", "tenant_id", "group_id"}`, invoked asynchronously by the directory API when a group can
  take more (automatic assignment turned on, a member added, back from away, capacity raised): its waiting
  tickets, oldest first.

Turns are claimed with a conditional write and a ticket is assigned only while it still waits, so failed records
are simply reported for retry: a replay finds the ticket assigned and does nothing.
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.directory.adapters.handout import HandOut
from helpdesk.directory.events import handle_ticket_changes
from helpdesk.platform.observability import logger, metrics


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if "Records" in event:
        return handle_ticket_changes(event, context, container().auto_assignment)
    request = HandOut.model_validate(event)  # only our directory API invokes it: a bad event fails loudly
    given = container().auto_assignment.hand_out_waiting(request.tenant_id, request.group_id)
    logger.info("queue handed out", extra={"tenant_id": request.tenant_id, "group": request.group_id,
                                           "assigned": len(given)})
    return {"assigned": [{"ticket_id": a.ticket_id, "user_id": a.user_id} for a in given]}

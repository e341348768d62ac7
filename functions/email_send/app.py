"""Email send: ticket_events stream (filtered to new tickets, public messages, status, assignee and group changes)
-> the agent's reply mailed with SES, the rating mail on resolution, and agents told of what concerns them
(`helpdesk.mail.notifications`).

Partial batch responses: a record that fails (SES throttling, say) is retried without resending the
others; sending is idempotent per ticket event.
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.mail.events import handle_ticket_events
from helpdesk.platform.observability import logger, metrics


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle_ticket_events(event, context, container().mail_outbound, container().agent_notifications)

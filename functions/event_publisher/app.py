"""Event publisher: the ticket-events stream -> the helpdesk EventBridge bus (source `helpdesk`, detail schema v1,
see helpdesk.webhooks.schema). A company routes the events with its own rules; the webhook sender is one rule."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.platform.observability import logger, metrics
from helpdesk.webhooks.events import publish_ticket_events


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return publish_ticket_events(event, context, container().event_bus)

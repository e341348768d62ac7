"""Webhook sender: the webhook queue (every bus event, and the sender's own delayed retries) -> signed POSTs to
the tenant's registered URLs, each attempt in the delivery log, the last failure in the dead-letter queue."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.platform.observability import logger, metrics
from helpdesk.webhooks.events import deliver_webhooks


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return deliver_webhooks(event, context, container().webhook_sender)

"""Upload sweeper: the meta table's stream, filtered to DynamoDB's TTL removals of upload records. Each one is a
file uploaded to a ticket, or a picture to an article, that nobody sent or completed within two days: its stored
object is deleted (`helpdesk.attachments.expired`).

Partial batch responses: a record whose object could not be deleted (S3 throttling) is retried alone.
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.attachments.expired import on_ticket, sweep_stream
from helpdesk.bootstrap import container
from helpdesk.platform.observability import logger, metrics


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    services = container()
    return sweep_stream(event, context, services.attachment_blobs, on_ticket(services.ticket_repository.events))

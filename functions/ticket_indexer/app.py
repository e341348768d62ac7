"""Ticket indexer: the tickets and ticket-events streams -> the ticket search index (OpenSearch).

Partial batch responses: a ticket that fails to index (OpenSearch throttling, say) is retried without
re-indexing the others; indexing reads the stored ticket, so a retry or a replay changes nothing.
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.platform.observability import logger, metrics
from helpdesk.search.events import process_stream_event


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    services = container()
    return process_stream_event(event, context, services.ticket_indexer, services.ticket_index)

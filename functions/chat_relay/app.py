"""Chat relay: the ticket-events stream (public messages) -> the transcript of the chat each ticket came from.

An agent's reply on a ticket that a chat became shows in the visitor's chat (`GET /chat/sessions/{id}/messages`);
when the visitor has left, email_send mails it instead. Copies are idempotent per ticket event, so failed
records are simply reported for retry.
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.chat.events import handle_ticket_events
from helpdesk.platform.observability import logger, metrics


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle_ticket_events(event, context, container().chat_relay)

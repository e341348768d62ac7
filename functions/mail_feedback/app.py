"""Mail feedback: SES's bounces and complaints for mail we sent about a ticket (EventBridge, "Email Bounced" and
"Email Complaint Received" of our configuration set), each put on its ticket (`helpdesk.mail.feedback`).

An event we cannot read or that is not ours is logged and dropped (retrying cannot change it); a failed ticket
write raises, so Lambda retries the event and then hands it to the dead-letter queue.
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.platform.observability import logger, metrics


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    return {"outcome": container().mail_feedback.record(event.get("detail"))}

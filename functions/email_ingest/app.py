"""Email ingest: SES receipt rule (raw message stored in S3 first) -> ticket or ticket message.

Returns SES's `CONTINUE` disposition; the outcome of each mail is in the logs and the ticket history.
An unexpected error raises, so Lambda retries the asynchronous invocation (ingest is idempotent).
The mail admin API invokes it too (`{"action": "redeliver", ...}`): a held mail an admin let in.
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.mail.events import handle_redelivery, handle_ses_event
from helpdesk.platform.observability import logger, metrics


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("action") == "redeliver":
        results = handle_redelivery(event, container().mail_ingest)
    else:
        results = handle_ses_event(event, container().mail_ingest)
    for result in results:
        metrics.add_metric(name=f"Mail{result.status.capitalize()}", unit="Count", value=1)
    return {"disposition": "CONTINUE", "results": [r.model_dump(mode="json") for r in results]}

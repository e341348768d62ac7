"""Retention scan: run daily by EventBridge Scheduler. Every tenant with a retention period loses the content
(text, files, original mails) of the tickets closed longer ago than that; the tickets and their histories stay.

Input: {"action": "retention"} plus optional "now" (ISO-8601, for replays).
Returns {"tenants", "tickets", "events_redacted", "objects_deleted"}.
"""

from typing import Any, Literal

from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import AwareDatetime, BaseModel, ConfigDict

from helpdesk.bootstrap import container
from helpdesk.platform.observability import logger, metrics


class RetentionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["retention"]
    now: AwareDatetime | None = None


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    request = RetentionRequest.model_validate(event)  # a malformed schedule fails loudly (and lands in the DLQ)
    summary = container().privacy.apply_retention(request.now).model_dump()
    metrics.add_metric(name="RetentionTicketsCleared", unit="Count", value=summary["tickets"])
    logger.info("retention scan finished", extra=summary)
    return summary

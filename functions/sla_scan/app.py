"""SLA scan: run by EventBridge Scheduler every 5 minutes with an explicit Input.

Input: {"action": "scan"} plus optional "now" (ISO-8601, for replays) and "max_tickets".
Returns the summary {"examined", "warned", "breached", "escalated", "closed", "errors", "unnotified", "woke", ...}
("woke": snoozes ended by their time), "reminders_sent": the agents' reminders due by now go out on the same
schedule, and "time_triggers": the hourly sweep of the tenants' time triggers (`helpdesk.triggers.sweep`), run here
when one is due.
"""

from datetime import datetime
from typing import Any, Literal

from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from helpdesk.bootstrap import container
from helpdesk.platform.observability import logger, metrics

SWEEP_MARGIN_SECONDS = 15.0  # of the function's time, left when the sweep stops: its last write and the metrics


class ScanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["scan"]
    now: AwareDatetime | None = None
    max_tickets: int = Field(default=500, gt=0, le=5000)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = ScanRequest.model_validate(event)  # a malformed schedule fails loudly (and lands in the DLQ)
    now: datetime | None = request.now
    summary: dict[str, Any] = container().sla_scan.run(now, request.max_tickets).as_dict()
    summary["reminders_sent"] = container().reminders.send_due()  # agents' reminders ride the same schedule
    # So do the time triggers' hourly sweeps, within what this invocation has left after the scan (a margin kept).
    left = context.get_remaining_time_in_millis() / 1000 - SWEEP_MARGIN_SECONDS
    swept = container().time_triggers.run(now, max_seconds=max(0.0, left)).as_dict()
    summary["time_triggers"] = swept
    for name, value in (("SlaItemsExamined", summary["examined"]), ("SlaWarnings", summary["warned"]),
                        ("SlaBreaches", summary["breached"]), ("SlaEscalations", summary["escalated"]),
                        ("SlaAutoClosed", summary["closed"]), ("SlaPendingReminders", summary["reminded"]),
                        ("SlaPendingResolved", summary["resolved"]), ("SlaScanErrors", summary["errors"]),
                        ("SlaUnnotified", summary["unnotified"]), ("SnoozesEnded", summary["woke"]),
                        ("RemindersSent", summary["reminders_sent"])):
        metrics.add_metric(name=name, unit="Count", value=value)
    for name, value in (("TimeTriggerTickets", swept["examined"]), ("TimeTriggersActed", swept["acted"]),
                        ("TimeTriggerErrors", swept["errors"])):
        metrics.add_metric(name=name, unit="Count", value=value)
    logger.info("sla scan finished", extra=summary)
    return summary

"""SLA scan: run by EventBridge Scheduler every 5 minutes with an explicit Input.

Input: {"action": "scan"} plus optional "now" (ISO-8601, for replays) and "max_tickets".
Returns the summary {"examined", "warned", "breached", "escalated", "closed", "errors", "unnotified", "woke", ...}
("woke": snoozes ended by their time), "reminders_sent": the agents' reminders due by now go out on the same
schedule, and "time_triggers": the hourly sweep of the tenants' time triggers (`helpdesk.triggers.sweep`), run here
when one is due.
"""

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

    def seconds_left() -> float:  # the sweep runs last: within what the invocation has left then, a margin kept
        return context.get_remaining_time_in_millis() / 1000 - SWEEP_MARGIN_SECONDS

    summary = container().scheduled_round.run(request.now, request.max_tickets, seconds_left).as_dict()
    swept = summary["time_triggers"]
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

"""A problem ticket solved solves its incidents (`helpdesk.tickets.problems`): the tickets stream's changes of a
ticket leaving the unsolved statuses, filtered in template.yaml; whether it is a problem (child links) is the
code's. Replays find the incidents solved and change nothing."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.platform.observability import logger, metrics
from helpdesk.tickets.events import handle_problem_changes


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle_problem_changes(event, context, container().problem_incidents)

"""Import worker: the import queue -> one round of an import job (`imports.job_service`); a job that needs longer
than a round queues itself again."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from helpdesk.bootstrap import container
from helpdesk.imports.events import run_import_rounds
from helpdesk.platform.observability import logger, metrics


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run_import_rounds(event, context, container().import_jobs)

"""Imports from the console in the local stack: the import queue as template.yaml makes it, on moto, polled into the
same round the import worker runs in AWS (with Lambda's 15 minutes); tokens wait in moto's Secrets Manager."""

from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext

WORKER_TIMEOUT_MS = 900_000  # the template's ImportWorkerFunction Timeout


def ensure_import_queue(queue_url: str) -> str:
    """The import queue and its dead-letter queue as the template's ImportQueue (idempotent): the worker's 15 minutes
    and a minute of visibility, `TRIES + 1` deliveries (the last ends a job the Lambda kept stopping on)."""
    from helpdesk.imports.job_service import TRIES
    from helpdesk.local.queues import ensure_queue

    return ensure_queue(queue_url, f"{queue_url}-dlq", visibility_timeout_s=WORKER_TIMEOUT_MS // 1000 + 60,
                        max_receive_count=TRIES + 1)


def start_import_worker(ctx: LocalStackContext) -> Callable[[], None]:
    from helpdesk.imports.events import run_import_rounds
    from helpdesk.local.queues import QueuePoller

    container = ctx.container
    queue_url = ensure_import_queue(container.settings.imports.queue_url)
    poller = QueuePoller(queue_url, lambda event, context: run_import_rounds(event, context, container.import_jobs),
                         "import-worker", batch_size=1, timeout_ms=WORKER_TIMEOUT_MS).start()
    return poller.stop

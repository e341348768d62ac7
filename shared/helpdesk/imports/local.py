"""Imports from the console in the local stack: the import queue as template.yaml makes it, on moto, polled into the
same round the import worker runs in AWS (with Lambda's 15 minutes); tokens wait in moto's Secrets Manager."""

from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext

WORKER_TIMEOUT_MS = 900_000  # the template's ImportWorkerFunction Timeout


def start_import_worker(ctx: LocalStackContext) -> Callable[[], None]:
    from helpdesk.imports.events import run_import_rounds
    from helpdesk.local.queues import QueuePoller, ensure_queue

    container = ctx.container
    configured = container.settings.imports.queue_url
    queue_url = ensure_queue(configured, f"{configured}-dlq", visibility_timeout_s=WORKER_TIMEOUT_MS // 1000 + 60,
                             max_receive_count=3)  # the template's ImportQueue
    poller = QueuePoller(queue_url, lambda event, context: run_import_rounds(event, context, container.import_jobs),
                         "import-worker", batch_size=1, timeout_ms=WORKER_TIMEOUT_MS).start()
    return poller.stop

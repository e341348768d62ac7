"""Imports from the console in the local stack: the import queue as template.yaml makes it, on moto, polled into the
same round the import worker runs in AWS (with Lambda's 15 minutes); tokens wait in moto's Secrets Manager."""

import json
from collections.abc import Callable

import boto3

from helpdesk.local.extensions import LocalStackContext

WORKER_TIMEOUT_MS = 900_000  # the template's ImportWorkerFunction Timeout


def ensure_queue(queue_url: str) -> str:
    """Create the queue and its dead-letter queue (idempotent); returns the queue's URL as moto names it."""
    sqs = boto3.client("sqs")
    name = queue_url.rstrip("/").rpartition("/")[2]
    dlq = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return str(sqs.create_queue(QueueName=name, Attributes={
        "VisibilityTimeout": str(WORKER_TIMEOUT_MS // 1000 + 60),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"})})["QueueUrl"])


def start_import_worker(ctx: LocalStackContext) -> Callable[[], None]:
    from helpdesk.imports.events import run_import_rounds
    from helpdesk.local.queues import QueuePoller

    container = ctx.container
    queue_url = ensure_queue(container.settings.imports.queue_url)
    poller = QueuePoller(queue_url, lambda event, context: run_import_rounds(event, context, container.import_jobs),
                         "import-worker", batch_size=1, timeout_ms=WORKER_TIMEOUT_MS).start()
    return poller.stop

"""Run SQS handlers in the local stack, as Lambda's SQS event source mapping does in AWS.

A thread polls a moto queue and calls the handler with a Lambda-shaped `{"Records": [...]}` event;
messages the handler does not report in `batchItemFailures` are deleted, the others come back after the
queue's visibility timeout (and end in its dead-letter queue after its redrive policy's receive count).

It asks without waiting (`WaitTimeSeconds=0`) and sleeps `wait_s` between empty answers. A long poll waits
inside moto, and the local moto answers one request at a time (`local/moto_server.py`): an empty queue's
one-second long poll, asked again at once, made every other call of the stack wait up to a second (a
`describe_table` took 1.05 s on an idle stack, an agent's reply took minutes to reach a chat on a busy one).
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

from helpdesk.local.context import LocalLambdaContext

log = logging.getLogger("helpdesk.local.queues")

QueueHandler = Callable[[dict[str, Any], Any], Any]


def queue_name(url: str) -> str:
    """The queue's name in its URL (moto names queues by the last part of the path, whatever the host)."""
    return url.rstrip("/").rpartition("/")[2]


def ensure_queue(queue_url: str, dlq_url: str, *, visibility_timeout_s: int, max_receive_count: int) -> str:
    """A queue and its dead-letter queue as template.yaml makes them, on moto (idempotent); the queue's URL as moto
    names it."""
    import json

    import boto3

    sqs = boto3.client("sqs")
    dlq = sqs.create_queue(QueueName=queue_name(dlq_url))["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return str(sqs.create_queue(QueueName=queue_name(queue_url), Attributes={
        "VisibilityTimeout": str(visibility_timeout_s),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count)})})[
        "QueueUrl"])


class QueuePoller:
    def __init__(self, queue_url: str, handler: QueueHandler, name: str, *, wait_s: int = 1, batch_size: int = 10,
                 timeout_ms: int = 60_000) -> None:
        import boto3

        self.queue_url, self.handler, self.name, self.wait_s = queue_url, handler, name, wait_s
        self.batch_size, self.timeout_ms = batch_size, timeout_ms  # the template's BatchSize and Timeout
        self._sqs = boto3.client("sqs")
        self._arn = self._sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"queue-{name}", daemon=True)

    def start(self) -> "QueuePoller":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def poll_once(self) -> int:
        """Deliver what is waiting (up to a batch); returns the number handled without failure."""
        messages = self._sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=self.batch_size,
                                             WaitTimeSeconds=0, AttributeNames=["All"]).get("Messages", [])
        if not messages:
            return 0
        records = [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                    "attributes": m.get("Attributes", {}), "messageAttributes": {}, "md5OfBody": m["MD5OfBody"],
                    "eventSource": "aws:sqs", "eventSourceARN": self._arn, "awsRegion": "us-east-1"}
                   for m in messages]
        try:
            result = self.handler({"Records": records},
                                  LocalLambdaContext(function_name=self.name, timeout_ms=self.timeout_ms))
            failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
        except Exception:
            log.exception("queue handler %s failed", self.name)
            return 0
        done = [m for m in messages if m["MessageId"] not in failed]
        for start in range(0, len(done), 10):
            self._sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done[start:start + 10])])
        return len(done)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.poll_once():
                    continue  # more may be waiting
            except Exception:
                log.exception("polling the %s queue failed", self.name)
            self._stop.wait(self.wait_s)

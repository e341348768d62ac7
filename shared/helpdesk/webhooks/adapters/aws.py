"""The bus (EventBridge PutEvents) and the webhook queues (SQS)."""

import json
from typing import Any

import boto3

from helpdesk.webhooks.schema import SOURCE


class EventBridgeBus:
    def __init__(self, bus_name: str, client: Any = None) -> None:
        self._bus = bus_name
        self._events = client or boto3.client("events")

    def publish(self, details: list[dict[str, Any]]) -> None:
        for start in range(0, len(details), 10):  # PutEvents takes 10 entries a call
            chunk = details[start:start + 10]
            answer = self._events.put_events(Entries=[
                {"Source": SOURCE, "DetailType": d["type"], "Detail": json.dumps(d, ensure_ascii=False),
                 "EventBusName": self._bus, "Resources": []} for d in chunk])
            if answer.get("FailedEntryCount"):
                failed = [e for e in answer.get("Entries", []) if e.get("ErrorCode")]
                raise RuntimeError(f"EventBridge refused {len(failed)} of {len(chunk)} events: {failed[:3]}")


class SqsRetryQueue:
    def __init__(self, queue_url: str, dlq_url: str, client: Any = None) -> None:
        self._queue, self._dlq = queue_url, dlq_url
        self._sqs = client or boto3.client("sqs")

    def retry(self, message: dict[str, Any], delay_s: int) -> None:
        self._sqs.send_message(QueueUrl=self._queue, MessageBody=json.dumps(message), DelaySeconds=min(delay_s, 900))

    def dead_letter(self, message: dict[str, Any]) -> None:
        self._sqs.send_message(QueueUrl=self._dlq, MessageBody=json.dumps(message))

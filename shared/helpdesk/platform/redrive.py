"""Failed stream batches, delivered again: what to do when a stream consumer's dead-letter alarm fires.

A DynamoDB stream consumer whose batch keeps failing (`MaximumRetryAttempts`) sends its event source mapping's
on-failure destination a record of where the batch was, not the batch (`DDBStreamBatchInfo`: the stream, the
shard and the first and last sequence numbers). Nothing in AWS delivers it again. `StreamRedrive` does, once the
cause is fixed: it reads each such record from the function's dead-letter queue, reads the batch's records back
from the stream (kept 24 hours), keeps those the event's `FilterCriteria` let through (as Lambda did: the sequence
range also spans records the filter dropped), and invokes the function with them. The consumers are written for
Lambda's at-least-once delivery (a batch delivered again finds its work done or redoes it harmlessly), so a batch
that went partly through is simply sent whole. The queue's message is deleted only when the function took every
record; a batch whose records the stream no longer holds is reported as expired and kept (or dropped, when asked).
"""

import base64
import json
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

StreamRecordFilter = Callable[[dict[str, Any]], bool]
Invoke = Callable[[dict[str, Any]], dict[str, Any]]  # the function, given a `{"Records": [...]}` event
MAX_MESSAGES = 10  # SQS's receive limit per call


class Outcome(StrEnum):
    REPLAYED = "replayed"  # the function took every record: the message is deleted
    FAILED = "failed"  # the function failed again (or reported records it could not take): the message stays
    EXPIRED = "expired"  # the stream no longer holds the batch (24 hours): kept, or dropped when asked
    FOUND = "found"  # a dry run: the records that would be sent
    NOT_A_STREAM_BATCH = "not_a_stream_batch"  # another kind of message in the same queue (mail ingest's): kept


@dataclass(frozen=True)
class BatchRedriven:
    message_id: str
    outcome: Outcome
    records: int = 0
    detail: str = ""


@dataclass(frozen=True)
class StreamEvent:
    """A DynamoDB stream event of a function in template.yaml, with the queue its failed batches go to."""

    function: str  # the function's logical id
    event: str  # its key under the function's Events
    table: str  # the logical id of the table whose stream it reads
    dead_letters: str | None  # the logical id of its on-failure queue
    filters: tuple[dict[str, Any], ...]  # its FilterCriteria patterns (none: every record)


@cache
def stream_events(template: Path) -> tuple[StreamEvent, ...]:
    """Every DynamoDB stream event in the template (read once per process)."""
    from helpdesk.local.gateway import load_template

    found = []
    for name, resource in load_template(template)["Resources"].items():
        for event_name, event in ((resource.get("Properties") or {}).get("Events") or {}).items():
            if event.get("Type") != "DynamoDB":
                continue
            props = event["Properties"]
            destination = ((props.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
            patterns = ((props.get("FilterCriteria") or {}).get("Filters")) or []
            found.append(StreamEvent(
                function=name, event=event_name, table=_logical_id(props["Stream"]),
                dead_letters=_logical_id(destination) if destination else None,
                filters=tuple(json.loads(str(p["Pattern"])) for p in patterns)))
    return tuple(found)


def stream_event(template: Path, function: str, event: str) -> StreamEvent:
    """One function's stream event in the template; LookupError when it has none by that name."""
    found = next((e for e in stream_events(template) if (e.function, e.event) == (function, event)), None)
    if found is None:
        raise LookupError(f"template.yaml has no DynamoDB event {event!r} on {function!r}")
    return found


def failure_record(function_arn: str, stream_arn: str, shard_id: str, batch: Sequence[dict[str, Any]],
                   attempts: int, at: datetime) -> dict[str, Any]:
    """What Lambda's event source mapping sends its on-failure destination for a batch that used up its retries
    (the local stack's pollers send the same, so a failed batch is redriven there as in AWS)."""
    def arrival(record: dict[str, Any]) -> str:
        value = record["dynamodb"].get("ApproximateCreationDateTime")
        when = value if isinstance(value, datetime) else datetime.fromtimestamp(float(value or 0), UTC)
        return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    return {
        "requestContext": {"requestId": str(uuid.uuid4()), "functionArn": function_arn,
                           "condition": "RetryAttemptsExhausted", "approximateInvokeCount": attempts},
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "version": "1.0", "timestamp": at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "DDBStreamBatchInfo": {
            "shardId": shard_id, "startSequenceNumber": batch[0]["dynamodb"]["SequenceNumber"],
            "endSequenceNumber": batch[-1]["dynamodb"]["SequenceNumber"],
            "approximateArrivalOfFirstRecord": arrival(batch[0]), "approximateArrivalOfLastRecord": arrival(batch[-1]),
            "batchSize": len(batch), "streamArn": stream_arn}}


def _logical_id(get_att: Any) -> str:
    """`!GetAtt TicketsTable.StreamArn` as the template loader keeps it -> "TicketsTable"."""
    value = get_att.get("GetAtt") if isinstance(get_att, Mapping) else get_att
    if isinstance(value, list):
        return str(value[0])
    return str(value).split(".", 1)[0]


def table_of_stream(stream_arn: str) -> str:
    """The table name in a stream's ARN (`...:table/<name>/stream/<label>`)."""
    return stream_arn.split(":table/", 1)[-1].split("/stream/", 1)[0]


class StreamRedrive:
    """`filters`: the table name each event of the function reads -> whether Lambda would have delivered a record
    of it; a batch of a table not named there is not the function's and stays."""

    def __init__(self, sqs: Any, streams: Any, invoke: Invoke, filters: Mapping[str, StreamRecordFilter]) -> None:
        self.sqs, self.streams, self.invoke, self.filters = sqs, streams, invoke, filters

    def run(self, queue_url: str, *, dry_run: bool = False, drop_expired: bool = False,
            limit: int = 100) -> list[BatchRedriven]:
        """Each message of the queue (at most `limit`) redriven once. A message kept is shown again at once (a
        rerun after a fix finds it), so a message received a second time ends the run."""
        results: list[BatchRedriven] = []
        seen: set[str] = set()
        while len(results) < limit:
            messages = self.sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_MESSAGES,
                                                VisibilityTimeout=60, WaitTimeSeconds=0).get("Messages", [])
            fresh = [m for m in messages if m["MessageId"] not in seen]
            if not fresh:
                for message in messages:
                    self._keep(queue_url, message)
                break
            taken = fresh[:limit - len(results)]
            for message in fresh[len(taken):]:  # beyond the limit: left for the next run
                self._keep(queue_url, message)
            for message in taken:
                seen.add(message["MessageId"])
                result = self._redrive(message, dry_run=dry_run)
                if result.outcome == Outcome.REPLAYED or (result.outcome == Outcome.EXPIRED and drop_expired
                                                          and not dry_run):
                    self.sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                else:
                    self._keep(queue_url, message)
                results.append(result)
        return results

    def _keep(self, queue_url: str, message: dict[str, Any]) -> None:
        self.sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"],
                                           VisibilityTimeout=0)

    def _redrive(self, message: dict[str, Any], *, dry_run: bool) -> BatchRedriven:
        from aws_lambda_powertools.utilities.parser.models import DynamoDBStreamLambdaOnFailureDestinationModel

        message_id = str(message.get("MessageId", ""))
        try:
            failure = DynamoDBStreamLambdaOnFailureDestinationModel.model_validate_json(message.get("Body", ""))
        except ValidationError:
            return BatchRedriven(message_id, Outcome.NOT_A_STREAM_BATCH, detail="no DDBStreamBatchInfo")
        info = failure.ddb_stream_batch_info
        wanted = self.filters.get(table_of_stream(info.stream_arn))
        if wanted is None:
            return BatchRedriven(message_id, Outcome.NOT_A_STREAM_BATCH,
                                 detail=f"a batch of {table_of_stream(info.stream_arn)}, which this function does "
                                        "not read")
        span = f"{info.shard_id} {info.start_sequence_number}..{info.end_sequence_number}"
        try:
            records = [r for r in self._records(info.stream_arn, info.shard_id, info.start_sequence_number,
                                                 info.end_sequence_number) if wanted(r)]
        except (self.streams.exceptions.TrimmedDataAccessException,
                self.streams.exceptions.ResourceNotFoundException):  # trimmed, or the shard itself is gone
            return BatchRedriven(message_id, Outcome.EXPIRED, detail=f"{span}: the stream no longer holds it "
                                 f"(first record {info.approximate_arrival_of_first_record.isoformat()})")
        if dry_run or not records:
            return BatchRedriven(message_id, Outcome.FOUND if dry_run else Outcome.REPLAYED, len(records),
                                 span if records else f"{span}: no record of it is the function's")
        answer = self.invoke({"Records": records})
        failures = [str(f.get("itemIdentifier")) for f in answer.get("batchItemFailures") or []]
        if answer.get("errorMessage") or failures:
            why = answer.get("errorMessage") or f"records not taken: {', '.join(failures)}"
            return BatchRedriven(message_id, Outcome.FAILED, len(records), f"{span}: {why}")
        return BatchRedriven(message_id, Outcome.REPLAYED, len(records), span)

    def _records(self, stream_arn: str, shard_id: str, first: str, last: str) -> Iterator[dict[str, Any]]:
        """The shard's records from `first` to `last` (sequence numbers), as Lambda gives them to a function."""
        iterator = self.streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard_id,
                                                   ShardIteratorType="AT_SEQUENCE_NUMBER",
                                                   SequenceNumber=first).get("ShardIterator")
        end = int(last)
        while iterator:
            page = self.streams.get_records(ShardIterator=iterator, Limit=1000)
            for record in page.get("Records", []):
                if int(record["dynamodb"]["SequenceNumber"]) > end:
                    return
                yield lambda_record(record, stream_arn)
            if not page.get("Records"):  # at the shard's open end: nothing more was written after the batch
                return
            iterator = page.get("NextShardIterator")


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A record of `GetRecords` (boto3: datetimes, bytes) as Lambda's event holds it (JSON: epoch seconds,
    base64), with the stream it came from."""
    def plain(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.timestamp()
        if isinstance(value, bytes | bytearray):
            return base64.b64encode(value).decode("ascii")
        if isinstance(value, Mapping):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple | set):
            return [plain(v) for v in value]
        return value

    converted: dict[str, Any] = plain(record)
    return {**converted, "eventSourceARN": stream_arn}


def lambda_invoke(client: Any, function_name: str) -> Invoke:
    """The deployed function, invoked as the event source mapping does (synchronously, the batch as the event);
    an unhandled error comes back as `errorMessage`, as Lambda writes it."""
    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        answer = client.invoke(FunctionName=function_name, InvocationType="RequestResponse",
                               Payload=json.dumps(event).encode())
        payload = json.loads(answer["Payload"].read() or b"null")
        if answer.get("FunctionError"):
            return {"errorMessage": str((payload or {}).get("errorMessage") or answer["FunctionError"])}
        return payload if isinstance(payload, dict) else {}

    return invoke


def summary(results: Sequence[BatchRedriven]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.outcome.value] = counts.get(result.outcome.value, 0) + 1
    return counts

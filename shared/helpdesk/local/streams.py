"""Run DynamoDB stream handlers in the local stack, as Lambda's event source mapping does in AWS.

A thread per stream polls moto's DynamoDB Streams API and calls the handler with a Lambda-shaped
`{"Records": [...]}` event. Records a handler reports in `batchItemFailures` are retried (from the
first failure on, in order, like the event source mapping) up to `max_retries`, then logged and skipped.

A poller's position (the last sequence number it delivered, per shard) lives in `checkpoints`: the
local stack passes the dict it saves with moto's state, so after a restart a poller continues after
the last record it delivered instead of sending every record (and every mail) again.

A poller of the local stack names the function and event of template.yaml it stands for, and delivers only
the records that event's `FilterCriteria` let through, matched by moto's EventBridge pattern matcher (Lambda's
event filtering uses the same pattern language). A handler that counts on a record the template filters out
then fails here as it would in AWS, not only after deploying.
"""

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpdesk.local.context import LocalLambdaContext
from helpdesk.local.extensions import LocalStackContext

log = logging.getLogger("helpdesk.local.streams")

StreamHandler = Callable[[dict[str, Any], Any], Any]
# A batch that takes longer than this is logged: on a loaded machine a slow handler (triage embedding a
# backlog) delays what the same poller delivers after it, and the log should say so.
SLOW_BATCH_S = 10.0
# How often a poller asks for its stream's ARN and shards (a new shard is found this late at most).
SHARDS_REFRESH_S = 10.0


@dataclass(frozen=True)
class StreamSource:
    """A stream event of a function in template.yaml: `EmailSendFunction`'s `AgentReplies`, say."""

    function: str  # the function's logical id
    event: str  # the key under its Events


def template_filters(root: Path, source: StreamSource) -> list[dict[str, Any]]:
    """The filter patterns of `source`'s event in `root`'s template.yaml (none: every record)."""
    from helpdesk.platform.redrive import stream_event

    return list(stream_event(root / "template.yaml", source.function, source.event).filters)


class RecordFilter:
    """An event source mapping's filter: does a stream record match one of its patterns (none: every record)?"""

    def __init__(self, filters: Sequence[dict[str, Any]]) -> None:
        from moto.events.models import EventPattern

        self._patterns: list[EventPattern] = [EventPattern(json.dumps(f), f) for f in filters]

    def __call__(self, record: dict[str, Any]) -> bool:
        if not self._patterns:
            return True
        plain = json.loads(json.dumps(record, default=str))  # boto3 gives the record's time as a datetime
        return any(pattern.matches_event(plain) for pattern in self._patterns)


def streams_client() -> Any:
    """A DynamoDB Streams client on the classic endpoint: newer botocore derives an account-based host from the
    stream ARN, which moto (tests, the local stack) does not answer."""
    import boto3

    region = boto3.session.Session().region_name or "us-east-1"
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or f"https://streams.dynamodb.{region}.amazonaws.com"
    return boto3.client("dynamodbstreams", endpoint_url=endpoint)


class StreamPoller:
    def __init__(self, table_name: str, handler: StreamHandler, name: str, *, batch_size: int = 10,
                 interval: float = 0.5, max_retries: int = 3, checkpoints: dict[str, str] | None = None,
                 filters: Sequence[dict[str, Any]] = (),
                 on_failure: Callable[[dict[str, Any]], None] | None = None,
                 table_writes: Callable[[], int] | None = None) -> None:
        """`filters`: an event source mapping's filter patterns (`template_filters`); a record matching none is
        skipped as Lambda drops it. Empty: every record is delivered. `on_failure`: given Lambda's on-failure
        record (`platform.redrive.failure_record`) of a batch that used up its retries. `table_writes`: how many
        DynamoDB writes moto has answered (`LocalMotoServer.table_writes`); while it stands where it stood when
        a poll found nothing, the thread does not ask moto again (without it, every poll asks)."""
        import boto3

        self.table_name, self.handler, self.name = table_name, handler, name
        self.batch_size, self.interval, self.max_retries = batch_size, interval, max_retries
        self._dynamodb = boto3.client("dynamodb")
        self._streams = streams_client()
        self._stop = threading.Event()
        self._iterators: dict[str, str | None] = {}
        self._checkpoints = checkpoints if checkpoints is not None else {}
        self._arn: str | None = None
        self._shard_ids: list[str] = []
        self._shards_read_at: float | None = None
        self._thread = threading.Thread(target=self._run, name=f"stream-{name}", daemon=True)
        self._wanted = RecordFilter(filters)
        self._on_failure = on_failure
        self._table_writes = table_writes
        self._records_read = 0
        self._idle_since: int | None = None  # `table_writes` when a poll last found every shard empty

    def start(self) -> "StreamPoller":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def poll_once(self) -> int:
        """Deliver what is waiting on every shard; returns the number of records delivered."""
        arn, shard_ids = self._shards()
        if not arn:
            return 0
        delivered = 0
        for shard_id in shard_ids:
            if shard_id not in self._iterators:
                self._iterators[shard_id] = self._first_iterator(arn, shard_id)
            iterator = self._iterators[shard_id]
            if iterator is None:
                continue
            page = self._streams.get_records(ShardIterator=iterator, Limit=1000)
            records = [{**r, "eventSourceARN": arn} for r in page.get("Records", [])]
            self._records_read += len(records)
            wanted = [r for r in records if self._wanted(r)]
            for start in range(0, len(wanted), self.batch_size):
                batch = wanted[start:start + self.batch_size]
                delivered += self._deliver(batch, arn, shard_id)
                self._checkpoints[self._key(shard_id)] = batch[-1]["dynamodb"]["SequenceNumber"]
            if records and len(wanted) < len(records):  # what was filtered out is passed, as Lambda does
                self._checkpoints[self._key(shard_id)] = records[-1]["dynamodb"]["SequenceNumber"]
            self._iterators[shard_id] = page.get("NextShardIterator")
        return delivered

    def _shards(self) -> tuple[str | None, list[str]]:
        """The stream's ARN and shard ids, asked again every `SHARDS_REFRESH_S`: every poller asking for them on
        each poll (twice a second) was two thirds of the stack's calls to moto, which answers one at a time."""
        now = time.monotonic()
        if self._shards_read_at is None or now - self._shards_read_at > SHARDS_REFRESH_S:
            arn = self._dynamodb.describe_table(TableName=self.table_name)["Table"].get("LatestStreamArn")
            shards = ([shard["ShardId"] for shard in self._streams.describe_stream(StreamArn=arn)
                       ["StreamDescription"]["Shards"]] if arn else [])
            if arn != self._arn:  # the table (and its stream) was made anew: read it from its start
                self._iterators.clear()
            self._arn, self._shard_ids, self._shards_read_at = arn, shards, now
        return self._arn, self._shard_ids

    def _key(self, shard_id: str) -> str:
        return f"{self.name}/{shard_id}"  # several pollers may read the same stream

    def _first_iterator(self, arn: str, shard_id: str) -> str:
        after = self._checkpoints.get(self._key(shard_id))
        if after is not None:
            try:
                return str(self._streams.get_shard_iterator(
                    StreamArn=arn, ShardId=shard_id, ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                    SequenceNumber=after)["ShardIterator"])
            except Exception:
                # Never replay the whole stream (it would send every mail again): start at its end.
                log.warning("stream %s: saved position %s not found; continuing with new records only",
                            self.name, after)
                return str(self._streams.get_shard_iterator(
                    StreamArn=arn, ShardId=shard_id, ShardIteratorType="LATEST")["ShardIterator"])
        return str(self._streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON")["ShardIterator"])

    def _deliver(self, batch: list[dict[str, Any]], arn: str, shard_id: str) -> int:
        size = len(batch)
        for attempt in range(self.max_retries + 1):
            started = time.monotonic()
            try:
                result = self.handler({"Records": batch}, LocalLambdaContext(function_name=self.name))
            except Exception:
                log.exception("stream handler %s failed (attempt %d)", self.name, attempt + 1)
                continue
            took = time.monotonic() - started
            if took > SLOW_BATCH_S:
                log.warning("stream handler %s took %.1f s for %d record(s)", self.name, took, len(batch))
            failures = [f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])]
            if not failures:
                return size
            first = next(i for i, r in enumerate(batch) if r["dynamodb"]["SequenceNumber"] in failures)
            batch = batch[first:]
        log.error("stream handler %s gave up on %d record(s) after %d retries",
                  self.name, len(batch), self.max_retries)
        if self._on_failure is not None:
            from datetime import UTC, datetime

            from helpdesk.platform.redrive import failure_record

            region = self._streams.meta.region_name  # the one this poller reads the stream in
            self._on_failure(failure_record(f"arn:aws:lambda:{region}:123456789012:function:{self.name}", arn,
                                            shard_id, batch, self.max_retries + 1, datetime.now(UTC)))
        return 0

    def poll_if_written(self) -> None:
        """`poll_once`, unless no table was written since a poll found every shard empty. Ten pollers asking
        twice a second were most of what an idle local stack did (moto answering over HTTP, one at a time)."""
        written = self._table_writes() if self._table_writes is not None else None
        if written is not None and written == self._idle_since:
            return
        read_before = self._records_read
        self.poll_once()
        if self._records_read == read_before:
            self._idle_since = written

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_if_written()
            except Exception:
                log.exception("polling the %s stream failed", self.table_name)
                self._shards_read_at = None  # the stream may have changed: ask for its shards again
            self._stop.wait(self.interval)


def start_stream_poller(ctx: LocalStackContext, table_name: str, handler: StreamHandler, name: str,
                        source: StreamSource, *, interval: float = 0.5) -> Callable[[], None]:
    """Start polling `table_name`'s stream into `handler` every `interval` seconds, with the filters of the
    template's `source` event; returns the function that stops it."""
    # the environment already points boto3 at the stack's moto endpoint
    checkpoints = ctx.state.checkpoints if ctx.state is not None else None
    server = ctx.state.server if ctx.state is not None else None
    return StreamPoller(table_name, handler, name, checkpoints=checkpoints, interval=interval,
                        filters=template_filters(ctx.root, source), on_failure=dead_letters(ctx.root, source),
                        table_writes=(lambda: server.table_writes) if server is not None else None).start().stop


def dead_letters(root: Path, source: StreamSource) -> Callable[[dict[str, Any]], None] | None:
    """Where a batch that used up its retries goes: the template's on-failure queue of the event, made in moto under
    its logical id (`helpdesk streams redrive <Function>` finds it there), as Lambda sends it in AWS."""
    import boto3

    from helpdesk.platform.redrive import stream_event

    queue = stream_event(root / "template.yaml", source.function, source.event).dead_letters
    if queue is None:
        return None
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName=queue)["QueueUrl"]
    return lambda record: sqs.send_message(QueueUrl=url, MessageBody=json.dumps(record))


def stop_all(stops: Sequence[Callable[[], None]]) -> Callable[[], None]:
    """One stop function for several pollers (a capability reading more than one stream)."""
    def stop() -> None:
        for one in stops:
            one()

    return stop

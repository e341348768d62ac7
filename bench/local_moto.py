"""What an idle SQS poller costs every other call of the local stack, whose moto answers one request at a time
(`helpdesk/local/moto_server.py`).

One process, one local moto server with a table and an empty queue; a DynamoDB `describe_table` is timed
with no poller running (the baseline), beside the local queue poller as it is (`helpdesk/local/queues.py`:
no wait inside moto, a sleep between empty answers), and beside a poller that long-polls for one second as
the local stack did before 2026-12-02.

    .venv/bin/python bench/local_moto.py [--calls 30]
"""

import argparse
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._common import free_port, summary, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30, help="describe_table calls per setting")
    args = parser.parse_args()
    port = free_port()
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1",
                      AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}")
    import boto3

    from helpdesk.local.moto_server import LocalMotoServer
    from helpdesk.local.queues import QueuePoller

    moto = LocalMotoServer("127.0.0.1", port)
    moto.start()
    dynamodb = boto3.client("dynamodb")
    dynamodb.create_table(TableName="bench", BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="bench")["QueueUrl"]

    def call() -> None:
        dynamodb.describe_table(TableName="bench")

    def beside(poll: Callable[[], object]) -> dict[str, float]:
        stop = threading.Event()

        def run() -> None:
            while not stop.is_set():
                poll()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        try:
            return summary(timed(call, args.calls))
        finally:
            stop.set()
            thread.join(timeout=5)

    poller = QueuePoller(queue_url, lambda event, context: {"batchItemFailures": []}, "bench")
    pause = threading.Event()  # never set: only waited on, as the poller's stop event is

    def as_it_is() -> None:  # QueuePoller._run's loop body: ask, then sleep while the queue is empty
        if not poller.poll_once():
            pause.wait(poller.wait_s)

    def long_poll() -> None:  # the poller before: a one-second wait inside moto, asked again at once
        sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)

    rows = {"no poller (baseline)": summary(timed(call, args.calls)),
            "queue poller as it is": beside(as_it_is),
            "1 s long poll (before)": beside(long_poll)}
    moto.stop()
    base = rows["no poller (baseline)"]["p50_ms"]
    print(f"{'describe_table beside':26} {'p50 ms':>8} {'p99 ms':>8} {'p50 / baseline':>15}")
    for name, row in rows.items():
        print(f"{name:26} {row['p50_ms']:8.1f} {row['p99_ms']:8.1f} {row['p50_ms'] / base:15.1f}")


if __name__ == "__main__":
    main()

"""`helpdesk streams redrive` on moto: a failed batch of the incident solver, as Lambda's on-failure destination
records it (`DDBStreamBatchInfo`: the stream, the shard and the sequence range, not the records), is read back from
the real tickets stream and delivered to `functions/incident_solver` once the cause is gone. Moto's Lambda does not
run event source mappings, so the test writes the queue message Lambda would write, from the stream's own records.
"""

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from typer.testing import CliRunner

from helpdesk import bootstrap
from helpdesk.platform.redrive import Outcome, StreamRedrive
from tests.conftest import claims, http_event
from tests.fakes import seed_directory

AGENT = claims("a1", "acme", "agent")
Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]


def call(invoke: Invoke, method: str, path: str, body: Any = None) -> dict[str, Any]:
    answer = invoke("ticket_commands", http_event(method, path, body=body, claims_=AGENT))
    assert answer["statusCode"] < 300, answer["json"]
    return dict(answer["json"])


def stream_records() -> tuple[str, str, list[dict[str, Any]]]:
    """The tickets stream's ARN, its shard and every record on it so far."""
    from helpdesk.local.streams import streams_client

    table = bootstrap.container().settings.tables.tickets_table
    arn = boto3.client("dynamodb").describe_table(TableName=table)["Table"]["LatestStreamArn"]
    streams = streams_client()
    [shard] = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    return arn, shard["ShardId"], streams.get_records(ShardIterator=iterator)["Records"]


def failed_batch(arn: str, shard: str, first: dict[str, Any], last: dict[str, Any], size: int) -> str:
    """The on-failure record Lambda sends a stream consumer's dead-letter queue when a batch exhausted its retries."""
    return json.dumps({
        "requestContext": {"requestId": "c7a7e5c1-0000-4000-8000-000000000001",
                           "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:helpdesk-IncidentSolver",
                           "condition": "RetryAttemptsExhausted", "approximateInvokeCount": 6},
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "version": "1.0", "timestamp": "2026-12-06T10:00:07.000Z",
        "DDBStreamBatchInfo": {
            "shardId": shard, "startSequenceNumber": first["dynamodb"]["SequenceNumber"],
            "endSequenceNumber": last["dynamodb"]["SequenceNumber"],
            "approximateArrivalOfFirstRecord": "2026-12-06T10:00:00Z",
            "approximateArrivalOfLastRecord": "2026-12-06T10:00:01Z", "batchSize": size, "streamArn": arn}})


@pytest.fixture
def dead_letters(aws: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> str:
    monkeypatch.setenv("HELPDESK_HOME", str(tmp_path))  # this test's moto, never a `helpdesk serve` on this machine
    url: str = boto3.client("sqs").create_queue(QueueName="incident-solver-dlq")["QueueUrl"]
    return url


def redrive(queue: str, *extra: str) -> list[dict[str, Any]]:
    from helpdesk.cli.main import app

    table = bootstrap.container().settings.tables.tickets_table
    result = CliRunner().invoke(app, ["streams", "redrive", "IncidentSolverFunction", "--queue-url", queue,
                                      "--table", f"TicketsTable={table}", *extra])
    assert result.exit_code in (0, 1), result.output
    printed = [json.loads(line) for line in result.output.strip().splitlines()]
    return [p for p in printed if "outcome" in p or "summary" in p]  # not the function's own log lines


def waiting(queue: str) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    return sum(int(v) for v in attributes["Attributes"].values())


def test_a_failed_batch_is_delivered_again_and_leaves_the_queue(aws: None, invoke: Invoke,
                                                                dead_letters: str) -> None:
    seed_directory(bootstrap.container().directory_store, "acme", agents=["a1"])
    incidents = [call(invoke, "POST", "/tickets", {"subject": f"Sync stopped {n}", "description": "d",
                                                   "requester": {"email": f"c{n}@customer.example"}})["id"]
                 for n in (1, 2)]
    problem = call(invoke, "POST", "/tickets", {"subject": "Sync outage", "description": "d"})["id"]
    for incident in incidents:
        call(invoke, "POST", f"/tickets/{problem}/links", {"type": "child", "ticket_id": incident})
    call(invoke, "PATCH", f"/tickets/{problem}", {"status": "resolved"})
    arn, shard, records = stream_records()
    # the batch the solver failed on: from the last link's write (a change it does not read) to the solve
    solved = next(r for r in records if r["eventName"] == "MODIFY"
                  and r["dynamodb"]["NewImage"]["status"]["S"] == "resolved")
    before = records[records.index(solved) - 1]
    boto3.client("sqs").send_message(QueueUrl=dead_letters, MessageBody=failed_batch(arn, shard, before, solved, 2))
    boto3.client("sqs").send_message(QueueUrl=dead_letters, MessageBody=json.dumps({"mail": "an SES failure"}))

    looked = redrive(dead_letters, "--dry-run")

    assert [(r["outcome"], r["records"]) for r in looked[:-1]] == [("found", 1), ("not_a_stream_batch", 0)]
    assert [call(invoke, "GET", f"/tickets/{t}")["status"] for t in incidents] == ["new", "new"]  # nothing sent

    done = redrive(dead_letters)

    outcomes = {r["outcome"]: r["records"] for r in done[:-1]}
    assert outcomes == {"replayed": 1, "not_a_stream_batch": 0}  # the filter's one record of the two
    assert done[-1] == {"summary": {"replayed": 1, "not_a_stream_batch": 1}}
    assert [call(invoke, "GET", f"/tickets/{t}")["status"] for t in incidents] == ["resolved", "resolved"]
    assert waiting(dead_letters) == 1  # the SES failure is not the solver's: it stays for its own replay


def test_a_batch_the_function_fails_again_stays_in_the_queue(aws: None, invoke: Invoke, dead_letters: str) -> None:
    call(invoke, "POST", "/tickets", {"subject": "Sync stopped", "description": "d"})
    ticket = call(invoke, "POST", "/tickets", {"subject": "Printer", "description": "d"})["id"]
    call(invoke, "PATCH", f"/tickets/{ticket}", {"status": "resolved"})
    arn, shard, records = stream_records()
    boto3.client("sqs").send_message(QueueUrl=dead_letters,
                                     MessageBody=failed_batch(arn, shard, records[0], records[-1], len(records)))
    table = bootstrap.container().settings.tables.tickets_table
    from helpdesk.local.streams import RecordFilter, streams_client

    still_failing = {"errorMessage": "ProvisionedThroughputExceededException: rate exceeded"}
    redrive_ = StreamRedrive(boto3.client("sqs"), streams_client(), lambda event: still_failing,
                             {table: RecordFilter(())})

    [result] = redrive_.run(dead_letters)

    assert result.outcome == Outcome.FAILED
    assert result.records == len(records)
    assert "rate exceeded" in result.detail
    assert waiting(dead_letters) == 1


def test_the_stack_names_the_queue_and_tables(aws: None) -> None:
    """`--stack` reads the deployed resources' names from CloudFormation (moto's, with a plain template holding the
    same logical ids: moto does not expand SAM's transform); a queue's physical id is its URL."""
    from helpdesk.platform.cli import _stack_resources

    template = {"Resources": {"IncidentSolverDlq": {"Type": "AWS::SQS::Queue"},
                              "TicketsTable": {"Type": "AWS::DynamoDB::Table", "Properties": {
                                  "TableName": "helpdesk-dev-tickets", "BillingMode": "PAY_PER_REQUEST",
                                  "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                                  "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}}}}
    cloudformation = boto3.client("cloudformation")
    cloudformation.create_stack(StackName="helpdesk-dev", TemplateBody=json.dumps(template))

    physical = _stack_resources(cloudformation, "helpdesk-dev")

    assert physical["TicketsTable"] == "helpdesk-dev-tickets"
    assert physical["IncidentSolverDlq"].startswith("https://")
    assert physical["IncidentSolverDlq"] == boto3.client("sqs").get_queue_url(
        QueueName=physical["IncidentSolverDlq"].rsplit("/", 1)[-1])["QueueUrl"]


@pytest.mark.parametrize(("arguments", "refusal"), [
    (["TicketCommandsFunction", "--queue-url", "q"], "reads no DynamoDB stream"),
    (["IncidentSolverFunction", "--queue-url", "q"], "name --queue-url and --table"),
    (["IncidentSolverFunction", "--table", "TicketsTable=t"], "name --queue-url and --table"),
])
def test_what_cannot_be_redriven_is_refused_before_anything_is_read(arguments: list[str], refusal: str) -> None:
    from helpdesk.cli.main import app

    result = CliRunner().invoke(app, ["streams", "redrive", *arguments])

    assert result.exit_code == 2
    assert refusal in " ".join(result.output.split())


def test_a_run_takes_at_most_its_limit_and_leaves_the_rest_visible(aws: None, invoke: Invoke,
                                                                    dead_letters: str) -> None:
    call(invoke, "POST", "/tickets", {"subject": "Sync stopped", "description": "d"})
    arn, shard, records = stream_records()
    for _ in range(3):
        boto3.client("sqs").send_message(QueueUrl=dead_letters,
                                         MessageBody=failed_batch(arn, shard, records[0], records[-1], 1))

    assert len(redrive(dead_letters, "--dry-run", "--limit", "2")[:-1]) == 2
    assert len(redrive(dead_letters, "--dry-run")[:-1]) == 3  # nothing was hidden by the first run

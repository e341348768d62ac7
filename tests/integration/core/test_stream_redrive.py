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


def outage(invoke: Invoke) -> tuple[str, list[str]]:
    """A problem ticket and its two incidents (the agent who will solve it in the directory)."""
    seed_directory(bootstrap.container().directory_store, "acme", agents=["a1"])
    incidents = [call(invoke, "POST", "/tickets", {"subject": f"Sync stopped {n}", "description": "d",
                                                   "requester": {"email": f"c{n}@customer.example"}})["id"]
                 for n in (1, 2)]
    problem = call(invoke, "POST", "/tickets", {"subject": "Sync outage", "description": "d"})["id"]
    for incident in incidents:
        call(invoke, "POST", f"/tickets/{problem}/links", {"type": "child", "ticket_id": incident})
    return problem, incidents


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
    table = bootstrap.container().settings.tables.tickets_table
    return redrive_locally("--queue-url", queue, "--table", f"TicketsTable={table}", *extra)


def redrive_locally(*extra: str) -> list[dict[str, Any]]:
    from helpdesk.cli.main import app

    result = CliRunner().invoke(app, ["streams", "redrive", "IncidentSolverFunction", *extra])
    assert result.exit_code in (0, 1), result.output
    printed = [json.loads(line) for line in result.output.strip().splitlines()]
    return [p for p in printed if "outcome" in p or "summary" in p]  # not the function's own log lines


def waiting(queue: str) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    return sum(int(v) for v in attributes["Attributes"].values())


def test_a_batch_the_poller_gave_up_on_is_redriven_from_its_queue(aws: None, invoke: Invoke, lambda_context: Any,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Any) -> None:
    """The path end to end as the local stack runs it: the incident solver fails on its batch (DynamoDB throttles
    every read of the problem's log), the poller gives up after its retries and sends Lambda's on-failure record to
    the template's queue; once reads work again, `helpdesk streams redrive` (no queue or table named: the local
    ones) delivers the batch and the incidents are solved."""
    from botocore.exceptions import ClientError

    from helpdesk.local.streams import StreamPoller, StreamSource, dead_letters
    from tests.conftest import ROOT, load_function
    from tests.template import stream_filters

    monkeypatch.setenv("HELPDESK_HOME", str(tmp_path))  # this test's moto, never a `helpdesk serve` on this machine
    problem, incidents = outage(invoke)
    service = bootstrap.container().ticket_service
    read_log, throttled = service.events, [True]

    def events(caller: Any, ticket_id: str, **kwargs: Any) -> Any:
        if throttled[0]:
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow"}}, "Query")
        return read_log(caller, ticket_id, **kwargs)

    monkeypatch.setattr(service, "events", events)
    source = StreamSource("IncidentSolverFunction", "ProblemsSolved")
    poller = StreamPoller(bootstrap.container().settings.tables.tickets_table,
                          lambda event, _: load_function("incident_solver").lambda_handler(event, lambda_context),
                          "incident-solver", max_retries=1, filters=stream_filters(source.function, source.event),
                          on_failure=dead_letters(ROOT, source))
    call(invoke, "PATCH", f"/tickets/{problem}", {"status": "resolved"})
    while poller.poll_once():
        pass
    queue = boto3.client("sqs").get_queue_url(QueueName="IncidentSolverDlq")["QueueUrl"]
    assert waiting(queue) == 1  # Lambda's record of the batch, not the batch
    assert [call(invoke, "GET", f"/tickets/{t}")["status"] for t in incidents] == ["new", "new"]

    looked = redrive_locally("--dry-run")
    throttled[0] = False
    done = redrive_locally()

    assert [(r["outcome"], r["records"]) for r in looked[:-1]] == [("found", 1)]
    assert [(r["outcome"], r["records"]) for r in done[:-1]] == [("replayed", 1)]
    assert [call(invoke, "GET", f"/tickets/{t}")["status"] for t in incidents] == ["resolved", "resolved"]
    assert waiting(queue) == 0


def test_a_failed_batch_is_delivered_again_and_leaves_the_queue(aws: None, invoke: Invoke,
                                                                dead_letters: str) -> None:
    """A queue named, holding Lambda's record of a batch (from the stream's own records: moto runs no event
    source mapping) beside a message that is no stream batch (mail ingest's share a queue)."""
    problem, incidents = outage(invoke)
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
    (["TicketCommandsFunction"], "reads no DynamoDB stream"),
    (["IncidentSolverFunction"], "no queue IncidentSolverDlq here"),  # nothing failed here yet
])
def test_what_cannot_be_redriven_is_refused_before_anything_is_read(aws: None, arguments: list[str], refusal: str,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Any) -> None:
    from helpdesk.cli.main import app

    monkeypatch.setenv("HELPDESK_HOME", str(tmp_path))

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

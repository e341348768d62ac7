"""The local stream poller delivers DynamoDB stream records to a handler like Lambda does."""

from typing import Any

from helpdesk import bootstrap
from helpdesk.kernel.principal import Principal, Role
from helpdesk.local.streams import StreamPoller
from helpdesk.tickets.service import CreateTicket

CUSTOMER = Principal(user_id="c1", tenant_id="acme", role=Role.CUSTOMER)


def test_poller_delivers_inserts_and_retries_reported_failures(aws: None) -> None:
    seen: list[str] = []
    calls = {"n": 0}

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls["n"] += 1
        records = event["Records"]
        assert context.aws_request_id
        if calls["n"] == 1:  # fail the second record once: it and the ones after come back
            return {"batchItemFailures": [{"itemIdentifier": records[1]["dynamodb"]["SequenceNumber"]}]}
        seen.extend(f'{r["eventName"]}:{r["dynamodb"]["NewImage"]["number"]["N"]}' for r in records)
        return {"batchItemFailures": []}

    service = bootstrap.container().ticket_service
    for i in range(3):
        service.create(CUSTOMER, CreateTicket(subject=f"s{i}", description="d"))
    poller = StreamPoller(bootstrap.container().settings.tables.tickets_table, handler, "test")
    delivered = poller.poll_once()
    assert delivered == 3
    assert calls["n"] == 2
    assert seen == ["INSERT:2", "INSERT:3"]  # the retried tail, in order
    assert poller.poll_once() == 0  # nothing new: the iterator moved on


def test_the_poller_still_sees_new_records_after_a_failed_transaction(aws: None) -> None:
    """moto puts back deep copies of a failed transaction's tables, stream shard included: the poller's iterator
    read a dead shard from then on (search and triage stopped in the local stack). `keep_streams_across_rollbacks`,
    which the local moto server applies, keeps the live shard without the rolled-back records."""
    import boto3
    import pytest
    from botocore.exceptions import ClientError

    from helpdesk.local.moto_streams import keep_streams_across_rollbacks

    keep_streams_across_rollbacks()
    seen: list[str] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.extend(r["dynamodb"]["NewImage"]["number"]["N"] for r in event["Records"])
        return {"batchItemFailures": []}

    service = bootstrap.container().ticket_service
    table = bootstrap.container().settings.tables.tickets_table
    service.create(CUSTOMER, CreateTicket(subject="before", description="d"))
    poller = StreamPoller(table, handler, "test")
    poller.poll_once()
    assert seen == ["1"]

    dynamodb = boto3.client("dynamodb")
    keys = [k["AttributeName"] for k in dynamodb.describe_table(TableName=table)["Table"]["KeySchema"]]
    [existing] = dynamodb.scan(TableName=table)["Items"]
    key = {k: existing[k] for k in keys}
    with pytest.raises(ClientError, match="TransactionCanceled"):  # a write, then a check that fails: rolled back
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {**existing, keys[0]: {"S": "rolled-back"}, "number": {"N": "99"}}}},
            {"ConditionCheck": {"TableName": table, "Key": key,
                                "ConditionExpression": f"attribute_not_exists({keys[0]})"}},
        ])

    service.create(CUSTOMER, CreateTicket(subject="after", description="d"))
    poller.poll_once()
    assert seen == ["1", "2"]  # the rolled-back write (99) never reaches the stream

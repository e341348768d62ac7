"""Uploads nobody finished: the real upload_sweeper handler on moto, fed the meta table's stream records as DynamoDB
sends them when its TTL removes a pending upload record (moto runs no TTL: the record is read from the table, deleted,
and its image put in the sample event of `events/upload_sweeper`)."""

import json
from collections.abc import Callable
from typing import Any

import boto3

from helpdesk import bootstrap
from tests.conftest import EVENTS
from tests.integration.core.test_attachments_api import AGENT, BUCKET, PNG, _ticket, _upload, api  # noqa: F401

Invoke = Callable[..., dict[str, Any]]
TTL = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}


def removed(pk: str, sk: str, identity: dict[str, str] | None = TTL) -> dict[str, Any]:
    """The stream record of the meta item's removal (by TTL unless told), its old image the item as stored."""
    ddb = boto3.client("dynamodb")
    table = bootstrap.container().settings.tables.meta_table
    item = ddb.get_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"S": sk}}, ConsistentRead=True)["Item"]
    ddb.delete_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"S": sk}})
    event: dict[str, Any] = json.loads((EVENTS / "upload_sweeper" / "ttl_removed_upload.json").read_text())
    record = event["Records"][0]
    record["dynamodb"]["Keys"] = {"pk": item["pk"], "sk": item["sk"]}
    record["dynamodb"]["OldImage"] = item
    if identity is None:
        del record["userIdentity"]
    else:
        record["userIdentity"] = identity
    return event


def sweep(invoke: Invoke, event: dict[str, Any]) -> list[Any]:
    """The handler's partial batch answer: the records to retry."""
    answer = invoke("upload_sweeper", event)
    return list(answer["batchItemFailures"])


def stored(key: str, bucket: str = BUCKET) -> bool:
    return bool(boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix=key).get("KeyCount"))


def test_an_upload_nobody_sent_is_deleted_when_its_record_expires(api: Any, invoke: Invoke) -> None:  # noqa: F811
    ticket_id = _ticket(api)
    abandoned, sent, removed_by_hand = (_upload(api, ticket_id, AGENT) for _ in range(3))
    assert api("POST", f"/tickets/{ticket_id}/messages", AGENT,
               {"body": "The guide", "public": True, "attachment_ids": [sent]})["statusCode"] == 201
    records = bootstrap.container().attachment_records
    keys = {a: records.get("acme", ticket_id, a).key for a in (abandoned, sent, removed_by_hand)}  # type: ignore
    assert all(stored(key) for key in keys.values())

    assert sweep(invoke, removed(f"ATT#acme#{ticket_id}", abandoned)) == []
    assert not stored(keys[abandoned])
    # A taken file's record has no TTL; were it left pending (marking it taken failed after the message was
    # written), its object stays: the message names it.
    ddb, table = boto3.client("dynamodb"), bootstrap.container().settings.tables.meta_table
    item = {"pk": {"S": f"ATT#acme#{ticket_id}"}, "sk": {"S": sent}}
    data = json.loads(ddb.get_item(TableName=table, Key=item)["Item"]["data"]["S"])
    ddb.put_item(TableName=table, Item={**item, "data": {"S": json.dumps({**data, "status": "pending"})}})
    assert sweep(invoke, removed(f"ATT#acme#{ticket_id}", sent)) == []
    assert stored(keys[sent])
    # A removal by a person or a program (not TTL) is not an expiry: nothing is deleted.
    assert sweep(invoke, removed(f"ATT#acme#{ticket_id}", removed_by_hand, identity=None)) == []
    assert stored(keys[removed_by_hand])
    # The sample event of `sam local invoke` runs through the handler too (its object was never stored).
    assert sweep(invoke, json.loads((EVENTS / "upload_sweeper" / "ttl_removed_upload.json").read_text())) == []

"""Breaker state shared by every container, as small items of the Meta table (TTL: `expires_at`):

  pk `BREAKER#<name>`  sk `STATE`               value: open until (epoch seconds)
  pk `BREAKER#<name>`  sk `FAILURES#<window>`   value: failures counted in that window (atomic ADD)

A low-level boto3 client with its own tight timeouts and a single attempt, not the PynamoDB model: the
model's timeouts are set per table class for the whole process, and the breaker must never wait on its
store longer than on the dependency it guards. DynamoDB deletes expired items within days, not on time,
so readers compare `value` with the clock themselves; the TTL only keeps the table clean.
"""

from typing import TYPE_CHECKING, Any

from helpdesk.assistant.ports import SharedBreakerState

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables

TTL_MARGIN_S = 3600
STATE = "STATE"


class DynamoBreakerStore:
    """Implements `helpdesk.assistant.ports.BreakerStateStore` on the Meta table."""

    def __init__(self, tables: "Tables", client: Any = None, *, timeout_s: float = 0.5) -> None:
        self._table = tables.meta.Meta.table_name
        self._region = tables.meta.Meta.region
        self._client = client
        self._timeout_s = timeout_s

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3
            from botocore.config import Config

            self._client = boto3.client("dynamodb", region_name=self._region, config=Config(
                connect_timeout=self._timeout_s, read_timeout=self._timeout_s,
                retries={"max_attempts": 1, "mode": "standard"}))
        return self._client

    def read(self, name: str) -> SharedBreakerState | None:
        item = self.client.get_item(TableName=self._table, Key=_key(name, STATE)).get("Item")
        if not item or "value" not in item:
            return None
        return SharedBreakerState(open_until=float(item["value"]["N"]))

    def add_failure(self, name: str, now: float, window_s: float) -> int:
        window = int(now // window_s)
        response = self.client.update_item(
            TableName=self._table, Key=_key(name, f"FAILURES#{window}"),
            UpdateExpression="ADD #v :one SET expires_at = :ttl",
            ExpressionAttributeNames={"#v": "value"},
            ExpressionAttributeValues={":one": {"N": "1"},
                                       ":ttl": {"N": str(int((window + 1) * window_s) + TTL_MARGIN_S)}},
            ReturnValues="UPDATED_NEW")
        return int(response["Attributes"]["value"]["N"])

    def open(self, name: str, until: float) -> None:
        self.client.put_item(TableName=self._table, Item={
            **_key(name, STATE), "value": {"N": repr(until)}, "expires_at": {"N": str(int(until) + TTL_MARGIN_S)}})

    def claim_trial(self, name: str, now: float, until: float) -> bool:
        try:
            self.client.update_item(
                TableName=self._table, Key=_key(name, STATE),
                UpdateExpression="SET #v = :until, expires_at = :ttl",
                ConditionExpression="attribute_exists(pk) AND #v <= :now",  # the open period is over
                ExpressionAttributeNames={"#v": "value"},
                ExpressionAttributeValues={":until": {"N": repr(until)}, ":now": {"N": repr(now)},
                                           ":ttl": {"N": str(int(until) + TTL_MARGIN_S)}})
        except self.client.exceptions.ConditionalCheckFailedException:
            # Someone else holds the trial, or a trial already closed the breaker (no item: go ahead).
            return self.read(name) is None
        return True

    def close(self, name: str) -> None:
        self.client.delete_item(TableName=self._table, Key=_key(name, STATE))


def _key(name: str, sk: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": f"BREAKER#{name}"}, "sk": {"S": sk}}

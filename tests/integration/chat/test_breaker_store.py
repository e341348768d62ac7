"""The breaker state store on moto's Meta table: the fleet's failure count per window, open until a time,
one trial claimed once the open period is over, closed by deleting the state, TTL on every item."""

from typing import Any

import boto3

from helpdesk import bootstrap
from helpdesk.assistant.adapters.dynamo_breaker import DynamoBreakerStore
from helpdesk.assistant.ports import SharedBreakerState

NOW = 1_800_000_000.0


def item(name: str, sk: str) -> dict[str, Any] | None:
    table = bootstrap.container().tables.meta.Meta.table_name
    found = boto3.client("dynamodb").get_item(
        TableName=table, Key={"pk": {"S": f"BREAKER#{name}"}, "sk": {"S": sk}}).get("Item")
    return dict(found) if found is not None else None


def test_failures_count_per_window_for_everyone(aws: None) -> None:
    one, other = DynamoBreakerStore(bootstrap.container().tables), DynamoBreakerStore(bootstrap.container().tables)
    assert one.add_failure("llm", NOW, 60) == 1
    assert other.add_failure("llm", NOW + 1, 60) == 2  # another container, same window
    assert one.add_failure("retrieval", NOW, 60) == 1  # another dependency
    assert one.add_failure("llm", NOW + 60, 60) == 1  # a new window starts from zero
    counted = item("llm", f"FAILURES#{int(NOW // 60)}")
    assert counted is not None
    assert int(counted["expires_at"]["N"]) > NOW + 60  # swept by DynamoDB's TTL afterwards


def test_open_claim_and_close(aws: None) -> None:
    store = DynamoBreakerStore(bootstrap.container().tables)
    assert store.read("llm") is None
    assert store.claim_trial("llm", NOW, NOW + 5) is True  # closed: nothing to claim, go ahead
    assert store.read("llm") is None  # ... and the claim did not open it

    store.open("llm", NOW + 30)
    assert store.read("llm") == SharedBreakerState(open_until=NOW + 30)
    assert store.claim_trial("llm", NOW + 10, NOW + 15) is False  # still open
    assert store.claim_trial("llm", NOW + 31, NOW + 36) is True  # over: this container tries
    assert store.claim_trial("llm", NOW + 32, NOW + 37) is False  # the others wait for its verdict
    assert store.read("llm") == SharedBreakerState(open_until=NOW + 36)
    state = item("llm", "STATE")
    assert state is not None
    assert int(state["expires_at"]["N"]) >= NOW + 36

    store.close("llm")
    assert store.read("llm") is None

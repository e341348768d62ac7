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

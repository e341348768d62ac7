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


def _import_one(ticket_id: str) -> None:
    """A ticket with a public reply written as `helpdesk import` writes them (imported: true on every item)."""
    from datetime import UTC, datetime

    from helpdesk.tickets.history import EventType, TicketEvent
    from helpdesk.tickets.model import ImportOrigin, Requester, Status, Ticket

    at = datetime(2025, 3, 1, tzinfo=UTC)
    requester = Requester(email="old@example.com")
    ticket = Ticket(id=ticket_id, number=900, tenant_id="acme", subject="from before", description="d",
                    status=Status.OPEN, requester=requester, group="billing", created_at=at, updated_at=at,
                    imported_from=ImportOrigin(source="zendesk", id="7", number="7", imported_at=at))
    events = [TicketEvent(ticket_id=ticket_id, tenant_id="acme", type=EventType.CREATED, actor=requester.id, at=at,
                          data={"subject": ticket.subject}),
              TicketEvent(ticket_id=ticket_id, tenant_id="acme", type=EventType.PUBLIC_MESSAGE, actor="agent-1",
                          at=at, data={"body": "an old answer"})]
    bootstrap.container().ticket_repository.add_imported(ticket, events)


def test_the_poller_delivers_what_the_templates_filters_let_through(aws: None) -> None:
    """The local stack's pollers stand for the template's event source mappings: a record their FilterCriteria
    drop never reaches the handler (here: the mail function's, which takes new messages and status, assignee and
    group changes, and no imported history)."""
    from helpdesk.tickets.service import UpdateTicket
    from tests.template import stream_filters

    seen: list[str] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.extend(f'{r["eventName"]}:{r["dynamodb"]["NewImage"]["type"]["S"]}' for r in event["Records"])
        return {"batchItemFailures": []}

    container = bootstrap.container()
    ticket = container.ticket_service.create(CUSTOMER, CreateTicket(subject="new", description="d"))
    agent = Principal(user_id="a1", tenant_id="acme", role=Role.AGENT)
    container.ticket_service.update(agent, ticket.id, UpdateTicket(tags=["vip"]))  # tags_changed: not mail's
    _import_one("imported-1")
    table = container.settings.tables.ticket_events_table
    poller = StreamPoller(table, handler, "test", filters=stream_filters("EmailSendFunction", "AgentReplies"))
    assert poller.poll_once() == 1
    assert seen == ["INSERT:created"]
    assert poller.poll_once() == 0  # the filtered records were passed, not kept for later

    everything: list[str] = []
    unfiltered = StreamPoller(table, lambda event, _: everything.extend(r["eventName"] for r in event["Records"]),
                              "all")
    assert unfiltered.poll_once() == 4  # created, tags_changed, the imported created and reply


def test_a_poller_for_an_event_the_template_lacks_fails_at_start() -> None:
    from pathlib import Path

    import pytest

    from helpdesk.local.streams import StreamSource, template_filters

    root = Path(__file__).resolve().parents[3]
    with pytest.raises(LookupError, match="NoSuchEvent"):
        template_filters(root, StreamSource("EmailSendFunction", "NoSuchEvent"))
    assert template_filters(root, StreamSource("TicketIndexerFunction", "TicketChanges")) == []  # no filter: all

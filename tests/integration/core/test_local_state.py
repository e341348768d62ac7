"""The local stack's saved state: moto's DynamoDB, S3 and SES come back as they were, stream pollers
continue where they stopped, nothing is written when nothing changed, and a bad file fails clearly."""

import threading
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.core.base_backend import BackendDict

from helpdesk import bootstrap
from helpdesk.kernel.principal import Principal, Role
from helpdesk.local.moto_server import _changes_state, _Serialised
from helpdesk.local.persistence import LocalState, StateUnreadable
from helpdesk.local.streams import StreamPoller
from helpdesk.tickets.service import CreateTicket
from tests.conftest import rebuild

CUSTOMER = Principal(user_id="c1", tenant_id="acme", role=Role.CUSTOMER)
BUCKET = "helpdesk-mail-test"


class _Server:
    """What LocalState needs of the moto server: its request lock and its count of changes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.changes = 0


def _forget_everything() -> None:
    """What a process exit does to moto's in-memory state."""
    BackendDict.reset()


def test_round_trip_of_tickets_mail_and_counters(aws: None, tmp_path: Path) -> None:
    service = bootstrap.container().ticket_service
    first = service.create(CUSTOMER, CreateTicket(subject="Printer", description="jams"))
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="inbound/1", Body=b"raw mail")
    ses = boto3.client("ses")
    ses.verify_email_identity(EmailAddress="support@acme.example")
    ses.send_email(Source="support@acme.example", Destination={"ToAddresses": ["dana@example.com"]},
                   Message={"Subject": {"Data": "Re: Printer"}, "Body": {"Text": {"Data": "Fixed."}}})
    server = _Server()
    server.changes = 5
    state = LocalState(tmp_path, server)  # type: ignore[arg-type]
    state.checkpoints["email-send/shard-1"] = "42"
    assert state.save()
    assert state.path.stat().st_mode & 0o777 == 0o600

    _forget_everything()
    restored = LocalState(tmp_path, _Server())  # type: ignore[arg-type]
    assert restored.restore()
    assert restored.checkpoints == {"email-send/shard-1": "42"}
    rebuild()
    service = bootstrap.container().ticket_service
    assert service.get(CUSTOMER, first.id).subject == "Printer"
    assert service.create(CUSTOMER, CreateTicket(subject="Toner", description="empty")).number == 2
    assert s3.get_object(Bucket=BUCKET, Key="inbound/1")["Body"].read() == b"raw mail"
    assert ses.get_send_quota()["SentLast24Hours"] == 1
    assert "support@acme.example" in ses.list_identities()["Identities"]


def test_saves_only_when_something_changed_and_reset_forgets(aws: None, tmp_path: Path) -> None:
    server = _Server()
    state = LocalState(tmp_path, server)  # type: ignore[arg-type]
    assert state.save()  # no file yet: the first save always writes
    assert not state.save()  # nothing answered since
    server.changes += 1
    assert state.save()
    assert state.stats.saves == 2
    state.reset()
    assert not state.path.exists()
    assert not LocalState(tmp_path, server).restore()  # type: ignore[arg-type]


def test_an_unreadable_state_fails_clearly(tmp_path: Path) -> None:
    (tmp_path / "moto-state.pickle").write_bytes(b"not a pickle")
    with pytest.raises(StateUnreadable, match="cannot restore the local state"):
        LocalState(tmp_path, _Server()).restore()  # type: ignore[arg-type]


@pytest.mark.parametrize(("method", "target", "changes"), [
    ("POST", "DynamoDB_20120810.PutItem", True),
    ("POST", "DynamoDB_20120810.TransactWriteItems", True),
    ("POST", "DynamoDB_20120810.Query", False),
    ("POST", "DynamoDB_20120810.DescribeTable", False),
    ("POST", "DynamoDBStreams_20120810.GetShardIterator", False),
    ("GET", "", False),  # S3 reads, moto's own API
    ("PUT", "", True),  # S3 writes
    ("POST", "", True),  # query-protocol services (SES, SNS): counted, they are rare locally
    ("POST", "AmazonSQS.ReceiveMessage", False),  # the queue pollers' receives: an idle stack saved every 4 s
    ("POST", "AmazonSQS.DeleteMessageBatch", True),
    ("POST", "AmazonSQS.SendMessage", True),
])
def test_which_requests_count_as_changes(method: str, target: str, changes: bool) -> None:
    environ: dict[str, Any] = {"REQUEST_METHOD": method}
    if target:
        environ["HTTP_X_AMZ_TARGET"] = target
    assert _changes_state(environ) is changes


def test_the_server_counts_changes_and_of_them_the_table_writes() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        return [b"{}"]

    server = _Serialised(app)
    for target in ("DynamoDB_20120810.PutItem", "AmazonSQS.SendMessage", "DynamoDB_20120810.Query",
                   "DynamoDBStreams_20120810.GetRecords", "DynamoDB_20120810.TransactWriteItems",
                   "AmazonSQS.ReceiveMessage"):
        server({"REQUEST_METHOD": "POST", "HTTP_X_AMZ_TARGET": target}, lambda *a: None)
    assert (server.changes, server.table_writes) == (3, 2)


def test_a_poller_asks_moto_again_only_after_a_table_write(aws: None) -> None:
    """An idle local stack's ten pollers asked moto twice a second each; given the server's count of table writes,
    a poller that found nothing waits for the count to move, and misses nothing."""
    seen: list[str] = []
    writes = {"count": 0}

    def handler(event: dict[str, Any], context: Any) -> None:
        seen.extend(r["dynamodb"]["NewImage"]["number"]["N"] for r in event["Records"])

    def create(subject: str) -> None:
        bootstrap.container().ticket_service.create(CUSTOMER, CreateTicket(subject=subject, description="d"))
        writes["count"] += 1

    table = bootstrap.container().settings.tables.tickets_table
    create("first")
    poller = StreamPoller(table, handler, "triage", table_writes=lambda: writes["count"])
    asked = {"get_records": 0}
    get_records = poller._streams.get_records

    def counted(**kwargs: Any) -> Any:
        asked["get_records"] += 1
        return get_records(**kwargs)

    poller._streams.get_records = counted
    poller.poll_if_written()
    assert seen == ["1"]
    poller.poll_if_written()  # nothing new: found empty
    asked_when_idle = asked["get_records"]
    for _ in range(5):
        poller.poll_if_written()
    assert asked["get_records"] == asked_when_idle  # no write since: moto is not asked
    create("second")
    poller.poll_if_written()
    assert seen == ["1", "2"]


def test_a_poller_continues_after_its_saved_position(aws: None) -> None:
    seen: list[str] = []

    def handler(event: dict[str, Any], context: Any) -> None:
        seen.extend(r["dynamodb"]["NewImage"]["number"]["N"] for r in event["Records"])

    service = bootstrap.container().ticket_service
    table = bootstrap.container().settings.tables.tickets_table
    for i in range(2):
        service.create(CUSTOMER, CreateTicket(subject=f"s{i}", description="d"))
    checkpoints: dict[str, str] = {}
    assert StreamPoller(table, handler, "triage", checkpoints=checkpoints).poll_once() == 2
    assert checkpoints
    assert all(key.startswith("triage/") for key in checkpoints)

    service.create(CUSTOMER, CreateTicket(subject="s2", description="d"))
    restarted = StreamPoller(table, handler, "triage", checkpoints=checkpoints)  # a new process, same state
    assert restarted.poll_once() == 1
    assert seen == ["1", "2", "3"]  # nothing delivered twice
    other = StreamPoller(table, handler, "mail", checkpoints=checkpoints)  # another consumer: its own position
    assert other.poll_once() == 3


def test_a_state_with_sqs_queues_can_be_saved(aws: None) -> None:
    """moto's SQS queue holds a threading.Condition (its receive waiters): the snapshot keeps the queue anyway."""
    import pickle

    from helpdesk.local.persistence import _dumps, collect

    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="helpdesk-webhooks")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="kept")
    with pytest.raises(TypeError):  # what the snapshot met before
        pickle.dumps(collect())
    restored = pickle.loads(_dumps({"services": collect()}))
    queues = [q for regions in restored["services"]["sqs"].values() for b in regions.values() for q in b.queues]
    assert queues == ["helpdesk-webhooks"]


def test_snapshots_hold_moto_at_most_a_tenth_of_the_time() -> None:
    """A save that held moto's request lock long is followed by a longer pause: the stack's requests and pollers
    wait behind it."""
    from helpdesk.local.persistence import MAX_LOCKED_SHARE, next_save_in

    assert next_save_in(2.0, 0.02) == 2.0  # an idle machine: the configured interval
    for locked in (0.5, 1.2, 3.4):
        pause = next_save_in(2.0, locked)
        assert locked / (locked + pause) <= MAX_LOCKED_SHARE + 1e-9
    assert next_save_in(2.0, 1.2) == pytest.approx(10.8)

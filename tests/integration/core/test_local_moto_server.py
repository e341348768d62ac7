"""The local stack's moto server keeps a client's connection between calls (moto's own server closed it after every
answer: a TCP connection and a thread per AWS call of the stack) and stops although clients still hold theirs."""

import socket
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import urllib3.connection
from botocore.exceptions import EndpointConnectionError

from helpdesk.local.moto_server import LocalMotoServer
from tests.e2e.conftest import free_port


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalMotoServer]:
    for name, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    moto = LocalMotoServer("127.0.0.1", free_port())
    moto.start()
    yield moto
    moto.stop()


def _client(server: LocalMotoServer, service: str) -> Any:
    return boto3.client(service, endpoint_url=f"http://127.0.0.1:{server.port}")  # type: ignore[call-overload]


def test_a_clients_calls_share_one_connection(server: LocalMotoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[int] = []
    connect = urllib3.connection.HTTPConnection.connect

    def counting(self: urllib3.connection.HTTPConnection) -> None:
        opened.append(server.port)
        connect(self)

    monkeypatch.setattr(urllib3.connection.HTTPConnection, "connect", counting)
    dynamodb, sqs = _client(server, "dynamodb"), _client(server, "sqs")
    table = f"t-{uuid.uuid4().hex}"  # moto's state is the process's: tests before may have made tables
    dynamodb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    for number in range(5):
        dynamodb.put_item(TableName=table, Item={"pk": {"S": str(number)}})
    assert dynamodb.get_item(TableName=table, Key={"pk": {"S": "4"}})["Item"] == {"pk": {"S": "4"}}
    queue = sqs.create_queue(QueueName="q")["QueueUrl"]
    for _ in range(3):
        assert sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=0).get("Messages", []) == []

    assert len(opened) == 2  # one per client, kept across its calls
    assert server.changes == 7  # the stack's counters see every call as before
    assert server.table_writes == 6


def test_stop_closes_the_port_and_the_connections_clients_keep(server: LocalMotoServer) -> None:
    dynamodb = _client(server, "dynamodb")
    assert "TableNames" in dynamodb.list_tables()  # the client now holds an open connection
    server.stop()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", server.port), timeout=2):
        pass
    with pytest.raises(EndpointConnectionError):  # its kept connection was closed too: nothing answers any more
        dynamodb.list_tables()
    assert not [thread for thread in threading.enumerate() if thread.name == "moto" and thread.is_alive()]


def test_stop_wakes_the_loop_even_when_the_loop_sees_the_flag_first(server: LocalMotoServer,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # A loaded machine once ran the loop's next turn between stop's flag and its wake-up write: the loop closed the
    # trigger's pipe and the write failed (EBADF). Here the write is late on purpose: longer than a turn's timeout.
    waitress = server._server
    assert waitress is not None
    pull = waitress.pull_trigger

    def late_pull() -> None:
        threading.Event().wait(1.5)
        pull()

    monkeypatch.setattr(waitress, "pull_trigger", late_pull)
    server.stop()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", server.port), timeout=2):
        pass

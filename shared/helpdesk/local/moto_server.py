"""moto in server mode for the local stack, one request at a time.

moto's backends are not thread-safe (a DynamoDB transaction deep-copies the tables it touches while
other requests may be changing them), and the local stack has several threads calling it at once:
the API, stream pollers, the SLA scheduler, SMTP. A lock around the WSGI app makes moto behave like
one consistent service; local traffic is small, so serialising it costs nothing noticeable.

moto's own server is Werkzeug's development server, which closes the connection after every answer (on purpose:
http.server cannot drain an unread request body), so each AWS call of the stack opened a TCP connection and a thread
(an idle stack left about 200 sockets in TIME-WAIT). The stack serves moto's WSGI app with waitress instead: the
clients keep their connections, a few threads take the requests (one at a time behind the lock anyway), and
`bench/local_moto_server.py` measures the difference. waitress drops request headers with an underscore in their
name (moto's handler keeps them for S3 metadata keys); the stack's metadata keys use dashes.

The same lock lets `local/persistence.py` take a consistent snapshot of moto's state, and the count of
requests that may have changed something tells it whether there is anything new to save. The count of those sent
to DynamoDB tells the stream pollers (`local/streams.py`) whether a stream can hold anything they have not read.
"""

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server

from helpdesk.local.moto_streams import keep_streams_across_rollbacks

# Operations that never change state (JSON protocols name them in X-Amz-Target): polling streams and
# reading tables must not make the snapshot thread save again.
_READ_PREFIXES = ("Get", "BatchGet", "TransactGet", "Query", "Scan", "Describe", "List")
# A receive changes only when the message may be received again, which a restart may forget (SQS delivers at least
# once anyway, and the handler's delete is a change). Counted, the queue pollers' receives (one a second each) made
# an idle stack snapshot all of moto every few seconds.
_NOT_CHANGES = frozenset({"AmazonSQS.ReceiveMessage"})


def _changes_state(environ: dict[str, Any]) -> bool:
    if environ.get("REQUEST_METHOD", "GET") in ("GET", "HEAD", "OPTIONS"):
        return False
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    if target in _NOT_CHANGES:
        return False
    service, _, operation = target.partition(".")
    if service.startswith("DynamoDBStreams"):
        return False  # shard iterators only; records are written by the table they belong to
    return not (operation and operation.startswith(_READ_PREFIXES))


def _writes_tables(environ: dict[str, Any]) -> bool:
    """A DynamoDB request that may write items or tables: the only thing that adds records to a stream."""
    return str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith("DynamoDB_") and _changes_state(environ)


class _Dispatcher(DomainDispatcherApplication):
    """moto's dispatcher, remembering which backend answers a host: moto finds out anew for every request, listing
    its package folder (about 150 entries, a stat each) and matching the URL patterns of every service."""

    def __init__(self) -> None:
        super().__init__(create_backend_app)
        self._backends: dict[str | None, Any] = {}

    def get_backend_for_host(self, host: str | None) -> Any:
        if host not in self._backends:  # called under moto's lock: no two threads fill it at once
            self._backends[host] = super().get_backend_for_host(host)
        return self._backends[host]


class _Serialised:
    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.changes = 0  # requests that may have changed state, counted once they are answered
        self.table_writes = 0  # of those, the ones to DynamoDB

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self.lock:
            body = list(self.app(environ, start_response))  # drain inside the lock
            if _changes_state(environ):
                self.changes += 1
                if _writes_tables(environ):
                    self.table_writes += 1
            return body


class LocalMotoServer:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._server: BaseWSGIServer | None = None
        self._stopping = threading.Event()
        self._closing = threading.Lock()  # the loop's close_all waits for stop's wake-up write to the trigger's fd
        self._connections: dict[int, Any] = {}  # waitress's socket map (fd -> dispatcher): the listener and clients
        self._thread: threading.Thread | None = None
        keep_streams_across_rollbacks()
        self.app = _Serialised(_Dispatcher())

    @property
    def lock(self) -> threading.Lock:
        """Held while moto answers a request: hold it to read moto's state as one consistent whole."""
        return self.app.lock

    @property
    def changes(self) -> int:
        """How many answered requests may have changed state so far (read it under `lock`)."""
        return self.app.changes

    @property
    def table_writes(self) -> int:
        """How many answered DynamoDB requests may have written so far: while it stands still, no stream has a
        record it did not have before."""
        return self.app.table_writes

    def start(self) -> None:
        # The stack's clients (a botocore pool per thread and poller) keep their connections: waitress's default
        # limit of 100 is too low for them. A connection idle for a minute is closed; botocore reconnects.
        server = create_server(self.app, map=self._connections, host=self.host, port=self.port, threads=4,
                               connection_limit=1000, channel_timeout=60, ident="moto")
        assert isinstance(server, BaseWSGIServer)  # one address, one server
        logging.getLogger("waitress").setLevel(logging.ERROR)  # "Serving on", and queue depth: moto answers serially
        self._server = server
        self._thread = threading.Thread(target=self._serve, name="moto", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        """waitress's loop, a turn at a time, so that its own thread closes the sockets once asked to stop: closed from
        another thread, a socket the loop is waiting on fails its select (EBADF)."""
        while not self._stopping.is_set():
            wasyncore.loop(timeout=1.0, map=self._connections, count=1)
        with self._closing:
            wasyncore.close_all(self._connections)  # the listener and every connection a client kept

    def stop(self) -> None:
        if self._server is not None:
            with self._closing:  # else the loop, seeing the flag first, may close the trigger before it is pulled
                self._stopping.set()
                self._server.pull_trigger()  # wakes the loop at once
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server.task_dispatcher.shutdown()
            self._server, self._thread = None, None

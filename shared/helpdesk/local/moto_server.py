"""moto in server mode for the local stack, one request at a time.

moto's backends are not thread-safe (a DynamoDB transaction deep-copies the tables it touches while
other requests may be changing them), and the local stack has several threads calling it at once:
the API, stream pollers, the SLA scheduler, SMTP. A lock around the WSGI app makes moto behave like
one consistent service; local traffic is small, so serialising it costs nothing noticeable.

The same lock lets `local/persistence.py` take a consistent snapshot of moto's state, and the count of
requests that may have changed something tells it whether there is anything new to save. The count of those sent
to DynamoDB tells the stream pollers (`local/streams.py`) whether a stream can hold anything they have not read.
"""

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

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
        self._thread: threading.Thread | None = None
        keep_streams_across_rollbacks()
        self.app = _Serialised(DomainDispatcherApplication(create_backend_app))

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
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per AWS call
        self._server = make_server(self.host, self.port, self.app, threaded=True,
                                   request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)

"""One botocore session per thread for every PynamoDB connection.

PynamoDB gives each connection its own botocore session (`Connection.session`): the connection of each model class
and each adapter's connection for transactions. A new session reads DynamoDB's service model from disk again, about
60-80 ms a connection (`bench/dynamo_sessions.py`): paid on a Lambda's cold start once per connection it touches,
and in every test, whose container is new. Shared, the second and later clients take a few milliseconds.

The session stays per thread as PynamoDB keeps it (botocore's client creation is not thread-safe); the connections
of one thread share it. PynamoDB has no setting for the session (pynamodb/PynamoDB#1245 asks for one), so its
module's `get_session` is replaced; `tests/unit/core/test_dynamo_sessions.py` fails if that stops having effect.
"""

import threading
from typing import Any

import botocore.session
import pynamodb.connection.base as pynamodb_connection

_thread = threading.local()


def thread_session(env_vars: dict[str, tuple[Any, Any, Any, Any]] | None = None) -> botocore.session.Session:
    """This thread's botocore session, made on first use (`botocore.session.get_session`'s signature; a caller
    naming its own environment variables gets a session of its own)."""
    if env_vars is not None:
        return botocore.session.get_session(env_vars)
    session: botocore.session.Session | None = getattr(_thread, "session", None)
    if session is None:
        session = _thread.session = botocore.session.get_session()
    return session


def share_sessions() -> None:
    """Every PynamoDB connection made from now on takes its thread's session (idempotent)."""
    pynamodb_connection.get_session = thread_session  # type: ignore[attr-defined]  # its import of botocore's

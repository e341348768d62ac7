"""What a cold start pays for PynamoDB's connections: a botocore session each (PynamoDB as it comes) beside one
session per thread shared by all of them (`helpdesk/platform/dynamo/sessions.py`).

A round makes `--connections` new PynamoDB connections in a new thread (a cold start's: the three tables' models
and an adapter's transactions make four) and times their first client, each way in turn, so that a machine getting
busier moves both alike. No request is sent: the client's creation is what differs.

    .venv/bin/python bench/dynamo_sessions.py [--rounds 15] [--connections 4]
"""

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1")
    import botocore.session
    import pynamodb.connection.base as pynamodb_connection
    from pynamodb.connection import Connection

    from helpdesk.platform.dynamo.sessions import thread_session

    def first_clients(get_session: Callable[..., botocore.session.Session]) -> float:
        """Milliseconds to the first client of each of `--connections` new connections, in a new thread."""
        pynamodb_connection.get_session = get_session  # type: ignore[attr-defined]
        took: list[float] = []

        def run() -> None:
            start = time.perf_counter()
            for _ in range(args.connections):
                _ = Connection(region="us-east-1").client
            took.append((time.perf_counter() - start) * 1000)

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        return took[0]

    first_clients(thread_session)  # botocore's modules imported and its files in the page cache for both
    each: list[float] = []
    shared: list[float] = []
    for _ in range(args.rounds):
        each.append(first_clients(botocore.session.get_session))
        shared.append(first_clients(thread_session))
    base, ours = statistics.median(each), statistics.median(shared)
    print(f"{args.connections} new connections' first clients, median of {args.rounds} rounds")
    print(f"{'a session per connection (PynamoDB)':40} {base:8.1f} ms")
    print(f"{'one session per thread (ours)':40} {ours:8.1f} ms")
    print(f"{'ours / PynamoDB':40} {ours / base:8.2f}")


if __name__ == "__main__":
    main()

"""What the local stack's AWS calls cost served by moto's own server (Werkzeug's development server, which closes
the connection after every answer) beside waitress keeping the connection, and beside the stack's server as it is
(waitress, and moto's dispatcher remembering which backend answers a host; `helpdesk/local/moto_server.py`).

One process, the three servers in front of moto's one state (each behind a lock as the stack's). A round times
`--calls` DynamoDB calls (a put and a get of a ticket-sized item, in turn) through each server, the servers in turn,
so that a machine getting busier moves all alike. CPU is the whole process's (client, server and moto share it, as in
the stack); connections are the TCP connections the client opened.

    .venv/bin/python bench/local_moto_server.py [--rounds 5] [--calls 200]
"""

import argparse
import logging
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._common import free_port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1")
    import boto3
    import urllib3.connection
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from waitress.server import create_server
    from werkzeug.serving import make_server

    from helpdesk.local.moto_server import LocalMotoServer, _Serialised

    stack = LocalMotoServer("127.0.0.1", free_port())
    stack.start()
    werkzeug_port, waitress_port = free_port(), free_port()
    werkzeug = make_server("127.0.0.1", werkzeug_port, _Serialised(DomainDispatcherApplication(create_backend_app)),
                           threaded=True, request_handler=MotoRequestHandler)  # as moto's server and the stack before
    threading.Thread(target=werkzeug.serve_forever, daemon=True).start()
    waitress = create_server(_Serialised(DomainDispatcherApplication(create_backend_app)), host="127.0.0.1",
                             port=waitress_port, threads=4)
    threading.Thread(target=waitress.run, daemon=True).start()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per call

    opened = [0]
    connect = urllib3.connection.HTTPConnection.connect

    def counting(self: urllib3.connection.HTTPConnection) -> None:
        opened[0] += 1
        connect(self)

    urllib3.connection.HTTPConnection.connect = counting  # type: ignore[method-assign]
    clients = {name: boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{port}")
               for name, port in (("werkzeug (before)", werkzeug_port), ("waitress", waitress_port),
                                  ("the stack's server", stack.port))}
    table = "bench"
    next(iter(clients.values())).create_table(
        TableName=table, BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    item = {"pk": {"S": ""}, "subject": {"S": "Charged twice for my order"}, "body": {"S": "x" * 1500}}

    def round_of(client: Any) -> tuple[float, float, int]:
        """Wall and CPU milliseconds per call, and connections opened, over `--calls` calls."""
        opened[0] = 0
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(args.calls // 2):
            key = f"T#{i}"
            client.put_item(TableName=table, Item={**item, "pk": {"S": key}})
            client.get_item(TableName=table, Key={"pk": {"S": key}})
        calls = 2 * (args.calls // 2)
        return ((time.perf_counter() - wall) * 1000 / calls, (time.process_time() - cpu) * 1000 / calls, opened[0])

    for client in clients.values():
        round_of(client)  # warm: first connections, moto's first use of the table
    results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in clients}
    for _ in range(args.rounds):
        for name, client in clients.items():
            results[name].append(round_of(client))
    werkzeug.shutdown()
    waitress.close()
    stack.stop()

    base_wall = statistics.median(r[0] for r in results["werkzeug (before)"])
    base_cpu = statistics.median(r[1] for r in results["werkzeug (before)"])
    print(f"{args.rounds} rounds of {args.calls} DynamoDB calls (median of rounds)")
    print(f"{'server':22} {'ms/call':>8} {'CPU ms/call':>12} {'connections':>12} {'wall ratio':>11} {'CPU ratio':>10}")
    for name, rows in results.items():
        wall = statistics.median(r[0] for r in rows)
        cpu = statistics.median(r[1] for r in rows)
        connections = statistics.median(r[2] for r in rows)
        print(f"{name:22} {wall:8.2f} {cpu:12.2f} {connections:12.0f} {wall / base_wall:11.2f} {cpu / base_cpu:10.2f}")


if __name__ == "__main__":
    main()

"""409 rate of concurrent writers without If-Match: the retry policy (backoff with full jitter until a
deadline) beside the old one (five immediate tries), in the same run.

    python bench/concurrency.py [--backend fake|moto] [--rounds 3] [--writers 10 50]

Backends, one thread per writer:
- `fake` (default): `tests.fakes.InterleavingTicketRepository`, the in-memory repository with each request
  atomic and a modelled round trip (`--round-trip-ms`, 10 ms like DynamoDB from Lambda) on either side of
  it, so writers that start together read the same version and race for the conditional write. Its
  requests sleep instead of burning CPU, so the figures measure the retry policy, not the machine.
- `moto`: the local stack's moto server (`helpdesk.local.moto_server`, one request at a time behind a lock)
  in its own process as under `helpdesk serve`, reached over HTTP by the real DynamoDB ticket repository.
  Real code end to end, but every request costs CPU in both processes: on a small, busy machine a single
  write takes over 100 ms and 50 writers queue for many seconds, so the 50-writer figure measures the
  machine more than the policy.
Each writer
posts one internal note on the same ticket (`TicketService.add_message`, the path of an API call without
If-Match); a round checks afterwards that every note is in the ticket's log (no lost write).
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import use_moto_env  # noqa: E402

use_moto_env()

from bench._common import free_port, percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="rounds per (policy, writers): a fresh ticket each")
    parser.add_argument("--writers", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--backend", choices=["fake", "moto"], default="fake")
    parser.add_argument("--round-trip-ms", type=float, default=10.0, help="fake backend: one request's round trip")
    args = parser.parse_args()
    if args.backend == "fake":
        run(args)
        return

    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", (
        "import threading; from helpdesk.local.moto_server import LocalMotoServer; "
        f"LocalMotoServer('127.0.0.1', {port}).start(); threading.Event().wait()")], cwd=ROOT)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{port}"
    try:
        run(args)
    finally:
        server.terminate()
        server.wait(10)


def run(args: argparse.Namespace) -> None:

    from tenacity import Retrying, retry_if_exception_type, stop_after_attempt

    from helpdesk import bootstrap
    from helpdesk.kernel.errors import ConcurrentUpdate
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.platform.dynamo.tables import create_tables
    from helpdesk.tickets.service import CreateTicket, RetryPolicy, TicketService

    class ImmediateRetries(RetryPolicy):
        """The old loop: five tries, no wait between them."""

        def retrying(self, sleep: Any = time.sleep) -> Retrying:
            return Retrying(retry=retry_if_exception_type(ConcurrentUpdate), reraise=True,
                            stop=stop_after_attempt(5))

    if args.backend == "fake":
        from helpdesk.kernel.clock import FixedClock
        from tests.fakes import InMemorySlaSettingsStore, InterleavingTicketRepository

        container = bootstrap.build(ticket_repository=InterleavingTicketRepository(args.round_trip_ms / 1000),
                                    sla_settings_store=InMemorySlaSettingsStore(), clock=FixedClock())
        backend = f"in-memory interleaving repository, {args.round_trip_ms:g} ms per request"
    else:
        container = bootstrap.build()
        create_tables(container.tables)
        backend = "local moto server (serialised, own process), real DynamoDB adapter over HTTP"
    base = container.ticket_service
    agent = Principal(user_id="a1", tenant_id="acme", role=Role.AGENT)
    policies: dict[str, RetryPolicy] = {"old_five_immediate_tries": ImmediateRetries(),
                                        "backoff_full_jitter_until_deadline": RetryPolicy()}

    def one_round(service: TicketService, writers: int) -> dict[str, Any]:
        ticket = service.create(agent, CreateTicket(subject="race", description="d"))
        barrier = threading.Barrier(writers)
        outcomes: list[tuple[str, float]] = []
        lock = threading.Lock()

        def write(n: int) -> None:
            barrier.wait(30)
            started = time.perf_counter()
            try:
                service.add_message(agent, ticket.id, f"note {n}", public=False)
                result = "ok"
            except ConcurrentUpdate:
                result = "409"
            with lock:
                outcomes.append((result, (time.perf_counter() - started) * 1000))

        threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        notes = {e.data.get("body") for e in service.events(agent, ticket.id) if e.type == "internal_note"}
        written = sum(1 for r, _ in outcomes if r == "ok")
        return {"conflicts": sum(1 for r, _ in outcomes if r == "409"), "written": written,
                "lost": written - len(notes & {f"note {n}" for n in range(writers)}),
                "latencies": [ms for _, ms in outcomes]}

    alone = TicketService(base.repository, RetryPolicy(), base.hooks, clock=container.clock)
    single = one_round(alone, 1)["latencies"] + one_round(alone, 1)["latencies"] + one_round(alone, 1)["latencies"]
    results: dict[str, Any] = {"1_writer": {"p50_ms": round(percentile(single, 50), 1)}}
    for writers in args.writers:
        for name, policy in policies.items():
            service = TicketService(base.repository, policy, base.hooks, clock=container.clock)
            rounds = [one_round(service, writers) for _ in range(args.rounds)]
            latencies = [ms for r in rounds for ms in r["latencies"]]
            total = writers * args.rounds
            conflicts = sum(r["conflicts"] for r in rounds)
            results[f"{writers}_writers/{name}"] = {
                "writes": total, "409": conflicts, "409_rate": round(conflicts / total, 3),
                "lost_writes": sum(r["lost"] for r in rounds),
                "p50_ms": round(percentile(latencies, 50), 1), "p99_ms": round(percentile(latencies, 99), 1),
                "max_ms": round(max(latencies), 1)}
    print(json.dumps({"backend": backend,
                      "rounds": args.rounds, "results": results}, indent=2))


if __name__ == "__main__":
    main()

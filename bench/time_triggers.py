"""Time triggers' sweep cost: one tenant's backlog of `--tickets` unsolved tickets, three time triggers, `--due` of
the tickets due on one of them; the sweep beside the read it cannot avoid (the same `by_status` pages read through the
repository, nothing evaluated or written), in one run, on moto.

    python bench/time_triggers.py [--tickets 2000] [--due 20] [--runs 3]

Prints, per run: the baseline read (ms), the sweep with nothing due (ms, ratio to the baseline: what evaluating three
triggers on every ticket adds), and the sweep with `--due` tickets due (ms, ratio: the writes, each a conditional
ticket write with its hooks). Then how many tickets a sweep handles per second at each, so the 2,000-a-run budget
(`triggers.sweep.TimeTriggerSweep.max_tickets`) can be read against the function's 120 s timeout. Moto's times are
not DynamoDB's (no network, but a deep copy of the table on every transaction): read the ratios, not the times.
"""

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import use_moto_env  # noqa: E402

use_moto_env()

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TRIGGERS = [
    {"id": "quiet-day", "name": "Nobody touched it for a day", "after": {"hours": 24, "since": "updated"},
     "conditions": {"statuses": ["open"], "without_tags": ["stale"]}, "actions": {"add_tags": ["stale"]}},
    {"id": "nudge", "name": "Nudge the pending ones", "after": {"hours": 48, "since": "team_message"},
     "conditions": {"statuses": ["pending"]}, "actions": {"notify": ["assignee"]}},
    {"id": "close", "name": "Close the solved ones", "after": {"hours": 96, "since": "resolved"},
     "conditions": {"statuses": ["resolved"]}, "actions": {"status": "closed"}},
]


def fill(total: int, due: int) -> None:
    """`total` open tickets of tenant acme, written in batches; the first `due` last touched 30 hours before the
    sweep (due on "quiet-day"), the others 2 hours before (due on nothing)."""
    from helpdesk.platform.dynamo.models import TicketModel
    from helpdesk.tickets.adapters.dynamo import _to_model
    from helpdesk.tickets.model import Requester, Status, Ticket

    with TicketModel.batch_write() as batch:
        for i in range(total):
            touched = T0 - (timedelta(hours=30) if i < due else timedelta(hours=2))
            ticket = Ticket(id=f"{i:032x}", number=i + 1, tenant_id="acme", subject="Bench ticket",
                            description="x" * 200, status=Status.OPEN, requester=Requester(id=f"c{i}"),
                            created_at=touched, updated_at=touched, touched_at=touched,
                            last_customer_message_at=touched, version=1)
            model = _to_model(ticket)
            model.version = 1
            batch.save(model)


def baseline_read() -> tuple[float, int]:
    """The sweep's pages read through the repository, nothing else: ms and tickets read."""
    from helpdesk import bootstrap
    from helpdesk.tickets.ports import TicketQuery
    from helpdesk.triggers.sweep import PAGE_SIZE, SWEPT_STATUSES

    repository = bootstrap.container().ticket_repository
    start, read = time.perf_counter(), 0
    for status in SWEPT_STATUSES:
        cursor: str | None = None
        while True:
            page = repository.query(TicketQuery(tenant_id="acme", status=status, oldest_first=True, cursor=cursor,
                                                limit=PAGE_SIZE))
            read += len(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
    return (time.perf_counter() - start) * 1000, read


def one_run(total: int, due: int) -> dict[str, float]:
    from moto import mock_aws

    with mock_aws():
        from helpdesk import bootstrap
        from helpdesk.kernel.principal import system_principal
        from helpdesk.platform.dynamo.tables import create_tables
        from helpdesk.triggers.model import TriggerList

        bootstrap.use(None)
        container = bootstrap.container()
        create_tables(container.tables)
        fill(total, due)
        container.triggers.replace(system_principal("acme"), TriggerList.model_validate({"triggers": TRIGGERS}))
        sweep = container.time_triggers
        base_ms, read = baseline_read()
        container.trigger_sweep_plan.plan("acme", T0 - timedelta(hours=10))  # the save planned it at the wall clock
        start = time.perf_counter()
        quiet = sweep.run(T0 - timedelta(hours=10), max_tickets=total + 1)  # nothing due yet
        quiet_ms = (time.perf_counter() - start) * 1000
        container.trigger_sweep_plan.plan("acme", T0)  # swept again at T0, when `due` of them are
        start = time.perf_counter()
        acting = sweep.run(T0, max_tickets=total + 1)
        acting_ms = (time.perf_counter() - start) * 1000
        bootstrap.use(None)
    assert read == total, read
    assert (quiet.examined, quiet.acted) == (total, 0), quiet
    assert (acting.examined, acting.acted, acting.errors) == (total, due, 0), acting
    return {"baseline_ms": base_ms, "quiet_ms": quiet_ms, "acting_ms": acting_ms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--due", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = [one_run(args.tickets, args.due) for _ in range(args.runs)]
    for row in rows:
        print(f"  baseline read {row['baseline_ms']:.0f} ms; sweep, nothing due {row['quiet_ms']:.0f} ms "
              f"({row['quiet_ms'] / row['baseline_ms']:.2f}x); sweep, {args.due} due {row['acting_ms']:.0f} ms "
              f"({row['acting_ms'] / row['baseline_ms']:.2f}x)", flush=True)
    quiet = statistics.median(r["quiet_ms"] / r["baseline_ms"] for r in rows)
    acting = statistics.median(r["acting_ms"] / r["baseline_ms"] for r in rows)
    per_due = statistics.median((r["acting_ms"] - r["quiet_ms"]) / max(args.due, 1) for r in rows)
    print(f"median over {args.runs} runs, {args.tickets} tickets: sweep/baseline {quiet:.2f}x with nothing due, "
          f"{acting:.2f}x with {args.due} due ({per_due:.0f} ms per ticket acted on, on moto); "
          f"{args.tickets / (statistics.median(r['quiet_ms'] for r in rows) / 1000):.0f} tickets/s swept")


if __name__ == "__main__":
    main()

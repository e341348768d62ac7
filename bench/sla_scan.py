"""SLA scan cost: how many index items one scan reads, with 100,000 tickets of which 100 are due, beside a
100-ticket table where all 100 are due; and a full scan table read for contrast. In one run, on moto.

    python bench/sla_scan.py [--tickets 100000] [--due 100] [--full-scan-tickets 2000] [--table-scan]

Every ticket has a running clock (urgent, first response 60 min, warning at 30), so all of them sit in the
sparse index: the worst case for it. `--due` tickets are 40 minutes old (warning due), the rest 1-25.

Part 1, the due-index query the scan starts with: `examined` (index items read) is the figure that carries
over to DynamoDB. Beside it, with `--table-scan`, a plain table Scan (what a scan without the index reads;
about 4.5 minutes on moto at 100,000 tickets). Caveat: moto answers
a GSI query by walking every item of the table, so on moto the query *time* grows with the table although
DynamoDB's does not (it reads `examined` items).

Part 2, the whole scan (query + read, claim, notify and write each due ticket) on the small table and on
a `--full-scan-tickets` table: moto deep-copies a table on every TransactWriteItems, so the handling time
grows with the table on moto (about 20 ms per due ticket per 1,000 tickets); at 100,000 tickets that is
~30 minutes of moto copying, which is why part 2 stops at a smaller table.
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import use_moto_env  # noqa: E402

use_moto_env()
for name in ("HELPDESK_SLA_TOPIC_ARN", "HELPDESK_SLA_MAIL_FROM"):
    os.environ.pop(name, None)  # notifications are logged only: the bench measures the scan, not SNS

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def fill(total: int, due: int) -> float:
    """Write `total` tickets (the first `due` of them due at NOW) with batch writes; returns seconds."""
    from helpdesk.platform.dynamo.models import TicketModel
    from helpdesk.sla.calendar import always_open_calendar
    from helpdesk.sla.engine import recompute
    from helpdesk.sla.policy import default_policy
    from helpdesk.tickets.adapters.dynamo import _to_model
    from helpdesk.tickets.history import EventType, TicketEvent
    from helpdesk.tickets.model import Priority, Requester, Ticket

    policy, calendar = default_policy(), always_open_calendar()
    start = time.perf_counter()
    with TicketModel.batch_write() as batch:
        for i in range(total):
            # Due: urgent, 40 minutes old (warning at 30). Not due: urgent, 1 to 25 minutes old.
            created = NOW - (timedelta(minutes=40) if i < due else timedelta(minutes=1 + i % 25))
            ticket = Ticket(id=f"{i:032x}", number=i + 1, tenant_id=f"tenant-{i % 50}", subject="Bench ticket",
                            description="x" * 200, priority=Priority.URGENT, requester=Requester(id=f"c{i}"),
                            created_at=created, updated_at=created, last_customer_message_at=created, version=1)
            created_event = TicketEvent(ticket_id=ticket.id, tenant_id=ticket.tenant_id, type=EventType.CREATED,
                                        actor="bench", at=created)
            ticket.sla = recompute(ticket, [created_event], policy, calendar, created).sla
            model = _to_model(ticket)
            model.version = 1
            batch.save(model)
    return time.perf_counter() - start


def index_query(total: int, due: int, table_scan: bool) -> dict[str, float]:
    from moto import mock_aws

    with mock_aws():
        from helpdesk import bootstrap
        from helpdesk.platform.dynamo.models import TicketModel
        from helpdesk.platform.dynamo.tables import create_tables
        from helpdesk.sla.adapters.dynamo import DynamoDueIndex

        tables = bootstrap.container().tables
        create_tables(tables)
        setup_s = fill(total, due)
        start = time.perf_counter()
        batch = DynamoDueIndex(tables).due(NOW, limit=5000)
        query_s = time.perf_counter() - start
        row: dict[str, float] = {"tickets": total, "due": due, "examined": batch.examined,
                                 "query_ms": round(query_s * 1000, 1), "setup_s": round(setup_s, 1)}
        if table_scan:
            start = time.perf_counter()
            naive = TicketModel.scan(TicketModel.sla_next_due <= int(NOW.timestamp()))
            naive_due = sum(1 for _ in naive)
            row["table_scan_ms"] = round((time.perf_counter() - start) * 1000, 1)
            row["table_scan_read"] = naive.page_iter.total_scanned_count  # reads the whole table, then filters
            assert naive_due == due, (naive_due, due)
    assert len(batch.items) == due, (len(batch.items), due)
    return row


def full_scan(total: int, due: int) -> dict[str, float]:
    from moto import mock_aws

    with mock_aws():
        from helpdesk import bootstrap
        from helpdesk.platform.dynamo.tables import create_tables

        bootstrap.use(None)
        create_tables(bootstrap.container().tables)
        fill(total, due)
        start = time.perf_counter()
        summary = bootstrap.container().sla_scan.run(NOW).as_dict()
        scan_s = time.perf_counter() - start
        again = bootstrap.container().sla_scan.run(NOW).as_dict()  # a retried scan: nothing left to say
        bootstrap.use(None)
    assert summary["warned"] == due, summary
    assert again["warned"] == 0, again
    return {"tickets": total, "due": due, "examined": summary["examined"], "warned": summary["warned"],
            "scan_ms": round(scan_s * 1000, 1), "retry_examined": again["examined"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--full-scan-tickets", type=int, default=2000)
    parser.add_argument("--table-scan", action="store_true", help="also time a plain table Scan (slow on moto)")
    args = parser.parse_args()

    print("part 1: due-index query")
    small = index_query(args.due, args.due, args.table_scan)
    big = index_query(args.tickets, args.due, args.table_scan)
    for row in (small, big):
        print(" ", row, flush=True)
    print(f"  examined: {big['examined']} of {args.tickets} tickets = {big['examined'] / args.due:.2f}x the due "
          f"count (small table: {small['examined'] / args.due:.2f}x)")
    print(f"  query wall time big/small on moto: {big['query_ms'] / max(small['query_ms'], 0.1):.1f}x")
    if args.table_scan:
        print(f"  a table Scan reads {big['table_scan_read']} items; big/small wall time "
              f"{big['table_scan_ms'] / max(small['table_scan_ms'], 0.1):.1f}x")

    print("part 2: whole scan (query + handling of the due tickets)")
    small_full, mid_full = full_scan(args.due, args.due), full_scan(args.full_scan_tickets, args.due)
    for row in (small_full, mid_full):
        print(" ", row, flush=True)
    print(f"  examined {mid_full['examined']} vs {small_full['examined']}; wall time "
          f"{mid_full['scan_ms'] / small_full['scan_ms']:.2f}x (moto's per-transaction table copy)")


if __name__ == "__main__":
    main()

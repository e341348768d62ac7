"""Saved view counts: the counts of 20 views in one call (`GET /views/counts`) beside one plain list query
(`GET /tickets`, 25 newest), and how many index items the counts examine beside what 20 table scans would read.
In one run, on moto.

    python bench/views.py [--tickets 5000] [--other-tenants-tickets 5000] [--runs 5]

One tenant holds `--tickets` tickets spread over 4 groups, 5 statuses, 4 priorities and 3 SLA standings;
other tenants hold `--other-tenants-tickets` more (what a table scan would also read). The 20 views combine
those filters (the worst kind for the indexes: 8 of them have no status, so they are counted on the tenant's
`by_number` partition).

`examined` is the sum of DynamoDB's ScannedCount over the 20 count queries (`Select=COUNT`, asked with boto3
on the same index and key the repository uses): the figure that carries over to DynamoDB. Caveat: moto
answers a GSI query by walking every item of the table, so moto's *times* grow with the whole table although
DynamoDB reads only the `examined` items.
"""

import argparse
import itertools
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import summary, timed, use_moto_env  # noqa: E402

use_moto_env()

GROUPS = ("billing", "shipping", "support", "sales")
STATUSES = ("new", "open", "pending", "resolved", "closed")
PRIORITIES = ("low", "normal", "high", "urgent")
STANDINGS = ("ok", "at_risk", "breached")


def fill(tenant_tickets: int, other_tickets: int) -> float:
    from datetime import UTC, datetime

    from helpdesk.platform.dynamo.models import TicketModel
    from helpdesk.tickets.adapters.dynamo import _to_model
    from helpdesk.tickets.model import Priority, Requester, Status, Ticket

    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    start = time.perf_counter()
    with TicketModel.batch_write() as batch:
        for i in range(tenant_tickets + other_tickets):
            tenant = "acme" if i < tenant_tickets else f"other-{i % 20}"
            ticket = Ticket(id=f"{i:032x}", number=i + 1, tenant_id=tenant, subject="Bench ticket", description="x",
                            status=Status(STATUSES[i % 5]), priority=Priority(PRIORITIES[i % 4]),
                            group=GROUPS[i % 4 if i % 7 else (i // 7) % 4], requester=Requester(id=f"c{i % 300}"),
                            created_at=now, updated_at=now, version=1)
            model = _to_model(ticket)
            model.sla_state = STANDINGS[i % 3]  # as the SLA hook would have written it
            model.version = 1
            batch.save(model)
    return time.perf_counter() - start


def views() -> list[dict[str, Any]]:
    combos: list[dict[str, Any]] = [{"group": g, "sla": s}
                                    for g, s in itertools.product(GROUPS, ("at_risk", "breached"))]
    combos += [{"status": st, "group": g} for st, g in itertools.product(("new", "open", "pending"), GROUPS)]
    return [{"name": f"view {i}", "scope": "tenant", "filters": f} for i, f in enumerate(combos[:20])]


def examined(tenant_id: str, filters: list[dict[str, Any]]) -> int:
    """ScannedCount summed over one Select=COUNT query per view, on the index the repository drives it by."""
    import boto3

    from helpdesk.platform.dynamo.models import TicketModel

    client = boto3.client("dynamodb")
    total = 0
    for f in filters:
        if "status" in f:
            index, key, value = "by_status", "tenant_status", f"{tenant_id}#{f['status']}"
        else:
            index, key, value = "by_number", "tenant_id", tenant_id
        kwargs: dict[str, Any] = {"TableName": TicketModel.Meta.table_name, "IndexName": index, "Select": "COUNT",
                                  "KeyConditionExpression": "#k = :v", "ExpressionAttributeNames": {"#k": key},
                                  "ExpressionAttributeValues": {":v": {"S": value}}}
        while True:
            page = client.query(**kwargs)
            total += page["ScannedCount"]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--other-tenants-tickets", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from moto import mock_aws

    with mock_aws():
        from helpdesk import bootstrap
        from helpdesk.kernel.principal import Principal, Role
        from helpdesk.platform.dynamo.tables import create_tables
        from helpdesk.tickets.ports import TicketQuery
        from helpdesk.views.model import ViewDraft

        container = bootstrap.container()
        create_tables(container.tables)
        fill_s = fill(args.tickets, args.other_tenants_tickets)
        admin = Principal(user_id="root", role=Role.ADMIN, tenant_id="acme")
        drafts = views()
        for draft in drafts:
            container.view_service.create(admin, ViewDraft.model_validate(draft))
        counts = container.view_service.counts(admin)
        assert len(counts) == 20
        list_ms = timed(lambda: container.ticket_service.query(admin, TicketQuery(tenant_id="acme")), args.runs)
        counts_ms = timed(lambda: container.view_service.counts(admin), args.runs)
        scanned = examined("acme", [d["filters"] for d in drafts])
        table = args.tickets + args.other_tenants_tickets
        print(f"tickets: {args.tickets} in the tenant, {table} in the table (filled in {fill_s:.1f} s)")
        print(f"one list query (25 newest):      {summary(list_ms)}")
        print(f"counts of 20 views (one call):  {summary(counts_ms)}")
        print(f"  ratio counts/list p50: {summary(counts_ms)['p50_ms'] / summary(list_ms)['p50_ms']:.1f}x")
        print(f"index items examined by the 20 counts: {scanned} "
              f"(20 table scans would read {20 * table}; {scanned / (20 * table):.2f}x of that)")
        print(f"counts: {[c.count for c in counts]}")


if __name__ == "__main__":
    main()

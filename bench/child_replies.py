"""A reply to a problem's child tickets (`POST /tickets/{id}/messages` with `children`) beside what it replaces:
the same reply sent to each ticket on its own (the ticket service's `add_message`, as the plain route does), in one
run, on moto.

    python bench/child_replies.py [--children 50] [--runs 3]

Prints, per run: the separate replies (ms), the reply to the children (ms, ratio to the separate replies: what
reading each child before its write, rendering the template per ticket and the problem's own message add), and per
child (ms). The ticket commands function has 29 s for a request and a problem at most 50 links: read the ratio, and
the per-child cost against that budget. Moto's times are not DynamoDB's (no network, but a deep copy of the table on
every transaction): the ratio is what carries over.
"""

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import use_moto_env  # noqa: E402

use_moto_env()
# A hundred writes make Powertools flush its metrics, which needs a namespace (and prints them: kept off stdout below).
os.environ["POWERTOOLS_METRICS_NAMESPACE"] = "HelpdeskBench"

BODY = "Hello {{ requester.first_name | default('there', true) }},\n\nthe sync outage is over: everything syncs again."


def one_run(children: int) -> dict[str, float]:
    from moto import mock_aws

    with mock_aws():
        from helpdesk import bootstrap
        from helpdesk.kernel.principal import Principal, Role
        from helpdesk.platform.dynamo.tables import create_tables
        from helpdesk.tickets.links import link
        from helpdesk.tickets.model import Requester
        from helpdesk.tickets.service import CreateTicket

        bootstrap.use(None)
        container = bootstrap.container()
        create_tables(container.tables)
        agent = Principal(user_id="alice", tenant_id="acme", role=Role.AGENT, name="Alice")
        service = container.ticket_service

        def opened(n: int, subject: str) -> str:
            return service.create(agent, CreateTicket(
                subject=subject, description="Nothing syncs since 9:00.",
                requester=Requester(id=f"email:c{n}@customer.example", email=f"c{n}@customer.example",
                                    name=f"Customer {n}"))).id

        # Every ticket first: moto copies the table on each transaction, so both sides run on a table of one size.
        alone = [opened(n, "Sync stopped") for n in range(children)]
        problem = opened(children, "Sync outage")
        incidents = [opened(children + 1 + n, "Sync stopped") for n in range(children)]
        for ticket_id in incidents:
            link(service, agent, problem, "child", ticket_id)
        start = time.perf_counter()
        for ticket_id in alone:  # the baseline: the same reply, one ticket at a time (no template)
            service.add_message(agent, ticket_id, BODY, public=True)
        separate_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        reply = container.child_replies.reply(agent, problem, BODY, public=True)
        children_ms = (time.perf_counter() - start) * 1000
        bootstrap.use(None)
    assert [r.outcome.value for r in reply.children] == ["updated"] * children, reply.children
    return {"separate_ms": separate_ms, "children_ms": children_ms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with contextlib.redirect_stdout(io.StringIO()):  # the metrics Powertools prints when it flushes
        rows = [one_run(args.children) for _ in range(args.runs)]
    for row in rows:
        print(f"  {args.children} separate replies {row['separate_ms']:.0f} ms; the reply to {args.children} children "
              f"{row['children_ms']:.0f} ms ({row['children_ms'] / row['separate_ms']:.2f}x), "
              f"{row['children_ms'] / args.children:.1f} ms a child", flush=True)
    ratio = statistics.median(r["children_ms"] / r["separate_ms"] for r in rows)
    per_child = statistics.median(r["children_ms"] / args.children for r in rows)
    print(f"median over {args.runs} runs: children/separate {ratio:.2f}x, {per_child:.1f} ms a child on moto")


if __name__ == "__main__":
    main()

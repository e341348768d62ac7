"""Ticket search on the embedded index: indexing throughput and query latency beside a plain list query.

    python bench/ticket_search.py [--tickets 10000] [--messages 5] [--queries 200] [--seed 7]

Synthetic tickets (subject, description, `--messages` public messages and one internal note in four,
words drawn Zipf-like from the seed help center's vocabulary) in one tenant:
1. Indexing: documents built from ticket + events (`document_for`, what the stream handler does) and
   upserted in batches of 500 into the embedded index; tickets/s and messages/s.
2. Query latency over `--queries` one- and two-word queries drawn from the same vocabulary:
   the index alone (staff, relevance), the index with a customer's access filter, the whole service
   (`TicketSearch.search`: index + a batch read of the 25 hit tickets from DynamoDB on moto), and as the
   baseline in the same run `GET /tickets`'s repository query (one DynamoDB Query page of 25 on moto).
3. The first search after one ticket changed (the BM25 statistics are rebuilt for the tenant) beside a
   search on an unchanged index: the cost the local stack pays per write.
"""

import argparse
import json
import random
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import use_moto_env  # noqa: E402

use_moto_env()

from bench._common import summary, timed  # noqa: E402

TENANT = "bench"


def vocabulary() -> list[str]:
    words: dict[str, int] = {}
    for path in sorted((ROOT / "infra" / "seed" / "knowledge").glob("*.md")):
        for word in re.findall(r"[a-z]{3,}", path.read_text(encoding="utf-8").lower()):
            words[word] = words.get(word, 0) + 1
    return sorted(words, key=lambda w: -words[w])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=5)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from moto import mock_aws

    from helpdesk import bootstrap
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.platform.dynamo.tables import create_tables
    from helpdesk.search.adapters.embedded import EmbeddedTicketIndex
    from helpdesk.search.model import IndexQuery, document_for
    from helpdesk.search.service import SearchRequest, TicketSearch
    from helpdesk.tickets.adapters.dynamo import _to_model
    from helpdesk.tickets.history import EventType, TicketEvent
    from helpdesk.tickets.model import Requester, Ticket
    from helpdesk.tickets.ports import TicketQuery

    rng = random.Random(args.seed)
    vocab = vocabulary()
    weights = [1 / (rank + 1) for rank in range(len(vocab))]

    def text(n: int) -> str:
        return " ".join(rng.choices(vocab, weights, k=n))

    start_at = datetime(2026, 1, 1, tzinfo=UTC)
    tickets: list[tuple[Ticket, list[TicketEvent]]] = []
    for i in range(args.tickets):
        at = start_at + timedelta(minutes=i)
        requester = Requester(id=f"email:c{i % 500}@example.com", email=f"c{i % 500}@example.com", name=f"C {i}")
        ticket = Ticket(id=f"t{i:06d}", number=i + 1, tenant_id=TENANT, subject=text(6), description=text(40),
                        requester=requester, group=rng.choice(["billing", "tech", None]), created_at=at,
                        updated_at=at, version=args.messages + 1)
        events = [TicketEvent(ticket_id=ticket.id, tenant_id=TENANT, type=EventType.PUBLIC_MESSAGE, actor="x", at=at,
                              data={"body": text(30)}, seq=m + 2) for m in range(args.messages)]
        if i % 4 == 0:
            events.append(TicketEvent(ticket_id=ticket.id, tenant_id=TENANT, type=EventType.INTERNAL_NOTE,
                                      actor="a", at=at, data={"body": text(15)}, seq=99))
        tickets.append((ticket, events))
    messages = sum(len(e) for _, e in tickets)

    index = EmbeddedTicketIndex(None)
    started = time.perf_counter()
    docs = [document_for(t, e) for t, e in tickets]
    for s in range(0, len(docs), 500):
        index.upsert_many(docs[s:s + 500])
    index_s = time.perf_counter() - started
    started = time.perf_counter()
    index.search(IndexQuery(tenant_id=TENANT, text=vocab[0], internal=True))
    first_build_s = time.perf_counter() - started
    index.search(IndexQuery(tenant_id=TENANT, text=vocab[0], internal=False))

    queries = [" ".join(rng.choices(vocab[20:2000], k=rng.choice([1, 2]))) for _ in range(args.queries)]
    results: dict[str, object] = {
        "tickets": args.tickets, "messages": messages,
        "indexing": {"seconds": round(index_s, 2), "tickets_per_s": round(args.tickets / index_s),
                     "messages_per_s": round(messages / index_s),
                     "first_search_builds_bm25_s": round(first_build_s, 2)},
    }

    with mock_aws():
        container = bootstrap.build()
        bootstrap.use(container)
        create_tables(container.tables)
        with container.tables.tickets.batch_write() as batch:
            for ticket, _ in tickets:
                batch.save(_to_model(ticket))
        service = TicketSearch(index, container.ticket_repository)
        agent = Principal(user_id="a1", tenant_id=TENANT, role=Role.AGENT)
        customer = Principal(user_id="c7", tenant_id=TENANT, role=Role.CUSTOMER, email="c7@example.com",
                             email_verified=True)
        it = iter(queries * 5)
        results["index_staff"] = summary(timed(lambda: index.search(IndexQuery(
            tenant_id=TENANT, text=next(it), internal=True)), args.queries))
        results["index_customer"] = summary(timed(lambda: index.search(IndexQuery(
            tenant_id=TENANT, text=next(it), requesters=("c7", "email:c7@example.com"))), args.queries))
        results["service_search_agent"] = summary(timed(lambda: service.search(agent, SearchRequest(q=next(it))),
                                                        args.queries))
        results["service_search_customer"] = summary(timed(lambda: service.search(
            customer, SearchRequest(q=next(it))), args.queries))
        results["baseline_list_query"] = summary(timed(lambda: container.ticket_repository.query(
            TicketQuery(tenant_id=TENANT, limit=25)), args.queries))

        changed = iter(range(args.tickets))

        def change_then_search() -> None:
            ticket, events = tickets[next(changed)]
            ticket = ticket.model_copy(update={"version": ticket.version + 1})
            index.upsert_many([document_for(ticket, events)])
            index.search(IndexQuery(tenant_id=TENANT, text=next(it), internal=True))

        results["search_after_one_change"] = summary(timed(change_then_search, min(5, args.queries)))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

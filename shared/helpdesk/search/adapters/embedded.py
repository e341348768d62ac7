"""The embedded TicketIndex: BM25 (bm25s, with the knowledge index's analysis) over one tenant's tickets in
memory, filters and access rules applied per query, persisted as one JSON file per tenant.

The same machinery as the embedded knowledge index (`knowledge.adapters.embedded_index`): its `analyze`,
bm25s, a file per tenant replaced atomically and re-read when another process (`helpdesk tickets reindex`)
wrote it. Two BM25 models per tenant, built on the first search after a change: one over the text customers
may see, one over all of it (staff). Each document's tokens are kept, so a change re-analyses one ticket and
only the BM25 statistics are rebuilt. Meant for the local stack, tests and benchmarks (tens of thousands of
tickets, one writer at a time).
"""

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, BinaryIO

from helpdesk.kernel.text import normalise_tag
from helpdesk.knowledge.adapters.embedded_index import analyze
from helpdesk.platform.tenant_files import TenantFiles
from helpdesk.search.highlight import highlight, query_terms
from helpdesk.search.model import (
    CustomerBucket,
    CustomerBucketPage,
    CustomerQuery,
    IndexHit,
    IndexPage,
    IndexQuery,
    Snippet,
    TicketDocument,
    epoch_ms,
    letter_words,
)
from helpdesk.tickets.model import UNSOLVED_STATUSES

MAX_SNIPPETS = 2
K1, B = 1.5, 0.75  # bm25s' defaults, which its models use


class _Model:
    """A BM25 model over a snapshot of the tenant's tickets, with what scoring a changed ticket needs."""

    def __init__(self, ids: list[str], corpus: list[list[str]]) -> None:
        import bm25s

        self.ids = ids
        self.n = len(ids)
        self.avgdl = (sum(len(c) for c in corpus) / self.n) if self.n else 1.0
        self.bm25: Any = None
        if any(corpus):
            self.bm25 = bm25s.BM25()
            self.bm25.index(corpus, show_progress=False)

    def idf(self, token: str) -> float:
        """Lucene's idf, as bm25s computes it (a token the snapshot never saw: document frequency 0)."""
        df = 0
        if self.bm25 is not None and token in self.bm25.vocab_dict:
            column = self.bm25.vocab_dict[token]
            indptr = self.bm25.scores["indptr"]
            df = int(indptr[column + 1] - indptr[column])
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def score(self, query: list[str], tokens: list[str]) -> float:
        """BM25 (Lucene variant, bm25s' k1 and b) of one document against the snapshot's statistics."""
        if not tokens:
            return 0.0
        counts = Counter(tokens)
        norm = K1 * (1 - B + B * len(tokens) / max(self.avgdl, 1e-9))
        return sum(self.idf(t) * counts[t] / (norm + counts[t]) for t in query if counts[t])


class _Tenant:
    """One tenant's tickets, their tokens, and a BM25 model per audience (public text; all text).

    Rebuilding a model costs seconds at ten thousand tickets, so a change does not: the tickets changed since
    a model was built are scored one by one against its statistics (document frequencies, average length),
    and the model is rebuilt only once that list outgrows `_rebuild_after`."""

    def __init__(self, docs: dict[str, TicketDocument]) -> None:
        self.docs = docs
        self.tokens: dict[str, tuple[list[str], list[str]]] = {}
        self._models: dict[bool, _Model] = {}
        self._changed: dict[bool, set[str]] = {}
        self.tokenize(list(docs.values()))

    def _rebuild_after(self) -> int:
        return max(64, len(self.docs) // 50)

    def tokenize(self, docs: list[TicketDocument]) -> None:
        if not docs:
            return
        texts = [" \n".join(d.public) for d in docs] + [" \n".join(d.internal) for d in docs]
        tokens = analyze(texts)
        for i, doc in enumerate(docs):
            self.tokens[doc.ticket_id] = (tokens[i], tokens[len(docs) + i])
        self._mark([d.ticket_id for d in docs])

    def _mark(self, ticket_ids: list[str]) -> None:
        for internal in list(self._models):
            changed = self._changed.setdefault(internal, set())
            changed.update(ticket_ids)
            if len(changed) > self._rebuild_after():
                del self._models[internal]

    def put(self, docs: list[TicketDocument]) -> None:
        for doc in docs:
            self.docs[doc.ticket_id] = doc
        self.tokenize(docs)

    def remove(self, ticket_id: str) -> None:
        if self.docs.pop(ticket_id, None) is not None:
            self.tokens.pop(ticket_id, None)
            self._mark([ticket_id])

    def _text(self, ticket_id: str, internal: bool) -> list[str]:
        public, team = self.tokens[ticket_id]
        return public + team if internal else public

    def scores(self, text: str, internal: bool) -> dict[str, float]:
        """BM25 score of every ticket with a positive score."""
        model = self._models.get(internal)
        if model is None:
            ids = list(self.docs)
            model = self._models[internal] = _Model(ids, [self._text(i, internal) for i in ids])
            self._changed[internal] = set()
        changed = self._changed.get(internal, set())
        query = analyze([text])[0]
        found: dict[str, float] = {}
        token_ids = model.bm25.get_tokens_ids(query) if model.bm25 is not None else []
        if token_ids:
            scores = model.bm25.get_scores_from_ids(token_ids)
            found = {model.ids[i]: float(scores[i]) for i in scores.nonzero()[0] if model.ids[i] not in changed}
        for ticket_id in changed:
            if ticket_id in self.docs:
                score = model.score(query, self._text(ticket_id, internal))
                if score > 0:
                    found[ticket_id] = score
        return found


def _allowed(query: IndexQuery) -> Callable[[TicketDocument], bool]:
    f = query.filters
    tag = normalise_tag(f.tag) if f.tag else None
    ranges = [(getattr(f, name), field, cmp) for name, field, cmp in (
        ("created_from", "created_at", 1), ("created_to", "created_at", -1),
        ("updated_from", "updated_at", 1), ("updated_to", "updated_at", -1))]
    bounds = [(field, epoch_ms(value), cmp) for value, field, cmp in ranges if value is not None]
    equal = {name: value for name, value in (("status", f.status), ("priority", f.priority), ("group", f.group),
                                             ("assignee_id", f.assignee_id), ("channel", f.channel),
                                             ("sla_state", f.sla_state), ("organization_id", f.organization_id),
                                             ("form", f.form))
             if value is not None}

    def check(doc: TicketDocument) -> bool:
        if any(getattr(doc, name) != value for name, value in equal.items()):
            return False
        if f.statuses and doc.status not in f.statuses:
            return False
        if f.in_groups and doc.group not in f.in_groups:
            return False
        if f.unassigned and doc.assignee_id is not None:
            return False
        if f.requester_id is not None and f.requester_id not in (doc.requester_id, doc.requester_key):
            return False
        if tag is not None and tag not in doc.tags:
            return False
        if not set(f.field_terms) <= set(doc.field_terms):
            return False
        if f.follower is not None and f.follower not in doc.followers:
            return False
        if f.link_type is not None and f.link_type not in doc.link_types:
            return False
        if any((getattr(doc, field) - value) * cmp < 0 for field, value, cmp in bounds):
            return False
        if query.requesters is not None and not {doc.requester_id, doc.requester_key} & set(query.requesters):
            return False
        return not query.groups or doc.group in query.groups or (
            query.visible_to is not None and doc.assignee_id == query.visible_to)

    return check


def _named(words: str) -> Callable[[TicketDocument], bool]:
    """OpenSearch's `match_bool_prefix` with `and` over the `simple` analyzer: every word of the requester's name
    or address, the last one a beginning of one. Words with no letters match nobody, as they do there."""
    if not words.strip():
        return lambda doc: True
    *whole, last = letter_words(words) or [""]

    def check(doc: TicketDocument) -> bool:
        known = set(letter_words(doc.requester_words or ""))
        return bool(last) and set(whole) <= known and any(word.startswith(last) for word in known)

    return check


def _sort_key(query: IndexQuery, doc: TicketDocument, score: float | None) -> tuple[Any, ...]:
    """Ascending key; the hit's `sort` values (what a cursor carries) are derived from it."""
    if query.order == "relevance" and score is not None:
        return (-score, -doc.updated_at, doc.ticket_id)
    return (-doc.created_at, doc.ticket_id)


def _sort_values(key: tuple[Any, ...]) -> tuple[float | int | str, ...]:
    return tuple(-v if isinstance(v, int | float) else v for v in key)


class EmbeddedTicketIndex:
    """Implements `helpdesk.search.ports.TicketIndex` on a local folder (or in memory if `root` is None)."""

    def __init__(self, root: Path | None) -> None:
        self._files = TenantFiles(root, ".json", read=_read, write=_write, empty=lambda: _Tenant({}))

    def bulk(self) -> AbstractContextManager[None]:
        """`with index.bulk():` writes each touched tenant once at the end (rebuilds, benchmarks)."""
        return self._files.bulk()

    # -- TicketIndex -----------------------------------------------------------------------------

    def upsert_many(self, docs: Sequence[TicketDocument]) -> None:
        by_tenant: dict[str, list[TicketDocument]] = {}
        for doc in docs:
            by_tenant.setdefault(doc.tenant_id, []).append(doc)
        with self._files.lock:
            for tenant_id, batch in by_tenant.items():
                tenant = self._files.load(tenant_id)
                newer = [d for d in batch if d.ticket_id not in tenant.docs
                         or tenant.docs[d.ticket_id].version <= d.version]
                if newer:
                    tenant.put(newer)
                    self._files.store(tenant_id, tenant)

    def delete(self, tenant_id: str, ticket_id: str) -> None:
        with self._files.lock:
            tenant = self._files.load(tenant_id)
            if ticket_id in tenant.docs:
                tenant.remove(ticket_id)
                self._files.store(tenant_id, tenant)

    def replace_tenant(self, tenant_id: str, docs: Iterable[TicketDocument]) -> int:
        tenant = _Tenant({d.ticket_id: d for d in docs if d.tenant_id == tenant_id})
        with self._files.lock:
            self._files.store(tenant_id, tenant)
        return len(tenant.docs)

    def search(self, query: IndexQuery) -> IndexPage:
        with self._files.lock:
            tenant = self._files.load(query.tenant_id)
            allowed = _allowed(query)
            scores = tenant.scores(query.text, query.internal) if query.text.strip() else None
            candidates = (tenant.docs.values() if scores is None
                          else (tenant.docs[i] for i in scores))
            keyed = [(_sort_key(query, d, None if scores is None else scores[d.ticket_id]), d)
                     for d in candidates if allowed(d)]
        if query.after is not None:
            after = tuple(-v if isinstance(v, int | float) else v for v in query.after)
            keyed = [(k, d) for k, d in keyed if k > after]
        keyed.sort(key=lambda pair: pair[0])
        page = keyed[:query.limit]
        terms = query_terms(query.text)
        hits = [IndexHit(ticket_id=d.ticket_id, score=None if scores is None else round(scores[d.ticket_id], 6),
                         sort=_sort_values(k), snippets=_snippets(d, terms, query.internal)) for k, d in page]
        return IndexPage(hits=hits, more=len(keyed) > query.limit)

    def customers(self, query: CustomerQuery) -> CustomerBucketPage:
        with self._files.lock:
            tenant = self._files.load(query.tickets.tenant_id)
            allowed, named = _allowed(query.tickets), _named(query.words)
            by_key: dict[str, list[TicketDocument]] = {}
            for doc in tenant.docs.values():
                if allowed(doc) and named(doc) and (query.after is None or doc.requester_key > query.after):
                    by_key.setdefault(doc.requester_key, []).append(doc)
        keys = sorted(by_key)
        unsolved = {s.value for s in UNSOLVED_STATUSES}
        buckets = []
        for key in keys[:query.limit]:
            docs = by_key[key]
            latest = min(docs, key=lambda d: (-d.updated_at, d.ticket_id))
            buckets.append(CustomerBucket(requester_key=key, tickets=len(docs),
                                          unsolved=sum(d.status in unsolved for d in docs),
                                          latest_ticket_id=latest.ticket_id))
        return CustomerBucketPage(buckets=buckets, more=len(keys) > query.limit)

    def versions(self, tenant_id: str) -> dict[str, int]:
        """The indexed version of each ticket (the local stack compares it with DynamoDB on start)."""
        with self._files.lock:
            return {i: d.version for i, d in self._files.load(tenant_id).docs.items()}

    def outdated(self, tenant_id: str) -> list[str]:
        """Tickets indexed by a release before the document kept the requester's words: the local stack re-indexes
        them on start, so the customer list finds them by name (in AWS, `helpdesk tickets reindex` does)."""
        with self._files.lock:
            return [i for i, d in self._files.load(tenant_id).docs.items() if d.requester_words is None]

    def tenants(self) -> list[str]:
        return self._files.tenants()


def _snippets(doc: TicketDocument, terms: frozenset[str], internal: bool) -> tuple[Snippet, ...]:
    found: list[Snippet] = []
    sources = [(text, False) for text in doc.public] + ([(text, True) for text in doc.internal] if internal else [])
    for text, is_internal in sources:
        marked = highlight(text, terms)
        if marked is not None:
            found.append(Snippet(text=marked, internal=is_internal))
            if len(found) == MAX_SNIPPETS:
                break
    return tuple(found)


def _read(path: Path) -> _Tenant:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return _Tenant({row["ticket_id"]: TicketDocument.from_json(row) for row in rows})


def _write(tenant: _Tenant, handle: BinaryIO) -> None:
    handle.write(json.dumps([d.to_json() for d in tenant.docs.values()], separators=(",", ":")).encode("utf-8"))


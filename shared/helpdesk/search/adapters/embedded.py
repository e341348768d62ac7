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
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from helpdesk.kernel.text import normalise_tag
from helpdesk.knowledge.adapters.embedded_index import analyze
from helpdesk.search.highlight import highlight, query_terms
from helpdesk.search.model import IndexHit, IndexPage, IndexQuery, Snippet, TicketDocument, epoch_ms

MAX_SNIPPETS = 2


class _Tenant:
    def __init__(self, docs: dict[str, TicketDocument]) -> None:
        self.docs = docs
        self.tokens: dict[str, tuple[list[str], list[str]]] = {}
        self._models: dict[bool, tuple[list[str], Any]] = {}
        self.tokenize(list(docs.values()))

    def tokenize(self, docs: list[TicketDocument]) -> None:
        if not docs:
            return
        texts = [" \n".join(d.public) for d in docs] + [" \n".join(d.internal) for d in docs]
        tokens = analyze(texts)
        for i, doc in enumerate(docs):
            self.tokens[doc.ticket_id] = (tokens[i], tokens[len(docs) + i])
        self._models.clear()

    def put(self, docs: list[TicketDocument]) -> None:
        for doc in docs:
            self.docs[doc.ticket_id] = doc
        self.tokenize(docs)

    def remove(self, ticket_id: str) -> None:
        if self.docs.pop(ticket_id, None) is not None:
            self.tokens.pop(ticket_id, None)
            self._models.clear()

    def scores(self, text: str, internal: bool) -> dict[str, float]:
        """BM25 score of every ticket with a positive score."""
        import bm25s

        if internal not in self._models:
            ids = list(self.docs)
            corpus = [self.tokens[i][0] + (self.tokens[i][1] if internal else []) for i in ids]
            model = None
            if any(corpus):
                model = bm25s.BM25()
                model.index(corpus, show_progress=False)
            self._models[internal] = (ids, model)
        ids, model = self._models[internal]
        if model is None:
            return {}
        token_ids = model.get_tokens_ids(analyze([text])[0])
        if not token_ids:
            return {}
        scores = model.get_scores_from_ids(token_ids)
        return {ids[i]: float(scores[i]) for i in scores.nonzero()[0]}


def _allowed(query: IndexQuery) -> Callable[[TicketDocument], bool]:
    f = query.filters
    tag = normalise_tag(f.tag) if f.tag else None
    ranges = [(getattr(f, name), field, cmp) for name, field, cmp in (
        ("created_from", "created_at", 1), ("created_to", "created_at", -1),
        ("updated_from", "updated_at", 1), ("updated_to", "updated_at", -1))]
    bounds = [(field, epoch_ms(value), cmp) for value, field, cmp in ranges if value is not None]
    equal = {name: value for name, value in (("status", f.status), ("priority", f.priority), ("group", f.group),
                                             ("assignee_id", f.assignee_id), ("channel", f.channel),
                                             ("sla_state", f.sla_state)) if value is not None}

    def check(doc: TicketDocument) -> bool:
        if any(getattr(doc, name) != value for name, value in equal.items()):
            return False
        if f.requester_id is not None and f.requester_id not in (doc.requester_id, doc.requester_key):
            return False
        if tag is not None and tag not in doc.tags:
            return False
        if any((getattr(doc, field) - value) * cmp < 0 for field, value, cmp in bounds):
            return False
        if query.requesters is not None and not {doc.requester_id, doc.requester_key} & set(query.requesters):
            return False
        return not query.groups or doc.group in query.groups or (
            query.visible_to is not None and doc.assignee_id == query.visible_to)

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
        self._root = root
        self._tenants: dict[str, tuple[int, _Tenant]] = {}
        self._lock = threading.RLock()
        self._deferred: set[str] | None = None
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)

    # -- persistence -----------------------------------------------------------------------------

    def _path(self, tenant_id: str) -> Path | None:
        return None if self._root is None else self._root / f"{quote(tenant_id, safe='')}.json"

    def _load(self, tenant_id: str) -> _Tenant:
        path = self._path(tenant_id)
        cached = self._tenants.get(tenant_id)
        if path is None or not path.exists():
            if cached is None:
                cached = (0, _Tenant({}))
                self._tenants[tenant_id] = cached
            return cached[1]
        mtime = path.stat().st_mtime_ns
        if cached is not None and cached[0] == mtime:
            return cached[1]
        rows = json.loads(path.read_text(encoding="utf-8"))
        tenant = _Tenant({row["ticket_id"]: TicketDocument.from_json(row) for row in rows})
        self._tenants[tenant_id] = (mtime, tenant)
        return tenant

    def _store(self, tenant_id: str, tenant: _Tenant) -> None:
        path = self._path(tenant_id)
        if path is None or self._deferred is not None:
            if self._deferred is not None:
                self._deferred.add(tenant_id)
            self._tenants[tenant_id] = (self._tenants.get(tenant_id, (0, tenant))[0], tenant)
            return
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump([d.to_json() for d in tenant.docs.values()], handle, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._tenants[tenant_id] = (path.stat().st_mtime_ns, tenant)

    def bulk(self) -> "_Bulk":
        """`with index.bulk():` writes each touched tenant once at the end (rebuilds, benchmarks)."""
        return _Bulk(self)

    # -- TicketIndex -----------------------------------------------------------------------------

    def upsert_many(self, docs: Sequence[TicketDocument]) -> None:
        by_tenant: dict[str, list[TicketDocument]] = {}
        for doc in docs:
            by_tenant.setdefault(doc.tenant_id, []).append(doc)
        with self._lock:
            for tenant_id, batch in by_tenant.items():
                tenant = self._load(tenant_id)
                newer = [d for d in batch if d.ticket_id not in tenant.docs
                         or tenant.docs[d.ticket_id].version <= d.version]
                if newer:
                    tenant.put(newer)
                    self._store(tenant_id, tenant)

    def delete(self, tenant_id: str, ticket_id: str) -> None:
        with self._lock:
            tenant = self._load(tenant_id)
            if ticket_id in tenant.docs:
                tenant.remove(ticket_id)
                self._store(tenant_id, tenant)

    def replace_tenant(self, tenant_id: str, docs: Iterable[TicketDocument]) -> int:
        tenant = _Tenant({d.ticket_id: d for d in docs if d.tenant_id == tenant_id})
        with self._lock:
            self._store(tenant_id, tenant)
        return len(tenant.docs)

    def search(self, query: IndexQuery) -> IndexPage:
        with self._lock:
            tenant = self._load(query.tenant_id)
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

    def versions(self, tenant_id: str) -> dict[str, int]:
        """The indexed version of each ticket (the local stack compares it with DynamoDB on start)."""
        with self._lock:
            return {i: d.version for i, d in self._load(tenant_id).docs.items()}

    def tenants(self) -> list[str]:
        from urllib.parse import unquote

        if self._root is None:
            return sorted(self._tenants)
        return sorted(unquote(p.name.removesuffix(".json")) for p in self._root.glob("*.json"))


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


class _Bulk:
    def __init__(self, index: EmbeddedTicketIndex) -> None:
        self._index = index

    def __enter__(self) -> EmbeddedTicketIndex:
        self._index._lock.acquire()
        self._index._deferred = set()
        return self._index

    def __exit__(self, *exc: object) -> None:
        touched, self._index._deferred = self._index._deferred or set(), None
        try:
            for tenant_id in touched:
                self._index._store(tenant_id, self._index._tenants[tenant_id][1])
        finally:
            self._index._lock.release()

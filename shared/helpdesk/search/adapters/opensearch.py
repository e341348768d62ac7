"""The OpenSearch TicketIndex: its own index (`tickets` by default) in the knowledge base's domain or
collection, one document per ticket, every request filtered on `tenant_id`.

Writes follow the knowledge adapter (and use its client and bulk helpers): documents are indexed without
ids (vector collections choose ids themselves), a ticket's previous documents are found by a `term` query
and deleted once the new one is in. A document whose version is not newer than the indexed one is skipped,
so a late stream record never puts an older ticket back. Searches sort by score (or creation time) with the
ticket id as tie-breaker and page with `search_after`, the same sort values the embedded index returns;
snippets come from OpenSearch's highlighter (escaped HTML, matches in <mark>).
"""

from collections.abc import Iterable, Sequence
from typing import Any

from helpdesk.kernel.text import normalise_tag
from helpdesk.knowledge.adapters.opensearch_index import SEARCH_TIMEOUT, WRITE_TIMEOUT, bulk_write, connect_client
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
)
from helpdesk.tickets.model import UNSOLVED_STATUSES

MAX_SNIPPETS = 2
SNIPPET_CHARS = 160
PAGE = 1000  # documents per request when listing a tenant's documents
_KEYWORDS = ("tenant_id", "ticket_id", "status", "priority", "channel", "group", "assignee_id", "requester_id",
             "requester_key", "tags", "sla_state", "organization_id", "field_terms", "form", "followers",
             "link_types")


def index_body() -> dict[str, Any]:
    """Settings and mapping of the ticket index (infra/opensearch/tickets.json is this)."""
    properties: dict[str, Any] = {name: {"type": "keyword"} for name in _KEYWORDS}
    properties.update({
        "number": {"type": "long"}, "version": {"type": "long"},
        "created_at": {"type": "long"}, "updated_at": {"type": "long"},  # epoch ms: the sort values of a cursor
        "public": {"type": "text", "analyzer": "english"},
        "internal": {"type": "text", "analyzer": "english"},
        # Letters only, lower-cased: what the embedded index's `letter_words` does, so names match alike.
        "requester_words": {"type": "text", "analyzer": "simple"},
    })
    return {"mappings": {"dynamic": "strict", "properties": properties}}


def _filters(query: IndexQuery) -> list[dict[str, Any]]:
    f = query.filters
    filters: list[dict[str, Any]] = [{"term": {"tenant_id": query.tenant_id}}]
    for name, value in (("status", f.status), ("priority", f.priority), ("group", f.group),
                        ("assignee_id", f.assignee_id), ("channel", f.channel), ("sla_state", f.sla_state),
                        ("organization_id", f.organization_id), ("form", f.form)):
        if value is not None:
            filters.append({"term": {name: value}})
    if f.statuses:
        filters.append({"terms": {"status": list(f.statuses)}})
    if f.in_groups:
        filters.append({"terms": {"group": list(f.in_groups)}})
    if f.unassigned:
        filters.append({"bool": {"must_not": [{"exists": {"field": "assignee_id"}}]}})
    if f.tag is not None:
        filters.append({"term": {"tags": normalise_tag(f.tag)}})
    filters += [{"term": {"field_terms": term}} for term in f.field_terms]
    if f.follower is not None:
        filters.append({"term": {"followers": f.follower}})
    if f.link_type is not None:
        filters.append({"term": {"link_types": f.link_type}})
    if f.requester_id is not None:
        filters.append(_either({"term": {"requester_id": f.requester_id}},
                               {"term": {"requester_key": f.requester_id}}))
    for field, low, high in (("created_at", f.created_from, f.created_to),
                             ("updated_at", f.updated_from, f.updated_to)):
        bounds = {op: epoch_ms(v) for op, v in (("gte", low), ("lte", high)) if v is not None}
        if bounds:
            filters.append({"range": {field: bounds}})
    if query.requesters is not None:  # a customer: their own tickets
        filters.append(_either({"terms": {"requester_id": list(query.requesters)}},
                               {"terms": {"requester_key": list(query.requesters)}}))
    if query.groups:  # an agent with groups: those groups, or assigned to them
        visible: list[dict[str, Any]] = [{"terms": {"group": list(query.groups)}}]
        if query.visible_to is not None:
            visible.append({"term": {"assignee_id": query.visible_to}})
        filters.append(_either(*visible))
    return filters


def _either(*clauses: dict[str, Any]) -> dict[str, Any]:
    return {"bool": {"should": list(clauses), "minimum_should_match": 1}}


def search_body(query: IndexQuery) -> dict[str, Any]:
    fields = ["public", "internal"] if query.internal else ["public"]
    body: dict[str, Any] = {"size": query.limit + 1, "_source": ["ticket_id"], "track_total_hits": False}
    if query.text:
        body["query"] = {"bool": {"must": [{"multi_match": {"query": query.text, "fields": fields}}],
                                  "filter": _filters(query)}}
        body["highlight"] = {"pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html",
                             "fields": {name: {"fragment_size": SNIPPET_CHARS, "number_of_fragments": MAX_SNIPPETS}
                                        for name in fields}}
    else:
        body["query"] = {"bool": {"filter": _filters(query)}}
    if query.order == "relevance" and query.text:
        body["sort"] = [{"_score": "desc"}, {"updated_at": "desc"}, {"ticket_id": "asc"}]
    else:
        body["sort"] = [{"created_at": "desc"}, {"ticket_id": "asc"}]
    if query.after is not None:
        body["search_after"] = list(query.after)
    return body


def customers_body(query: CustomerQuery) -> dict[str, Any]:
    """A composite aggregation over the requester key pages A-Z with `after`; each bucket counts the customer's
    tickets and unsolved ones and names the one last updated."""
    matching: dict[str, Any] = {"filter": _filters(query.tickets)}
    if query.words.strip():
        matching["must"] = [{"match_bool_prefix": {"requester_words": {"query": query.words, "operator": "and"}}}]
    composite: dict[str, Any] = {"size": query.limit + 1, "sources": [{"key": {"terms": {"field": "requester_key"}}}]}
    if query.after is not None:
        composite["after"] = {"key": query.after}
    latest = {"size": 1, "sort": [{"updated_at": "desc"}, {"ticket_id": "asc"}], "_source": ["ticket_id"]}
    unsolved = {"terms": {"status": [s.value for s in UNSOLVED_STATUSES]}}
    return {"size": 0, "track_total_hits": False, "query": {"bool": matching},
            "aggs": {"customers": {"composite": composite,
                                   "aggs": {"latest": {"top_hits": latest}, "unsolved": {"filter": unsolved}}}}}


class OpenSearchTicketIndex:
    """Implements `helpdesk.search.ports.TicketIndex` through an `opensearchpy.OpenSearch` client."""

    def __init__(self, client: Any, index: str) -> None:
        self._client = client
        self._index = index
        self._ready = False

    @classmethod
    def connect(cls, endpoint: str, *, index: str, service: str, region: str | None) -> "OpenSearchTicketIndex":
        return cls(connect_client(endpoint, service=service, region=region, timeout=SEARCH_TIMEOUT), index)

    def ensure_index(self) -> None:
        if self._ready:
            return
        if not self._client.indices.exists(index=self._index):
            self._client.indices.create(index=self._index, body=index_body(), request_timeout=WRITE_TIMEOUT)
        else:
            # An index created by an older release lacks the fields added since, and its strict mapping would
            # refuse every document holding one. Adding fields is allowed on a live index (and a no-op when they
            # are there), so the mapping is brought up to date before the first write of a container.
            fields = {"properties": index_body()["mappings"]["properties"]}
            self._client.indices.put_mapping(index=self._index, body=fields, request_timeout=WRITE_TIMEOUT)
        self._ready = True

    def _existing(self, tenant_id: str, ticket_ids: list[str]) -> dict[str, list[tuple[str, int]]]:
        """ticket id -> [(document id, version)] of what is indexed now."""
        body = {"size": PAGE, "_source": ["ticket_id", "version"],
                "query": {"bool": {"filter": [{"term": {"tenant_id": tenant_id}},
                                              {"terms": {"ticket_id": ticket_ids}}]}}}
        response = self._client.search(index=self._index, body=body)
        found: dict[str, list[tuple[str, int]]] = {}
        for hit in response["hits"]["hits"]:
            found.setdefault(hit["_source"]["ticket_id"], []).append((hit["_id"], int(hit["_source"]["version"])))
        return found

    def upsert_many(self, docs: Sequence[TicketDocument]) -> None:
        if not docs:
            return
        self.ensure_index()
        by_tenant: dict[str, list[TicketDocument]] = {}
        for doc in docs:
            by_tenant.setdefault(doc.tenant_id, []).append(doc)
        for tenant_id, batch in by_tenant.items():
            for start in range(0, len(batch), PAGE // 2):  # room for a stray duplicate per ticket in one page
                self._upsert(tenant_id, batch[start:start + PAGE // 2])

    def _upsert(self, tenant_id: str, docs: list[TicketDocument]) -> None:
        existing = self._existing(tenant_id, [d.ticket_id for d in docs])
        newer = [d for d in docs if all(version <= d.version for _, version in existing.get(d.ticket_id, []))]
        actions: list[dict[str, Any]] = []
        for doc in newer:
            actions += [{"index": {"_index": self._index}}, doc.to_json()]
        bulk_write(self._client, actions, self._index)
        bulk_write(self._client, [{"delete": {"_index": self._index, "_id": doc_id}}
                                  for doc in newer for doc_id, _ in existing.get(doc.ticket_id, [])], self._index)

    def delete(self, tenant_id: str, ticket_id: str) -> None:
        self.ensure_index()
        ids = [doc_id for doc_id, _ in self._existing(tenant_id, [ticket_id]).get(ticket_id, [])]
        bulk_write(self._client, [{"delete": {"_index": self._index, "_id": i}} for i in ids], self._index)

    def replace_tenant(self, tenant_id: str, docs: Iterable[TicketDocument]) -> int:
        batch = [d for d in docs if d.tenant_id == tenant_id]
        self.ensure_index()
        before = self._all_ids(tenant_id)
        for start in range(0, len(batch), PAGE // 2):
            part = batch[start:start + PAGE // 2]
            actions: list[dict[str, Any]] = []
            for doc in part:
                actions += [{"index": {"_index": self._index}}, doc.to_json()]
            bulk_write(self._client, actions, self._index)
        stale = sorted(before)
        for start in range(0, len(stale), PAGE):
            bulk_write(self._client, [{"delete": {"_index": self._index, "_id": i}} for i in stale[start:start + PAGE]],
                       self._index)
        return len(batch)

    def _all_ids(self, tenant_id: str) -> set[str]:
        ids: set[str] = set()
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"size": PAGE, "_source": ["ticket_id"], "sort": [{"ticket_id": "asc"}],
                                    "query": {"bool": {"filter": [{"term": {"tenant_id": tenant_id}}]}}}
            if after is not None:
                body["search_after"] = after
            hits = self._client.search(index=self._index, body=body)["hits"]["hits"]
            ids.update(hit["_id"] for hit in hits)
            if len(hits) < PAGE:
                return ids
            after = hits[-1]["sort"]

    def search(self, query: IndexQuery) -> IndexPage:
        from opensearchpy.exceptions import NotFoundError

        try:
            response = self._client.search(index=self._index, body=search_body(query))
        except NotFoundError:  # no index yet: nothing was ever indexed
            return IndexPage(hits=[], more=False)
        raw = response["hits"]["hits"]
        hits = [_hit(h) for h in raw[:query.limit]]
        return IndexPage(hits=hits, more=len(raw) > query.limit)

    def customers(self, query: CustomerQuery) -> CustomerBucketPage:
        from opensearchpy.exceptions import NotFoundError

        try:
            response = self._client.search(index=self._index, body=customers_body(query))
        except NotFoundError:
            return CustomerBucketPage(buckets=[], more=False)
        raw = response["aggregations"]["customers"]["buckets"]
        return CustomerBucketPage(buckets=[_bucket(b) for b in raw[:query.limit]], more=len(raw) > query.limit)


def _bucket(bucket: dict[str, Any]) -> CustomerBucket:
    latest = bucket["latest"]["hits"]["hits"][0]["_source"]
    return CustomerBucket(requester_key=bucket["key"]["key"], tickets=int(bucket["doc_count"]),
                          unsolved=int(bucket["unsolved"]["doc_count"]), latest_ticket_id=latest["ticket_id"])


def _hit(hit: dict[str, Any]) -> IndexHit:
    marks = hit.get("highlight") or {}
    snippets = [Snippet(text=t, internal=False) for t in marks.get("public", [])]
    snippets += [Snippet(text=t, internal=True) for t in marks.get("internal", [])]
    score = hit.get("_score")
    return IndexHit(ticket_id=hit["_source"]["ticket_id"], score=None if score is None else round(float(score), 6),
                    sort=tuple(hit.get("sort") or ()), snippets=tuple(snippets[:MAX_SNIPPETS]))

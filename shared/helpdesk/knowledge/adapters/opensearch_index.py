"""The OpenSearch KnowledgeIndex: a managed domain (`es`) or OpenSearch Serverless (`aoss`), SigV4-signed.

One index holds every tenant's chunks; each query filters on `tenant_id` (a keyword) so tenancy is in
every request. Writes use only what both services support: bulk `index` without ids (vector
collections choose ids themselves), ids found by search, bulk `delete` by id (Serverless has no
delete-by-query). Replacing an article indexes the new chunks first and deletes the old ones only
once the new ones are in, so a failed write leaves the previous chunks searchable.

Hybrid search is one `_msearch` round trip: a BM25 `match` on `search_text` (english analyzer, like
the embedded index) and a k-NN query with the same filters (efficient filtering), fused client-side
with the same reciprocal-rank function as the embedded index.
"""

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from helpdesk.knowledge.fusion import reciprocal_rank_fusion
from helpdesk.knowledge.ports import Chunk, IndexQuery, SearchHit

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

CANDIDATES_PER_LEG = 100
# (connect, read) seconds. Searches sit on the chat turn's path: a hung domain must cost seconds, not the
# 3 x 10 s that timeout=10 with two retries on timeout cost. Writes (bulk indexing from the knowledge API)
# may legitimately take longer to answer, so they pass their own read timeout per request.
SEARCH_TIMEOUT = (1.0, 3.0)
WRITE_TIMEOUT = (1.0, 20.0)
MAX_CHUNKS_PER_ARTICLE = 1000  # an article's chunk ids are fetched in one page
SOURCE_FIELDS = ["article_id", "chunk_id", "title", "heading", "anchor", "text", "url", "visibility", "language",
                 "translation_of"]


class IndexWriteFailed(RuntimeError):
    """OpenSearch refused some of a bulk request; the previous chunks are still in place."""


def index_body(dimension: int) -> dict[str, Any]:
    """Settings and mapping of the chunk index (infra/opensearch/kb-chunks.json is this for 384)."""
    return {
        "settings": {"index": {"knn": True}},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "tenant_id": {"type": "keyword"},
                "article_id": {"type": "keyword"},
                "chunk_id": {"type": "keyword"},
                "version": {"type": "integer"},
                "position": {"type": "integer"},
                "status": {"type": "keyword"},
                "visibility": {"type": "keyword"},
                "language": {"type": "keyword"},
                "translation_of": {"type": "keyword"},
                "tags": {"type": "keyword"},
                "title": {"type": "text", "analyzer": "english"},
                "heading": {"type": "text", "analyzer": "english"},
                "text": {"type": "text", "analyzer": "english"},
                "search_text": {"type": "text", "analyzer": "english"},
                "anchor": {"type": "keyword", "index": False},
                "url": {"type": "keyword", "index": False},
                "embedding": {
                    "type": "knn_vector",
                    "dimension": dimension,
                    # Vectors are L2-normalised, so inner product is cosine similarity.
                    "method": {"name": "hnsw", "engine": "faiss", "space_type": "innerproduct",
                               "parameters": {"m": 16, "ef_construction": 128}},
                },
            },
        },
    }


def _filters(tenant_id: str, query: IndexQuery | None = None, article_id: str | None = None) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = [{"term": {"tenant_id": tenant_id}}]
    if article_id is not None:
        filters.append({"term": {"article_id": article_id}})
    if query is not None:
        filters.append({"terms": {"visibility": list(query.visibilities)}})
        filters.append({"term": {"status": "published"}})
        if query.tags:
            filters.append({"terms": {"tags": list(query.tags)}})
    return filters


def lexical_body(query: IndexQuery, depth: int) -> dict[str, Any]:
    return {"size": depth, "_source": SOURCE_FIELDS,
            "query": {"bool": {"must": [{"match": {"search_text": {"query": query.text}}}],
                               "filter": _filters(query.tenant_id, query)}}}


def knn_body(query: IndexQuery, depth: int) -> dict[str, Any]:
    assert query.vector is not None
    return {"size": depth, "_source": SOURCE_FIELDS,
            "query": {"knn": {"embedding": {"vector": [round(float(x), 7) for x in query.vector], "k": depth,
                                            "filter": {"bool": {"filter": _filters(query.tenant_id, query)}}}}}}


def chunk_document(chunk: Chunk, vector: "NDArray[np.float32]") -> dict[str, Any]:
    doc = {k: v for k, v in asdict(chunk).items() if v is not None}
    doc["tags"] = list(chunk.tags)
    doc["status"] = "published"
    doc["search_text"] = chunk.search_text
    doc["embedding"] = [round(float(x), 7) for x in vector]
    return doc


def connect_client(endpoint: str, *, service: str, region: str | None,
                   timeout: tuple[float, float] = SEARCH_TIMEOUT) -> Any:
    """An `opensearchpy.OpenSearch` client for a domain (`es`) or a Serverless collection (`aoss`), SigV4-signed
    with the function's credentials. The ticket search index uses it too (same domain or collection)."""
    import boto3
    from opensearchpy import AWSV4SignerAuth, OpenSearch, RequestsHttpConnection

    session = boto3.Session()
    region = region or session.region_name or "us-east-1"
    url = urlparse(endpoint if "://" in endpoint else f"https://{endpoint}")
    secure = url.scheme != "http"  # plain http only for a local stand-in; AWS endpoints are https
    # One retry, for a refused or reset connection only (cheap): a timeout is not retried, it already
    # cost its full wait. `requests` takes the (connect, read) pair as it is.
    return OpenSearch(hosts=[{"host": url.hostname, "port": url.port or (443 if secure else 80)}],
                      http_auth=AWSV4SignerAuth(session.get_credentials(), region, service),
                      use_ssl=secure, verify_certs=secure, connection_class=RequestsHttpConnection,
                      timeout=timeout, max_retries=1, retry_on_timeout=False)


def bulk_write(client: Any, actions: list[dict[str, Any]], index: str | None = None) -> list[str]:
    """Send a bulk request (to `/<index>/_bulk` when `index` is given, so a policy scoped to the index
    allows it); the ids it wrote. Raises IndexWriteFailed if any item failed (a delete of a document that is
    already gone is not a failure)."""
    if not actions:
        return []
    response = client.bulk(body=actions, index=index, request_timeout=WRITE_TIMEOUT)
    written, failed = [], []
    for item in response["items"]:
        (op, result), = item.items()
        if result.get("status", 500) >= 300 and not (op == "delete" and result.get("status") == 404):
            failed.append(result.get("error", {}).get("type", "unknown"))
        elif op == "index":
            written.append(result["_id"])
    if failed:
        raise IndexWriteFailed(f"{len(failed)} bulk items failed: {sorted(set(failed))}")
    return written


class OpenSearchIndex:
    """Implements `helpdesk.knowledge.ports.KnowledgeIndex` through an `opensearchpy.OpenSearch` client."""

    def __init__(self, client: Any, index: str, dimension: int) -> None:
        self._client = client
        self._index = index
        self._dimension = dimension
        self._ready = False

    @classmethod
    def connect(cls, endpoint: str, *, index: str, service: str, region: str | None, dimension: int,
                timeout: tuple[float, float] = SEARCH_TIMEOUT) -> "OpenSearchIndex":
        return cls(connect_client(endpoint, service=service, region=region, timeout=timeout), index, dimension)

    def ensure_index(self) -> None:
        """Create the index with our mapping if it does not exist (template.yaml cannot create indexes)."""
        if self._ready:
            return
        if not self._client.indices.exists(index=self._index):
            self._client.indices.create(index=self._index, body=index_body(self._dimension),
                                        request_timeout=WRITE_TIMEOUT)
        else:
            # An index created by an older release lacks the fields added since (`translation_of`), and its strict
            # mapping would refuse every chunk holding one: adding fields is allowed on a live index (a no-op when
            # they are there), as the ticket index does.
            fields = {"properties": index_body(self._dimension)["mappings"]["properties"]}
            self._client.indices.put_mapping(index=self._index, body=fields, request_timeout=WRITE_TIMEOUT)
        self._ready = True

    def _chunk_ids(self, tenant_id: str, article_id: str) -> list[str]:
        body = {"size": MAX_CHUNKS_PER_ARTICLE, "_source": False,
                "query": {"bool": {"filter": _filters(tenant_id, article_id=article_id)}}}
        response = self._client.search(index=self._index, body=body)
        return [hit["_id"] for hit in response["hits"]["hits"]]

    def _bulk(self, actions: list[dict[str, Any]]) -> list[str]:
        return bulk_write(self._client, actions)

    def replace_article(self, tenant_id: str, article_id: str, chunks: Sequence[Chunk],
                        vectors: "NDArray[np.float32]") -> None:
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        self.ensure_index()
        previous = self._chunk_ids(tenant_id, article_id)
        actions: list[dict[str, Any]] = []
        for chunk, vector in zip(chunks, vectors, strict=True):
            actions.append({"index": {"_index": self._index}})
            actions.append(chunk_document(chunk, vector))
        try:
            self._bulk(actions)
        except IndexWriteFailed:
            # Take back whatever part of the new version got in; the previous one was never touched.
            stray = set(self._chunk_ids(tenant_id, article_id)) - set(previous)
            self._bulk([{"delete": {"_index": self._index, "_id": i}} for i in sorted(stray)])
            raise
        self._bulk([{"delete": {"_index": self._index, "_id": i}} for i in previous])

    def delete_article(self, tenant_id: str, article_id: str) -> None:
        self.ensure_index()
        ids = self._chunk_ids(tenant_id, article_id)
        self._bulk([{"delete": {"_index": self._index, "_id": i}} for i in ids])

    def search(self, query: IndexQuery) -> list[SearchHit]:
        if query.k <= 0:
            return []
        depth = max(query.k, CANDIDATES_PER_LEG)
        bodies: list[dict[str, Any]] = []
        if query.mode in ("hybrid", "lexical"):
            bodies.append(lexical_body(query, depth))
        if query.mode in ("hybrid", "dense") and query.vector is not None:
            bodies.append(knn_body(query, depth))
        if not bodies:
            return []
        request: list[dict[str, Any]] = []
        for body in bodies:
            request.extend([{"index": self._index}, body])
        response = self._client.msearch(body=request)
        rankings: list[list[str]] = []
        sources: dict[str, dict[str, Any]] = {}
        similarity: dict[str, float] = {}
        knn_position = len(bodies) - 1 if query.mode != "lexical" and query.vector is not None else -1
        for position, result in enumerate(response["responses"]):
            if "error" in result:
                if result.get("status") == 404:  # no index yet: nothing published anywhere
                    return []
                raise RuntimeError(f"OpenSearch search failed: {json.dumps(result['error'])[:300]}")
            ranking = []
            for hit in result["hits"]["hits"]:
                ranking.append(hit["_id"])
                sources.setdefault(hit["_id"], hit["_source"])
                if position == knn_position:
                    similarity[hit["_id"]] = inner_product_from_score(float(hit["_score"]))
            rankings.append(ranking)
        if len(rankings) == 1:
            fused = [(doc_id, 1.0 / (60 + rank)) for rank, doc_id in enumerate(rankings[0], start=1)]
        else:
            fused = reciprocal_rank_fusion(rankings)
        return [_hit(sources[doc_id], score, similarity.get(doc_id)) for doc_id, score in fused[:query.k]]


def inner_product_from_score(score: float) -> float:
    """Undo the k-NN plugin's score for faiss inner product (ip + 1 when ip >= 0, else 1 / (1 - ip))."""
    return score - 1.0 if score >= 1.0 else 1.0 - 1.0 / score


def _hit(source: dict[str, Any], score: float, similarity: float | None = None) -> SearchHit:
    return SearchHit(article_id=source["article_id"], chunk_id=source["chunk_id"], title=source["title"],
                     text=source["text"], score=round(score, 6), heading=source.get("heading"),
                     anchor=source.get("anchor"), url=source.get("url"),
                     visibility=source.get("visibility", "public"), language=source.get("language", "en"),
                     translation_of=source.get("translation_of"),
                     similarity=None if similarity is None else round(similarity, 4))


def mapping_file() -> Path:
    """Where the repository keeps the reviewed copy of the mapping (not shipped in the layer)."""
    return Path(__file__).resolve().parents[4] / "infra" / "opensearch" / "kb-chunks.json"

"""The OpenSearch adapter at the HTTP level: no OpenSearch engine runs here (no Docker, no downloads),
so `responses` stands in for the service. We assert the exact requests opensearch-py sends (paths,
NDJSON bodies, SigV4 headers) and parse responses shaped like the real service's."""

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import responses

from helpdesk.knowledge.adapters.opensearch_index import (
    IndexWriteFailed,
    OpenSearchIndex,
    index_body,
    inner_product_from_score,
    knn_body,
    lexical_body,
)
from helpdesk.knowledge.ports import Chunk, IndexQuery

ENDPOINT = "https://abc123xyz.us-east-1.aoss.amazonaws.com"
ROOT = Path(__file__).resolve().parents[3]


def url(path: str) -> re.Pattern[str]:
    """opensearch-py names the default port (`host:443`), which `responses` will not match literally."""
    return re.compile(re.escape(ENDPOINT) + "(:443)?" + re.escape(path) + "$")


def ndjson(body: Any) -> list[dict[str, Any]]:
    text = body.decode() if isinstance(body, bytes) else str(body or "")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def chunk(article_id: str, position: int, text: str, visibility: str = "public") -> Chunk:
    return Chunk(tenant_id="acme", article_id=article_id, chunk_id=f"{article_id}#{position}", version=3,
                 position=position, title="Refunds", heading="Annual plans", anchor="annual-plans", text=text,
                 visibility=visibility, language="en", tags=("billing",))  # type: ignore[arg-type]


def hit(doc_id: str, article_id: str, score: float) -> dict[str, Any]:
    return {"_index": "kb-chunks", "_id": doc_id, "_score": score,
            "_source": {"article_id": article_id, "chunk_id": f"{article_id}#0", "title": f"Title {article_id}",
                        "heading": None, "anchor": None, "text": f"text of {article_id}", "visibility": "public",
                        "language": "en"}}


def search_response(hits: list[dict[str, Any]]) -> dict[str, Any]:
    return {"took": 3, "timed_out": False, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
            "hits": {"total": {"value": len(hits), "relation": "eq"}, "max_score": hits[0]["_score"] if hits else None,
                     "hits": hits}, "status": 200}


@pytest.fixture
def index() -> OpenSearchIndex:
    opened = OpenSearchIndex.connect(ENDPOINT, index="kb-chunks", service="aoss", region="us-east-1", dimension=4)
    opened._ready = True  # index creation has its own test
    return opened


@responses.activate
def test_hybrid_search_sends_one_signed_msearch_and_fuses_by_rank(index: OpenSearchIndex) -> None:
    responses.post(url("/_msearch"), json={"took": 5, "responses": [
        search_response([hit("d1", "refunds", 7.1), hit("d2", "plans", 3.2)]),
        search_response([hit("d2", "plans", 1.91), hit("d3", "invoices", 1.88)]),  # faiss ip: score = 1 + ip
    ]})
    vector = np.array([0.5, 0.5, 0.5, 0.5], dtype=np.float32)
    query = IndexQuery(tenant_id="acme", text="money back", vector=vector, k=3, visibilities=("public",))

    hits = index.search(query)

    assert [h.article_id for h in hits] == ["plans", "refunds", "invoices"]  # in both lists beats first in one
    assert hits[0].score == pytest.approx(1 / 62 + 1 / 61, abs=1e-6)
    assert hits[0].similarity == pytest.approx(0.91)
    assert hits[1].similarity is None  # refunds came from BM25 only
    sent = responses.calls[0].request
    authorization = str(sent.headers["Authorization"])
    assert authorization.startswith("AWS4-HMAC-SHA256 Credential=")
    assert "/us-east-1/aoss/aws4_request" in authorization
    assert "x-amz-content-sha256" in {k.lower() for k in sent.headers}  # Serverless requires the payload hash
    filters = [{"term": {"tenant_id": "acme"}}, {"terms": {"visibility": ["public"]}},
               {"term": {"status": "published"}}]
    source = ["article_id", "chunk_id", "title", "heading", "anchor", "text", "url", "visibility", "language",
              "translation_of"]
    assert ndjson(sent.body) == [
        {"index": "kb-chunks"},
        {"size": 100, "_source": source,
         "query": {"bool": {"must": [{"match": {"search_text": {"query": "money back"}}}], "filter": filters}}},
        {"index": "kb-chunks"},
        {"size": 100, "_source": source,
         "query": {"knn": {"embedding": {"vector": [0.5, 0.5, 0.5, 0.5], "k": 100,
                                         "filter": {"bool": {"filter": filters}}}}}},
    ]


@responses.activate
def test_lexical_mode_sends_only_bm25_and_internal_audience_widens_the_filter(index: OpenSearchIndex) -> None:
    responses.post(url("/_msearch"), json={"responses": [search_response([hit("d1", "refunds", 2.0)])]})
    query = IndexQuery(tenant_id="acme", text="refund", vector=None, k=5, visibilities=("public", "internal"),
                       mode="lexical")
    assert [h.title for h in index.search(query)] == ["Title refunds"]
    body = ndjson(responses.calls[0].request.body)
    assert len(body) == 2
    assert {"terms": {"visibility": ["public", "internal"]}} in body[1]["query"]["bool"]["filter"]


@responses.activate
def test_search_before_any_article_was_published_is_empty(index: OpenSearchIndex) -> None:
    missing = {"error": {"root_cause": [{"type": "index_not_found_exception", "reason": "no such index [kb-chunks]"}],
                         "type": "index_not_found_exception", "reason": "no such index [kb-chunks]"}, "status": 404}
    responses.post(url("/_msearch"), json={"responses": [missing, missing]})
    query = IndexQuery(tenant_id="acme", text="x", vector=np.zeros(4, dtype=np.float32), k=5)
    assert index.search(query) == []


@responses.activate
def test_replace_indexes_new_chunks_then_deletes_the_old_ones(index: OpenSearchIndex) -> None:
    responses.post(url("/kb-chunks/_search"), json=search_response(
        [{"_index": "kb-chunks", "_id": "old-1", "_score": 0.0}]))
    responses.post(url("/_bulk"), json={"took": 12, "errors": False, "items": [
        {"index": {"_index": "kb-chunks", "_id": "new-1", "status": 201, "result": "created"}}]})
    responses.post(url("/_bulk"), json={"took": 4, "errors": False, "items": [
        {"delete": {"_index": "kb-chunks", "_id": "old-1", "status": 200, "result": "deleted"}}]})

    index.replace_article("acme", "refunds", [chunk("refunds", 0, "Refunds within 30 days.")],
                          np.array([[1.0, 0.0, 0.0, 0.0]], dtype=np.float32))

    find, write, delete = (c.request for c in responses.calls)
    assert ndjson(find.body)[0] == {"size": 1000, "_source": False, "query": {"bool": {"filter": [
        {"term": {"tenant_id": "acme"}}, {"term": {"article_id": "refunds"}}]}}}
    assert ndjson(write.body) == [
        {"index": {"_index": "kb-chunks"}},
        {"tenant_id": "acme", "article_id": "refunds", "chunk_id": "refunds#0", "version": 3, "position": 0,
         "title": "Refunds", "heading": "Annual plans", "anchor": "annual-plans", "text": "Refunds within 30 days.",
         "visibility": "public", "language": "en", "tags": ["billing"], "status": "published",
         "search_text": "Refunds\nAnnual plans\nRefunds within 30 days.", "embedding": [1.0, 0.0, 0.0, 0.0]},
    ]
    assert ndjson(delete.body) == [{"delete": {"_index": "kb-chunks", "_id": "old-1"}}]


@responses.activate
def test_a_failed_bulk_keeps_the_previous_chunks(index: OpenSearchIndex) -> None:
    responses.post(url("/kb-chunks/_search"), json=search_response(
        [{"_index": "kb-chunks", "_id": "old-1", "_score": 0.0}]))
    responses.post(url("/_bulk"), json={"took": 12, "errors": True, "items": [
        {"index": {"_index": "kb-chunks", "_id": "new-1", "status": 201, "result": "created"}},
        {"index": {"_index": "kb-chunks", "status": 400, "error": {
            "type": "mapper_parsing_exception", "reason": "failed to parse field [embedding]"}}}]})
    responses.post(url("/kb-chunks/_search"), json=search_response(
        [{"_index": "kb-chunks", "_id": "old-1", "_score": 0.0},
         {"_index": "kb-chunks", "_id": "new-1", "_score": 0.0}]))
    responses.post(url("/_bulk"), json={"took": 3, "errors": False, "items": [
        {"delete": {"_index": "kb-chunks", "_id": "new-1", "status": 200, "result": "deleted"}}]})

    with pytest.raises(IndexWriteFailed, match="mapper_parsing_exception"):
        index.replace_article("acme", "refunds", [chunk("refunds", 0, "a"), chunk("refunds", 1, "b")],
                              np.eye(2, 4, dtype=np.float32))

    cleanup = ndjson(responses.calls[3].request.body)
    assert cleanup == [{"delete": {"_index": "kb-chunks", "_id": "new-1"}}]  # old-1 is never deleted
    assert len(responses.calls) == 4


@responses.activate
def test_missing_index_is_created_with_the_reviewed_mapping() -> None:
    responses.head(url("/kb-chunks"), status=404)
    responses.put(url("/kb-chunks"), json={"acknowledged": True, "shards_acknowledged": True,
                                                 "index": "kb-chunks"})
    index = OpenSearchIndex.connect(ENDPOINT, index="kb-chunks", service="aoss", region="us-east-1", dimension=384)
    index.ensure_index()
    index.ensure_index()  # once per container
    assert len(responses.calls) == 2
    created = ndjson(responses.calls[1].request.body)[0]
    assert created == json.loads((ROOT / "infra" / "opensearch" / "kb-chunks.json").read_text())
    assert created["mappings"]["properties"]["embedding"]["dimension"] == 384


def test_knn_scores_convert_back_to_inner_product() -> None:
    assert inner_product_from_score(1.25) == pytest.approx(0.25)
    assert inner_product_from_score(0.5) == pytest.approx(-1.0)  # 1 / (1 - ip) for negative ip


def test_query_bodies_filter_on_tags_when_asked() -> None:
    query = IndexQuery(tenant_id="t", text="q", vector=np.zeros(2, dtype=np.float32), k=1, tags=("billing",))
    assert {"terms": {"tags": ["billing"]}} in lexical_body(query, 10)["query"]["bool"]["filter"]
    assert {"terms": {"tags": ["billing"]}} in knn_body(query, 10)["query"]["knn"]["embedding"]["filter"]["bool"][
        "filter"]
    assert index_body(1024)["mappings"]["properties"]["embedding"]["dimension"] == 1024


@responses.activate
def test_an_index_made_by_an_older_release_gets_the_fields_added_since() -> None:
    """Its strict mapping would refuse a chunk holding `translation_of`: the fields are put (additive) once per
    container, before the first write."""
    responses.head(url("/kb-chunks"), status=200)
    responses.put(url("/kb-chunks/_mapping"), json={"acknowledged": True})
    index = OpenSearchIndex.connect(ENDPOINT, index="kb-chunks", service="aoss", region="us-east-1", dimension=384)
    index.ensure_index()
    index.ensure_index()
    assert len(responses.calls) == 2
    put = ndjson(responses.calls[1].request.body)[0]
    assert put == {"properties": index_body(384)["mappings"]["properties"]}
    assert put["properties"]["translation_of"] == {"type": "keyword"}


@responses.activate
def test_a_translation_is_indexed_and_found_with_its_original(index: OpenSearchIndex) -> None:
    responses.post(url("/kb-chunks/_search"), json=search_response([]))
    responses.post(url("/_bulk"), json={"took": 3, "errors": False, "items": [
        {"index": {"_index": "kb-chunks", "_id": "n1", "status": 201, "result": "created"}}]})
    translated = replace(chunk("refunds-de", 0, "Erstattung binnen 30 Tagen."), language="de",
                         translation_of="refunds")
    index.replace_article("acme", "refunds-de", [translated], np.array([[1.0, 0.0, 0.0, 0.0]], dtype=np.float32))
    written = ndjson(responses.calls[1].request.body)[1]
    assert (written["language"], written["translation_of"]) == ("de", "refunds")

    found = hit("d1", "refunds-de", 2.0)
    found["_source"] |= {"language": "de", "translation_of": "refunds"}
    responses.post(url("/_msearch"), json={"responses": [search_response([found])]})
    hits = index.search(IndexQuery(tenant_id="acme", text="Erstattung", vector=None, k=1, mode="lexical"))
    assert (hits[0].article_id, hits[0].translation_of) == ("refunds-de", "refunds")

"""The embedded index and the retriever over it, with the real MiniLM on a few documents."""

from pathlib import Path

import numpy as np
import pytest

from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
from helpdesk.knowledge.adapters.onnx_minilm import OnnxMiniLmEmbedder
from helpdesk.knowledge.indexing import ArticleIndexer, IndexableArticle
from helpdesk.knowledge.retrieval import HybridRetriever

EMBEDDER = OnnxMiniLmEmbedder()
DOCS = {
    "password": ("Reset your password", "Open Settings > Security and choose Reset password."),
    "refunds": ("Refunds", "Annual plans are refunded within 30 days of purchase."),
    "export": ("Export your data", "Download a CSV of all tickets from Admin > Export."),
}


def build(root: Path | None, tenant: str = "acme") -> tuple[EmbeddedIndex, ArticleIndexer]:
    index = EmbeddedIndex(root, dimension=EMBEDDER.dimension)
    indexer = ArticleIndexer(index, EMBEDDER)
    for article_id, (title, body) in DOCS.items():
        indexer.index(IndexableArticle(tenant_id=tenant, article_id=article_id, version=1, title=title, body=body))
    return index, indexer


def test_embeddings_are_normalised_batched_and_order_preserving() -> None:
    texts = ["short", "a much longer sentence about invoices and billing periods", "", "short"]
    vectors = EMBEDDER.embed(texts)
    assert vectors.shape == (4, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert np.allclose(vectors[0], vectors[3])
    one_by_one = np.vstack([EMBEDDER.embed([t]) for t in texts])
    assert np.allclose(vectors, one_by_one, atol=1e-4)  # padding inside a batch changes nothing
    similar = EMBEDDER.embed(["I forgot my password", "How do I reset my password?", "refund policy"])
    assert similar[0] @ similar[1] > similar[0] @ similar[2]


@pytest.mark.parametrize("mode", ["hybrid", "lexical", "dense"])
def test_each_mode_finds_the_obvious_article(mode: str) -> None:
    index, _ = build(None)
    retriever = HybridRetriever(index, EMBEDDER)
    hits = retriever.search(tenant_id="acme", query="how can I reset my password", k=2, mode=mode)  # type: ignore[arg-type]
    assert hits[0].article_id == "password"
    if mode == "lexical":
        assert hits[0].similarity is None
    else:
        assert hits[0].similarity is not None
        assert hits[0].similarity > 0.5 > (hits[1].similarity or 0.0)


def test_index_survives_a_restart_and_sees_other_writers(tmp_path: Path) -> None:
    build(tmp_path)
    reopened = HybridRetriever(EmbeddedIndex(tmp_path, dimension=384), EMBEDDER)
    assert reopened.search(tenant_id="acme", query="money back for my annual plan", k=1)[0].article_id == "refunds"
    # another process (the CLI) removes an article: a long-lived reader notices on its next search
    EmbeddedIndex(tmp_path, dimension=384).delete_article("acme", "refunds")
    assert "refunds" not in [h.article_id for h in reopened.search(tenant_id="acme", query="refund", k=3)]


def test_tenants_are_separate(tmp_path: Path) -> None:
    index, _ = build(tmp_path, tenant="acme")
    assert HybridRetriever(index, EMBEDDER).search(tenant_id="globex", query="refund", k=3) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme.npz"]


def test_a_failed_write_keeps_the_previous_chunks(tmp_path: Path) -> None:
    index, indexer = build(tmp_path)

    class BrokenEmbedder:
        model_id, dimension = "broken", 384

        def embed(self, texts: object) -> np.ndarray:
            raise RuntimeError("model crashed")

    with pytest.raises(RuntimeError):
        ArticleIndexer(index, BrokenEmbedder()).index(
            IndexableArticle(tenant_id="acme", article_id="refunds", version=2, title="Refunds", body="new text"))
    with pytest.raises(ValueError, match="one vector per chunk"):
        index.replace_article("acme", "refunds", indexer.chunks_for(
            IndexableArticle(tenant_id="acme", article_id="refunds", version=2, title="R", body="x")),
            np.zeros((0, 384), dtype=np.float32))
    hits = HybridRetriever(EmbeddedIndex(tmp_path, dimension=384), EMBEDDER).search(
        tenant_id="acme", query="refund within 30 days", k=1)
    assert hits[0].article_id == "refunds"
    assert "30 days" in hits[0].text


def test_audience_filters_internal_articles() -> None:
    index, indexer = build(None)
    indexer.index(IndexableArticle(tenant_id="acme", article_id="override", version=1, title="Refund override",
                                   body="Agents may refund up to 200 EUR.", visibility="internal"))
    retriever = HybridRetriever(index, EMBEDDER)
    assert "override" not in [h.article_id for h in retriever.search(tenant_id="acme", query="refund", k=5)]
    assert "override" in [h.article_id for h in retriever.search(tenant_id="acme", query="refund", k=5,
                                                                 audience="internal")]

"""The in-memory KnowledgeIndex fake (tests/fakes.py) keeps the port's promises: tenants and visibilities are
filtered, an article's chunks are replaced as a whole, and the retriever runs on it unchanged."""

import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pytest

from helpdesk.knowledge.ports import Chunk, IndexQuery, KnowledgeIndex, SearchMode, Visibility
from helpdesk.knowledge.retrieval import HybridRetriever
from tests.fakes import InMemoryKnowledgeIndex

if TYPE_CHECKING:
    from numpy.typing import NDArray

DIMENSION = 64


class BagOfWordsEmbedder:
    """A deterministic toy embedder: hashed word counts, L2-normalised."""

    model_id = "bag-of-words"
    dimension = DIMENSION

    def embed(self, texts: Sequence[str]) -> "NDArray[np.float32]":
        rows = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                rows[row, zlib.crc32(word.strip(".,?!").encode()) % DIMENSION] += 1.0
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        normalised: NDArray[np.float32] = (rows / np.where(norms == 0, 1, norms)).astype(np.float32)
        return normalised


EMBEDDER = BagOfWordsEmbedder()


def chunk(article_id: str, text: str, tenant_id: str = "acme", position: int = 0,
          visibility: Visibility = "public") -> Chunk:
    return Chunk(tenant_id=tenant_id, article_id=article_id, chunk_id=f"{article_id}#{position}", version=1,
                 position=position, title=article_id, heading=None, anchor=None, text=text, visibility=visibility,
                 language="en")


def put(index: KnowledgeIndex, *chunks: Chunk) -> None:
    first = chunks[0]
    index.replace_article(first.tenant_id, first.article_id, chunks, EMBEDDER.embed([c.search_text for c in chunks]))


@pytest.fixture
def index() -> InMemoryKnowledgeIndex:
    index = InMemoryKnowledgeIndex(DIMENSION)
    put(index, chunk("password", "reset your password from the security settings"))
    put(index, chunk("refunds", "annual plans are refunded within thirty days"))
    put(index, chunk("escalation", "agents escalate refunds above the limit", visibility="internal"))
    put(index, chunk("globex-refunds", "globex refunds everything", tenant_id="globex"))
    return index


def test_the_retriever_runs_on_it_with_tenants_and_audiences_apart(index: InMemoryKnowledgeIndex) -> None:
    retriever = HybridRetriever(index, EMBEDDER)
    public = retriever.search(tenant_id="acme", query="refunds", k=5)
    internal = retriever.search(tenant_id="acme", query="refunds", k=5, audience="internal")
    assert public[0].article_id == "refunds"
    assert {h.article_id for h in public} <= {"refunds", "password"}
    assert "escalation" in {h.article_id for h in internal}
    assert [h.article_id for h in retriever.search(tenant_id="globex", query="refunds", k=5)] == ["globex-refunds"]
    assert retriever.search(tenant_id="nobody", query="refunds") == []


def test_search_sections_gives_each_article_its_matching_passages_and_search_the_best_of_them(
        index: InMemoryKnowledgeIndex) -> None:
    put(index, chunk("password", "reset your password from the security settings", position=0),
        chunk("password", "the reset password mail never arrived", position=1),
        chunk("password", "change a password you know", position=2))
    retriever = HybridRetriever(index, EMBEDDER)
    articles = retriever.search_sections(tenant_id="acme", query="reset password", k=1)
    assert len(articles) == 1
    assert {h.article_id for h in articles[0]} == {"password"}
    assert len(articles[0]) == 3
    assert [h.chunk_id for h in retriever.search(tenant_id="acme", query="reset password", k=1)] == [
        articles[0][0].chunk_id]
    two = retriever.search_sections(tenant_id="acme", query="reset password refunds", k=2)
    assert [a[0].article_id for a in two] == [h.article_id for h in retriever.search(
        tenant_id="acme", query="reset password refunds", k=2)]


MODES: list[SearchMode] = ["lexical", "dense", "hybrid"]


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_finds_the_matching_article(index: InMemoryKnowledgeIndex, mode: SearchMode) -> None:
    vector = None if mode == "lexical" else EMBEDDER.embed(["reset password"])[0]
    hits = index.search(IndexQuery(tenant_id="acme", text="reset password", vector=vector, k=3, mode=mode))
    assert hits[0].article_id == "password"
    assert (hits[0].similarity is None) == (mode == "lexical")


def test_replacing_an_article_drops_its_old_chunks(index: InMemoryKnowledgeIndex) -> None:
    put(index, chunk("password", "use the sign-in page", position=0), chunk("password", "or ask an admin", position=1))
    hits = index.search(IndexQuery(tenant_id="acme", text="security settings password admin", vector=None, k=10,
                                   mode="lexical"))
    assert sorted(h.chunk_id for h in hits if h.article_id == "password") == ["password#0", "password#1"]
    assert all("security" not in h.text for h in hits)
    index.delete_article("acme", "password")
    assert "password" not in index.article_ids("acme")
    assert index.article_ids("globex") == {"globex-refunds"}


def test_it_refuses_what_the_real_indexes_refuse(index: InMemoryKnowledgeIndex) -> None:
    with pytest.raises(ValueError, match="one vector per chunk"):
        index.replace_article("acme", "x", [chunk("x", "a")], EMBEDDER.embed(["a", "b"]))
    with pytest.raises(ValueError, match="another article or tenant"):
        index.replace_article("acme", "x", [chunk("y", "a")], EMBEDDER.embed(["a"]))

"""The embedded KnowledgeIndex: exact cosine over numpy plus BM25 (bm25s), fused by reciprocal rank.

One file per tenant (`<root>/<tenant>.npz`: chunk metadata as JSON and the vector matrix), replaced
atomically (write a temporary file, then rename), so a failed write leaves the previous chunks
searchable and a reader never sees half a file. Other processes' writes (the CLI importing while
`helpdesk serve` answers) are picked up by checking the file's mtime on each search. BM25 analysis
mirrors the OpenSearch mapping's `english` analyzer: lowercase, English stop words, stemming.
Meant for the local stack, tests and benchmarks: one writer at a time, tens of thousands of chunks.
"""

import json
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from helpdesk.knowledge.fusion import reciprocal_rank_fusion
from helpdesk.knowledge.ports import Chunk, IndexQuery, SearchHit
from helpdesk.platform.tenant_files import TenantFiles

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

CANDIDATES_PER_LEG = 100  # each leg's depth before fusion


def analyze(texts: list[str]) -> list[list[str]]:
    import bm25s
    import Stemmer

    tokens: list[list[str]] = bm25s.tokenize(texts, stopwords="en", stemmer=Stemmer.Stemmer("english"),
                                             return_ids=False, show_progress=False)
    return tokens


class _TenantIndex:
    """One tenant's chunks in memory, with their vectors and a BM25 model built on first search."""

    def __init__(self, chunks: list[Chunk], vectors: "NDArray[np.float32]") -> None:
        self.chunks = chunks
        self.vectors = vectors
        self._bm25: Any = None
        self._lock = threading.Lock()

    def bm25_scores(self, text: str) -> "NDArray[np.float32]":
        import bm25s
        import numpy as np

        with self._lock:
            if self._bm25 is None:
                corpus = analyze([c.search_text for c in self.chunks])
                if any(corpus):
                    model = bm25s.BM25()
                    model.index(corpus, show_progress=False)
                    self._bm25 = model
                else:  # no chunk has a word token (only digits' punctuation, stop words): no lexical leg
                    self._bm25 = False
        if self._bm25 is False:
            return np.zeros(len(self.chunks), dtype=np.float32)
        tokens = analyze([text])[0]
        ids = self._bm25.get_tokens_ids(tokens)
        if not ids:
            return np.zeros(len(self.chunks), dtype=np.float32)
        scores: NDArray[np.float32] = self._bm25.get_scores_from_ids(ids)
        return scores


def _top(scores: "NDArray[Any]", allowed: "NDArray[np.bool_]", depth: int, positive_only: bool) -> list[int]:
    import numpy as np

    masked = np.where(allowed, scores, -np.inf)
    if positive_only:
        masked = np.where(masked > 0, masked, -np.inf)
    depth = min(depth, int(np.isfinite(masked).sum()))
    if depth == 0:
        return []
    part = np.argpartition(-masked, depth - 1)[:depth]
    return [int(i) for i in part[np.argsort(-masked[part], kind="stable")]]


class EmbeddedIndex:
    """Implements `helpdesk.knowledge.ports.KnowledgeIndex` on a local folder (or in memory if `root` is None)."""

    def __init__(self, root: Path | None, dimension: int) -> None:
        self._dimension = dimension
        self._files = TenantFiles(root, ".npz", read=_read, write=_write, empty=self._empty)

    def _empty(self) -> _TenantIndex:
        import numpy as np

        return _TenantIndex([], np.zeros((0, self._dimension), dtype=np.float32))

    def bulk(self) -> AbstractContextManager[None]:
        """`with index.bulk():` writes each touched tenant once at the end (imports, benchmarks)."""
        return self._files.bulk()

    # -- KnowledgeIndex ------------------------------------------------------------------------

    def replace_article(self, tenant_id: str, article_id: str, chunks: Sequence[Chunk],
                        vectors: "NDArray[np.float32]") -> None:
        import numpy as np

        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        if any(c.tenant_id != tenant_id or c.article_id != article_id for c in chunks):
            raise ValueError("chunks belong to another article or tenant")
        with self._files.lock:
            current = self._files.load(tenant_id)
            keep = [i for i, c in enumerate(current.chunks) if c.article_id != article_id]
            new_vectors = np.asarray(vectors, dtype=np.float32).reshape(len(chunks), self._dimension)
            merged = _TenantIndex([current.chunks[i] for i in keep] + list(chunks),
                                  np.vstack([current.vectors[keep], new_vectors]))
            self._files.store(tenant_id, merged)

    def delete_article(self, tenant_id: str, article_id: str) -> None:
        with self._files.lock:
            current = self._files.load(tenant_id)
            keep = [i for i, c in enumerate(current.chunks) if c.article_id != article_id]
            if len(keep) != len(current.chunks):
                self._files.store(tenant_id, _TenantIndex([current.chunks[i] for i in keep], current.vectors[keep]))

    def search(self, query: IndexQuery) -> list[SearchHit]:
        import numpy as np

        with self._files.lock:
            index = self._files.load(query.tenant_id)
        if not index.chunks or query.k <= 0:
            return []
        allowed = np.array([c.visibility in query.visibilities for c in index.chunks], dtype=bool)
        if query.tags:
            wanted = set(query.tags)
            allowed &= np.array([bool(wanted.intersection(c.tags)) for c in index.chunks], dtype=bool)
        depth = max(query.k, CANDIDATES_PER_LEG)
        rankings: list[list[int]] = []
        if query.mode in ("hybrid", "lexical"):
            rankings.append(_top(index.bm25_scores(query.text), allowed, depth, positive_only=True))
        if query.mode in ("hybrid", "dense") and query.vector is not None and index.vectors.size:
            rankings.append(_top(index.vectors @ query.vector, allowed, depth, positive_only=False))
        if len(rankings) == 1:
            ranked = [(i, 1.0 / (60 + r)) for r, i in enumerate(rankings[0], start=1)]
        else:
            ranked = reciprocal_rank_fusion(rankings)
        top = ranked[:query.k]
        if query.vector is not None and query.mode != "lexical" and top:
            rows = [i for i, _ in top]
            similarities = [float(x) for x in index.vectors[rows] @ query.vector]
            return [_hit(index.chunks[i], score, sim) for (i, score), sim in zip(top, similarities, strict=True)]
        return [_hit(index.chunks[i], score) for i, score in top]

    def tenants(self) -> list[str]:
        """Tenants with a file in the folder (the local stack reconciles them on start)."""
        return self._files.tenants()

    def article_ids(self, tenant_id: str) -> set[str]:
        with self._files.lock:
            return {c.article_id for c in self._files.load(tenant_id).chunks}

    def article_versions(self, tenant_id: str) -> dict[str, int]:
        """The indexed version of each article (the local stack compares it with the stored article)."""
        with self._files.lock:
            return {c.article_id: c.version for c in self._files.load(tenant_id).chunks}

    def chunk_count(self, tenant_id: str) -> int:
        with self._files.lock:
            return len(self._files.load(tenant_id).chunks)


def _read(path: Path) -> _TenantIndex:
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        rows = json.loads(str(data["chunks"]))
        vectors = data["vectors"].astype(np.float32)
    return _TenantIndex([Chunk(**{**row, "tags": tuple(row["tags"])}) for row in rows], vectors)


def _write(index: _TenantIndex, handle: BinaryIO) -> None:
    import numpy as np

    np.savez(handle, chunks=np.array(json.dumps([asdict(c) for c in index.chunks])), vectors=index.vectors)


def _hit(chunk: Chunk, score: float, similarity: float | None = None) -> SearchHit:
    return SearchHit(article_id=chunk.article_id, chunk_id=chunk.chunk_id, title=chunk.title, text=chunk.text,
                     score=round(float(score), 6), heading=chunk.heading, anchor=chunk.anchor, url=chunk.url,
                     visibility=chunk.visibility, language=chunk.language, translation_of=chunk.translation_of,
                     similarity=None if similarity is None else round(similarity, 4))

"""The embedded KnowledgeIndex: exact cosine over numpy plus BM25 (bm25s), fused by reciprocal rank.

One file per tenant (`<root>/<tenant>.npz`: chunk metadata as JSON and the vector matrix), replaced
atomically (write a temporary file, then rename), so a failed write leaves the previous chunks
searchable and a reader never sees half a file. Other processes' writes (the CLI importing while
`helpdesk serve` answers) are picked up by checking the file's mtime on each search. BM25 analysis
mirrors the OpenSearch mapping's `english` analyzer: lowercase, English stop words, stemming.
Meant for the local stack, tests and benchmarks: one writer at a time, tens of thousands of chunks.
"""

import json
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from helpdesk.knowledge.fusion import reciprocal_rank_fusion
from helpdesk.knowledge.ports import Chunk, IndexQuery, SearchHit

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
        self._root = root
        self._dimension = dimension
        self._tenants: dict[str, tuple[int, _TenantIndex]] = {}  # tenant -> (file mtime_ns, index)
        self._lock = threading.RLock()
        self._deferred: set[str] | None = None
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)

    # -- persistence -------------------------------------------------------------------------

    def _path(self, tenant_id: str) -> Path | None:
        return None if self._root is None else self._root / f"{quote(tenant_id, safe='')}.npz"

    def _load(self, tenant_id: str) -> _TenantIndex:
        import numpy as np

        path = self._path(tenant_id)
        cached = self._tenants.get(tenant_id)
        if path is None or not path.exists():
            if cached is None:
                cached = (0, _TenantIndex([], np.zeros((0, self._dimension), dtype=np.float32)))
                self._tenants[tenant_id] = cached
            return cached[1]
        mtime = path.stat().st_mtime_ns
        if cached is not None and cached[0] == mtime:
            return cached[1]
        with np.load(path, allow_pickle=False) as data:
            rows = json.loads(str(data["chunks"]))
            vectors = data["vectors"].astype(np.float32)
        chunks = [Chunk(**{**row, "tags": tuple(row["tags"])}) for row in rows]
        index = _TenantIndex(chunks, vectors)
        self._tenants[tenant_id] = (mtime, index)
        return index

    def _store(self, tenant_id: str, index: _TenantIndex) -> None:
        import numpy as np

        path = self._path(tenant_id)
        if path is None or (self._deferred is not None):
            if self._deferred is not None:
                self._deferred.add(tenant_id)
            self._tenants[tenant_id] = (self._tenants.get(tenant_id, (0, index))[0], index)
            return
        payload = json.dumps([asdict(c) for c in index.chunks])
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp.npz")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(handle, chunks=np.array(payload), vectors=index.vectors)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._tenants[tenant_id] = (path.stat().st_mtime_ns, index)

    def bulk(self) -> "_Bulk":
        """`with index.bulk():` writes each touched tenant once at the end (imports, benchmarks)."""
        return _Bulk(self)

    # -- KnowledgeIndex ------------------------------------------------------------------------

    def replace_article(self, tenant_id: str, article_id: str, chunks: Sequence[Chunk],
                        vectors: "NDArray[np.float32]") -> None:
        import numpy as np

        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        if any(c.tenant_id != tenant_id or c.article_id != article_id for c in chunks):
            raise ValueError("chunks belong to another article or tenant")
        with self._lock:
            current = self._load(tenant_id)
            keep = [i for i, c in enumerate(current.chunks) if c.article_id != article_id]
            new_vectors = np.asarray(vectors, dtype=np.float32).reshape(len(chunks), self._dimension)
            merged = _TenantIndex([current.chunks[i] for i in keep] + list(chunks),
                                  np.vstack([current.vectors[keep], new_vectors]))
            self._store(tenant_id, merged)

    def delete_article(self, tenant_id: str, article_id: str) -> None:
        with self._lock:
            current = self._load(tenant_id)
            keep = [i for i, c in enumerate(current.chunks) if c.article_id != article_id]
            if len(keep) != len(current.chunks):
                self._store(tenant_id, _TenantIndex([current.chunks[i] for i in keep], current.vectors[keep]))

    def search(self, query: IndexQuery) -> list[SearchHit]:
        import numpy as np

        with self._lock:
            index = self._load(query.tenant_id)
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
        from urllib.parse import unquote

        if self._root is None:
            return sorted(self._tenants)
        return sorted(unquote(p.name.removesuffix(".npz")) for p in self._root.glob("*.npz")
                      if not p.name.endswith(".tmp.npz"))

    def article_ids(self, tenant_id: str) -> set[str]:
        with self._lock:
            return {c.article_id for c in self._load(tenant_id).chunks}

    def article_versions(self, tenant_id: str) -> dict[str, int]:
        """The indexed version of each article (the local stack compares it with the stored article)."""
        with self._lock:
            return {c.article_id: c.version for c in self._load(tenant_id).chunks}

    def chunk_count(self, tenant_id: str) -> int:
        with self._lock:
            return len(self._load(tenant_id).chunks)


class _Bulk:
    def __init__(self, index: EmbeddedIndex) -> None:
        self._index = index

    def __enter__(self) -> EmbeddedIndex:
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


def _hit(chunk: Chunk, score: float, similarity: float | None = None) -> SearchHit:
    return SearchHit(article_id=chunk.article_id, chunk_id=chunk.chunk_id, title=chunk.title, text=chunk.text,
                     score=round(float(score), 6), heading=chunk.heading, anchor=chunk.anchor, url=chunk.url,
                     visibility=chunk.visibility, language=chunk.language, translation_of=chunk.translation_of,
                     similarity=None if similarity is None else round(similarity, 4))

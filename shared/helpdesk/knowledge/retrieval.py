"""The Retriever: clean the query, embed it, ask the index for chunks, keep each article's best passage."""

from helpdesk.knowledge.ports import (
    Audience,
    Embedder,
    IndexQuery,
    KnowledgeIndex,
    SearchHit,
    SearchMode,
    visibilities_for,
)
from helpdesk.knowledge.text import clean_query

MAX_K = 50
CHUNKS_PER_ARTICLE_WANTED = 4  # ask for more chunks than articles: several chunks of one article count once


class HybridRetriever:
    """Implements `helpdesk.knowledge.ports.Retriever` over any KnowledgeIndex."""

    def __init__(self, index: KnowledgeIndex, embedder: Embedder, mode: SearchMode = "hybrid") -> None:
        self._index = index
        self._embedder = embedder
        self._mode: SearchMode = mode

    def search(self, *, tenant_id: str, query: str, k: int = 5, audience: Audience = "public",
               mode: SearchMode | None = None) -> list[SearchHit]:
        text = clean_query(query)
        k = max(0, min(k, MAX_K))
        if not text or k == 0:
            return []
        mode = mode or self._mode
        vector = self._embedder.embed([text])[0] if mode != "lexical" else None
        chunks = self._index.search(IndexQuery(tenant_id=tenant_id, text=text, vector=vector,
                                               k=k * CHUNKS_PER_ARTICLE_WANTED,
                                               visibilities=visibilities_for(audience), mode=mode))
        best: dict[str, SearchHit] = {}
        for hit in chunks:  # best first, so the first chunk seen of an article is its best
            best.setdefault(hit.article_id, hit)
            if len(best) == k:
                break
        return list(best.values())

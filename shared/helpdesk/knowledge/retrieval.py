"""The Retriever: clean the query, embed it, ask the index for chunks, group them by article (best first)."""

from abc import ABC, abstractmethod

from helpdesk.knowledge.articles import same_language
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


class ArticleRetriever(ABC):
    """A retriever's `search` is each article's first passage of its `search_sections`."""

    def search(self, *, tenant_id: str, query: str, k: int = 5, audience: Audience = "public",
               mode: SearchMode | None = None) -> list[SearchHit]:
        return [passages[0] for passages in self.search_sections(tenant_id=tenant_id, query=query, k=k,
                                                                 audience=audience, mode=mode)]

    @abstractmethod
    def search_sections(self, *, tenant_id: str, query: str, k: int = 5, audience: Audience = "public",
                        mode: SearchMode | None = None) -> list[list[SearchHit]]: ...


class HybridRetriever(ArticleRetriever):
    """Implements `helpdesk.knowledge.ports.Retriever` over any KnowledgeIndex."""

    def __init__(self, index: KnowledgeIndex, embedder: Embedder, mode: SearchMode = "hybrid") -> None:
        self._index = index
        self._embedder = embedder
        self._mode: SearchMode = mode

    def search_sections(self, *, tenant_id: str, query: str, k: int = 5, audience: Audience = "public",
                        mode: SearchMode | None = None) -> list[list[SearchHit]]:
        text = clean_query(query)
        k = max(0, min(k, MAX_K))
        if not text or k == 0:
            return []
        mode = mode or self._mode
        vector = self._embedder.embed([text])[0] if mode != "lexical" else None
        chunks = self._index.search(IndexQuery(tenant_id=tenant_id, text=text, vector=vector,
                                               k=k * CHUNKS_PER_ARTICLE_WANTED,
                                               visibilities=visibilities_for(audience), mode=mode))
        articles: dict[str, list[SearchHit]] = {}
        for hit in chunks:  # best first, so each article's list starts with its best chunk
            if hit.article_id in articles:
                articles[hit.article_id].append(hit)
            elif len(articles) < k:
                articles[hit.article_id] = [hit]
        return list(articles.values())


def one_per_family[H: (SearchHit, list[SearchHit])](found: list[H], language: str | None) -> list[H]:
    """What a reader in `language` is shown of a search, best first: an article and its translations once, at the
    best one's place, the one written in the reader's language where the search found it (a hit, or an article's
    passages, first passage first)."""
    shown: list[H] = []
    place: dict[str, int] = {}  # the family's original -> its position in `shown`
    for item in found:
        hit = item[0] if isinstance(item, list) else item
        family = hit.translation_of or hit.article_id
        if family not in place:
            place[family] = len(shown)
            shown.append(item)
            continue
        kept = shown[place[family]]
        kept_hit = kept[0] if isinstance(kept, list) else kept
        if language and same_language(hit.language, language) and not same_language(kept_hit.language, language):
            shown[place[family]] = item
    return shown

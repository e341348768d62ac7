"""Publishing's indexing path: article version -> passages -> embeddings -> the index's chunks.

`helpdesk kb eval` and the bench use this same class, so what they measure is what publishing does.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from helpdesk.knowledge.chunking import chunk_markdown
from helpdesk.knowledge.ports import Chunk, Embedder, KnowledgeIndex, Visibility


@dataclass(frozen=True)
class IndexableArticle:
    """The fields of one published article version that indexing needs."""

    tenant_id: str
    article_id: str
    version: int
    title: str
    body: str  # Markdown
    visibility: Visibility = "public"
    language: str = "en"
    tags: tuple[str, ...] = ()
    url: str | None = None
    translation_of: str | None = None


class ArticleIndexer:
    def __init__(self, index: KnowledgeIndex, embedder: Embedder) -> None:
        self._index = index
        self._embedder = embedder

    def chunks_for(self, article: IndexableArticle) -> list[Chunk]:
        passages = chunk_markdown(article.body) or []
        if not passages:  # a title-only article is still findable by its title
            from helpdesk.knowledge.chunking import SectionWindow

            passages = [SectionWindow(None, None, article.title)]
        return [
            Chunk(tenant_id=article.tenant_id, article_id=article.article_id,
                  chunk_id=f"{article.article_id}#{position}", version=article.version, position=position,
                  title=article.title, heading=p.heading, anchor=p.anchor, text=p.text,
                  visibility=article.visibility, language=article.language, tags=article.tags, url=article.url,
                  translation_of=article.translation_of)
            for position, p in enumerate(passages)
        ]

    def index(self, article: IndexableArticle) -> int:
        """Replace the article's chunks with this version's. Embeds first: a failure changes nothing."""
        chunks = self.chunks_for(article)
        vectors = self._embedder.embed([c.search_text for c in chunks])
        self._index.replace_article(article.tenant_id, article.article_id, chunks, vectors)
        return len(chunks)

    def index_many(self, articles: Iterable[IndexableArticle]) -> int:
        return sum(self.index(article) for article in articles)

    def remove(self, tenant_id: str, article_id: str) -> None:
        self._index.delete_article(tenant_id, article_id)

"""The knowledge search's second opinion: the hybrid's first passages re-ranked with the reader (MiniLM).

For an English question, where MiniLM is installed beside the multilingual embedder, the hybrid search's first
`RERANK_POOL` articles are ordered again by reciprocal-rank fusion of their hybrid rank and their rank by
MiniLM's cosine to the question (`fusion.reciprocal_rank_fusion`, the hybrid's own fusion, equal weights). A
third opinion that reads English better than USE lifts the answering article (measured with `helpdesk kb eval`:
NOTES, "Knowledge search re-ranked by the reader"). A question in another language than the articles it finds
is ranked by the dense leg alone: the lexical leg's matches across languages are the words the two share ("API",
"Slack", "Trello"), not what is asked (NOTES, "The chat dev set in German, Spanish, French and Portuguese").
Other questions, and the lexical and dense diagnostic modes, keep the hybrid's order.

Only the knowledge search (the API, `helpdesk kb eval`) is re-ranked: the chat's answer-or-abstain model was
trained on the hybrid's own candidates, and re-ranking them did not pay there (NOTES).
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from helpdesk.kernel.i18n import told_language
from helpdesk.knowledge.fusion import reciprocal_rank_fusion
from helpdesk.knowledge.ports import Audience, Embedder, SearchHit, SearchMode
from helpdesk.knowledge.retrieval import ArticleRetriever, HybridRetriever

_log = logging.getLogger(__name__)

RERANK_POOL = 20
LANGUAGE_SAMPLE = 3  # the first articles found, whose language tells whether the question is in another one
READER_LANGUAGE = "en"  # the reader (MiniLM, all-MiniLM-L6-v2) reads English only


def reader_reads(question: str) -> bool:
    """Whether the reader (MiniLM) reads `question`: it is in the reader's language, or too short to tell (English,
    as everywhere). A question in a language the helpdesk does not write (Dutch, say) is not English here."""
    return told_language(question) in (None, READER_LANGUAGE)


@dataclass(frozen=True)
class ReaderReranker:
    reader: Embedder
    pool: int = RERANK_POOL

    def fuse(self, question: str, firsts: Sequence[SearchHit]) -> list[tuple[int, float]]:
        """(position in `firsts`, fused score), best first: `firsts` are each article's best passage in the
        hybrid's order; the score is on the hybrid's own scale (two legs' reciprocal ranks), so a client that
        sorts by it keeps this order."""
        vectors = self.reader.embed([question, *(f"{h.title}\n{h.text}" for h in firsts)])
        cosines = [float(v) for v in vectors[1:] @ vectors[0]]
        hybrid = list(range(len(firsts)))
        return reciprocal_rank_fusion([hybrid, sorted(hybrid, key=lambda i: -cosines[i])])


class RerankedRetriever(ArticleRetriever):
    """Implements `helpdesk.knowledge.ports.Retriever`: the hybrid retriever, re-ranked by `ReaderReranker`."""

    def __init__(self, inner: HybridRetriever, reranker: ReaderReranker) -> None:
        self._inner = inner
        self._reranker = reranker

    def search_sections(self, *, tenant_id: str, query: str, k: int = 5, audience: Audience = "public",
                        mode: SearchMode | None = None) -> list[list[SearchHit]]:
        if mode not in (None, "hybrid") or k <= 0:
            return self._inner.search_sections(tenant_id=tenant_id, query=query, k=k, audience=audience, mode=mode)
        if not reader_reads(query):
            articles = self._inner.search_sections(tenant_id=tenant_id, query=query, k=k, audience=audience)
            if not across_languages(query, articles):
                return articles
            return self._inner.search_sections(tenant_id=tenant_id, query=query, k=k, audience=audience, mode="dense")
        articles = self._inner.search_sections(tenant_id=tenant_id, query=query, k=max(k, self._reranker.pool),
                                               audience=audience, mode=mode)
        if len(articles) < 2:
            return articles[:k]
        try:
            fused = self._reranker.fuse(query, [passages[0] for passages in articles])
        except Exception as exc:  # the second opinion is optional: the hybrid's order, never a failed search
            _log.warning("re-ranking failed (%s); the hybrid's order is kept", type(exc).__name__)
            return articles[:k]
        return [[p.model_copy(update={"score": round(score, 6)}) for p in articles[i]] for i, score in fused[:k]]


def across_languages(question: str, articles: Sequence[Sequence[SearchHit]]) -> bool:
    """Whether the first articles found are mostly written in another language than `question` (both told apart
    by `kernel.i18n.told_language`, so a Dutch question is not taken for a German one; unsure counts as neither)."""
    asked = told_language(question)
    written = [told_language(f"{passages[0].title}\n{passages[0].text}") for passages in articles[:LANGUAGE_SAMPLE]]
    known = [language for language in written if language is not None]
    return asked is not None and bool(known) and sum(language != asked for language in known) * 2 > len(known)


def reranked(retriever: HybridRetriever, reader: Embedder | None) -> ArticleRetriever:
    """The knowledge search's retriever: re-ranked where the reader is installed, else the hybrid as it is."""
    return RerankedRetriever(retriever, ReaderReranker(reader)) if reader is not None else retriever

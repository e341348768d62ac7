"""Which retrieved passages answer a question: the one decision behind the chat's answers and the agents' reply drafts.

The answerability model (`answerability.py`) where one was fitted for the embedder, else the calibrated single
cosine; then, of each accepted article, the section that answers (`SectionChooser`). The chat asks it for every
question it answers from the help centre, triage for every reply draft it writes, so a draft cites what the chat
would have answered with and abstains where the chat would; the knowledge loop asks it whether an article already
answers a resolved ticket's question.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

if TYPE_CHECKING:
    from helpdesk.assistant.answerability import AnswerModel, SectionChooser, Signals
    from helpdesk.knowledge.ports import Audience, Embedder, Retriever, SearchHit

AnswerRule = Literal["model", "cosine"]
WARM_UP_TEXT = "warming up"  # any text of 2+ words loads the models; not a question, so no turn hits the cache


class PassageRecord(BaseModel):
    article_id: str
    chunk_id: str
    score: float
    relevance: float
    # The answerability model's probability that this passage answers the question (None without a model);
    # with a model the records are in its order, most probable first.
    answerability: float | None = None


@dataclass(frozen=True)
class Judgement:
    """The passages that answer (most probable first), every passage's figures, and what decided."""

    relevant: list["SearchHit"]
    records: list[PassageRecord]
    rule: AnswerRule | None  # None: nothing was retrieved


@dataclass(frozen=True)
class Evidence:
    """What an answer may quote: the section that answers of each accepted article (most probable first) and,
    when asked for, of each doubted one."""

    accepted: list["SearchHit"]
    doubtful: list["SearchHit"]
    judgement: Judgement


class EvidenceJudge:
    """Answer or abstain on retrieved passages. `min_relevance` is the single-cosine threshold used without a
    model (or for a question the model's reader does not read, where its entry says so); `sections` chooses the
    section of an accepted article that is quoted (the retriever's best passage without it)."""

    def __init__(self, embedder: "Embedder", *, model: "AnswerModel | None" = None,
                 reader: "Embedder | None" = None, min_relevance: float = 0.45,
                 sections: "SectionChooser | None" = None) -> None:
        if model is not None and model.reader is not None and reader is None:
            raise ValueError(f"the answerability model needs the reader {model.reader}")
        self._embedder = embedder
        self._model = model
        self._reader = reader if model is not None and model.reader is not None else None
        self._min_relevance = min_relevance
        self._sections = sections

    @property
    def model(self) -> "AnswerModel | None":
        return self._model

    @property
    def min_relevance(self) -> float:
        return self._min_relevance

    def warm_up(self) -> None:
        """Load the embedder's and the reader's models now rather than inside a first request's time limit."""
        self._embedder.embed([WARM_UP_TEXT])
        if self._reader is not None and self._reader is not self._embedder:
            self._reader.embed([WARM_UP_TEXT])

    def find(self, retriever: "Retriever", *, tenant_id: str, question: str, k: int, language: str | None,
             doubtful: bool = False, audience: "Audience" = "public") -> Evidence:
        """Search the tenant's articles for `question` (public ones, or with `audience` "internal" the agents' too;
        `k` candidates: as many as the answerability model was fitted on) and weigh them. An article and its
        translation are one candidate, the one in `language` (the customer's) where the search found it: cited
        once, in the customer's language."""
        from helpdesk.knowledge.retrieval import one_per_family

        articles = retriever.search_sections(tenant_id=tenant_id, query=question, k=k, audience=audience)
        return self.weigh(question, one_per_family(articles, language), doubtful=doubtful)

    def weigh(self, question: str, articles: Sequence[Sequence["SearchHit"]], *, doubtful: bool = False) -> Evidence:
        """`articles`: each retrieved article's matching passages, best first. Whether an article answers is decided
        on its best passage, as the answerability model was fitted; then an accepted article is quoted from its
        section that answers. Deciding on the chosen section instead let out-of-domain questions through: the
        closest of several sections looks more answerable. `doubtful`: also the doubted articles' sections (only
        for a model that judges them: choosing sections is embedding work)."""
        best = [passages[0] for passages in articles]
        judgement = self.judge(question, best)
        by_article = {passages[0].article_id: passages for passages in articles}
        doubted = self.doubtful(best, judgement) if doubtful else []
        return Evidence(self.choose_sections(question, [by_article[h.article_id] for h in judgement.relevant]),
                        self.choose_sections(question, [by_article[h.article_id] for h in doubted]), judgement)

    def judge(self, question: str, hits: Sequence["SearchHit"]) -> Judgement:
        """The retrieved passages that answer the question, best first. Rank fusion scores say which passages
        are best, not whether any is good enough. With an answerability model (the default where one was fitted
        for the embedder), its probability decides, over the passage's similarity to the question (as a whole,
        its section's name, its best sentence), its lead over the other candidates, the fusion score and the
        question's words found in the section; the most probable passage comes first. Without one, similarity
        alone: the highest of the three cosines against the threshold, in the retriever's order (its hybrid
        ranking orders them better than similarity does). A model with a reader decides only the questions its
        reader reads (English); the others are decided as its entry says, by the cosine where that measured best,
        in the order of that cosine when the passages are in another language.
        Every passage's figures are recorded whatever the threshold, so the threshold can be calibrated from the
        records."""
        from helpdesk.assistant.answerability import features
        from helpdesk.knowledge.reranking import across_languages

        if not hits:
            return Judgement([], [], None)
        model = self._model
        reads = model is not None and self._reader is not None and model.reads(question)
        unread = model is not None and model.reader is not None and self._reader is not None and not reads
        if unread and model is not None and model.without_reader == "cosine":
            model = None
        signals = self.signals(question, hits, read=reads)
        relevance = [s.relevance for s in signals]
        if model is None:
            # A question in another language than the passages is ranked by similarity: the fused order's BM25
            # leg matches the words it shares with a passage ("API", "Slack"), not what it asks (multilingual
            # validation, NOTES: the right section first 0.44 in fused order, 0.54 by similarity).
            across = unread and across_languages(question, [[hit] for hit in hits])
            order = sorted(range(len(hits)), key=lambda i: -relevance[i]) if across else range(len(hits))
            records = [PassageRecord(article_id=hits[i].article_id, chunk_id=hits[i].chunk_id,
                                     score=round(hits[i].score, 6), relevance=round(relevance[i], 4)) for i in order]
            return Judgement([hits[i] for i in order if relevance[i] >= self._min_relevance], records, "cosine")
        probability = [model.probability(row) for row in features(question, hits, signals)]
        order = sorted(range(len(hits)), key=lambda i: -probability[i])  # stable: ties keep the retriever's order
        records = [PassageRecord(article_id=hits[i].article_id, chunk_id=hits[i].chunk_id,
                                 score=round(hits[i].score, 6), relevance=round(relevance[i], 4),
                                 answerability=round(probability[i], 4)) for i in order]
        return Judgement([hits[i] for i in order if probability[i] >= model.threshold], records, "model")

    def doubtful(self, hits: Sequence["SearchHit"], judgement: Judgement) -> list["SearchHit"]:
        """The passages the answerability model doubted (probability from its `judge_floor` to its threshold), most
        probable first: what a model that judges the evidence (Claude) reads besides the accepted ones."""
        model = self._model
        if judgement.rule != "model" or model is None or model.judge_floor is None:
            return []
        floor, threshold = model.judge_floor, model.threshold
        by_chunk = {h.chunk_id: h for h in hits}
        return [by_chunk[r.chunk_id] for r in judgement.records
                if r.answerability is not None and floor <= r.answerability < threshold and r.chunk_id in by_chunk]

    def choose_sections(self, question: str, articles: Sequence[Sequence["SearchHit"]]) -> list["SearchHit"]:
        """One passage per article: where several sections of an article matched, the one closest to the question
        (`answerability.SectionChooser`); the retriever's best where there is no reader. On the chat dev set the
        chosen section was the gold one for 0.93 (validation) and 0.91 (test) of the English questions' articles
        with several matching sections, against 0.74 and 0.79 for the retriever's best
        (`bench/chat_dev/sections.py`)."""
        if self._sections is None:
            return [passages[0] for passages in articles]
        return self._sections(question, articles)

    def signals(self, question: str, hits: Sequence["SearchHit"], *, read: bool = True) -> list["Signals"]:
        """Each passage's cosine to the question as a whole, its section's name (a question often reads like the
        heading that answers it, in any language) and its best quotable sentence (one often holds the answer);
        with `read`, also the reader's cosines (when there is a reader)."""
        from helpdesk.assistant.answerability import (
            Signals,
            best_sentence,
            reader_cosines,
            section_name,
            sentences_of,
        )

        vectors = self._embedder.embed([question, *[f"{h.title}\n{h.text}" for h in hits]])
        passage = [float(v) for v in vectors[1:] @ vectors[0]]
        sentences, owners = sentences_of(hits)
        scores = [float(v) for v in self._embedder.embed([*[section_name(h) for h in hits], *sentences]) @ vectors[0]]
        heading = scores[:len(hits)]
        sentence = best_sentence(owners, scores[len(hits):], len(hits), none=-1.0)
        signals = [Signals(passage=p, heading=h, sentence=s)
                   for p, h, s in zip(passage, heading, sentence, strict=True)]
        if self._reader is None or not read:
            return signals
        reader_passage, reader_heading = reader_cosines(self._reader, question, hits)
        return [replace(s, reader_passage=p, reader_heading=h)
                for s, p, h in zip(signals, reader_passage, reader_heading, strict=True)]

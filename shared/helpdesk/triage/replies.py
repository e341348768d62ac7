"""Suggested replies grounded in the knowledge base, with numbered citations.

Retrieved passages are quoted, never followed: article text is data in the reply, not instructions
to us. Which passages a draft may cite is the chat's decision (`assistant.evidence.EvidenceJudge`): a draft
cites what the chat would answer with and only acknowledges the ticket where the chat would say it does not
know. Each passage also carries its cosine to the question (the retriever's fused scores are ranks, not
similarities): the draft's confidence, and what tells the knowledge loop whether an article already covers a
ticket (`ground`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.i18n import greeting, language_of, phrase
from helpdesk.kernel.text import plain_text, split_sentences
from helpdesk.knowledge.links import ArticleLinks
from helpdesk.knowledge.ports import Audience, Citation, Embedder, Retriever, SearchHit
from helpdesk.triage.model import ReplyDraft, confidence_level

if TYPE_CHECKING:
    from helpdesk.assistant.evidence import EvidenceJudge
    from helpdesk.assistant.ports import LlmPort

REPLY_METHOD = "template:retrieved-passages"
MAX_CITATIONS = 2
QUERY_CHARS = 1_000


@dataclass(frozen=True)
class GroundedHit:
    """A retrieved passage with its cosine to the question. `answers`: True where the evidence judge accepted it
    (a draft may cite it), False where it doubted it (only a model that judges evidence reads it), None where it
    was scored and not judged (the knowledge loop's coverage). `probability`: the answerability model's that it
    answers, where the model decided (None where the cosine did)."""

    hit: SearchHit
    similarity: float
    answers: bool | None = None
    probability: float | None = None

    @property
    def confidence(self) -> float:
        """How sure a draft citing it is: the model's probability where it decided, else the cosine and a margin; at
        most 0.95. On the chat dev set it tells a draft citing a right section from one citing a wrong one with ROC
        AUC 0.66 (validation) / 0.71 (test), where the cosine and margin alone gave 0.62 / 0.55
        (`bench.chat_dev.drafts`)."""
        return min(0.95, self.probability if self.probability is not None else self.similarity + 0.1)


def ground(embedder: Embedder, retriever: Retriever, *, tenant_id: str, question: str, k: int = 3,
           audience: Audience = "public") -> list[GroundedHit]:
    """Retrieve for `question` and score each article by its best passage's cosine to the question, best first
    (what the knowledge loop's coverage threshold was measured on). Nothing is judged here."""
    question = question.strip()[:QUERY_CHARS]
    if not question:
        return []
    articles = retriever.search_sections(tenant_id=tenant_id, query=question, k=k, audience=audience)
    if not articles:
        return []
    hits = [passages[0] for passages in articles]
    vectors = embedder.embed([question, *(f"{h.title}\n{h.text}" for h in hits)])
    sims = vectors[1:] @ vectors[0]
    grounded = [GroundedHit(h, round(float(s), 4)) for h, s in zip(hits, sims, strict=True)]
    return sorted(grounded, key=lambda g: g.similarity, reverse=True)


def judged_passages(evidence: "EvidenceJudge", retriever: Retriever, *, tenant_id: str, question: str, k: int,
                    language: str | None = None, doubtful: bool = False) -> list[GroundedHit]:
    """What a reply draft may quote: what the chat would answer `question` with (`EvidenceJudge.find`: the section
    that answers of each accepted public article, most probable first), then, with `doubtful`, the ones it
    doubted. The question is read as the chat reads a message, without its courtesy (a mail's greeting and
    thanks)."""
    from helpdesk.assistant.answerability import asked

    question = asked(question.strip()[:QUERY_CHARS])
    if not question:
        return []
    found = evidence.find(retriever, tenant_id=tenant_id, question=question, k=k, language=language,
                          doubtful=doubtful)
    judged = {r.article_id: r for r in found.judgement.records}
    return [GroundedHit(h, judged[h.article_id].relevance, answers=answers,
                        probability=judged[h.article_id].answerability)
            for hits, answers in ((found.accepted, True), (found.doubtful, False)) for h in hits]


class ReplyWriter(Protocol):
    # Whether it reads passages the evidence judge doubted and decides on them itself (Claude does).
    judges_evidence: bool

    def write(self, *, tenant_id: str, customer_name: str | None, subject: str, question: str, language: str,
              grounded: Sequence[GroundedHit], generated_by: str) -> ReplyDraft: ...


class TemplateReplyWriter:
    """The embedded writer: greets, quotes the best passages with [n] markers, offers a follow-up.
    With an embedder it quotes each passage's sentences closest to the question, else its opening."""

    method = REPLY_METHOD
    judges_evidence = False

    def __init__(self, embedder: Embedder | None = None, *, links: ArticleLinks | None = None,
                 clock: Clock = system_clock) -> None:
        self._embedder = embedder
        self._links = links  # None: the draft's [n] markers get no footnotes
        self._clock = clock

    def _excerpt(self, question: str, text: str) -> str:
        parts = [plain_text(p) for p in split_sentences(text, markdown=True)]  # read as the chat reads articles
        parts = [p for p in parts if len(p.split()) >= 3]
        if not parts:
            return text[:400].rstrip()
        if self._embedder is None or len(parts) <= 2 or not question.strip():
            return " ".join(parts[:2])[:400].rstrip()
        vectors = self._embedder.embed([question[:QUERY_CHARS], *parts[:40]])
        scores = vectors[1:] @ vectors[0]
        best = sorted(sorted(range(len(scores)), key=lambda i: float(scores[i]), reverse=True)[:2])
        return " ".join(parts[i] for i in best)[:400].rstrip()

    def write(self, *, tenant_id: str, customer_name: str | None, subject: str, question: str, language: str,
              grounded: Sequence[GroundedHit], generated_by: str) -> ReplyDraft:
        usable = [g for g in grounded if g.answers][:MAX_CITATIONS]
        notes: list[str] = []
        # The customer's language for our own sentences (where we have them); passages are quoted as written.
        lang = language_of(language)
        topic = phrase("topic", lang, subject=subject.strip()[:120]) if subject.strip() else ""
        lines = [greeting(customer_name, lang), "", phrase("thanks_topic", lang, topic=topic)]
        citations: list[Citation] = []
        if usable:
            lines.append(phrase("help_center_says", lang))
            lines.append("")
            for n, g in enumerate(usable, start=1):
                excerpt = self._excerpt(question, g.hit.text)
                lines.append(f"- {g.hit.title}: {excerpt} [{n}]")
                citations.append(Citation(n=n, article_id=g.hit.article_id, title=g.hit.title,
                                          chunk_id=g.hit.chunk_id, url=g.hit.url, anchor=g.hit.anchor,
                                          score=g.similarity))
            lines += ["", phrase("follow_up", lang)]
            confidence = usable[0].confidence
        else:
            notes.append("no knowledge-base passage matches the question; the draft only acknowledges it")
            lines += [phrase("looking_into_it", lang)]
            confidence = 0.2
        if not question.strip():
            notes.append("the ticket has no question text")
            confidence = min(confidence, 0.1)
        if language not in ("en", "und") and lang == "en":
            notes.append(f"the customer wrote in '{language}'; this draft is in English")
            confidence = min(confidence, 0.4)
        lines += ["", phrase("regards", lang)]
        confidence = round(confidence, 3)
        text = "\n".join(lines)
        text = self._links.with_sources(text, citations, tenant_id) if self._links else text
        return ReplyDraft(text=text, citations=citations, confidence=confidence, level=confidence_level(confidence),
                          method=self.method, language=lang, generated_at=self._clock(), generated_by=generated_by,
                          notes=notes)


class LlmReplyWriter:
    """A configured LLM (the chat capability's `LlmPort`: Claude via the Anthropic API or Bedrock) answers
    from the grounded passages only; when it is unavailable or finds no answer, the template writes."""

    def __init__(self, llm: "LlmPort", fallback: ReplyWriter, *, links: ArticleLinks | None = None,
                 clock: Clock = system_clock) -> None:
        self._llm = llm
        self._fallback = fallback
        self._links = links
        self._clock = clock
        self.method = f"llm:{llm.name}:{llm.model_id}"
        self.judges_evidence = llm.judges_evidence

    def write(self, *, tenant_id: str, customer_name: str | None, subject: str, question: str, language: str,
              grounded: Sequence[GroundedHit], generated_by: str) -> ReplyDraft:
        from helpdesk.assistant.ports import LlmUnavailable

        # what the judge accepted; a model that judges evidence also reads what it doubted, as in the chat
        usable = [g for g in grounded if g.answers or (g.answers is False and self.judges_evidence)]
        usable = usable[:MAX_CITATIONS + 1]
        if usable and question.strip():
            try:
                answer = self._llm.answer(question, [g.hit for g in usable])
            except LlmUnavailable:
                answer = None
            if answer is not None and answer.answerable:
                by_id = {g.hit.article_id: g for g in usable}
                cited = [by_id[a] for a in answer.cited_article_ids if a in by_id]
                citations = [
                    Citation(n=n, article_id=g.hit.article_id, title=g.hit.title, chunk_id=g.hit.chunk_id,
                             url=g.hit.url, anchor=g.hit.anchor, score=g.similarity)
                    for n, g in enumerate(cited, start=1)
                ]
                confidence = round(max((g.confidence for g in cited), default=0.4), 3)
                text = self._links.with_sources(answer.text, citations, tenant_id) if self._links else answer.text
                return ReplyDraft(text=text, citations=citations, confidence=confidence,
                                  level=confidence_level(confidence), method=self.method, language=language,
                                  generated_at=self._clock(), generated_by=generated_by)
        draft = self._fallback.write(tenant_id=tenant_id, customer_name=customer_name, subject=subject,
                                     question=question, language=language, grounded=grounded,
                                     generated_by=generated_by)
        draft.notes.append(f"{self.method} gave no grounded answer; the embedded template wrote this draft")
        return draft

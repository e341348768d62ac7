"""The offline adapter: no key, no network. Intents from the embedded classifier; answers composed
extractively from the retrieved passages (the passages' own sentences, never generated text), so an
offline answer can only ever say what the knowledge base says."""

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from helpdesk.assistant.ports import DraftAnswer, HistoryTurn
from helpdesk.assistant.untrusted import asks_for_secret
from helpdesk.intents.classifier import CatalogClassifiers
from helpdesk.intents.model import IntentCatalog, IntentPrediction
from helpdesk.kernel.i18n import detect, phrase
from helpdesk.kernel.text import plain_text, split_sentences
from helpdesk.knowledge.reranking import READER_LANGUAGE

if TYPE_CHECKING:
    from helpdesk.knowledge.ports import Embedder, SearchHit

MODEL_ID = "offline-extractive-1"
# Sentences that address the assistant rather than the reader (instructions planted in an article):
# never quoted, so retrieved text cannot speak through the assistant.
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instruction|rule|prompt)s?\b|\b(system|developer)\s+(note|prompt|message)"
    r"|\b(note|message|instruction)s?\s+to\s+(the\s+)?(assistant|ai|model|bot)\b|\byou are now\b",
    re.IGNORECASE)
MAX_SENTENCES = 3
MAX_CITED = 2  # the quoted passage and at most one more the answer-or-abstain decision accepted
MAX_ANSWER_CHARS = 900
SHORT_ANSWER_CHARS = 160
MIN_SENTENCE_RELEVANCE = 0.25  # USE's cosine for a sentence quoted beside the best one
# The reader's (MiniLM's) cosines run higher: this floor quotes as many sentences as USE's 0.25 does (1.4 per
# answer on the chat dev set's validation questions; `bench/chat_dev/quotes.py`).
READER_MIN_SENTENCE_RELEVANCE = 0.40


def quoted_sentences(embedder: "Embedder", question: str, sentences: Sequence[str], floor: float) -> list[int]:
    """Which of a passage's sentences an answer quotes, best first: the one closest to the question, and of the
    next closest up to MAX_SENTENCES in all those whose cosine reaches `floor`."""
    vectors = embedder.embed([question, *sentences])
    scores = [float(v) for v in vectors[1:] @ vectors[0]]
    ranked = sorted(range(len(sentences)), key=lambda i: scores[i], reverse=True)
    return [ranked[0], *(i for i in ranked[1:MAX_SENTENCES] if scores[i] >= floor)]


def quotable_sentences(text: str) -> list[str]:
    """The sentences of an article's text, without those that address the assistant or ask the reader for a
    secret (`helpdesk.assistant.untrusted`)."""
    return [s for s in split_sentences(text, markdown=True) if not _INSTRUCTION.search(s) and not asks_for_secret(s)]


class OfflineLlm:
    """Implements `helpdesk.assistant.ports.LlmPort` with the embedder only."""

    name = "offline"
    model_id = MODEL_ID
    temperature: float | None = None  # deterministic: no sampling at all
    judges_evidence = False  # it quotes the passage it is given: the answerability model decides for it

    def __init__(self, embedder: "Embedder", classifiers: CatalogClassifiers,
                 min_sentence_relevance: float = MIN_SENTENCE_RELEVANCE, reader: "Embedder | None" = None) -> None:
        self._embedder = embedder
        self._classifiers = classifiers
        self._min_sentence_relevance = min_sentence_relevance
        # The answerability model's reader (MiniLM) picks the sentences of an English question: on the chat dev
        # set's labelled answer sentences it found one more often than USE at the same quote length.
        self._reader = reader

    def classify(self, text: str, catalog: IntentCatalog, history: Sequence[HistoryTurn] = ()) -> IntentPrediction:
        return self._classifiers.for_catalog(catalog).predict_one(text)

    def answer(self, question: str, passages: Sequence["SearchHit"],
               history: Sequence[HistoryTurn] = ()) -> DraftAnswer:
        if not passages:
            return DraftAnswer(text="", answerable=False)
        top = passages[0]  # the caller ranks passages best first and keeps only relevant ones
        sentences = quotable_sentences(top.text)
        if not sentences:
            return DraftAnswer(text="", answerable=False)
        language = detect(question)
        # Whether the passage answers was decided before it was handed here (the assistant's answerability
        # model or calibrated cosine, which already weighs the best sentence): a second, uncalibrated floor
        # would turn answers that decision accepted into "I don't know". The floor only picks companions.
        # The best sentence and its strongest neighbours, in the article's own order.
        if self._reader is not None and language == READER_LANGUAGE:
            quoted = quoted_sentences(self._reader, question, sentences, READER_MIN_SENTENCE_RELEVANCE)
        else:
            quoted = quoted_sentences(self._embedder, question, sentences, self._min_sentence_relevance)
        body = " ".join(plain_text(sentences[i]) for i in sorted(quoted))  # a chat shows text, not Markdown
        if len(body) > MAX_ANSWER_CHARS:
            body = body[:MAX_ANSWER_CHARS].rsplit(" ", 1)[0] + "…"
        # Our own words follow the customer's language; the quote stays in the article's.
        if len(body) < SHORT_ANSWER_CHARS:  # an article's intro line: point to the article for the details
            body += " " + phrase("details_in", language)
        lead = phrase("answer_in", language, title=top.title)
        # The next passage the decision also accepted is pointed to, not quoted: two sections can each answer
        # ("I forgot my password": resetting it, or changing one you know) and the first is not always the one.
        also = [p for p in passages[1:MAX_CITED] if p.article_id != top.article_id]
        tail = "".join(" " + phrase("see_also", language, title=p.title) for p in also)
        return DraftAnswer(text=f"{lead} {body}{tail}", answerable=True,
                           cited_article_ids=[top.article_id, *(p.article_id for p in also)])

"""Answer or abstain: a small calibrated model over signals of whether a retrieved passage answers a question.

One cosine alone separates "about this" from "about something else" poorly for short questions against long
sections. Several weak signals agree more often: the passage's meaning-closeness (as a whole, its section's
name, its best sentence), how far it stands above the other candidates, whether the lexical and the dense
legs of the hybrid search both put it high (the fusion score), and how many of the question's words the
section holds (its text and, separately, its heading). A logistic regression over them gives each candidate
passage a probability of answering; the assistant cites the most probable passage when that probability
reaches the model's threshold and otherwise says it does not know. A model may also use a second embedder, the
"reader" (MiniLM beside the multilingual USE): two models trained apart err apart, and the reader's cosine
separates right from wrong sections better for English questions while USE's keeps other languages answerable.

The weights are tiny and live in `data/answerability.json`, one model per embedder (cosines differ per
model's space); `bench/chat_dev/train_answerability.py` fits them on a validation split and chooses the
threshold there. An embedder without a model keeps the single-cosine threshold (`knowledge.calibration`),
and so does a question the reader does not read (not English) where the model entry says
`"without_reader": {"rule": "cosine"}`: measured on validation, the model without the reader's features
answered none of the non-English questions the single cosine answered.
"""

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

from helpdesk.knowledge.reranking import reader_reads

if TYPE_CHECKING:
    from helpdesk.knowledge.ports import Embedder, SearchHit

FEATURES = ("relevance", "relevance_margin", "passage_cosine", "heading_cosine", "sentence_cosine",
            "fusion", "fusion_margin", "first", "coverage", "heading_coverage")
# A second embedder's opinion (the "reader"): its cosine of the question to the passage and to the section's name,
# the higher of the two and that one's lead over the other candidates.
READER_FEATURES = ("reader", "reader_margin", "reader_passage", "reader_heading")
# The question as a whole against the candidates together (the same value on each of its rows): whether the help
# centre speaks of it at all. Out-of-domain questions ("is android better than iphone") can still find one passage
# that stands out among weak ones, so margins alone let them through; these say how weak the field is.
# Not the question's length: CLINC150's out-of-scope queries are short, so on the dev set a longer message looked
# answerable, and a customer's context before the question then made any message look so (`train_answerability
# --wrapped`: out-of-domain abstention 0.95 -> 0.70 with it, 0.90 without).
QUESTION_FEATURES = ("question_coverage", "question_relevance")
READER_QUESTION_FEATURES = ("question_reader", "question_reader_mean")
MAX_SENTENCES_SCORED = 12  # per passage, to bound the embedding work of one turn
CLIP_SD = 3.0  # a standardised feature counts at most this far from its mean (see AnswerModel.probability)
FUSION_SCALE = 61.0 / 2.0  # reciprocal-rank fusion's best score (first in both legs, k=60) maps to 1


@dataclass(frozen=True)
class Signals:
    """What the assistant measured for one candidate passage (cosines to the question)."""

    passage: float
    heading: float
    sentence: float
    reader_passage: float | None = None  # the reader's cosines, when the model uses a reader
    reader_heading: float | None = None

    @property
    def relevance(self) -> float:
        return max(self.passage, self.heading, self.sentence)


def asked(message: str) -> str:
    """What the chat reads of a customer's message to find and judge passages: the message without its courtesy
    formulae (`kernel/courtesy.py`), so "Hi there, ... Thanks in advance, Maria" is read as the question between.
    The model is fitted on questions read this way (`train_answerability`)."""
    from helpdesk.kernel.courtesy import without_courtesy
    from helpdesk.kernel.i18n import detect

    return without_courtesy(message, detect(message))


def section_name(hit: "SearchHit") -> str:
    """What a passage is about in a few words: its article's title and its section's heading."""
    return f"{hit.title}: {hit.heading}" if hit.heading and hit.heading != hit.title else hit.title


def reader_cosines(reader: "Embedder", question: str,
                   hits: Sequence["SearchHit"]) -> tuple[list[float], list[float]]:
    """The reader's cosine of the question to each passage as a whole and to each section's name."""
    vectors = reader.embed([question, *[f"{h.title}\n{h.text}" for h in hits], *[section_name(h) for h in hits]])
    cosines = [float(v) for v in vectors[1:] @ vectors[0]]
    return cosines[:len(hits)], cosines[len(hits):]


def sentences_of(passages: Sequence["SearchHit"]) -> tuple[list[str], list[int]]:
    """Each passage's quotable sentences (at most MAX_SENTENCES_SCORED each), in one list, and the passage each
    belongs to: embedded in one batch with other texts, then reduced by `best_sentence`."""
    from helpdesk.assistant.adapters.offline import quotable_sentences

    texts: list[str] = []
    owners: list[int] = []
    for i, passage in enumerate(passages):
        sentences = quotable_sentences(passage.text)[:MAX_SENTENCES_SCORED]
        texts += sentences
        owners += [i] * len(sentences)
    return texts, owners


def best_sentence(owners: Sequence[int], cosines: Sequence[float], passages: int, none: float) -> list[float]:
    """Each passage's highest sentence cosine (`none` for a passage without a quotable sentence)."""
    best = [none] * passages
    for owner, value in zip(owners, cosines, strict=True):
        best[owner] = max(best[owner], value)
    return best


def closest_section(embedder: "Embedder", question: str, passages: Sequence["SearchHit"]) -> "SearchHit":
    """Of several matching passages of one article (best first), the one `embedder` finds closest to the question:
    its cosine to the section's own heading and text plus its cosine to the section's best sentence. The article's
    title, which every section shares, is left out: with it a short section ("Import from another tool" under
    "Export your data") looks like the whole article and outranks the section that answers; the best sentence
    keeps a long section's answering line from being diluted by its other lines. Measured on the chat dev set's
    section-level gold (`bench/chat_dev/sections.py`)."""
    if len(passages) < 2:
        return passages[0]
    sentences, owners = sentences_of(passages)
    vectors = embedder.embed([question, *[f"{p.heading or ''}\n{p.text}" for p in passages], *sentences])
    cosines = [float(v) for v in vectors[1:] @ vectors[0]]
    best = best_sentence(owners, cosines[len(passages):], len(passages), none=0.0)
    score = [whole + sentence for whole, sentence in zip(cosines[:len(passages)], best, strict=True)]
    return passages[max(range(len(passages)), key=lambda i: (score[i], -i))]


@dataclass(frozen=True)
class SectionChooser:
    """Each article's passage where several of its sections matched: the closest section (`closest_section`),
    read by the reader (MiniLM) for an English question and by the multilingual embedder for another language.
    Used where the reader is installed (the configuration measured: USE with MiniLM, `bench/chat_dev/sections.py`);
    without it callers keep the retriever's best passage."""

    embedder: "Embedder"
    reader: "Embedder"

    def __call__(self, question: str, articles: Sequence[Sequence["SearchHit"]]) -> list["SearchHit"]:
        if all(len(passages) < 2 for passages in articles):
            return [passages[0] for passages in articles]
        ranker = self.reader if reader_reads(question) else self.embedder
        return [closest_section(ranker, question, passages) for passages in articles]


def _terms(text: str) -> set[str]:
    """Content words, stemmed, by the same English analysis the embedded lexical index uses; lower-cased words
    where its analyser is not installed (the AWS function, whose index is OpenSearch)."""
    try:
        from helpdesk.knowledge.adapters.embedded_index import analyze

        return set(analyze([text])[0])
    except ImportError:
        return set(re.findall(r"\w{2,}", text.lower()))


def features(question: str, hits: Sequence["SearchHit"], signals: Sequence[Signals]) -> list[dict[str, float]]:
    """One feature row per hit, in FEATURES' names. `hits` are best first (the retriever's order)."""
    asked = _terms(question)
    relevance = [s.relevance for s in signals]
    fusion = [h.score * FUSION_SCALE for h in hits]
    rows = []
    held: set[str] = set()  # the question's words any candidate holds
    for i, (hit, s) in enumerate(zip(hits, signals, strict=True)):
        others = relevance[:i] + relevance[i + 1:]
        other_fusion = fusion[:i] + fusion[i + 1:]
        heading = hit.title if not hit.heading or hit.heading == hit.title else f"{hit.title} {hit.heading}"
        found = asked & _terms(f"{heading}\n{hit.text}")
        held |= found
        rows.append({
            "relevance": s.relevance,
            "relevance_margin": s.relevance - max(others, default=0.0),
            "passage_cosine": s.passage, "heading_cosine": s.heading, "sentence_cosine": s.sentence,
            "fusion": fusion[i], "fusion_margin": fusion[i] - max(other_fusion, default=0.0),
            "first": 1.0 if i == 0 else 0.0,
            "coverage": len(found) / len(asked) if asked else 0.0,
            "heading_coverage": len(asked & _terms(heading)) / len(asked) if asked else 0.0,
        })
    whole = {"question_coverage": len(held) / len(asked) if asked else 0.0,
             "question_relevance": max(relevance, default=0.0)}
    for row in rows:
        row.update(whole)
    # The reader (MiniLM) reads English only: for another language its cosines say nothing, so they are left out
    # and the model counts them at their mean (no push either way), leaving USE's multilingual cosines to decide.
    if (rows and all(s.reader_passage is not None and s.reader_heading is not None for s in signals)
            and reader_reads(question)):
        reader = [max(s.reader_passage or 0.0, s.reader_heading or 0.0) for s in signals]
        for i, (row, s) in enumerate(zip(rows, signals, strict=True)):
            row.update({"reader": reader[i], "reader_margin": reader[i] - max(reader[:i] + reader[i + 1:], default=0.0),
                        "reader_passage": s.reader_passage or 0.0, "reader_heading": s.reader_heading or 0.0,
                        "question_reader": max(reader), "question_reader_mean": sum(reader) / len(reader)})
    return rows


@dataclass(frozen=True)
class AnswerModel:
    """Standardised logistic regression: p = sigmoid(intercept + sum(coef * (x - mean) / scale))."""

    model_id: str
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float  # answer when the best passage's probability reaches this
    reader: str | None = None  # the second embedder whose cosines are features (its model id), if any
    # How a question the reader does not read (not English) is decided: "cosine", the embedder's calibrated
    # single-cosine threshold, or "model", this model with the reader's features at their mean. Chosen on
    # validation (`train_answerability`'s "where the reader does not apply" table).
    without_reader: Literal["model", "cosine"] = "model"
    # With a model that reads the passages and says whether they answer (Claude: `LlmPort.judges_evidence`), the
    # passages from this probability up are given to it too, not only those over the threshold: it decides the
    # doubtful ones. None: only the threshold's. Chosen on validation by `bench/chat_dev/judge_floor.py`.
    judge_floor: float | None = None

    def reads(self, question: str) -> bool:
        """Whether this model, with its reader, decides for `question`: the reader (MiniLM) reads English only."""
        return self.reader is not None and reader_reads(question)

    def probability(self, row: dict[str, float]) -> float:
        """A feature the row lacks (the reader's, for a question not in English) counts at its mean; one far outside
        what the model was fitted on counts at three standard deviations, so no single signal decides alone."""
        z = self.intercept + sum(c * max(-CLIP_SD, min(CLIP_SD, (row.get(f, m) - m) / s)) for f, m, s, c in
                                 zip(self.features, self.mean, self.scale, self.coef, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def from_dict(raw: dict[str, object], model_id: str) -> AnswerModel:
    def floats(key: str) -> tuple[float, ...]:
        value = raw[key]
        assert isinstance(value, list)
        return tuple(float(x) for x in value)

    names = raw["features"]
    assert isinstance(names, list)
    intercept, threshold = raw["intercept"], raw["threshold"]
    assert isinstance(intercept, float | int)
    assert isinstance(threshold, float | int)
    without_reader = raw.get("without_reader", {"rule": "model"})
    assert isinstance(without_reader, dict)
    assert without_reader.get("rule") in ("model", "cosine")
    return AnswerModel(model_id=model_id, features=tuple(str(n) for n in names), mean=floats("mean"),
                       scale=floats("scale"), coef=floats("coef"), intercept=float(intercept),
                       threshold=float(threshold), reader=str(raw["reader"]) if raw.get("reader") else None,
                       without_reader="cosine" if without_reader["rule"] == "cosine" else "model",
                       judge_floor=float(floor) if isinstance(floor := raw.get("judge_floor"), float | int) else None)


@cache
def model_for(embedder_id: str) -> AnswerModel | None:
    """The answerability model fitted on this embedder's cosines, or None when there is none."""
    raw = json.loads(resources.files("helpdesk.assistant").joinpath("data/answerability.json").read_text("utf-8"))
    entry = raw.get("models", {}).get(embedder_id)
    return None if entry is None else from_dict(entry, embedder_id)

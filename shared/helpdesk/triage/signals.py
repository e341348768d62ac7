"""Embedded text signals: extractive summary, sentiment (VADER lexicon), language (py3langid).

Each returns its method name so the agent sees how a value was produced. The lexicon and the language
model load once per process, on first use.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from helpdesk.kernel.text import split_sentences

Sentiment = Literal["very_negative", "negative", "neutral", "positive", "very_positive"]

SUMMARY_METHOD = "extractive:word-frequency"
LANGUAGE_METHOD = "langid:py3langid-0.4"

# Languages our tenants write in; a closed set makes short texts far less ambiguous (es vs gl, ...).
LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "nl", "sv", "da", "no", "fi", "pl", "cs", "tr", "ru", "uk",
             "ar", "he", "zh", "ja", "ko", "hi", "id", "vi", "th", "el", "ro", "hu")

_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_STOPWORDS = frozenset([
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "do", "does", "for", "from",
    "had", "has", "have", "hello", "hi", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not",
    "of", "on", "or", "our", "please", "so", "that", "the", "their", "them", "then", "there", "this", "to", "us",
    "was", "we", "were", "what", "when", "which", "who", "will", "with", "would", "you", "your", "thanks", "thank",
    "regards", "dear"
])


@dataclass(frozen=True)
class Scored:
    value: str
    confidence: float  # 0..1
    method: str
    detail: dict[str, Any]


def sentences(text: str) -> list[str]:
    """The sentences of `text` with at least two words."""
    return [s for s in split_sentences(text) if len(_WORD.findall(s)) >= 2]


def summarize(subject: str, body: str, max_sentences: int = 3, max_chars: int = 400, max_words: int = 40) -> Scored:
    """At most `max_words` words (and `max_chars` characters) of the body's own sentences, in text order: the
    sentence that best states the problem (the most central by content-word frequency), then, when the text
    has them, what was already tried and what is asked. A sentence that repeats one already chosen (or the
    subject) is left out, so a long thread that says the same thing five times is summarised once."""
    candidates = [c for c in sentences(body)[:200] if not _SALUTATION.match(c)]
    subject = subject.strip()
    if not candidates:
        text = _clip_words(subject, max_words, max_chars) if subject else "(no text)"
        return Scored(text, 0.2 if subject else 0.0, SUMMARY_METHOD, {"sentences": 0})
    freq = Counter(w for s in candidates for w in _content_words(s))
    top = max(freq.values(), default=1)

    def centrality(position: int) -> float:
        words = _content_words(candidates[position])
        if not words:
            return 0.0
        weight = sum(freq[w] / top for w in words) / math.sqrt(len(words))
        return weight * (1.15 if position == 0 else 1.0)  # openings state the problem more often than not

    order = sorted(range(len(candidates)), key=centrality, reverse=True)
    chosen: list[int] = []
    seen: list[set[str]] = []
    roles = {"problem": order[:1],
             "tried": [i for i in order if _TRIED.search(candidates[i])],
             "asked": [i for i in order if _ASKED.search(candidates[i])]}
    for role in ("problem", "tried", "asked", "more"):
        pool = roles.get(role, order)
        for i in pool:
            words = set(_content_words(candidates[i]))
            if i in chosen or not words or any(_overlap(words, other) >= REDUNDANT_OVERLAP for other in seen):
                continue
            chosen.append(i)
            seen.append(words)
            break
        if len(chosen) >= max_sentences:
            break
    picked = [candidates[i] for i in sorted(chosen)]
    heading = subject if subject.endswith(("?", "!", ".")) else subject + "."
    parts = [heading] if subject and not _redundant(subject, picked) else []
    summary = _clip_words(" ".join(parts + picked), max_words, max_chars)
    confidence = 0.7 if len(candidates) >= 2 else 0.5
    return Scored(summary, confidence, SUMMARY_METHOD, {"sentences": len(candidates), "chosen": len(picked)})


REDUNDANT_OVERLAP = 0.6  # share of the shorter sentence's content words found in a chosen one
_SALUTATION = re.compile(r"^\s*(hi|hello|hey|dear|hallo|hola|bonjour|thanks|thank you|best|regards|cheers|kind regards"
                         r"|many thanks|sincerely|viele grüße|saludos|gracias)\b[\w ,.!]{0,30}$", re.IGNORECASE)
# What the customer already did, and what they ask for (English cues; other languages fall back to centrality).
_TRIED = re.compile(r"\b(tried|already|restarted|reinstalled|cleared|reset|checked|followed|attempted|re-?entered|"
                    r"still)\b", re.IGNORECASE)
_ASKED = re.compile(r"\?|\b(please|could you|can you|would you|i need|we need|i want|i would like|we would like|"
                    r"how do i|how can i|help me)\b", re.IGNORECASE)


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _clip_words(text: str, max_words: int, max_chars: int) -> str:
    words = text.split()
    clipped = " ".join(words[:max_words])
    if len(clipped) > max_chars:
        clipped = clipped[: max_chars - 1].rsplit(" ", 1)[0]
    return clipped + ("…" if clipped != " ".join(words) else "")


def _content_words(sentence: str) -> list[str]:
    return [w for w in (m.lower() for m in _WORD.findall(sentence)) if w not in _STOPWORDS]


def _redundant(subject: str, chosen: list[str]) -> bool:
    words = set(_content_words(subject))
    return bool(chosen) and bool(words) and any(_overlap(words, set(_content_words(c))) >= REDUNDANT_OVERLAP
                                                for c in chosen)


def sentiment(text: str, language: str = "en") -> Scored:
    """The customer's mood in five bands (`triage.sentiment`: courtesy ignored, support problems negative,
    "very negative" only with anger; English by VADER, de/es/fr/pt by their own lexicons)."""
    from helpdesk.triage.sentiment import score

    label, confidence, method, detail = score(text, language)
    return Scored(label, confidence, method, detail)


@lru_cache(maxsize=1)
def _langid() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def language(text: str) -> Scored:
    """The main language, and the others when sentences disagree (mixed-language tickets)."""
    if len(_WORD.findall(text)) < 2:
        return Scored("und", 0.0, LANGUAGE_METHOD, {"reason": "too little text to tell"})
    identifier = _langid()
    code, probability = identifier.classify(text[:4000])
    per_sentence: Counter[str] = Counter()
    for s in sentences(text)[:30]:
        if len(_WORD.findall(s)) >= 4:
            lang, p = identifier.classify(s)
            if p >= 0.8:
                per_sentence[lang] += 1
    others = sorted(lang for lang in per_sentence if lang != code)
    detail: dict[str, Any] = {}
    confidence = float(probability)
    if others:
        detail["mixed"] = [code, *others]
        detail["reason"] = "sentences in more than one language"
        confidence = min(confidence, 0.5)
    return Scored(str(code), round(confidence, 3), LANGUAGE_METHOD, detail)

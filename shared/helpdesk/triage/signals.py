"""Embedded text signals: extractive summary, sentiment (VADER lexicon), language (py3langid).

Each returns its method name so the agent sees how a value was produced. The lexicon and the language
model load once per process, on first use.
"""

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from helpdesk.kernel.text import split_sentences

if TYPE_CHECKING:
    from helpdesk.assistant.ports import ThreadMessage, ThreadSummary

Sentiment = Literal["very_negative", "negative", "neutral", "positive", "very_positive"]

SUMMARY_METHOD = "extractive:word-frequency"
LANGUAGE_METHOD = "langid:py3langid-0.4"

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
    """The sentences of `text` with at least two words, a greeting they open with left out ("Hi Jana, ...")."""
    found = (_GREETING.sub("", s, count=1) for s in split_sentences(text))
    return [s[:1].upper() + s[1:] for s in found if len(_WORD.findall(s)) >= 2]


def summarize(subject: str, body: str, max_sentences: int = 3, max_chars: int = 400, max_words: int = 40) -> Scored:
    """At most `max_words` words (and `max_chars` characters) of the body's own sentences, in text order: the
    sentence that best states the problem (the most central by content-word frequency), then, when the text
    has them, what was already tried and what is asked. A sentence that repeats one already chosen (or the
    subject) is left out, so a long thread that says the same thing five times is summarised once."""
    candidates = _summary_sentences(body)
    subject = subject.strip()
    if not candidates:
        text = _clip_words(subject, max_words, max_chars) if subject else "(no text)"
        return Scored(text, 0.2 if subject else 0.0, SUMMARY_METHOD, {"sentences": 0})
    freq = Counter(w for s in candidates for w in _content_words(s))
    top = max(freq.values(), default=1)

    def centrality(position: int) -> float:
        return _centrality(candidates[position], freq, top) * (OPENING_BONUS if position == 0 else 1.0)

    order = sorted(range(len(candidates)), key=centrality, reverse=True)
    chosen: list[int] = []
    seen: list[set[str]] = []
    roles = {"problem": order[:1],
             "tried": [i for i in order if tells_what_was_tried(candidates[i])],
             "asked": [i for i in order if _ASKED.search(candidates[i])]}
    for role in ("problem", "tried", "asked", "more"):
        pool = roles.get(role, order)
        for i in pool:
            words = set(_content_words(candidates[i]))
            if i in chosen or not words or _repeats(words, seen):
                continue
            chosen.append(i)
            seen.append(words)
            break
        if len(chosen) >= max_sentences:
            break
    picked = [candidates[i] for i in sorted(chosen)]
    parts = [_heading(subject)] if subject and not _redundant(subject, picked) else []
    summary = _clip_words(" ".join(parts + picked), max_words, max_chars)
    confidence = 0.7 if len(candidates) >= 2 else 0.5
    return Scored(summary, confidence, SUMMARY_METHOD, {"sentences": len(candidates), "chosen": len(picked)})


THREAD_SUMMARY_METHOD = "extractive:thread"
# Words each part of a conversation's summary may take, so a long first part never crowds out what is asked now.
PART_WORDS = {"problem": 16, "tried": 12, "asked": 12}
MIN_PART_WORDS = 6  # a part cut to fit the summary keeps at least this many
MAX_THREAD_MESSAGES = 50  # of a longer thread the opening message and the latest ones are read


def summarize_thread(subject: str, thread: Sequence["ThreadMessage"], max_words: int = 40,
                     max_chars: int = 400) -> Scored:
    """A conversation's summary: one customer message is summarised as `summarize` does; a longer thread gets
    its problem, what was tried and what the customer asks now (`thread_summary`), composed by `compose`."""
    messages = [m for m in thread if m.text.strip()]
    if len(messages) <= 1 and all(m.author == "customer" for m in messages):
        single = summarize(subject, messages[0].text if messages else "", max_words=max_words, max_chars=max_chars)
        return Scored(single.value, single.confidence, single.method, {**single.detail, "messages": len(messages)})
    read = messages[:1] + messages[1:][-(MAX_THREAD_MESSAGES - 1):]  # a thread of thousands stays cheap to read
    text = compose(subject, thread_summary(read), max_words, max_chars)
    return Scored(text or "(no text)", 0.6 if text else 0.0, THREAD_SUMMARY_METHOD, {"messages": len(messages)})


def thread_summary(thread: Sequence["ThreadMessage"]) -> "ThreadSummary":
    """The problem: the most central sentence of the customer's first message that asks nothing (by the
    customer's own word frequencies over the whole thread). What was tried: the latest sentence anyone wrote
    with a "tried / already / still" cue. What is asked: the customer's latest message's asking sentence, if
    it has one. No part repeats another."""
    from helpdesk.assistant.ports import ThreadSummary

    split = [_summary_sentences(m.text) for m in thread]
    customer = [i for i, m in enumerate(thread) if m.author == "customer" and split[i]]
    freq = Counter(w for i in customer for s in split[i] for w in _content_words(s))
    top = max(freq.values(), default=1)

    def weight(sentence: str) -> float:
        return _centrality(sentence, freq, top)

    seen: list[set[str]] = []

    def fresh(sentence: str) -> bool:
        words = set(_content_words(sentence))
        return bool(words) and not _repeats(words, seen)

    def take(sentence: str) -> str:
        seen.append(set(_content_words(sentence)))
        return sentence

    problem = ""
    if customer:
        opening = split[customer[0]]
        stating = [s for s in opening if not _ASKED.search(s)] or opening  # the problem, not the request
        problem = take(max(stating, key=lambda s: weight(s) * (OPENING_BONUS if s is opening[0] else 1.0)))
    tried = ""
    tried_by: Literal["customer", "agent", ""] = ""
    for i in reversed(range(len(thread))):
        found = next((s for s in reversed(split[i]) if tells_what_was_tried(s) and fresh(s)), None)
        if found is not None:
            tried, tried_by = take(found), thread[i].author
            break
    asking = [s for s in split[customer[-1]] if _ASKED.search(s) and fresh(s)] if customer else []
    asked = take(max(asking, key=weight)) if asking else ""
    return ThreadSummary(problem=problem, tried=tried, asked=asked, tried_by=tried_by)


def compose(subject: str, summary: "ThreadSummary", max_words: int = 40, max_chars: int = 400) -> str:
    """The summary's parts as one text of at most `max_words`: the problem, "Tried: ...", "Asks: ...", each part
    clipped to its share (`part_words`); the subject leads when it says something the parts do not and fits."""
    label = "Tried by the agent:" if summary.tried_by == "agent" else "Tried:"
    labelled = {"problem": ("", summary.problem.strip()), "tried": (label, summary.tried.strip()),
                "asked": ("Asks:", summary.asked.strip())}
    present = {part: text for part, (_, text) in labelled.items() if text}
    labels = sum(len(labelled[part][0].split()) for part in present)
    shares = part_words({part: len(text.split()) for part, text in present.items()}, max_words - labels)
    parts = [" ".join(filter(None, (labelled[part][0], _clip_words(text, shares[part], max_chars))))
             for part, text in present.items()]
    problem = parts[0] if "problem" in present else ""
    subject = subject.strip()
    if subject and not _redundant(subject, [problem] if problem else []):
        heading = _heading(subject)
        if not parts or len(heading.split()) + sum(len(p.split()) for p in parts) <= max_words:
            parts.insert(0, heading)
    return _clip_words(" ".join(parts), max_words, max_chars)


def part_words(lengths: dict[str, int], budget: int) -> dict[str, int]:
    """Words each part of a summary may take: its share (`PART_WORDS`), so a long first part never crowds out what
    is asked now; what a short or missing part leaves goes to the others, the problem first (a problem clipped at
    16 words lost "but we have about 14,500" while the summary had 14 words to spare). Over the budget, the problem
    and then what was tried give words back (before, the whole text was clipped at its end: what is asked went)."""
    shares = {part: min(length, PART_WORDS[part]) for part, length in lengths.items()}
    spare = budget - sum(shares.values())
    for part in ("problem", "tried"):  # over the budget: what is asked now keeps its words
        if part in shares and spare < 0:
            cut = max(0, min(-spare, shares[part] - MIN_PART_WORDS))
            shares[part] -= cut
            spare += cut
    for part in ("problem", "asked", "tried"):
        if part in shares and spare > 0:
            extra = min(spare, lengths[part] - shares[part])
            shares[part] += extra
            spare -= extra
    return shares


REDUNDANT_OVERLAP = 0.6  # share of the shorter sentence's content words found in a chosen one
OPENING_BONUS = 1.15  # openings state the problem more often than not
_GREETING = re.compile(r"^\s*(hi|hello|hey|dear|hallo|hola|bonjour|ol[aá])\b[^,.!?:;\n]{0,30}[,!:]\s+", re.IGNORECASE)
# What the customer already did, and what they ask for (English cues; other languages fall back to centrality).
# A verb like "reset" or "clear" counts only after "I" or "we": an agent's "reset your password" is advice.
_TRIED = re.compile(r"\b(tried|already|attempted|still|(i|we)( have| had|'ve|'d)?( \w+)? (restarted|reinstalled|"
                    r"cleared|reset|checked|followed|re-?entered|unlocked|sent|updated|changed|removed|disabled|"
                    r"enabled|renewed|refunded|cancell?ed))\b", re.IGNORECASE)
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|„[^“”]*[“”]|«[^»]*»")
_ASKED = re.compile(r"\?|\b(please|could you|can you|would you|i need|we need|i want|i would like|we would like|"
                    r"how do i|how can i|help me)\b", re.IGNORECASE)


def tells_what_was_tried(sentence: str) -> bool:
    """Whether the sentence says what someone already tried, in its own words: a question ("How do I reset
    it?") asks, and text in quotation marks (an agent's reply quoting the customer's subject) is someone else's."""
    own = _QUOTED.sub("", sentence).strip()
    return not own.endswith("?") and bool(_TRIED.search(own))


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
    return bool(chosen) and bool(words) and _repeats(words, [set(_content_words(c)) for c in chosen])


def _repeats(words: set[str], seen: Sequence[set[str]]) -> bool:
    """Whether a sentence with these content words says what one already chosen says."""
    return any(_overlap(words, other) >= REDUNDANT_OVERLAP for other in seen)


def _summary_sentences(text: str) -> list[str]:
    """What a summary may quote of a text: its first 200 sentences without their courtesy (greetings, thanks,
    sign-offs and signatures, as the chat reads a message); a text of nothing but courtesy has none."""
    from helpdesk.kernel.courtesy import said_sentences
    from helpdesk.kernel.i18n import detect

    return sentences("\n".join(said_sentences(text, detect(text))))[:200]


def _centrality(sentence: str, freq: Counter[str], top: int) -> float:
    """How much of what the text keeps saying the sentence says: its content words' frequencies, relative to the
    most frequent one, over the square root of its length."""
    words = _content_words(sentence)
    return sum(freq[w] / top for w in words) / math.sqrt(len(words)) if words else 0.0


def _heading(subject: str) -> str:
    return subject if subject.endswith(("?", "!", ".")) else subject + "."


def sentiment(text: str, language: str = "en") -> Scored:
    """The customer's mood in five bands (`triage.sentiment`: courtesy ignored, support problems negative,
    "very negative" only with anger; English by VADER, de/es/fr/pt by their own lexicons)."""
    from helpdesk.triage.sentiment import score

    label, confidence, method, detail = score(text, language)
    return Scored(label, confidence, method, detail)


@lru_cache(maxsize=1)
def _langid() -> Any:
    from helpdesk.kernel.langid_model import TICKET_LANGUAGES, identifier

    return identifier(TICKET_LANGUAGES)  # the shipped cut, narrowed to these: py3langid's own model cut alike


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

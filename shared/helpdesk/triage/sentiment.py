"""The customer's mood in a support mail, in English, German, Spanish, French and Portuguese.

Support mail is polite by habit: "Thanks" under "I was charged twice" is no praise, and "sorry to bother you,
our production system is down, please help urgently" is no outburst. So courtesy formulae are taken out
before scoring, support problems ("charged twice", "funktioniert nicht", "no funciona") count as negative, and
"very negative" needs anger or frustration ("unacceptable", "Frechheit", "harto", "!!", shouting); a problem
told calmly is at most "negative". English is scored by VADER plus those problem phrases; the other four by
the lexicons of `sentiment_lexicon` with VADER's rules (negation flips and damps, boosters, exclamation marks,
the same normalisation), so the five bands mean the same in every language.
"""

import math
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from helpdesk.kernel.courtesy import courtesy_pattern, phrase_pattern
from helpdesk.triage.sentiment_lexicon import ANGER, BOOSTERS, NEGATORS, VALENCE

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # type: ignore[import-untyped]

VADER_METHOD = "lexicon:vader-3.3+support"
LEXICON_METHOD = "lexicon:support-{language}"
BANDS = ((-0.6, "very_negative"), (-0.2, "negative"), (0.2, "neutral"), (0.6, "positive"))
_EDGES = (-0.6, -0.2, 0.2, 0.6)
_NORMALISE = 15.0  # VADER's alpha: compound = sum / sqrt(sum^2 + alpha)
_NEGATION_SCALAR = -0.74
_BOOST = 0.293
_EXCLAMATION = 0.292

# English support problems VADER's lexicon does not score (it reads word by word).
ENGLISH_PROBLEMS: dict[str, float] = {
    "charged twice": -2.0, "charged me twice": -2.0, "double charged": -2.0, "billed twice": -2.0,
    "not working": -1.8, "doesn't work": -1.8, "does not work": -1.8, "stopped working": -1.8,
    "cannot log in": -1.3, "can't log in": -1.3, "is down": -1.5, "went down": -1.5, "still waiting": -1.6,
}
_WORDS = re.compile(r"[\w'\u2019]+", re.UNICODE)
# Thanks in advance for what the team will do is courtesy too, the whole clause ("thank you for your quick help").
_THANKS_FOR = re.compile(r"(?<!\w)(?:thank you|thanks|many thanks|danke|vielen dank|gracias|muchas gracias|merci"
                         r"|obrigad[oa])(?: very much| so much| a lot| schön| sehr| beaucoup)?"
                         r" (?:for|für|por|pour|pelo|pela)\b[^.!?,;\n]*", re.IGNORECASE)
_SHOUT = re.compile(r"\b[A-ZÄÖÜÉÈÁÍÓÚÑÇ]{5,}\b")


@lru_cache(maxsize=16)
def _anger(language: str) -> re.Pattern[str]:
    return phrase_pattern(list(ANGER["en"]) + list(ANGER.get(language, ())))


@lru_cache(maxsize=16)
def _phrases(language: str) -> tuple[re.Pattern[str], dict[str, float]] | None:
    """The valence entries of `language` (multi-word ones and `*` stems), as one pattern and a lookup."""
    table = ENGLISH_PROBLEMS if language == "en" else VALENCE.get(language)
    return (phrase_pattern(list(table)), table) if table else None


@lru_cache(maxsize=1)
def _vader() -> "SentimentIntensityAnalyzer":
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _valence_of(match: str, table: dict[str, float]) -> float:
    key = match.lower()
    if key in table:
        return table[key]
    return next((v for k, v in table.items() if k.endswith("*") and key.startswith(k[:-1])), 0.0)


def _lexicon_sum(text: str, language: str) -> tuple[float, list[str]]:
    """VADER's rules over the language's entries: each hit's valence, flipped and damped when one of the three
    words before it negates, raised by a booster right before it; exclamation marks push the sum outwards."""
    found = _phrases(language)
    if found is None:
        return 0.0, []
    pattern, table = found
    negators, boosters = set(NEGATORS.get(language, ())), set(BOOSTERS.get(language, ()))
    total, hits = 0.0, []
    for match in pattern.finditer(text):
        valence = _valence_of(match.group(0), table)
        before = [w.lower() for w in _WORDS.findall(text[max(0, match.start() - 40):match.start()])][-3:]
        if before and before[-1] in boosters:
            valence += math.copysign(_BOOST, valence)
        if any(w in negators for w in before) and not any(n in match.group(0).lower().split() for n in negators):
            valence *= _NEGATION_SCALAR
        total += valence
        hits.append(match.group(0).lower())
    return total, hits


def _compound(total: float, exclamations: int) -> float:
    if total:
        total += math.copysign(min(exclamations, 4) * _EXCLAMATION, total)
    return total / math.sqrt(total * total + _NORMALISE) if total else 0.0


def _band(compound: float) -> str:
    """Negative edges belong to the band below them, positive edges to the band above (as before)."""
    return next((label for edge, label in BANDS if (compound <= edge if edge < 0 else compound < edge)),
                "very_positive")


def score(text: str, language: str = "en") -> tuple[str, float, str, dict[str, Any]]:
    """(band, confidence, method, detail) of `text` written in `language` (an ISO 639-1 code)."""
    if not text.strip():
        return "neutral", 0.0, VADER_METHOD, {"compound": 0.0, "reason": "no text"}
    text = text[:4000]
    known = language == "en" or language in VALENCE
    courtesy = courtesy_pattern(language if known else "en")
    stripped = [m.group(0).lower() for m in _THANKS_FOR.finditer(text)]
    cleaned = _THANKS_FOR.sub(" ", text)
    stripped += [m.group(0).lower() for m in courtesy.finditer(cleaned)]
    cleaned = courtesy.sub(" ", cleaned)
    detail: dict[str, Any] = {}
    if stripped:
        detail["courtesy_ignored"] = sorted(set(stripped))[:10]
    if language in VALENCE:
        total, hits = _lexicon_sum(cleaned, language)
        compound = _compound(total, cleaned.count("!"))
        method = LEXICON_METHOD.format(language=language)
        detail["matched"] = hits[:10]
    else:
        vader = float(_vader().polarity_scores(cleaned)["compound"])
        raw = vader * math.sqrt(_NORMALISE) / math.sqrt(max(1e-6, 1 - vader * vader))  # undo VADER's normalising
        extra, hits = _lexicon_sum(cleaned, "en")
        compound = (raw + extra) / math.sqrt((raw + extra) ** 2 + _NORMALISE) if raw + extra else 0.0
        method = VADER_METHOD
        if hits:
            detail["matched"] = hits[:10]
    label = _band(compound)
    anger = sorted({m.group(0).lower() for m in _anger(language if known else "en").finditer(text)})
    shouting = "!!" in text or len(_SHOUT.findall(text)) >= 2
    if label == "very_negative" and not anger and not shouting:
        label = "negative"
        detail["reason"] = "a problem told calmly: no anger or frustration in it"
    if anger:
        detail["anger"] = anger[:5]
    detail["compound"] = round(compound, 4)
    margin = min(abs(compound - e) for e in _EDGES)  # far from a band edge is surer
    confidence = min(0.95, 0.55 + margin * 1.5)
    if language in VALENCE:
        confidence = min(confidence, 0.75 if detail["matched"] else 0.5)  # a smaller lexicon than VADER's
    elif not known:
        confidence = min(confidence, 0.3)
        detail["reason"] = f"no lexicon for '{language}'; scored with the English one"
    return label, round(confidence, 3), method, detail

"""Highlighted snippets for the embedded index, matching words the way its BM25 analysis does (lowercase,
English stemming), in the same shape OpenSearch's highlighter gives: escaped HTML, matches in <mark>."""

import html
import re
from functools import cache
from typing import Any

SNIPPET_CHARS = 160


@cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def query_terms(text: str) -> frozenset[str]:
    from helpdesk.knowledge.adapters.embedded_index import analyze

    return frozenset(analyze([text])[0]) if text.strip() else frozenset()


@cache
def _candidates(terms: frozenset[str]) -> re.Pattern[str]:
    """Words that may stem to one of `terms`: those starting like a term (a stem keeps its word's beginning
    but for its last letter, "happi" <- "happy"), so only they are stemmed, not every word of every message."""
    prefixes = sorted({t[:max(2, len(t) - 1)] for t in terms}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in prefixes) + r")\w*", re.IGNORECASE)


def highlight(text: str, terms: frozenset[str], width: int = SNIPPET_CHARS) -> str | None:
    """A window of `text` around its first matching word, or None when no word matches."""
    if not terms:
        return None
    stem = _stemmer().stemWord
    matches = [m for m in _candidates(terms).finditer(text) if stem(m.group().lower()) in terms]
    if not matches:
        return None
    start = max(0, matches[0].start() - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < matches[0].start() else start
    end = min(len(text), start + width)
    parts: list[str] = ["…"] if start else []
    cursor = start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        parts += [html.escape(text[cursor:match.start()]), "<mark>", html.escape(match.group()), "</mark>"]
        cursor = match.end()
    parts.append(html.escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return " ".join("".join(parts).split())

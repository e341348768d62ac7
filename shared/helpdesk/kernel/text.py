"""Text helpers every capability shares: sentences and tags. Pure functions, no I/O."""

import json
import re
from collections.abc import Iterable
from typing import Any

MAX_TAG_CHARS = 64

# Plain text (tickets, mail): a sentence ends at . ! ? (or the CJK full stop and marks) before white space,
# and at every line break.
_PLAIN_BREAK = re.compile("(?<=[.!?\u3002\uff01\uff1f])\\s+|\n+")
# Markdown (help-centre articles): only where the next sentence starts like one, so "e.g. this" or "v2. x" stay whole.
_MARKDOWN_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def split_sentences(text: str, *, markdown: bool = False) -> list[str]:
    """The non-blank sentences of `text`, stripped, in order; a line break always ends a sentence.

    `markdown=True` reads article text: list bullets and heading marks are dropped from each line, and a
    sentence ends only before a capital, a digit, a quote or a parenthesis.
    """
    if not markdown:
        return [s for s in (part.strip() for part in _PLAIN_BREAK.split(text)) if s]
    sentences: list[str] = []
    for line in text.splitlines():
        line = _LIST_MARK.sub("", line).strip().lstrip("#").strip()
        if line:
            sentences += [s.strip() for s in _MARKDOWN_SENTENCE_END.split(line) if s.strip()]
    return sentences


def stored_size(value: Any) -> int:
    """Bytes `value` takes once stored as JSON the way our DynamoDB attributes store it (ASCII, every other
    character escaped: up to 6 bytes, or 12 for one outside the BMP). Limits on stored text are measured
    with this, so a text within its limit always fits an item whatever its script."""
    return len(json.dumps(value, separators=(",", ":")))


def normalise_tag(tag: str) -> str:
    """Tags compare case-insensitively, without surrounding white space: "" for a blank tag."""
    return tag.strip().lower()


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Each non-blank tag once, normalised, in first-seen order."""
    seen: dict[str, None] = {}
    for tag in tags:
        normal = normalise_tag(tag)
        if normal:
            seen.setdefault(normal, None)
    return tuple(seen)

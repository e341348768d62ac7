"""Text helpers every capability shares: sentences and tags. Pure functions, no I/O."""

import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

MAX_TAG_CHARS = 64

# Plain text (tickets, mail): a sentence ends at . ! ? (or the CJK full stop and marks) before white space,
# and at a line break, unless the break only wraps a paragraph (`_SOFT_WRAP`, joined first by `unwrapped`).
_PLAIN_BREAK = re.compile("(?<=[.!?\u3002\uff01\uff1f])\\s+|\n+")
# A line break that only wraps a paragraph (mail clients hard-wrap plain text near 72-78 characters, Gmail's
# text/plain part included) is no sentence end: the line stops without a full stop and the next line goes on in
# lower case, or the line is as long as a wrapped one and the next goes on with a word. Lists, quotes and short
# lines (a sign-off, then a name) keep their breaks.
_SOFT_WRAP = re.compile(r"(?<=[^\s.!?:;\u3002\uff01\uff1f])[ \t]*\r?\n(?=[ \t]*(?![-*+>\u2022])[^\W\d_])")
_WRAPPED_LINE_CHARS = 60  # a line this long that stops mid-sentence was wrapped
# Markdown (help-centre articles): only where the next sentence starts like one, so "e.g. this" or "v2. x" stay whole.
_MARKDOWN_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# A GitHub-style table: a header row, this separator row under it, then one row per line.
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CELL_BREAK = re.compile(r"(?<!\\)\|")


# A plain ASCII address, as SES sends to and from (no display name; an internationalised one is refused there).
# A person's language: BCP 47's common shapes (en, de, pt-BR), as the directory and customers' profiles keep it.
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"
EMAIL_ADDRESS_PATTERN = (r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                         r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_EMAIL_ADDRESS = re.compile(EMAIL_ADDRESS_PATTERN)


def is_email_address(value: str) -> bool:
    """A plain address (`local@domain.tld`, no display name), at most 254 characters."""
    return len(value) <= 254 and _EMAIL_ADDRESS.match(value) is not None


def split_sentences(text: str, *, markdown: bool = False) -> list[str]:
    """The non-blank sentences of `text`, stripped, in order; a line break always ends a sentence.

    `markdown=True` reads article text: list bullets and heading marks are dropped from each line, a sentence
    ends only before a capital, a digit, a quote or a parenthesis, and each row of a table is one sentence
    naming its columns (the header row and the separator are no sentences).
    """
    if not markdown:
        return [s for s in (part.strip() for part in _PLAIN_BREAK.split(unwrapped(text))) if s]
    sentences: list[str] = []
    lines = text.splitlines()
    headers: list[str] | None = None  # inside a table: its header cells
    for n, raw in enumerate(lines):
        if headers is not None and "|" in raw:
            if not _TABLE_SEPARATOR.match(raw):
                sentences.append(_table_row(headers, _cells(raw)))
            continue
        headers = None
        if "|" in raw and n + 1 < len(lines) and _TABLE_SEPARATOR.match(lines[n + 1]):
            headers = _cells(raw)
            continue
        line = _LIST_MARK.sub("", raw).strip().lstrip("#").strip()
        if line:
            sentences += [s.strip() for s in _MARKDOWN_SENTENCE_END.split(line) if s.strip()]
    return sentences


def unwrapped(text: str) -> str:
    """Plain text with the line breaks that only wrap a paragraph joined by a space (see `_SOFT_WRAP`)."""
    def join(match: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, match.start()) + 1
        following = text[match.end():match.end() + 1]
        wraps = following.islower() or match.start() - line_start >= _WRAPPED_LINE_CHARS
        return " " if wraps else match.group(0)

    return _SOFT_WRAP.sub(join, text)


# Inline Markdown a quote shows as plain text: images by their text, links as "text (address)", emphasis and code
# marks dropped, block marks (quote, bullet, number, heading) at a line's start dropped.
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\3(?![\w*])")
_CODE_MARK = re.compile(r"`+")
_BLOCK_MARK = re.compile(r"^\s*(>|[-*+]|\d+\.|#+)\s+", re.MULTILINE)


def plain_text(markdown: str) -> str:
    """Markdown as the plain text a chat answer or a mail quotes, on one line."""
    text = _IMAGE.sub(r"\1", markdown)
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})", text)
    text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(4), text)
    text = _CODE_MARK.sub("", _BLOCK_MARK.sub("", text))
    return " ".join(text.replace("\\*", "*").replace("\\_", "_").split())


_BULLET = re.compile(r"^\s*[-*+]\s+")
_NUMBERED = re.compile(r"^\s*(\d+[.)])\s+")
_FENCE = re.compile(r"^\s*(```|~~~)")


def markdown_lines(markdown: str) -> str:
    """A message written in Markdown as plain text with its lines kept (where it is shown as text: a chat bubble):
    marks, quote and heading signs gone, links as "text (address)", bullets as "•", numbered items numbered."""
    lines: list[str] = []
    for line in markdown.replace("\r\n", "\n").split("\n"):
        if _FENCE.match(line):
            continue
        numbered = _NUMBERED.match(line)
        text = plain_text(line)
        if text and _BULLET.match(line):
            text = f"• {text}"
        elif text and numbered:
            text = f"{numbered.group(1)} {text}"
        lines.append(text)
    return "\n".join(lines).strip()


def _cells(line: str) -> list[str]:
    line = line.strip().removeprefix("|")
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _CELL_BREAK.split(line)]


def _table_row(headers: list[str], cells: list[str]) -> str:
    """A table row as a sentence that names its columns ("Team — Monthly billing: 9 EUR; Annual billing: 7.50
    EUR."), so a quoted row means something without the table around it."""
    label, *rest = cells
    pairs = [f"{header}: {cell}" if header else cell for header, cell in zip(headers[1:], rest, strict=False) if cell]
    sentence = (f"{label} — " if label and pairs else label) + "; ".join(pairs)
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def stored_size(value: Any) -> int:
    """Bytes `value` takes once stored as JSON the way our DynamoDB attributes store it (ASCII, every other
    character escaped: up to 6 bytes, or 12 for one outside the BMP). Limits on stored text are measured
    with this, so a text within its limit always fits an item whatever its script."""
    return len(json.dumps(value, separators=(",", ":")))


def normalise_tag(tag: str) -> str:
    """Tags compare case-insensitively, without surrounding white space: "" for a blank tag."""
    return tag.strip().lower()


# C0 control characters but tab and line breaks, DEL and C1: what no subject, name or mail may carry (RFC 5322
# refuses a NUL in mail; an escape sequence would paint an agent's terminal when a CLI prints it).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_controls(text: str) -> str:
    """`text` with each control character (tab and line breaks kept) turned into a space."""
    return _CONTROLS.sub(" ", text)


def collapsed(text: str) -> str:
    """Text on one line: control characters dropped, runs of whitespace (a pasted line break among them) become one
    space ("" stays "")."""
    return " ".join(without_controls(text).split())


# Labels, names and help texts people type (a field's label, a help centre section): one line as stored.
OneLine = Annotated[str, AfterValidator(collapsed)]


def is_blank(text: str) -> bool:
    """Nothing a reader sees: whitespace, control and format characters only (a zero-width space, a word joiner or
    a byte order mark is not blank to `str.strip`, yet a subject of them shows as nothing in the queue)."""
    return all(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in text)


def clipped(text: str, max_chars: int) -> str:
    """`collapsed`, cut at a word to at most `max_chars` with "…" where it was cut (a line of a list: a ticket's
    latest message under its subject)."""
    line = collapsed(text)
    if len(line) <= max_chars:
        return line
    cut = line[:max_chars - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def single_line(text: str) -> str:
    """Text as one line shows it (a ticket subject in a queue): `collapsed`, and ValueError when nothing visible
    is left (`is_blank`)."""
    cleaned = collapsed(text)
    if is_blank(cleaned):
        raise ValueError("text must not be blank")
    return cleaned


def one_line(value: str) -> str:
    """`single_line` as a request model's validator: blank is the `blank` error every API answers for it."""
    try:
        return single_line(value)
    except ValueError as exc:
        raise PydanticCustomError("blank", "text must not be blank") from exc


# A name a list shows (a group, an organisation, a person) as a request sets it: one line, never blank. For input
# models only: a stored record keeps reading whatever an earlier version let in.
DisplayName = Annotated[str, AfterValidator(one_line)]


def mentions_any(text: str, keywords: Iterable[str]) -> bool:
    """`text` holds one of `keywords` as whole words, in any case ("refund" in "Refund please", not in "refunded";
    "c++" in "a C++ build"): what routing rules and triggers mean by "the message mentions"."""
    return any(re.search(rf"(?<!\w){re.escape(k.strip())}(?!\w)", text, re.IGNORECASE)
               for k in keywords if k.strip())


def retagged(tags: Iterable[str], add: Iterable[str] = (), remove: Iterable[str] = ()) -> list[str]:
    """A tag set after adding and removing some (what a macro or a bulk change does to each ticket's own tags),
    sorted; a tag both added and removed ends removed."""
    return sorted(set(normalise_tags([*tags, *add])) - set(normalise_tags(remove)))


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Each non-blank tag once, normalised, in first-seen order."""
    seen: dict[str, None] = {}
    for tag in tags:
        normal = normalise_tag(tag)
        if normal:
            seen.setdefault(normal, None)
    return tuple(seen)

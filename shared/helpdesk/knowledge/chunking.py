"""Split a Markdown article into bounded, overlapping passages along its headings.

Sections come from the Markdown parser (markdown-it), so a `#` inside a code block is not a heading.
A section longer than `max_chars` is cut into windows on paragraph, then sentence, then word
boundaries, each window starting with the tail (`overlap_chars`) of the previous one so an answer
spanning a cut is still found whole in one passage. The bound keeps a passage within MiniLM's 256
word pieces (about 1,000 characters of English) so its embedding sees all of it.
"""

import re
import unicodedata
from dataclasses import dataclass

from helpdesk.knowledge.text import clean_text

MAX_CHARS = 1000
OVERLAP_CHARS = 150
MIN_CHARS = 1  # a heading alone is still a passage: its title may be the answer
# A short intro before the first heading ("If you forgot your password, you can set a new one…") says
# what the article is for, not how: alone it wins retrieval on the title's words and answers nothing,
# so it opens the first section's passage instead of standing alone.
INTRO_MERGE_CHARS = 300


@dataclass(frozen=True)
class Section:
    heading: str | None
    anchor: str | None
    text: str


def slugify(heading: str) -> str:
    """GitHub-style anchor: lowercase, punctuation dropped, spaces to hyphens."""
    text = unicodedata.normalize("NFKD", heading).lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"\s+", "-", text.strip())


def sections(markdown: str) -> list[Section]:
    from markdown_it import MarkdownIt

    lines = markdown.split("\n")
    tokens = MarkdownIt("commonmark").parse(markdown)
    headings: list[tuple[int, int, str]] = []  # (first line, line after, text) of level 1-3 headings
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h1", "h2", "h3") and token.map:
            headings.append((token.map[0], token.map[1], tokens[i + 1].content.strip()))
    result: list[Section] = []
    starts = [h[0] for h in headings] + [len(lines)]
    preamble = "\n".join(lines[:starts[0]]).strip()
    if preamble:
        result.append(Section(None, None, preamble))
    for (_first, after, title), end in zip(headings, starts[1:], strict=True):
        body = "\n".join(lines[after:end]).strip()
        result.append(Section(title or None, slugify(title) or None, body))
    return result


def _split(text: str, max_chars: int) -> list[str]:
    """Pieces of at most max_chars, cut at the coarsest boundary that fits; each keeps its trailing
    separator, so joining them gives the text back."""
    if len(text) <= max_chars:
        return [text]
    for pattern in (r"(\n\s*\n)", r"((?<=[.!?])\s+)", r"(\s+)"):
        parts = re.split(pattern, text)
        if sum(1 for content in parts[0::2] if content.strip()) > 1:
            glued = [parts[i] + (parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
            pieces: list[str] = []
            for part in glued:
                if part:
                    pieces.extend(_split(part, max_chars))
            return pieces
    return [text[i:i + max_chars] for i in range(0, len(text), max_chars)]


OVERLAP_MARK = "… "  # shows the reader where the repeated tail of the previous passage ends


def _windows(text: str, max_chars: int, overlap_chars: int) -> list[str]:
    pieces = _split(text, max_chars - overlap_chars - len(OVERLAP_MARK) - 1)
    windows: list[str] = []
    current = ""
    for piece in pieces:
        if current.strip() and len((current + piece).rstrip()) > max_chars:
            windows.append(current.strip())
            tail = current.rstrip()[-overlap_chars:] if overlap_chars else ""
            cut = tail.find(" ")  # start the overlap on a word
            tail = tail[cut + 1:] if cut >= 0 else tail
            current = (tail + " " + OVERLAP_MARK if tail else "") + piece
        else:
            current += piece
    if current.strip():
        windows.append(current.strip())
    return windows


@dataclass(frozen=True)
class SectionWindow:
    """One bounded window of an article section's text, with the section's heading: a chunk's text before
    it is indexed (`knowledge.ports.Chunk`). Retrieved passages are `knowledge.ports.SearchHit`s."""

    heading: str | None
    anchor: str | None
    text: str


def chunk_markdown(markdown: str, max_chars: int = MAX_CHARS,
                   overlap_chars: int = OVERLAP_CHARS) -> list[SectionWindow]:
    """The article's windows in reading order. Sections without body keep their heading as text."""
    if overlap_chars >= max_chars // 2:
        raise ValueError("overlap must be well under the chunk size")
    passages: list[SectionWindow] = []
    parts = sections(clean_text(markdown))
    if len(parts) > 1 and parts[0].heading is None and len(parts[0].text) <= INTRO_MERGE_CHARS:
        intro, first = parts[0], parts[1]
        parts = [Section(first.heading, first.anchor, f"{intro.text}\n\n{first.text}".strip()), *parts[2:]]
    for section in parts:
        body = section.text or (section.heading or "")
        if len(body) < MIN_CHARS:
            continue
        for window in _windows(body, max_chars, overlap_chars):
            passages.append(SectionWindow(section.heading, section.anchor, window))
    return passages

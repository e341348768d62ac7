"""Text normalisation shared by indexing and querying (so both sides see the same characters)."""

import re
import unicodedata

from helpdesk.kernel.text import is_blank, without_controls

MAX_QUERY_CHARS = 1000  # longer questions are cut: the first words carry the intent, and BM25 cost grows with length
_SPACES = re.compile(r"[ \t\u00a0]+")


def clean_text(text: str) -> str:
    """NFC, control characters removed (tabs and newlines kept), runs of spaces collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = without_controls(text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def clean_query(query: str) -> str:
    """The query as one line; "" when nothing visible is in it (zero-width characters only: as a blank query)."""
    text = " ".join(clean_text(query).split())[:MAX_QUERY_CHARS]
    return "" if is_blank(text) else text

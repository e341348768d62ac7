"""HTML bodies: sanitising for display, conversion to text, and cutting the quoted history.

Sanitising uses nh3 (the Ammonia sanitiser): scripts, styles, event handlers, forms and remote
`javascript:` links go; the markup an agent needs to read a mail stays. Text conversion uses
inscriptis, which keeps the layout of tables and lists. Quote cutting works on the DOM (lxml),
where mail clients mark their quotes: Gmail's `gmail_quote`, Thunderbird's `moz-cite-prefix`,
Outlook's `divRplyFwdMsg`/`OLK_SRC_BODY_SECTION`/border-top header blocks, `<blockquote type=cite>`
and the `<hr>` older clients put above the quoted header.

Every step is linear in the size of the HTML and bounded: bodies are cut to `MAX_HTML_CHARS` before
anything parses them, and inscriptis (whose table layout costs far more per element than parsing)
only lays out documents up to `MAX_LAYOUT_ELEMENTS`; larger ones get a plain block-by-block text.
"""

import functools
import re
from typing import Any

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")
# What lxml refuses in text (XML 1.0 excludes C0 controls but tab/LF/CR, surrogates and U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]+")
# A mail's HTML beyond this is not read (the raw message keeps it): far above real mail bodies, and it keeps
# the DOM of a hostile 10 MB table out of a 1 GB function.
MAX_HTML_CHARS = 512 * 1024
MAX_LAYOUT_ELEMENTS = 3000
_SKIPPED = ("style", "script", "head", "title")
_BLOCKS = frozenset({"p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                     "blockquote", "pre", "hr", "section", "article", "header", "footer", "dd", "dt", "dl"})

# Elements whose start marks the beginning of the quoted history: (a word that must occur in the HTML
# source, XPath predicate). Only the predicates whose word occurs are evaluated, in one walk: evaluating
# all of them on every element of a large document cost seconds.
_MARKER_CLASSES = ("gmail_quote", "gmail_quote_container", "moz-cite-prefix", "yahoo_quoted",
                   # signatures sit between the reply and the quote, so cutting there drops both
                   "gmail_signature")
_MARKER_IDS = ("divRplyFwdMsg", "OLK_SRC_BODY_SECTION", "appendonsend", "mail-editor-reference-message-container",
               "Signature", "AppleMailSignature")
_QUOTE_MARKERS: tuple[tuple[str, str], ...] = (
    *((name.lower(), f"(@class and contains(concat(' ', normalize-space(@class), ' '), ' {name} '))")
      for name in _MARKER_CLASSES),
    *((name.lower(), f"@id='{name}'") for name in _MARKER_IDS),
    ("quote", "@name='quote'"),
    ("cite", "@type='cite'"),
    ("data-signatureblock", "@data-signatureblock='true'"),
    ("blockquote", "self::blockquote"),
    ("hr", "self::hr"),
    ("border-top", "(self::div and @style and contains(translate(@style, 'BORDETP', 'bordetp'), 'border-top') "
                   "and contains(translate(@style, 'SOLID', 'solid'), 'solid'))"),
)


def bounded_html(html: str) -> str:
    """The part of an HTML body that is read: at most `MAX_HTML_CHARS`, without characters lxml refuses."""
    return _NOT_XML.sub("", html[:MAX_HTML_CHARS])


def sanitize_html(html: str) -> str:
    """Safe-to-render HTML: no script, style, event handler, iframe, form or javascript: URL."""
    import nh3

    # cid: lets the agent UI show inline images from the stored attachments; no javascript:/data: URLs.
    return nh3.clean(bounded_html(html), link_rel="noopener noreferrer nofollow", strip_comments=True,
                     url_schemes={"http", "https", "mailto", "tel", "cid"})


def html_to_text(html: str) -> str:
    """Readable text of an HTML body (tables and lists laid out), or "" when there is none."""
    tree = _parse(html)
    return _tree_text(tree) if tree is not None else ""


def html_reply_text(html: str) -> str:
    """Text of the HTML body with the quoted history cut off at the first quote marker."""
    return html_text_and_reply(html)[1]


def html_text_and_reply(html: str) -> tuple[str, str]:
    """The whole text of an HTML body and its visible part (cut at the first quote marker), from one parse."""
    tree = _parse(html)
    if tree is None:
        return "", ""
    source = bounded_html(html).lower()
    marker = _first_marker(tree, [predicate for word, predicate in _QUOTE_MARKERS if word in source])
    text = _tree_text(tree)
    if marker is None:
        return text, text
    _cut_from(marker)
    return text, _tree_text(tree)


def _parse(html: str) -> Any:
    from lxml import etree  # type: ignore[import-untyped]

    html = _XML_DECLARATION.sub("", bounded_html(html), count=1).strip()
    if not html:
        return None
    # Plain lxml elements, not lxml.html's: those pick a Python class per element, which made walking a
    # large document several times slower.
    try:
        return etree.fromstring(html, etree.HTMLParser(remove_comments=True, remove_pis=True))
    except (etree.ParserError, ValueError):
        return None


def _tree_text(tree: Any) -> str:
    from inscriptis import Inscriptis  # type: ignore[import-untyped]
    from inscriptis.css_profiles import CSS_PROFILES  # type: ignore[import-untyped]
    from inscriptis.model.config import ParserConfig  # type: ignore[import-untyped]

    for element in tree.xpath("//style|//script|//head"):  # CSS and code are not text
        _drop(element)
    if tree.xpath("count(//*)") > MAX_LAYOUT_ELEMENTS:
        return _plain_text(tree)
    # "strict": no padding for nested divs (mail HTML nests them deeply), lists and tables still laid out
    text: str = Inscriptis(tree, ParserConfig(css=CSS_PROFILES["strict"], display_links=False)).get_text()
    lines = [line.rstrip() for line in text.replace("\xa0", " ").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _drop(element: Any) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _plain_text(tree: Any) -> str:
    """Text of a document too large to lay out: each block element on its own lines (no blank lines), a
    space before every cell. An XSLT transform does it inside libxslt (a Python walk over the elements was 5x slower);
    the HTML parser caps nesting at 256 levels, well inside libxslt's recursion limit."""
    from lxml import etree

    try:
        text = str(_text_transform()(tree))
    except etree.XSLTError:
        text = " ".join(tree.itertext())
    lines = (" ".join(line.split()) for line in text.replace("\xa0", " ").split("\n"))
    return "\n".join(line for line in lines if line)


@functools.cache
def _text_transform() -> Any:
    from lxml import etree

    blocks = "|".join(sorted(_BLOCKS))
    return etree.XSLT(etree.XML(f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="utf-8"/>
  <xsl:template match="{blocks}">
    <xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text>
  </xsl:template>
  <xsl:template match="td|th"><xsl:text> </xsl:text><xsl:apply-templates/></xsl:template>
  <xsl:template match="{'|'.join(_SKIPPED)}"/>
</xsl:stylesheet>""".encode()))


def _first_marker(tree: Any, predicates: list[str]) -> Any:
    """The quote marker earliest in document order that has some reply text before it.

    One walk over the document: the text seen before an element is the text of every element started
    before it and the tails of every element ended before it (style, script, head and title are not text).
    """
    from lxml import etree

    if not predicates:
        return None
    candidates = set(tree.xpath(f"//*[{' or '.join(predicates)}]"))
    if not candidates:
        return None
    has_text = False
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            if element in candidates and has_text:
                return element
            if isinstance(element.tag, str) and element.tag not in _SKIPPED and element.text and element.text.strip():
                has_text = True
        elif element.tail and element.tail.strip():
            has_text = True
    return None


def _cut_from(marker: Any) -> None:
    """Remove the marker and everything after it in document order."""
    node = marker
    while node is not None:
        parent = node.getparent()
        for sibling in list(node.itersiblings()):
            if parent is not None:
                parent.remove(sibling)
        if node is not marker:
            node.tail = None
        node = parent
    parent = marker.getparent()
    if parent is not None:
        marker.tail = None
        parent.remove(marker)

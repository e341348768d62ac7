"""HTML bodies: sanitising for display, conversion to text, and cutting the quoted history.

Sanitising uses nh3 (the Ammonia sanitiser): scripts, styles, event handlers, forms and remote
`javascript:` links go; the markup an agent needs to read a mail stays. Text conversion uses
inscriptis, which keeps the layout of tables and lists. Quote cutting works on the DOM (lxml),
where mail clients mark their quotes: Gmail's `gmail_quote`, Thunderbird's `moz-cite-prefix`,
Outlook's `divRplyFwdMsg`/`OLK_SRC_BODY_SECTION`/border-top header blocks, `<blockquote type=cite>`
and the `<hr>` older clients put above the quoted header.
"""

import re
from typing import Any

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")

# Elements whose start marks the beginning of the quoted history, as XPath.
_QUOTE_MARKERS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote_container ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' moz-cite-prefix ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' yahoo_quoted ')]",
    "//*[@id='divRplyFwdMsg' or @id='OLK_SRC_BODY_SECTION' or @id='appendonsend' "
    "or @id='mail-editor-reference-message-container']",
    "//*[@name='quote' or @type='cite']",
    # signatures sit between the reply and the quote, so cutting there drops both
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_signature ')]",
    "//*[@id='Signature' or @id='AppleMailSignature' or @data-signatureblock='true']",
    "//blockquote",
    "//hr",
    "//div[contains(translate(@style, 'BORDETP', 'bordetp'), 'border-top') and "
    "(contains(translate(@style, 'SOLID', 'solid'), 'solid'))]",
)


def sanitize_html(html: str) -> str:
    """Safe-to-render HTML: no script, style, event handler, iframe, form or javascript: URL."""
    import nh3

    # cid: lets the agent UI show inline images from the stored attachments; no javascript:/data: URLs.
    return nh3.clean(html, link_rel="noopener noreferrer nofollow", strip_comments=True,
                     url_schemes={"http", "https", "mailto", "tel", "cid"})


def html_to_text(html: str) -> str:
    """Readable text of an HTML body (tables and lists laid out), or "" when there is none."""
    tree = _parse(html)
    return _tree_text(tree) if tree is not None else ""


def html_reply_text(html: str) -> str:
    """Text of the HTML body with the quoted history cut off at the first quote marker."""
    tree = _parse(html)
    if tree is None:
        return ""
    marker = _first_marker(tree)
    if marker is not None:
        _cut_from(marker)
    return _tree_text(tree)


def _parse(html: str) -> Any:
    from lxml import etree  # type: ignore[import-untyped]
    from lxml.html import document_fromstring  # type: ignore[import-untyped]

    html = _XML_DECLARATION.sub("", html).strip()
    if not html:
        return None
    try:
        return document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _tree_text(tree: Any) -> str:
    from inscriptis import Inscriptis  # type: ignore[import-untyped]
    from inscriptis.css_profiles import CSS_PROFILES  # type: ignore[import-untyped]
    from inscriptis.model.config import ParserConfig  # type: ignore[import-untyped]

    for element in tree.xpath("//style|//script|//head"):  # CSS and code are not text
        element.drop_tree()
    # "strict": no padding for nested divs (mail HTML nests them deeply), lists and tables still laid out
    text: str = Inscriptis(tree, ParserConfig(css=CSS_PROFILES["strict"], display_links=False)).get_text()
    lines = [line.rstrip() for line in text.replace("\xa0", " ").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _first_marker(tree: Any) -> Any:
    """The quote marker earliest in document order that has some reply text before it."""
    order = {element: index for index, element in enumerate(tree.iter())}
    candidates = [element for xpath in _QUOTE_MARKERS for element in tree.xpath(xpath)]
    for element in sorted(candidates, key=lambda e: order.get(e, 0)):
        if _text_before(tree, element).strip():
            return element
    return None


def _text_before(tree: Any, marker: Any) -> str:
    parts: list[str] = []
    for element in tree.iter():
        if element is marker:
            break
        if not isinstance(element.tag, str) or element.tag in ("style", "script", "head", "title"):
            continue
        if marker in element.iterancestors():
            continue
        parts.append(element.text or "")
        if marker not in set(element.iterdescendants()):
            parts.append(element.tail or "")
    return "".join(parts)


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

"""The HTML part of every mail the helpdesk sends, beside its plain text (multipart/alternative).

The plain text stays what is written and sent (agents write text, and a reply's text is what the ticket keeps);
the HTML part only shows that text the way mail programs show mail from other helpdesks: paragraphs in a
readable font, addresses as links, the quoted message under "On …, Dana wrote:" as a quote, the signature after
"-- " set off. Nothing is added that the text does not say, so a reader of either part reads the same mail.

Everything from the text is escaped (`markupsafe`, Jinja2's); links are http(s) only, by the console's rule
(`web/src/shared/markdown.tsx::linked`), and styles are inline (many mail programs drop a <style> block). The team's
colour (the widget's accent, checked for contrast when it was saved) marks the top of the mail and its links.

An agent's message written in Markdown (`tickets.history.MESSAGE_FORMAT`: the console's reply box) is the one part
read as markup: its lists, emphasis, code and links are shown as the console's preview showed them to its writer
(CommonMark, no raw HTML, no pictures, line breaks kept). Its plain text part is the Markdown as written, which
reads as text; the signature and the quote under it stay text.
"""

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# An http(s) address without the punctuation a sentence puts after it (the console's BARE_URL).
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'»”]", re.IGNORECASE)
SIGNATURE_SEPARATOR = "-- "  # RFC 3676's signature separator line
_COLOUR = re.compile(r"#[0-9a-f]{6}")  # what a style may take from settings: a colour, nothing else

_BODY = ("margin:0;padding:16px;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;"
         "font-size:15px;line-height:1.5;color:#1f2328")
_PARAGRAPH = "margin:0 0 12px"
_QUOTE = "margin:0 0 12px;padding:0 0 0 12px;border-left:3px solid #d0d7de;color:#57606a"
_SIGNATURE = "margin:16px 0 0;color:#57606a;font-size:13px"
_LIST = "margin:0 0 12px;padding-left:24px"
_CODE = "font-family:SFMono-Regular,Consolas,Menlo,monospace;font-size:13px;background:#f6f8fa"
_PRE = "margin:0 0 12px;padding:8px 12px;background:#f6f8fa;overflow:auto;white-space:pre-wrap"
_MARKDOWN_LINK = re.compile(r"(https?:|mailto:)", re.IGNORECASE)  # where a written link may lead in a mail
_BLOCK_STYLES = {"paragraph_open": _PARAGRAPH, "blockquote_open": _QUOTE, "bullet_list_open": _LIST,
                 "ordered_list_open": _LIST}


def html_part(text: str, accent: str | None = None, markdown_lead: str | None = None) -> str:
    """`text` (a mail's plain text) as an HTML document showing the same words; `accent` (#rrggbb): the team's
    colour, a band at the top and the links'. `markdown_lead`: the message `text` begins with, when its writer
    wrote it in Markdown; what follows it (files left out, the signature, the quote) is text."""
    colour = accent.lower() if accent and _COLOUR.fullmatch(accent.lower()) else None
    lead = markdown_lead if markdown_lead and markdown_lead.strip() and text.startswith(markdown_lead) else ""
    lines = text[len(lead):].replace("\r\n", "\n").split("\n")
    body, signature = lines, []
    if SIGNATURE_SEPARATOR in lines:
        cut = len(lines) - 1 - lines[::-1].index(SIGNATURE_SEPARATOR)  # the last one: a quote may hold another
        body, signature = lines[:cut], lines[cut + 1:]
    link = Markup(' style="color:{}"').format(colour) if colour else Markup("")
    parts = [_markdown(lead, colour, link)] if lead else []
    parts.append(_blocks(body, link))
    if any(line.strip() for line in signature):
        parts.append(Markup('<div style="{}">{}</div>').format(_SIGNATURE, _lines(signature, link)))
    style = _BODY + (f";border-top:4px solid {colour}" if colour else "")
    return str(Markup('<!DOCTYPE html><html><head><meta charset="utf-8">'
                      '<meta name="viewport" content="width=device-width"></head>'
                      '<body style="{}">{}</body></html>').format(style, Markup("").join(parts)))


def _blocks(lines: list[str], link: Markup) -> Markup:
    """Paragraphs (split at blank lines) and quotes (runs of `>` lines, their marks taken off, nested ones within)."""
    out: list[Markup] = []
    run: list[str] = []
    quoted = False

    def close() -> None:
        if quoted:
            out.append(Markup('<blockquote style="{}">{}</blockquote>').format(_QUOTE, _blocks(
                [line[1:].removeprefix(" ") for line in run], link)))
        elif any(line.strip() for line in run):
            out.append(Markup('<p style="{}">{}</p>').format(_PARAGRAPH, _lines(run, link)))
        run.clear()

    for line in lines:
        is_quote = line.startswith(">")
        if run and (is_quote != quoted or (not is_quote and not line.strip())):
            close()
        quoted = is_quote
        if is_quote or line.strip():
            run.append(line)
    close()
    return Markup("").join(out)


def _lines(lines: list[str], link: Markup) -> Markup:
    """Lines joined with line breaks, addresses linked (`link`: the anchors' extra attributes)."""
    return Markup("<br>").join(_linked(line, link) for line in _trimmed(lines))


def _trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def _linked(line: str, link: Markup) -> Markup:
    out: list[Markup] = []
    last = 0
    for match in _URL.finditer(line):
        out.append(escape(line[last:match.start()]))
        out.append(Markup('<a href="{0}"{1}>{0}</a>').format(match.group(0), link))
        last = match.end()
    out.append(escape(line[last:]))
    return Markup("").join(out)


@cache
def _markdown_parser() -> "MarkdownIt":
    """CommonMark with raw HTML shown as text, line breaks kept and pictures not made (a mail that loads pictures from
    elsewhere tells the sender it was read), as `web/src/shared/markdown.tsx::MessageMarkdown` shows a message.
    Imported on first use: most mails have no Markdown, and the mail function's cold start does not pay for it."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable("image")
    parser.add_render_rule("text", _render_text)
    parser.add_render_rule("code_inline", _render_code)
    parser.add_render_rule("code_block", _render_pre)
    parser.add_render_rule("fence", _render_pre)
    return parser


def _markdown(source: str, colour: str | None, link: Markup) -> Markup:
    """A message written in Markdown as HTML, each block styled inline as `_blocks` styles text; links lead to
    http(s) or mailto addresses only (any other keeps its text), addresses in its text are linked as in text."""
    parser = _markdown_parser()
    tokens = parser.parse(source.replace("\r\n", "\n"))
    for token in tokens:
        if token.type in _BLOCK_STYLES:
            token.attrSet("style", _BLOCK_STYLES[token.type])
        for child, in_link, target in _inline(token.children or []):
            if target is not None and not _MARKDOWN_LINK.match(target):
                child.type, child.content = "text", ""  # an unsafe target: the link's text stays, as text
            elif child.type == "link_open" and colour:
                child.attrSet("style", f"color:{colour}")
            child.meta["in_link"] = in_link
    # every text, code and link is escaped by the rules above and markdown-it (raw HTML off): the result is markup
    return Markup(parser.renderer.render(tokens, parser.options, {"link": link}))  # noqa: S704


def _inline(children: list["Token"]) -> list[tuple["Token", bool, str | None]]:
    """The inline tokens of a block, each with whether it is inside a link and, for either end of a link, where the
    link leads (so both ends of an unsafe link are dropped alike)."""
    out: list[tuple[Token, bool, str | None]] = []
    targets: list[str] = []
    for child in children:
        target: str | None = None
        if child.type == "link_open":
            target = str(child.attrGet("href") or "")
            targets.append(target)
        elif child.type == "link_close":
            target = targets.pop() if targets else ""
        out.append((child, bool(targets) and child.type != "link_open", target))
    return out


def _render_text(_renderer: Any, tokens: list["Token"], idx: int, _options: Any, env: dict[str, Any]) -> str:
    token = tokens[idx]
    return str(escape(token.content) if token.meta.get("in_link") else _linked(token.content, env["link"]))


def _render_code(_renderer: Any, tokens: list["Token"], idx: int, _options: Any, _env: dict[str, Any]) -> str:
    return str(Markup('<code style="{}">{}</code>').format(_CODE, tokens[idx].content))


def _render_pre(_renderer: Any, tokens: list["Token"], idx: int, _options: Any, _env: dict[str, Any]) -> str:
    return str(Markup('<pre style="{}"><code style="{}">{}</code></pre>').format(
        _PRE, _CODE, tokens[idx].content.removesuffix("\n")))

"""The HTML part of every mail the helpdesk sends, beside its plain text (multipart/alternative).

The plain text stays what is written and sent (agents write text, and a reply's text is what the ticket keeps);
the HTML part only shows that text the way mail programs show mail from other helpdesks: paragraphs in a
readable font, addresses as links, the quoted message under "On …, Dana wrote:" as a quote, the signature after
"-- " set off. Nothing is added that the text does not say, so a reader of either part reads the same mail.

Everything from the text is escaped (`markupsafe`, Jinja2's); links are http(s) only, by the console's rule
(`web/src/shared/markdown.tsx::linked`), and styles are inline (many mail programs drop a <style> block). The team's
colour (the widget's accent, checked for contrast when it was saved) marks the top of the mail and its links.
"""

import re

from markupsafe import Markup, escape

# An http(s) address without the punctuation a sentence puts after it (the console's BARE_URL).
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'»”]", re.IGNORECASE)
SIGNATURE_SEPARATOR = "-- "  # RFC 3676's signature separator line
_COLOUR = re.compile(r"#[0-9a-f]{6}")  # what a style may take from settings: a colour, nothing else

_BODY = ("margin:0;padding:16px;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;"
         "font-size:15px;line-height:1.5;color:#1f2328")
_PARAGRAPH = "margin:0 0 12px"
_QUOTE = "margin:0 0 12px;padding:0 0 0 12px;border-left:3px solid #d0d7de;color:#57606a"
_SIGNATURE = "margin:16px 0 0;color:#57606a;font-size:13px"


def html_part(text: str, accent: str | None = None) -> str:
    """`text` (a mail's plain text) as an HTML document showing the same words; `accent` (#rrggbb): the team's
    colour, a band at the top and the links'."""
    colour = accent.lower() if accent and _COLOUR.fullmatch(accent.lower()) else None
    lines = text.replace("\r\n", "\n").split("\n")
    body, signature = lines, []
    if SIGNATURE_SEPARATOR in lines:
        cut = len(lines) - 1 - lines[::-1].index(SIGNATURE_SEPARATOR)  # the last one: a quote may hold another
        body, signature = lines[:cut], lines[cut + 1:]
    link = Markup(' style="color:{}"').format(colour) if colour else Markup("")
    parts = [_blocks(body, link)]
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

"""The visible reply: what the sender wrote this time, without quoted history or signature.

Plain text is cut at the first line that starts the quoted history: an attribution line ("On ... wrote:"
in many languages, also when the mail client wrapped it over up to three lines), an Outlook header block
("From:/Sent:/To:/Subject:" and its translations), an "Original Message"/"Forwarded message" separator,
Outlook's line of underscores, or a block of `>` quotes. A reply written *below* the quotes (bottom
posting) keeps its unquoted lines. The signature is then cut off: the `-- ` delimiter, "Sent from my ..."
lines, a short closing block after a valediction ("Regards," + name), or a trailing block that starts
with the sender's own name.

Regexes only, no state: the text is data and nothing in it is ever interpreted beyond matching.
Work is linear in the text: no pattern runs over a line longer than `MAX_MARKER_LINE_CHARS` (markers,
attributions and signature lines are short; searching an unanchored address pattern over a 200 KB
line is quadratic), markers are looked for in the first `MAX_SCAN_LINES` lines only (a mail whose
history starts further down keeps it), and only the first `MAX_REPLY_INPUT_CHARS` of a body are read.
"""
# Cyrillic, Turkish and typographic dashes below are the words and separators mail clients write.
# ruff: noqa: RUF001, RUF003

import re

# Verbs of attribution lines ("On <date>, <name> wrote:"), as mail clients write them.
_WROTE = (
    r"wrote|writes|schrieb|schreef|a\s+écrit|a\s+ecrit|escribió|escribio|escreveu|scrisse|ha\s+scritto|"
    r"skrev|skriver|kirjoitti|napisał|napisal|napsal|написал|написала|написал\(а\)|пише|írta|yazdı|"
    r"έγραψε|kaj|wrote\s+on|geschreven|a\s+scris|je\s+napisal|rašė|rakstīja|kirjutas|"
    r"escrit|va\s+escriure|idatzi\s+zuen|napísal|написа|kirjoitti\s+\S+|写道|寫道|작성|が書きました|書きました"
)
# "On <date> ... wrote:" opening words in many languages (used when the verb is missing, e.g. Russian Gmail).
_ON = r"on|am|le|el|il|em|op|den|på|dne|dnia|в|w|el\s+día|den\s+\d|ma|ti|ke|to|pe|la|su"

# Possessive `\s*+`: the spaces after the verb can only be matched one way, so a failing line is not
# retried once per way of splitting a run of blanks.
_WROTE_LINE = re.compile(rf"(?:^|\s|>)(?:{_WROTE})\s*+(?:\S+\s*+)?[:：]?\s*+$", re.IGNORECASE)
_WROTE_ANYWHERE = re.compile(rf"(?:{_WROTE})\s*:", re.IGNORECASE)
# An address starts where no address character precedes it: without that lookbehind, a long word with
# no "@" is rescanned from each of its characters (quadratic).
_EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_DATE_HINT = re.compile(r"\d{1,2}[:.h]\d{2}|\b(?:19|20)\d{2}\b|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")

# Separators whose line starts the quoted part, in several languages.
_ORIGINAL = (
    r"original\s+message|original\s+mail|ursprüngliche\s+nachricht|originalnachricht|message\s+d'origine|"
    r"message\s+original|mensaje\s+original|messaggio\s+originale|mensagem\s+original|oorspronkelijk\s+bericht|"
    r"oprindelig\s+besked|opprinnelig\s+melding|originalmeddelande|ursprungligt\s+meddelande|"
    r"alkuperäinen\s+viesti|исходное\s+сообщение|oryginalna\s+wiadomość|původní\s+zpráva|eredeti\s+üzenet|"
    r"forwarded\s+message|weitergeleitete\s+nachricht|message\s+transféré|mensaje\s+reenviado|"
    r"messaggio\s+inoltrato|doorgestuurd\s+bericht|videresendt\s+meddelelse|reply\s+message|"
    r"пересылаемое\s+сообщение|original\s+message\s+follows"
)
_SEPARATOR = re.compile(
    rf"^\s*(?:[-=_*]{{2,}}\s*(?:{_ORIGINAL})\s*[-=_*]*|(?:{_ORIGINAL})\s*[-=_*]{{2,}}|"
    rf"begin\s+forwarded\s+message\s*:|anfang\s+der\s+weitergeleiteten\s+nachricht\s*:|"
    rf"début\s+du\s+message\s+réexpédié\s*:|inicio\s+del\s+mensaje\s+reenviado\s*:|"
    rf"-{{2,}}\s*on\b.*\bwrote\s*-{{2,}})\s*$",
    re.IGNORECASE,
)
_RULE = re.compile(r"^\s*(?:_{4,}|={4,}|-{4,}|\*{4,})\s*$")  # a rule line above a header block

# Outlook-style header blocks: a "From:" line followed closely by "Sent:/Date:/To:/Subject:".
_FROM = (r"from|von|de|da|van|fra|från|от|lähettäjä|od|feladó|gönderen|af|mittente|remetente|"
         r"发件人|寄件者|보낸\s*사람|差出人")
_HEADER_NAMES = (
    r"sent|date|to|cc|subject|gesendet|datum|an|betreff|envoyé|à|objet|enviado|fecha|para|asunto|"
    r"inviato|data|a|oggetto|verzonden|aan|onderwerp|sendt|dato|til|emne|skickat|till|ämne|отправлено|дата|"
    r"кому|тема|lähetetty|vastaanottaja|aihe|wysłano|do|temat|odesláno|komu|předmět|elküldve|címzett|tárgy|"
    r"gönderildi|kime|konu|assunto|envoyé\s+le|sujet|copie\s+à|message\s+du|reply-to|répondre\s+à|"
    r"发送时间|收件人|主题|日期|寄件日期|收件者|主旨|받는\s*사람|보낸\s*날짜|제목|送信日時|宛先|件名"
)
_FROM_LINE = re.compile(rf"^\s*[*>]?\s*(?:{_FROM})\s*[*]?\s*[:：]\s*\S", re.IGNORECASE)
# "Enviado el:", "Gesendet am:", "Envoyé le :" carry a preposition before the colon.
_HEADER_LINE = re.compile(rf"^\s*[*>]?\s*(?:{_HEADER_NAMES})(?:\s+(?:el|le|am|on|den|il|em))?\s*[*]?\s*[:：]",
                          re.IGNORECASE)

_QUOTE = re.compile(r"^\s*>")

# Signature starts.
# "-- " (RFC 3676) and what clients write instead; never a long run of "-" (tables and rules use those).
_SIG_DASHES = re.compile(r"^(?:--|-- |—|–|__|—{2,}|–{2,})\s*$")
_SENT_FROM = re.compile(
    r"^\s*(?:sent\s+from\s+(?:my\s+)?\S|sent\s+(?:via|with|using)\s+\S|get\s+outlook\s+for|"
    r"envoyé\s+(?:de|à\s+partir\s+de|depuis)\s+|von\s+meinem\s+\S+\s+gesendet|gesendet\s+von\s+|"
    r"enviado\s+(?:desde|de)\s+|inviato\s+da\s+|verzonden\s+(?:vanaf|met)\s+|sendt\s+fra\s+|"
    r"skickat\s+från\s+|lähetetty\s+|отправлено\s+(?:с|из)\s+|wysłane\s+z\s+|"
    r"sent\s+on\s+the\s+go|sent\s+from\s+yahoo)",
    re.IGNORECASE,
)
_VALEDICTION = re.compile(
    r"^\s*(?:(?:best|kind|warm|warmest|many|with)\s+)?(?:regards|wishes|greetings)\b.{0,20}$|"
    r"^\s*(?:cheers|br|thx|yours(?:\s+(?:truly|sincerely))?|sincerely|cordially|best|all\s+the\s+best|"
    r"talk\s+soon|mit\s+freundlichen\s+grüßen|viele\s+grüße|beste\s+grüße|liebe\s+grüße|grüße|gruß|"
    r"cordialement|bien\s+à\s+vous|bien\s+cordialement|salutations|saludos|atentamente|cordiali\s+saluti|"
    r"saluti|atenciosamente|abraços|met\s+vriendelijke\s+groet|groeten|med\s+vennlig\s+hilsen|"
    r"venlig\s+hilsen|med\s+vänliga\s+hälsningar|hälsningar|ystävällisin\s+terveisin|terveisin|"
    r"с\s+уважением|pozdrawiam|s\s+pozdravem)\b[\s,.!]*(?:\S{0,3})$",
    re.IGNORECASE,
)
_THANKS = re.compile(r"^\s*(?:many\s+)?(?:thanks|thank\s+you|thx|ty|danke|merci|gracias|grazie|obrigad[oa]|tack|"
                     r"kiitos|спасибо|dziękuję)\b.{0,20}[,!.]?\s*$", re.IGNORECASE)
_CONTACT = re.compile(r"@|https?://|www\.|\+?\d[\d ().-]{6,}\d")  # address, link or phone number
_MAX_SIGNATURE_LINES = 8
_MAX_SIGNATURE_LINE_CHARS = 80
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
MAX_MARKER_LINE_CHARS = 1000
MAX_SCAN_LINES = 3000
# Far above what a ticket message keeps (256 KB of UTF-8); the rest stays in the raw mail.
MAX_REPLY_INPUT_CHARS = 1_000_000


def visible_reply(text: str, sender_name: str | None = None) -> str:
    """The part of a plain-text body the sender wrote this time."""
    text = text[:MAX_REPLY_INPUT_CHARS]
    lines = _INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _quote_start(lines)
    if cut is None:
        kept = lines
    else:
        kept = lines[:cut]
        if not "".join(kept).strip():  # bottom posting: the reply follows the quotes
            kept = _unquoted_after(lines, cut)
    kept = _strip_signature(kept, sender_name)
    return "\n".join(kept).strip("\n").rstrip()


def _quote_start(lines: list[str]) -> int | None:
    for i, line in enumerate(lines[:MAX_SCAN_LINES]):
        stripped = line.strip()
        if not stripped or len(stripped) > MAX_MARKER_LINE_CHARS:
            continue  # a long line is text, never a marker
        if _QUOTE.match(line) and _is_quote_block(lines, i):
            return _back_to_attribution(lines, i)
        if _SEPARATOR.match(stripped) or (_RULE.match(stripped) and _header_block_follows(lines, i + 1)):
            return i
        if _FROM_LINE.match(stripped) and _header_block_follows(lines, i):
            return i
        span = _attribution_span(lines, i)
        if span:
            return i
    return None


def _is_quote_block(lines: list[str], i: int) -> bool:
    """A `>` line starts quoted history unless it is a lone `>` inside the text (e.g. a shell prompt)."""
    following = [ln for ln in lines[i:i + 3] if ln.strip()]
    return (len(following) >= 2 and all(_QUOTE.match(ln) for ln in following[:2])) or i >= len(lines) - 2 or (
        bool(following) and all(_QUOTE.match(ln) for ln in following))


def _back_to_attribution(lines: list[str], i: int) -> int:
    """Quotes usually follow their attribution line, sometimes unrecognised: include a `...:` line above."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    if (j >= 0 and len(lines[j]) <= MAX_MARKER_LINE_CHARS and lines[j].rstrip().endswith(":")
            and (_EMAIL.search(lines[j]) or _DATE_HINT.search(lines[j]))):
        return j
    return i


def _attribution_span(lines: list[str], i: int) -> int:
    """How many lines (1-3) starting at `i` form an "On <date>, <name> wrote:" attribution, else 0."""
    first = lines[i].strip().strip("-*> ")
    if len(first) > 300:  # longer than any attribution (see the joined limit below)
        return 0
    if not (re.match(rf"^(?:{_ON})\b", first, re.IGNORECASE) or _EMAIL.search(first) or _DATE_HINT.search(first)):
        return 0  # an attribution starts with "On", a date or an address, never mid-sentence
    joined = ""
    for span in range(1, 4):
        if i + span - 1 >= len(lines):
            break
        part = lines[i + span - 1].strip()
        if span > 1 and not part:
            break
        joined = f"{joined} {part}".strip()
        if len(joined) > 300:
            break
        if _is_attribution(joined):
            return span
    return 0


def _is_attribution(text: str) -> bool:
    core = text.strip("-* ").rstrip()
    if not core:
        return False
    if _WROTE_LINE.search(core) and (_EMAIL.search(core) or _DATE_HINT.search(core) or len(core) < 120):
        # "wrote:" at the end, or "---- On ... wrote ----" (Zoho); avoid "I wrote the code:" in prose
        return bool(re.match(rf"^(?:{_ON})\b", core, re.IGNORECASE)) or bool(_EMAIL.search(core)) or bool(
            _DATE_HINT.search(core))
    # "ср, 30 апр. 2025 г. в 15:19, John Doe <doe@example.com>:" (no verb)
    return (core.endswith((":", "：")) and bool(_EMAIL.search(core)) and bool(_DATE_HINT.search(core))
            and len(core) < 250)


def _header_block_follows(lines: list[str], i: int) -> bool:
    """At least two header-looking lines (From/Sent/To/Subject...) within the next six lines."""
    window = [ln.strip() for ln in lines[i:i + 7] if ln.strip() and len(ln) <= MAX_MARKER_LINE_CHARS]
    hits = sum(1 for ln in window if _HEADER_LINE.match(ln) or _FROM_LINE.match(ln))
    return hits >= 2 and any(_FROM_LINE.match(ln) or _HEADER_LINE.match(ln) for ln in window[:2])


def _unquoted_after(lines: list[str], cut: int) -> list[str]:
    """Bottom posting: the lines after the quoted history. An inline reply (answers between several
    quoted blocks) keeps its quotes, since the answers mean nothing without the questions."""
    body: list[str] = []
    skip_until = cut
    for i in range(cut, len(lines)):
        if i < skip_until:
            continue
        if i >= cut + MAX_SCAN_LINES:  # past the scanned window every line is kept as it is
            body.append(lines[i])
            continue
        span = _attribution_span(lines, i)
        if span or (len(lines[i]) <= MAX_MARKER_LINE_CHARS and _SEPARATOR.match(lines[i].strip())):
            skip_until = i + max(span, 1)
            continue
        body.append(lines[i])
    blocks, in_quote, answered = 0, False, False
    for line in body:
        quoted = bool(_QUOTE.match(line))
        if quoted and not in_quote:
            blocks += 1
        if not quoted and line.strip() and blocks:
            answered = True
        in_quote = quoted if line.strip() else in_quote
    if blocks >= 2 and answered:
        return _squeeze_blank(body)
    return _squeeze_blank([line for line in body if not _QUOTE.match(line)])


def _squeeze_blank(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    return out


def _strip_signature(lines: list[str], sender_name: str | None) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    n = len(lines)
    for i, line in enumerate(lines[:MAX_SCAN_LINES]):
        if i == 0:
            continue
        stripped = line.strip()
        if len(stripped) > MAX_MARKER_LINE_CHARS:
            continue
        if _SIG_DASHES.match(line.rstrip()) and stripped:
            return lines[:i]
        if _SENT_FROM.match(stripped) and len(stripped.split()) <= 8 and ", " not in stripped:
            return lines[:i]  # "Sent from my iPhone", not "Sent from my desk, is much easier than ..."
    # A closing block: valediction or the sender's name, followed by a few short lines to the end.
    name = (sender_name or "").strip().lower()
    first_name = name.split()[0] if name else ""
    start = max(1, n - 4 * _MAX_SIGNATURE_LINES)  # blank lines between signature lines are common
    for i in range(start, n):
        stripped = lines[i].strip()
        tail = [ln for ln in lines[i + 1:] if ln.strip()]
        if any(len(ln.strip()) > _MAX_SIGNATURE_LINE_CHARS for ln in tail):
            continue
        if (_RULE.match(stripped) and "=" not in stripped and not lines[i - 1].strip()
                and 0 < len(tail) <= _MAX_SIGNATURE_LINES + 4 and any(_CONTACT.search(ln) for ln in tail)):
            return lines[:i]  # a rule above a block of short contact lines: a business-card signature
        if len(tail) > _MAX_SIGNATURE_LINES:
            continue
        if _VALEDICTION.match(stripped):
            return lines[:i]
        low = stripped.lower()
        if name and (low == name or (low.startswith(name) and len(low) < len(name) + 25)) and i > 0:
            return lines[:i]
        if _THANKS.match(stripped) and tail and first_name and tail[0].strip().lower().startswith(first_name):
            return lines[:i]  # "Thanks,\nNoam": a closing formula signed with the sender's name
    return lines

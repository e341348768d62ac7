"""Raw MIME bytes -> `ParsedMessage`. Never raises: broken parts become defects, not errors.

The standard library (`email`, `policy.default`) does the MIME structure. Headers are decoded here
from their raw form instead of through the policy's header objects, because those raise or garble on
what real mail contains: raw 8-bit headers, encoded words with wrong charsets or broken base64,
unparseable addresses. Bodies are decoded with the charset fix-ups of `charsets`.

Bounded and linear: every header is read up to `MAX_RAW_HEADER_CHARS`, no pattern can backtrack over
a long run of text (address and uuencode scanning are token/line based), HTML and the visible-reply
step have their own caps, and every string that ends up stored (subject, names, defects, content
types, references) is capped, so a hostile mail can neither stall the function nor produce a record
over DynamoDB's 400 KB item limit. Each step runs guarded: a step that fails adds an
"internal error" defect and the others still run.
"""

import binascii
import contextlib
import email
import email.header
import email.utils
import hashlib
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import Message
from typing import Literal

from helpdesk.mail.calendar import calendar_summary
from helpdesk.mail.charsets import decode_bytes
from helpdesk.mail.html import MAX_HTML_CHARS, html_reply_text, html_text_and_reply, sanitize_html
from helpdesk.mail.model import Address, Attachment, ParsedMessage
from helpdesk.mail.reply import visible_reply
from helpdesk.mail.tnef import read_tnef

DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_HEADER_CHARS = 2000
MAX_RAW_HEADER_CHARS = 64 * 1024  # of one header, before decoding (a To: list of ~1,500 addresses)
MAX_SUBJECT_CHARS = 2000
MAX_NAME_CHARS = 200
MAX_ADDRESSES = 500  # per header
MAX_REFERENCES = 100
MAX_CONTENT_TYPE_CHARS = 100
MAX_DEFECTS = 50
MAX_DEFECT_CHARS = 200
INTERNAL_ERROR = "internal error in"  # how a defect names a failed parser step (the fuzz test looks for it)
# Headers kept for handling decisions (auto-replies, lists, bounces).
HANDLING_HEADERS = ("auto-submitted", "x-autoreply", "x-autorespond", "x-auto-response-suppress", "precedence",
                    "list-id", "list-unsubscribe", "return-path", "x-failed-recipients", "content-type",
                    "x-loop", "feedback-id", "list-post", "mailing-list")

TNEF_TYPES = ("application/ms-tnef", "application/vnd.ms-tnef")
# A signed mail's detached signature: checked by mail programs, not read by people (the raw mail keeps it).
SIGNATURE_TYPES = ("application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature")
SMIME_TYPES = ("application/pkcs7-mime", "application/x-pkcs7-mime")
PGP_CONTROL_TYPE = "application/pgp-encrypted"  # PGP/MIME's "Version: 1" part beside the encrypted one
PGP_ARMOR = "-----BEGIN PGP MESSAGE-----"
CALENDAR_TYPES = ("text/calendar", "application/ics")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_SPACE_BETWEEN_WORDS = re.compile(r"(\?=)\s+(=\?)")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]+")
_MSGID = re.compile(r"<([^<>\s]{1,500})>")
_ADDRESS_TOKEN = re.compile(r"[^\s,;<>()\"'\[\]]{3,320}")
_EMAIL_TOKEN = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
_UU_BEGIN = re.compile(r"begin [0-7]{3,4} ([^\n]{1,255})")


def parse_message(raw: bytes, *, max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES) -> ParsedMessage:
    """Everything readable in `raw`. Whatever could not be read is listed in `defects`."""
    defects: list[str] = []
    if not raw.strip():
        return ParsedMessage(defects=["empty message"])
    try:
        msg = email.message_from_bytes(raw, policy=policy.compat32)
    except Exception as exc:  # the stdlib parser is lenient; this is a last resort
        return ParsedMessage(defects=[f"unparseable message: {type(exc).__name__}"])
    parsed = ParsedMessage()
    with _step("headers", defects):
        parsed = _parse_headers(msg)
    found = _Found(max_bytes=max_attachment_bytes)
    parts: list[Message] = []
    with _step("MIME structure", defects):
        parts = _leaf_parts(msg)
    for index, part in enumerate(parts):
        try:
            _read_part(part, index, found, defects)
        except Exception as exc:  # one broken part must not lose the others
            defects.append(f"part {index} unreadable: {type(exc).__name__}")
    with _step("defect list", defects):
        defects.extend(_defect_names(msg))
    plain, html, attachments = found.plain, found.html, found.attachments
    if not any(t.strip() for t in plain) and not html and found.tnef_text:
        plain.append(found.tnef_text)  # Outlook put the only body inside winmail.dat
    if not html and found.tnef_html:
        html.append(found.tnef_html)

    text = "\n\n".join(t for t in plain if t.strip())
    with _step("uuencoded text", defects):
        text, uuencoded = _extract_uuencoded(text, defects)
        attachments.extend(uuencoded)
    html_body = html[0] if html else None
    if html_body is not None and len(html_body) > MAX_HTML_CHARS:
        defects.append(f"HTML body over {MAX_HTML_CHARS} characters: read up to there")
    html_reply = None
    if not text.strip() and html_body:
        with _step("HTML text", defects):
            text, html_reply = html_text_and_reply(html_body)
    sender_name = parsed.from_.name if parsed.from_ else None
    reply = ""
    with _step("visible reply", defects):
        if plain and any(t.strip() for t in plain):
            reply = visible_reply(text, sender_name)
        elif html_body:
            reply = visible_reply(html_reply if html_reply is not None else html_reply_text(html_body), sender_name)
        else:
            reply = visible_reply(text, sender_name)
    if found.calendars:  # the invitation is an attachment; its summary is readable in the text
        text = "\n\n".join(t for t in (text.strip("\n"), *found.calendars) if t)
        reply = "\n\n".join(t for t in (reply.strip("\n"), *found.calendars) if t)
    parsed.text = text
    parsed.encrypted = found.encrypted or ("PGP" if PGP_ARMOR in text else None)
    with _step("HTML sanitising", defects):
        parsed.html = sanitize_html(html_body) if html_body else None
    parsed.reply_text = reply
    parsed.attachments = attachments
    parsed.defects = _capped_defects(defects)
    return parsed


@contextlib.contextmanager
def _step(name: str, defects: list[str]) -> Iterator[None]:
    """Run one parser step; if it fails, say so in the defects and carry on with the next."""
    try:
        yield
    except Exception as exc:
        defects.append(f"{INTERNAL_ERROR} {name}: {type(exc).__name__}")


def _capped_defects(defects: list[str]) -> list[str]:
    """Distinct defects, each at most `MAX_DEFECT_CHARS`, at most `MAX_DEFECTS` (then a count)."""
    unique = list(dict.fromkeys(d[:MAX_DEFECT_CHARS] for d in defects))
    if len(unique) > MAX_DEFECTS:
        return [*unique[:MAX_DEFECTS - 1], f"{len(unique) - MAX_DEFECTS + 1} more defects"]
    return unique


def _parse_headers(msg: Message) -> ParsedMessage:
    headers = _raw_headers(msg)
    return ParsedMessage(
        from_=next(iter(_addresses(headers.get("from") or headers.get("sender") or "")), None),
        to=_addresses(headers.get("to", "")),
        cc=_addresses(headers.get("cc", "")),
        reply_to=_addresses(headers.get("reply-to", "")),
        date=_date(headers.get("date", "")),
        subject=_collapse(decode_header_text(headers.get("subject", "")))[:MAX_SUBJECT_CHARS],
        message_id=next(iter(message_ids(headers.get("message-id", ""))), None),
        in_reply_to=next(iter(message_ids(headers.get("in-reply-to", ""))), None),
        references=message_ids(headers.get("references", ""))[-MAX_REFERENCES:],
        headers={name: _collapse(decode_header_text(headers[name]))[:MAX_HEADER_CHARS]
                 for name in HANDLING_HEADERS if name in headers},
    )


# -- headers ---------------------------------------------------------------------------------


def _raw_headers(msg: Message) -> dict[str, str]:
    """First value of each header, unparsed (raw 8-bit bytes kept as surrogate escapes)."""
    headers: dict[str, str] = {}
    for name, value in msg.raw_items():
        key = name.strip().lower()
        if key not in headers:
            headers[key] = (value if isinstance(value, str) else str(value))[:MAX_RAW_HEADER_CHARS]
    return headers


def _unfold(raw: str) -> str:
    """Raw header value (surrogate-escaped 8-bit) -> one line of text, 8-bit bytes decoded."""
    return _decode_8bit(_unfold_raw(raw))


def _unfold_raw(raw: str) -> str:
    return re.sub(r"\r?\n[ \t]*", " ", raw)


def _decode_8bit(text: str) -> str:
    data = text.encode("utf-8", "surrogateescape")
    return data.decode("ascii") if data.isascii() else decode_bytes(data, "utf-8")[0]


def decode_header_text(raw: str) -> str:
    """RFC 2047 encoded words (with charset fix-ups and lenient base64) and raw 8-bit, to plain text.

    Encoded words are read from the raw value, so 8-bit bytes a sender put inside one are decoded with
    the word's charset; adjacent words in one charset are decoded together, so a character split between
    two words (which RFC 2047 forbids and some mailers do) survives. The text around the words is decoded
    as one piece (charset detection runs at most once a header)."""
    text = _SPACE_BETWEEN_WORDS.sub(r"\1\2", _unfold_raw(raw))  # whitespace between encoded words is not text
    literals, words = _split_words(text)
    out = [literals[0]]
    run: list[re.Match[str]] = []
    for word, after in zip(words, literals[1:], strict=True):
        if run and word.group(1).lower() != run[-1].group(1).lower():
            out.append(_decode_words(run))
            run = []
        run.append(word)
        if after:  # text between words ends the run
            out.extend((_decode_words(run), after))
            run = []
    if run:
        out.append(_decode_words(run))
    return _CONTROL.sub(" ", "".join(out))


def _split_words(text: str) -> tuple[list[str], list[re.Match[str]]]:
    """The encoded words of a raw header value, and the text around them (one more piece than words),
    8-bit bytes decoded."""
    literals: list[str] = []
    words = list(_ENCODED_WORD.finditer(text))
    position = 0
    for word in words:
        literals.append(text[position:word.start()])
        position = word.end()
    literals.append(text[position:])
    return _decode_literals(literals), words


def _decode_literals(pieces: list[str]) -> list[str]:
    """Raw (surrogate-escaped) pieces of one header, decoded together: one charset decision for all."""
    raw = [p.replace("\n", " ").encode("utf-8", "surrogateescape") for p in pieces]
    joined = b"\n".join(raw)
    if joined.isascii():
        return [p.decode("ascii") for p in raw]
    decoded = decode_bytes(joined, "utf-8")[0].split("\n")
    if len(decoded) == len(raw):
        return decoded
    return [decode_bytes(p, "utf-8", detect=False)[0] for p in raw]  # detection chose a multibyte codec


def _decode_words(run: list[re.Match[str]]) -> str:
    """Adjacent encoded words of one charset, decoded as one byte string (a word that cannot be decoded
    is kept as written). No charset detection: a few bytes say too little, and a header may hold
    thousands of words."""
    charset = run[0].group(1).split("*", 1)[0]  # RFC 2231 language suffix
    out: list[str] = []
    data = bytearray()
    for match in run:
        word = _word_bytes(match)
        if word is not None:
            data += word
            continue
        out.append(decode_bytes(bytes(data), charset, detect=False)[0] + match.group(0))
        data = bytearray()
    out.append(decode_bytes(bytes(data), charset, detect=False)[0])
    return "".join(out)


def _word_bytes(match: re.Match[str]) -> bytes | None:
    encoding, payload = match.group(2).upper(), match.group(3)
    try:
        if encoding == "B":
            payload = re.sub(r"[^A-Za-z0-9+/]", "", payload)
            return binascii.a2b_base64(payload + "=" * (-len(payload) % 4))
        return re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                      payload.replace("_", " ").encode("utf-8", "surrogateescape"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _addresses(raw: str) -> list[Address]:
    if not raw:
        return []
    # Encoded words may hide commas, colons and "@" (even CR/LF) and carry raw 8-bit bytes of their own
    # charset: park them, as written, as quoted tokens while the address list is split, and decode them
    # only inside the display name.
    words: list[str] = []

    def park(match: re.Match[str]) -> str:
        words.append(match.group(0))
        return f'"\x01{len(words) - 1}\x01"'

    literals, matches = _split_words(_SPACE_BETWEEN_WORDS.sub(r"\1\2", _CONTROL.sub(" ", _unfold_raw(raw))))
    text = "".join(literal + (park(matches[i]) if i < len(matches) else "") for i, literal in enumerate(literals))
    found: list[Address] = []
    try:
        pairs = email.utils.getaddresses([text])
    except Exception:
        pairs = []
    for name, addr in pairs:
        address = _clean_address(addr)
        if address is None:
            continue
        name = re.sub(r"\x01(\d+)\x01", lambda m: words[int(m.group(1))] if int(m.group(1)) < len(words) else "",
                      name[:MAX_HEADER_CHARS])
        display = _collapse(decode_header_text(name)).strip("\"' ")[:MAX_NAME_CHARS] or None
        found.append(Address(email=address, name=display))
        if len(found) >= MAX_ADDRESSES:
            break
    if not found:  # unparseable list: take what looks like addresses (outside encoded words)
        found = _addresses_in_text(re.sub(r'"\x01\d+\x01"', " ", text))
    return found


def _addresses_in_text(text: str) -> list[Address]:
    """Address-looking tokens of a header the address parser could not read. Token by token (split at
    blanks and punctuation first), so the work is linear: searching an address pattern over the whole
    text rescans a long word without "@" once per character."""
    found: list[Address] = []
    for token in _ADDRESS_TOKEN.findall(text):
        if "@" not in token or not _EMAIL_TOKEN.fullmatch(token):
            continue
        address = _clean_address(token)
        if address is not None:
            found.append(Address(email=address))
            if len(found) >= MAX_ADDRESSES:
                break
    return found


def _clean_address(addr: str) -> str | None:
    addr = addr.strip().strip("<>").strip()
    if addr.count("@") != 1 or any(c in addr for c in " \t\r\n\"(),:;<>[]\\"):
        return None
    local, domain = addr.split("@")
    if not local or "." not in domain or len(addr) > 320:
        return None
    return f"{local}@{domain.lower()}"


def message_ids(raw: str) -> list[str]:
    """The Message-IDs a header names, without their brackets, as threading looks them up (`MailRecords`)."""
    text = _unfold(raw)
    ids = _MSGID.findall(text)
    if not ids:  # some senders forget the brackets
        ids = [t for t in text.replace(",", " ").split() if "@" in t and len(t) <= 500]
    return list(dict.fromkeys(ids))


def _date(raw: str) -> datetime | None:
    if not raw:
        return None
    try:
        value = email.utils.parsedate_to_datetime(_collapse(_unfold(raw)))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# -- bodies and attachments ----------------------------------------------------------------


@dataclass
class _Found:
    """What the parts of one mail yielded so far."""

    max_bytes: int
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    calendars: list[str] = field(default_factory=list)  # readable summaries of calendar invitations
    calendar_md5s: dict[str, int] = field(default_factory=dict)  # calendar text -> its attachment index
    tnef_text: str | None = None
    tnef_html: str | None = None
    encrypted: Literal["S/MIME", "PGP"] | None = None


def _leaf_parts(msg: Message) -> list[Message]:
    """The parts that carry content, in order. A message/* part is one leaf: a forwarded or returned
    mail is somebody else's message (one .eml attachment), not text or files of this one."""
    leaves: list[Message] = []
    stack = [msg]
    while stack:
        part = stack.pop()
        if part.get_content_maintype() != "message" and part.is_multipart():
            # only a multipart's payload is read here: a leaf's get_payload() decodes with its charset label
            stack.extend(reversed([p for p in part.get_payload() if isinstance(p, Message)]))
        else:
            leaves.append(part)
    return leaves


def _read_part(part: Message, index: int, found: _Found, defects: list[str]) -> None:
    content_type = (part.get_content_type() or "application/octet-stream").lower()[:MAX_CONTENT_TYPE_CHARS]
    if content_type.startswith("message/"):
        _read_message_part(part, index, content_type, found, defects)
        return
    if content_type.startswith("multipart/"):  # a multipart without (a usable) boundary: find it
        _read_unbounded_multipart(part, index, found, defects)
        return
    if content_type in SIGNATURE_TYPES:
        return
    if content_type == PGP_CONTROL_TYPE:
        found.encrypted = "PGP"
        return
    # S/MIME's p7m is encrypted (enveloped) unless it says it is opaque-signed data or certificates
    if content_type in SMIME_TYPES and str(part.get_param("smime-type") or "enveloped-data").lower() in (
            "enveloped-data", "authenveloped-data"):
        found.encrypted = "S/MIME"
    disposition = (part.get_content_disposition() or "").lower()
    filename = _filename(part)
    if content_type in ("text/plain", "text/html") and disposition != "attachment" and not filename:
        body = _text_payload(part, defects, index)
        if content_type == "text/html":
            found.html.append(body)
        else:
            found.plain.append(_unflow(body, part) if part.get_param("format") == "flowed" else body)
        return
    data = _payload(part, defects, index)
    if (content_type in TNEF_TYPES or (filename or "").lower() == "winmail.dat") and _read_tnef(
            data, index, found, defects):
        return
    if content_type in CALENDAR_TYPES:
        _read_calendar(data, filename, content_type, part, found)
        return
    if not filename:
        filename = f"part-{index}{mimetypes.guess_extension(content_type) or '.bin'}"
    found.attachments.append(_attachment(filename, content_type, data, _content_id(part), disposition == "inline",
                                         found.max_bytes))


def _read_message_part(part: Message, index: int, content_type: str, found: _Found, defects: list[str]) -> None:
    if content_type == "message/external-body":  # a pointer to a file elsewhere (FTP, mail server): not fetched
        defects.append(f"part {index}: message/external-body not fetched")
        return
    data = _message_payload(part)
    filename = _filename(part)
    if filename is None and content_type in ("message/rfc822", "message/global", "message/news"):
        inner = part.get_payload()
        subject = inner[0].get("Subject") if isinstance(inner, list) and inner and isinstance(inner[0], Message) \
            else None
        filename = _safe_filename(f"{_collapse(decode_header_text(str(subject)))[:200]}.eml") if subject else None
    if filename is None:
        subtype = content_type.split("/", 1)[1]
        filename = f"message-{index}.eml" if subtype in ("rfc822", "global", "news") else f"{subtype}-{index}.txt"
    found.attachments.append(_attachment(filename, content_type, data, _content_id(part), False, found.max_bytes))


def _read_tnef(data: bytes, index: int, found: _Found, defects: list[str]) -> bool:
    """Replace winmail.dat by the files inside it; False (keep winmail.dat) when nothing could be read."""
    try:
        content = read_tnef(data)
    except Exception as exc:  # not TNEF after all, or damaged: winmail.dat stays an attachment
        defects.append(f"part {index}: winmail.dat unreadable ({type(exc).__name__}), kept as is")
        return False
    for file in content.files:
        name = _safe_filename(file.filename) or f"part-{index}.bin"
        found.attachments.append(_attachment(name, file.content_type[:MAX_CONTENT_TYPE_CHARS], file.data, None,
                                             False, found.max_bytes))
    found.tnef_text = found.tnef_text or (content.text.replace("\r\n", "\n") if content.text else None)
    found.tnef_html = found.tnef_html or content.html
    if content.skipped:
        defects.append(f"part {index}: winmail.dat kept: {', '.join(sorted(set(content.skipped)))[:150]}")
        return False
    return bool(content.files or content.text or content.html)


def _read_calendar(data: bytes, filename: str | None, content_type: str, part: Message, found: _Found) -> None:
    """An invitation is a file (invite.ics) plus a summary in the text; the same invitation sent twice
    (Gmail: as an alternative and as invite.ics) is one file and one summary."""
    attachment = _attachment(filename or "invite.ics", content_type, data, _content_id(part), False,
                             found.max_bytes)
    same = hashlib.md5(b"\n".join(data.strip().splitlines()), usedforsecurity=False).hexdigest()
    seen = found.calendar_md5s.get(same)
    if seen is not None:
        if filename:  # the copy the mail named wins
            found.attachments[seen] = attachment
        return
    found.calendar_md5s[same] = len(found.attachments)
    found.attachments.append(attachment)
    summary = calendar_summary(data)
    if summary:
        found.calendars.append(summary)


def _unflow(text: str, part: Message) -> str:
    """RFC 3676 format=flowed: a line ending in a space continues on the next (with DelSp=yes that space
    was added by the sender and goes); a leading space was added to protect the line ("stuffing")."""
    delsp = str(part.get_param("delsp") or "").lower() == "yes"
    out: list[str] = []
    joining = False
    for line in text.split("\n"):
        line = line[1:] if line.startswith(" ") else line
        flowed = line.endswith(" ") and line != "-- " and not line.startswith(">")
        piece = line[:-1] if flowed and delsp else line
        if joining:
            out[-1] += piece
        else:
            out.append(piece)
        joining = flowed
    return "\n".join(out)


def _read_unbounded_multipart(part: Message, index: int, found: _Found, defects: list[str]) -> None:
    """The sender forgot the boundary parameter: take the first `--x` line of the body as the boundary."""
    body = _payload(part, defects, index)
    match = re.search(rb"^--([^\s-][^\r\n]{0,69}?)\s*$", body, re.MULTILINE)
    if match is None:
        defects.append(f"part {index}: multipart without boundary, read as text")
        found.plain.append(decode_bytes(body, None)[0])
        return
    boundary = match.group(1).decode("ascii", "replace").replace('"', "")
    rebuilt = email.message_from_bytes(
        f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n'.encode() + body, policy=policy.compat32)
    defects.append(f"part {index}: multipart without boundary, recovered boundary from the body")
    for sub_index, sub in enumerate(_leaf_parts(rebuilt)):
        if sub is not rebuilt and not sub.get_content_type().startswith("multipart/"):
            _read_part(sub, index * 100 + sub_index, found, defects)


def _payload(part: Message, defects: list[str], index: int) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        if any(getattr(d, "__class__", type(d)).__name__ in ("InvalidBase64CharactersDefect",
                                                             "InvalidBase64PaddingDefect",
                                                             "InvalidBase64LengthDefect")
               for d in part.defects):
            defects.append(f"part {index}: damaged base64, decoded what was readable")
        return data
    raw = part.get_payload(decode=False)
    defects.append(f"part {index}: undecodable transfer encoding, kept as is")
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _message_payload(part: Message) -> bytes:
    """The bytes of a message/* part: the enclosed mail (rfc822) or its header blocks (delivery-status)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        chunks = []
        for item in payload:
            if isinstance(item, Message):
                try:
                    chunks.append(item.as_bytes(policy=policy.compat32))
                except Exception:
                    chunks.append(str(item).encode("utf-8", "surrogateescape"))
        return b"\n".join(chunks)
    raw = part.get_payload(decode=True)
    return raw if isinstance(raw, bytes) else b""


def _text_payload(part: Message, defects: list[str], index: int) -> str:
    data = _payload(part, defects, index)
    charset = part.get_param("charset")
    label = charset if isinstance(charset, str) else None
    text, exact = decode_bytes(data, label)
    if not exact:
        shown = _CONTROL.sub(" ", label[:40]) if label else "undeclared"
        defects.append(f"part {index}: charset {shown} did not fit, decoded by detection")
    return text.replace("\r\n", "\n")


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename() or part.get_param("name")
    except Exception:
        name = None
    if isinstance(name, tuple):  # RFC 2231 value the stdlib could not collapse
        name = email.utils.collapse_rfc2231_value(name)
    if not isinstance(name, str) or not name.strip():
        return None
    return _safe_filename(_collapse(decode_header_text(name)))


def _safe_filename(name: str) -> str | None:
    """Only the last path segment: a name is never a path on our side."""
    name = _CONTROL.sub(" ", name).replace("\\", "/").rsplit("/", 1)[-1].strip(". ")
    return name[:255] or None


def _content_id(part: Message) -> str | None:
    raw = part.get("Content-ID")
    if raw is None:
        return None
    value = _collapse(str(raw)).strip().strip("<>")
    return value[:500] or None


def _attachment(filename: str, content_type: str, data: bytes, content_id: str | None, inline: bool,
                max_bytes: int) -> Attachment:
    too_big = len(data) > max_bytes
    return Attachment(
        filename=filename,
        content_type=content_type,
        size=len(data),
        md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
        content_id=content_id,
        inline=inline,
        content=None if too_big else data,
        dropped=f"larger than {max_bytes} bytes; the raw message keeps it" if too_big else None,
    )


def _extract_uuencoded(text: str, defects: list[str]) -> tuple[str, list[Attachment]]:
    """uuencoded files inside a text body (old clients) become attachments.

    One pass over the lines: a `begin <mode> <name>` line opens a file and the next `end` line closes
    it; a `begin` with no `end` after it is left as text (and so is everything after it, since no later
    `begin` can have an `end` either).
    """
    if "begin " not in text:
        return text, []
    lines = text.split("\n")
    found: list[Attachment] = []
    kept: list[str] = []
    i = 0
    while i < len(lines):
        match = _UU_BEGIN.fullmatch(lines[i])
        end = _uu_end(lines, i + 1) if match else None
        if match is None or end is None:
            kept.append(lines[i])
            if match is not None:  # no end line anywhere below: nothing further can be uuencoded
                kept.extend(lines[i + 1:])
                break
            i += 1
            continue
        name = match.group(1).strip().replace("\\", "/").rsplit("/", 1)[-1] or "uuencoded.bin"
        data = _uu_decode(lines[i + 1:end], name, defects)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        found.append(_attachment(name[:255], content_type[:MAX_CONTENT_TYPE_CHARS], data, None, False,
                                 DEFAULT_MAX_ATTACHMENT_BYTES))
        kept.append("")
        i = end + 1
    return ("\n".join(kept) if found else text), found


def _uu_end(lines: list[str], start: int) -> int | None:
    for j in range(start, len(lines)):
        if lines[j].rstrip() == "end":
            return j
    return None


def _uu_decode(lines: list[str], name: str, defects: list[str]) -> bytes:
    data = bytearray()
    damaged = 0
    for line in lines:
        if not line or line == "`":
            continue
        raw = line.encode("latin-1", "replace")  # a uuencoded line is ASCII; anything else is damage
        try:
            data += binascii.a2b_uu(raw)
            continue
        except binascii.Error:
            pass
        # Some encoders pad lines wrongly; decode the length the line declares.
        size = (((raw[0] - 32) & 63) * 4 + 5) // 3
        try:
            data += binascii.a2b_uu(raw[:size])
        except binascii.Error:
            damaged += 1
    if damaged:
        defects.append(f"uuencoded {name[:100]}: {damaged} damaged lines skipped")
    return bytes(data)


def _defect_names(msg: Message) -> list[str]:
    names: set[str] = set()
    try:
        for part in msg.walk():
            for defect in part.defects:
                names.add(type(defect).__name__)
    except Exception:
        return []
    return sorted(names)

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
from datetime import UTC, datetime
from email import policy
from email.message import Message

from helpdesk.mail.charsets import decode_bytes
from helpdesk.mail.html import MAX_HTML_CHARS, html_reply_text, html_text_and_reply, sanitize_html
from helpdesk.mail.model import Address, Attachment, ParsedMessage
from helpdesk.mail.reply import visible_reply

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
                    "x-loop", "feedback-id")

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
    plain: list[str] = []
    html: list[str] = []
    attachments: list[Attachment] = []
    parts: list[Message] = []
    with _step("MIME structure", defects):
        parts = list(msg.walk())
    for index, part in enumerate(parts):
        try:
            _read_part(part, index, plain, html, attachments, defects, max_attachment_bytes)
        except Exception as exc:  # one broken part must not lose the others
            defects.append(f"part {index} unreadable: {type(exc).__name__}")
    with _step("defect list", defects):
        defects.extend(_defect_names(msg))

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
    parsed.text = text
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
        message_id=next(iter(_message_ids(headers.get("message-id", ""))), None),
        in_reply_to=next(iter(_message_ids(headers.get("in-reply-to", ""))), None),
        references=_message_ids(headers.get("references", ""))[-MAX_REFERENCES:],
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
    data = raw.encode("utf-8", "surrogateescape")
    text, _ = decode_bytes(data, "utf-8") if not data.isascii() else (data.decode("ascii"), True)
    return re.sub(r"\r?\n[ \t]*", " ", text)


def decode_header_text(raw: str) -> str:
    """RFC 2047 encoded words (with charset fix-ups and lenient base64) and raw 8-bit, to plain text."""
    text = _SPACE_BETWEEN_WORDS.sub(r"\1\2", _unfold(raw))  # whitespace between encoded words is not text
    return _CONTROL.sub(" ", _ENCODED_WORD.sub(_decode_word, text))


def _decode_word(match: re.Match[str]) -> str:
    charset, encoding, payload = match.group(1), match.group(2).upper(), match.group(3)
    charset = charset.split("*", 1)[0]  # RFC 2231 language suffix
    try:
        if encoding == "B":
            payload = re.sub(r"[^A-Za-z0-9+/]", "", payload)
            data = binascii.a2b_base64(payload + "=" * (-len(payload) % 4))
        else:
            data = re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                          payload.replace("_", " ").encode("ascii", "surrogateescape"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return match.group(0)
    text, _ = decode_bytes(data, charset)
    return text


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _addresses(raw: str) -> list[Address]:
    if not raw:
        return []
    text = _CONTROL.sub(" ", _unfold(raw))
    # Encoded words may hide commas, colons and "@" (even CR/LF): park them as quoted tokens while the
    # address list is split, and decode them only inside the display name.
    words: list[str] = []

    def park(match: re.Match[str]) -> str:
        words.append(match.group(0))
        return f'"\x01{len(words) - 1}\x01"'

    text = _ENCODED_WORD.sub(park, _SPACE_BETWEEN_WORDS.sub(r"\1\2", text))
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


def _message_ids(raw: str) -> list[str]:
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


def _read_part(part: Message, index: int, plain: list[str], html: list[str], attachments: list[Attachment],
               defects: list[str], max_bytes: int) -> None:
    if part.is_multipart():
        return
    content_type = (part.get_content_type() or "application/octet-stream").lower()[:MAX_CONTENT_TYPE_CHARS]
    if content_type.startswith("multipart/"):  # a multipart without (a usable) boundary: find it
        _read_unbounded_multipart(part, index, plain, html, attachments, defects, max_bytes)
        return
    disposition = (part.get_content_disposition() or "").lower()
    filename = _filename(part)
    if content_type in ("text/plain", "text/html") and disposition != "attachment" and not filename:
        body = _text_payload(part, defects, index)
        (plain if content_type == "text/plain" else html).append(body)
        return
    if content_type == "message/rfc822" or content_type.startswith("message/"):
        data = _message_payload(part)
        filename = filename or f"message-{index}.eml"
    else:
        data = _payload(part, defects, index)
    if not filename:
        filename = f"part-{index}{mimetypes.guess_extension(content_type) or '.bin'}"
    attachments.append(_attachment(filename, content_type, data, _content_id(part), disposition == "inline",
                                   max_bytes))


def _read_unbounded_multipart(part: Message, index: int, plain: list[str], html: list[str],
                              attachments: list[Attachment], defects: list[str], max_bytes: int) -> None:
    """The sender forgot the boundary parameter: take the first `--x` line of the body as the boundary."""
    body = _payload(part, defects, index)
    match = re.search(rb"^--([^\s-][^\r\n]{0,69}?)\s*$", body, re.MULTILINE)
    if match is None:
        defects.append(f"part {index}: multipart without boundary, read as text")
        plain.append(decode_bytes(body, None)[0])
        return
    boundary = match.group(1).decode("ascii", "replace").replace('"', "")
    rebuilt = email.message_from_bytes(
        f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n'.encode() + body, policy=policy.compat32)
    defects.append(f"part {index}: multipart without boundary, recovered boundary from the body")
    for sub_index, sub in enumerate(rebuilt.walk()):
        if sub is not rebuilt and not sub.get_content_type().startswith("multipart/"):
            _read_part(sub, index * 100 + sub_index, plain, html, attachments, defects, max_bytes)


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
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        try:
            return payload[0].as_bytes(policy=policy.compat32)
        except Exception:
            return str(payload[0]).encode("utf-8", "surrogateescape")
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
    name = _collapse(decode_header_text(name))
    # Only the last path segment: a name is never a path on our side.
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip(". ")
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

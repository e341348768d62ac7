"""A customer's mail an agent forwards to a support address: the customer wrote to the agent directly, and the agent
forwards it so it becomes a ticket (Zendesk, Help Scout and Freshdesk take it so). The ticket is the customer's, not
the agent's: this reads the forwarded message's sender, subject and text out of the forward.

Forwards are written by mail clients in a handful of shapes, in the sender's language: a separator line (Gmail's
"---------- Forwarded message ---------", Apple Mail's "Begin forwarded message:", Thunderbird's "-------- Forwarded
Message --------", Outlook's underscores) or, in Outlook, the header block alone ("From: ... Sent: ... To: ...
Subject: ..."), then the original's headers, a blank line and its text; or the original mail attached whole
(Outlook's "Forward as attachment": a message/rfc822 part). Every pattern here works line by line on
bounded lines, so a hostile mail costs linear time (the one packaged parser, `email-forward-parser`, took 13 s for
10,000 characters of blank lines and minutes for 50,000: see NOTES.md).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parseaddr

from helpdesk.mail.model import Address, ParsedMessage

MAX_SCANNED_LINES = 400  # where a forward's header starts: the agent's words above it are short
MAX_LINE_CHARS = 1_000  # a header line longer than this is no header
MAX_HEADER_LINES = 12
_SEPARATOR = re.compile(
    r"-{2,}\s?(?:forwarded message|original message|weitergeleitete nachricht|urspr[üu]ngliche nachricht|"
    r"mensaje reenviado|mensaje original|message transf[ée]r[ée]|message d'origine|mensagem encaminhada|"
    r"mensagem original|messaggio inoltrato|messaggio originale)\s?-{2,}|"
    r"begin forwarded message:|anfang der weitergeleiteten nachricht:|inicio del mensaje reenviado:|"
    r"d[ée]but du message r[ée]exp[ée]di[ée]\s?:|in[íi]cio da mensagem reencaminhada:|_{10,}", re.IGNORECASE)
_HEADER = re.compile(r"\*{0,2}([^\W\d_]{1,12}(?: [^\W\d_]{1,12})?)\*{0,2}\s?:\*{0,2}\s?(.*)")
FROM_KEYS = frozenset({"from", "von", "de", "da", "van", "från"})
SUBJECT_KEYS = frozenset({"subject", "betreff", "asunto", "objet", "sujet", "assunto", "oggetto", "onderwerp", "ämne"})
DATE_KEYS = frozenset({"date", "sent", "gesendet", "datum", "enviado", "envoyé", "fecha", "data", "enviada",
                       "inviato", "verzonden", "skickat"})
TO_KEYS = frozenset({"to", "an", "para", "à", "a", "aan", "till"})
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|wg|tr|rv|enc|i|doorst)\s?:", re.IGNORECASE)
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}$")
_MAILTO = re.compile(r"\[mailto:([^\]\s]{1,320})\]", re.IGNORECASE)


@dataclass(frozen=True)
class ForwardedMail:
    sender: Address  # who wrote the forwarded message: the ticket's requester
    subject: str | None  # its subject, when the forward names it
    body: str  # its text
    note: str  # what the forwarding agent wrote above it


def looks_forwarded(subject: str, text: str) -> bool:
    """A cheap first look (no directory read for other mail): a forward's subject prefix or a separator line."""
    return bool(_FORWARD_SUBJECT.match(subject)) or any(
        _SEPARATOR.fullmatch(line.strip()) for line in text.splitlines()[:MAX_SCANNED_LINES]
        if len(line) <= MAX_LINE_CHARS)


def forwarded_mail(subject: str, text: str) -> ForwardedMail | None:
    """The forwarded message in `text`, if there is one with a readable sender address."""
    lines = text.splitlines()
    for index, line in enumerate(lines[:MAX_SCANNED_LINES]):
        if len(line) > MAX_LINE_CHARS:
            continue
        if _SEPARATOR.fullmatch(line.strip()):
            start = _skip_blank(lines, index + 1)
        elif _key(line) in FROM_KEYS and _FORWARD_SUBJECT.match(subject) and _outlook_block(lines, index):
            start = index  # Outlook's header block without a separator line, in a mail sent as a forward
        else:
            continue
        found = _read(lines, start)
        if found is not None:
            headers, body_start = found
            sender = _sender(headers.get("from", ""))
            if sender is None:
                continue
            return ForwardedMail(sender=sender, subject=headers.get("subject") or None,
                                 body="\n".join(lines[body_start:]).strip(),
                                 note="\n".join(lines[:index]).strip())
    return None


def attached_forward(mail: ParsedMessage, parse: Callable[[bytes], ParsedMessage]) -> ForwardedMail | None:
    """The one mail attached whole to `mail` (message/rfc822), read with `parse`, when it names its sender; what the
    agent wrote is the note."""
    attached = [a for a in mail.attachments if a.content_type == "message/rfc822" and a.content is not None]
    if len(attached) != 1 or attached[0].content is None:
        return None  # none, or several mails: not one customer's request
    original = parse(attached[0].content)
    if original.from_ is None:
        return None
    return ForwardedMail(sender=original.from_, subject=original.subject or None, body=original.text.strip(),
                         note=(mail.reply_text or mail.text).strip())


def has_attached_mail(mail: ParsedMessage) -> bool:
    return any(a.content_type == "message/rfc822" for a in mail.attachments)


def _key(line: str) -> str | None:
    if len(line) > MAX_LINE_CHARS:
        return None
    match = _HEADER.fullmatch(line.strip())
    return match.group(1).lower() if match else None


def _outlook_block(lines: list[str], index: int) -> bool:
    """A From line followed by a date and a subject or recipient line: a header block, not a sentence."""
    keys = {_key(line) for line in lines[index + 1:index + MAX_HEADER_LINES]}
    return bool(keys & DATE_KEYS) and bool(keys & (SUBJECT_KEYS | TO_KEYS))


def _skip_blank(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index


def _read(lines: list[str], start: int) -> tuple[dict[str, str], int] | None:
    """The header block at `start` (`from`, `subject` by their names in any of the languages) and where the text
    after it starts; None when no From line is among the first header lines."""
    headers: dict[str, str] = {}
    index = start
    while index < len(lines) and index - start < MAX_HEADER_LINES and lines[index].strip():
        line = lines[index]
        match = _HEADER.fullmatch(line.strip()) if len(line) <= MAX_LINE_CHARS else None
        if match is None and not headers:
            return None
        if match is not None:
            key, value = match.group(1).lower(), match.group(2).strip()
            if key in FROM_KEYS:
                headers.setdefault("from", value)
            elif key in SUBJECT_KEYS:
                headers.setdefault("subject", value)
        index += 1  # a line without a key continues the one before (a wrapped list of recipients)
    if "from" not in headers:
        return None
    return headers, _skip_blank(lines, index)


def _sender(value: str) -> Address | None:
    """`Dana <dana@x.example>`, `dana@x.example`, Outlook's `Dana [mailto:dana@x.example]`, `"Dana" <dana@...>`."""
    mailto = _MAILTO.search(value)
    if mailto:
        name, address = _MAILTO.sub("", value).strip().strip('"') or None, mailto.group(1)
    else:
        name, address = parseaddr(value)
    address = address.strip().strip("<>")
    if not _ADDRESS.fullmatch(address):
        return None
    local, _, domain = address.rpartition("@")
    return Address(email=f"{local}@{domain.lower()}", name=(name or "").strip().strip('"') or None)

"""Which ticket a mail belongs to: the ticket tag in the subject, or a Message-ID we stored.

Both are only hints: anyone can type a ticket number into a subject or copy a Message-ID, so the
sender must also be the requester or a participant of that ticket (`may_reply`). A tag carries a short
code derived from the ticket with a per-tenant secret (`[T-000123-k3f9q2]`), so a number alone cannot
be guessed into a thread; a tag without a valid code counts for nothing (the Message-IDs may still match).
"""

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from helpdesk.mail.model import ParsedMessage
from helpdesk.tickets.model import Ticket, format_number, parse_number

_TAG = re.compile(r"\[\s*(T-\d{1,12})(?:-([a-z0-9]{4,12}))?\s*\]", re.IGNORECASE)
TAG_CODE_CHARS = 6  # base32: 30 bits, one guess in a billion
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|antw|rif|r|tr|odp|ynt|ré|res|enc)\s*(?:\[\d+\])?\s*:\s*)+",
                           re.IGNORECASE)
MAX_REFERENCES = 20


@dataclass(frozen=True)
class SubjectTag:
    number: int
    code: str | None  # None in tags written before tags carried a code


def ticket_number_in(subject: str) -> int | None:
    """`Re: [T-000123-k3f9q2] Printer` -> 123."""
    tag = ticket_tag_in(subject)
    return tag.number if tag else None


def ticket_tag_in(subject: str) -> SubjectTag | None:
    match = _TAG.search(subject)
    number = parse_number(match.group(1)) if match else None
    if match is None or number is None:
        return None
    return SubjectTag(number=number, code=match.group(2).lower() if match.group(2) else None)


def tag_code(ticket: Ticket, key: bytes) -> str:
    digest = hmac.new(key, f"{ticket.tenant_id}#{ticket.id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:TAG_CODE_CHARS]


def tag_matches(tag: SubjectTag, ticket: Ticket, key: bytes) -> bool:
    return (tag.code is not None and tag.number == ticket.number
            and hmac.compare_digest(tag.code, tag_code(ticket, key)))


def ticket_tag(ticket: Ticket, key: bytes) -> str:
    """`T-000123-k3f9q2`: what goes between the brackets of an outbound subject."""
    return f"{format_number(ticket.number)}-{tag_code(ticket, key)}"


def referenced_ids(parsed: ParsedMessage) -> list[str]:
    """Message-IDs this mail answers, most specific first: In-Reply-To, then References newest first."""
    ids: list[str] = []
    for mid in ([parsed.in_reply_to] if parsed.in_reply_to else []) + list(reversed(parsed.references)):
        if mid not in ids:
            ids.append(mid)
    return ids[:MAX_REFERENCES]


def may_reply(ticket: Ticket, sender: str) -> bool:
    sender = sender.lower()
    requester = (ticket.requester.email or "").lower()
    return sender == requester or sender in {p.lower() for p in ticket.participants}


def clean_subject(subject: str) -> str:
    """The subject of a new ticket: no reply prefixes, no (foreign) ticket tag."""
    return " ".join(_TAG.sub(" ", _REPLY_PREFIX.sub("", subject)).split())


def tagged_subject(ticket: Ticket, key: bytes, *, reply: bool = True) -> str:
    """Outbound subject: `Re: [T-000123-k3f9q2] <subject>`, so a reply finds its ticket even without headers;
    without the `Re:` for the first mail of a conversation that started elsewhere (a portal request's receipt)."""
    subject = clean_subject(ticket.subject) or "(no subject)"
    return f"{'Re: ' if reply else ''}[{ticket_tag(ticket, key)}] {subject}"

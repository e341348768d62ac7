"""Which ticket a mail belongs to: the ticket tag in the subject, or a Message-ID we stored.

Both are only hints: anyone can type a ticket number into a subject or copy a Message-ID, so the
sender must also be the requester or a participant of that ticket (`may_reply`).
"""

import re

from helpdesk.mail.model import ParsedMessage
from helpdesk.tickets.model import Ticket, format_number, parse_number

_TAG = re.compile(r"\[\s*(T-\d{1,12})\s*\]", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|antw|rif|r|tr|odp|ynt|ré|res|enc)\s*(?:\[\d+\])?\s*:\s*)+",
                           re.IGNORECASE)
MAX_REFERENCES = 20


def ticket_number_in(subject: str) -> int | None:
    """`Re: [T-000123] Printer` -> 123."""
    match = _TAG.search(subject)
    return parse_number(match.group(1)) if match else None


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


def tagged_subject(ticket: Ticket) -> str:
    """Outbound subject: `Re: [T-000123] <subject>`, so a reply finds its ticket even without headers."""
    subject = clean_subject(ticket.subject) or "(no subject)"
    return f"Re: [{format_number(ticket.number)}] {subject}"

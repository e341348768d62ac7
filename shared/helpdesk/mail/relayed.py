"""Mail sent for a person: a website's contact form, a shop's "ask a question" page or a booking service mails the
team from its own address (often a no-reply one) and names the visitor in Reply-To, where any mail client sends the
answer. Such a mail's ticket is the visitor's: they are its requester, get its receipt and the team's replies
(FreeScout reads Reply-To before From; Zammad has it as a setting). The tenant's `reply_to_requester` setting turns
this off.

Reply-To names only the requester of a new ticket, and only for a mail that answers nothing of ours. Who may write
into an existing ticket is still decided by From, which is what SPF, DKIM and DMARC vouch for: a Reply-To naming a
ticket's requester must not let anyone else's mail into their conversation, and a stranger's answer to one of our
mails stays the stranger's ticket. A forged sender (`unverified-sender`) names nobody either. The one who sent the
first mail (`sent_by`: Jana writing from her address with her team's shared one in Reply-To) may write into the
ticket it opened, though not copied on its replies; never one of our own addresses.

A team whose support address is a group (a Google Group, passing every mail on to us) gets mail with list headers:
mail through a list of the team's own (`list_address`: posted to one of its addresses or its domain) is a person's,
not a newsletter's. The group rewrites a sender whose domain has a strict DMARC policy to itself ("'Jana' via
Support") and names them in Reply-To. A mail from one of our own addresses is never its own requester's, so there
Reply-To names the requester of an answer to our mails too: a new ticket of theirs, since From alone decides
whether a mail joins an existing one.
"""

import re
from collections.abc import Callable

from helpdesk.mail.model import Address, ParsedMessage
from helpdesk.mail.safety import machine_address

MAX_REPLY_TO = 10  # Reply-To addresses looked at; a person's mail names one
_POSTED_TO = re.compile(r"<mailto:([^<>?\s]+@[^<>?\s]+)", re.IGNORECASE)  # List-Post: <https://...>, <mailto:x@y>
_MAILING_LIST = re.compile(r"^\s*list\s+([^;\s]+@[^;\s]+)", re.IGNORECASE)  # Mailing-list: list x@y; contact ...


def relayed_for(parsed: ParsedMessage, ours: Callable[[str], bool]) -> Address | None:
    """The person this mail was sent for: the first Reply-To address that is not its sender's, not one of ours
    (`ours`: a support address of any tenant) and not itself a no-reply address; None for a mail someone sent
    for themselves."""
    sender = parsed.from_.email.lower() if parsed.from_ else ""
    for address in parsed.reply_to[:MAX_REPLY_TO]:
        email = address.email.lower()
        if email != sender and not machine_address(email) and not ours(email):
            return address
    return None


def list_address(parsed: ParsedMessage) -> str | None:
    """The address a mailing list's mail was posted to (RFC 2369 List-Post, else Google Groups' Mailing-list), lower
    case; None for a mail that came through no list. A team whose support address is a group (Google Groups) gets
    every mail through it: the group's address, one of the team's, tells that list apart from a newsletter's."""
    posted = _POSTED_TO.search(parsed.headers.get("list-post", "")) or _MAILING_LIST.search(
        parsed.headers.get("mailing-list", ""))
    return posted.group(1).lower() if posted else None

"""Mail sent for a person: a website's contact form, a shop's "ask a question" page or a booking service mails the
team from its own address (often a no-reply one) and names the visitor in Reply-To, where any mail client sends the
answer. Such a mail's ticket is the visitor's: they are its requester, get its receipt and the team's replies
(FreeScout reads Reply-To before From; Zammad has it as a setting). The tenant's `reply_to_requester` setting turns
this off.

Only the requester of a new ticket from a mail that answers nothing of ours comes from Reply-To. Who may write into
an existing ticket is still decided by From, which is what SPF, DKIM and DMARC vouch for: a Reply-To naming a
ticket's requester must not let anyone else's mail into their conversation, and a stranger's answer to one of our
mails stays the stranger's ticket. A forged sender (`unverified-sender`) names nobody either.
"""

from collections.abc import Callable

from helpdesk.mail.model import Address, ParsedMessage
from helpdesk.mail.safety import machine_address

MAX_REPLY_TO = 10  # Reply-To addresses looked at; a person's mail names one


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

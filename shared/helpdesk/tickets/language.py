"""The language the team's mails to a customer are written in: the one set in their profile (`directory.profiles`)
when the mails have it, else the one their ticket is written in."""

from collections.abc import Callable

from helpdesk.kernel.i18n import detect, written_in
from helpdesk.tickets.model import Ticket

# (tenant, customer key) -> the language set in the customer's profile, None where none is
ChosenLanguage = Callable[[str, str], str | None]


def customer_language(ticket: Ticket, chosen: ChosenLanguage | None = None) -> str:
    """The customer's chosen language where it is one the mails are written in (pt-BR: pt), else the language of
    the ticket's subject and description; English when the language identifier is not sure or not installed."""
    if chosen is not None:
        own = written_in(chosen(ticket.tenant_id, ticket.requester.key))
        if own is not None:
            return own
    try:
        return detect(f"{ticket.subject}\n{ticket.description}")
    except ImportError:  # a deployment without py3langid: English
        return "en"

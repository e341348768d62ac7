"""Who a ticket's side conversations are with (`helpdesk.mail.side`): the ticket keeps the addresses its notes were
mailed to. A module of its own because every ticket service runs the hook, and the rest of side conversations (mail
records, settings) is for the functions that mail."""

from datetime import datetime

from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Ticket

MAIL_TO = "mail_to"  # on an internal note: the addresses outside the ticket it is mailed to
MAX_SIDE_CONTACTS = 100  # distinct addresses one ticket's notes are mailed to (the ticket's document keeps them)


class SideContacts:
    """A `TicketHook`: the addresses a note of this change is mailed to join the ticket's side contacts in the same
    write (`recipients` has checked them and their number)."""

    def before_save(self, ticket: Ticket, events: list[TicketEvent], now: datetime) -> list[TicketEvent]:
        for event in events:
            mailed = event.data.get(MAIL_TO) if event.type == EventType.INTERNAL_NOTE else None
            if isinstance(mailed, list):
                ticket.side_contacts = list(dict.fromkeys([*ticket.side_contacts, *(str(a).lower() for a in mailed)]))
        return []

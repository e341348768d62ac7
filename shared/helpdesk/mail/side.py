"""Side conversations: an internal note mailed to people outside the ticket (a supplier, the warehouse, another
department), and their answers back on the ticket as internal notes. A team often needs someone else's word
before it can answer the customer (Zendesk's side conversations, FreeScout's and Zammad's forward); without this
the agent mails them from their own mailbox and the answer never reaches the ticket.

The customer sees none of it (the notes are internal), and nothing of the customer's goes out unless the agent
writes it into the note: the mail carries the note's text and files, not the thread. The addresses must not be
the ticket's own people (a public reply reaches them) nor the team's own support addresses (the mail would come
back as a ticket). `MailOutbound.send_side_mail` sends the note from the stream, `MailIngest` posts the answers:
only mail answering one of the conversation's Message-IDs (`MailRecords.remember_side_mail`) and coming from one
of the ticket's side contacts threads in; anyone else's is mail like any other.

The addresses a ticket's notes were mailed to are kept on the ticket (`Ticket.side_contacts`, by the `SideContacts`
hook, in the note's own write): that is where a privacy request finds the supplier, and where the answer's sender
is checked (the Message-ID records name only the ticket, so no address outlives an erasure there).
"""

import hashlib
import hmac
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from helpdesk.kernel.errors import Forbidden, InvalidInput
from helpdesk.kernel.principal import Principal
from helpdesk.mail.ports import MailRecords
from helpdesk.mail.side_contacts import MAIL_TO, MAX_SIDE_CONTACTS
from helpdesk.settings import MailSection
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Status, Ticket, format_number
from helpdesk.tickets.service import TicketService

MAX_SIDE_RECIPIENTS = 10
SIDE_REPLY = "side_reply"  # on an internal note: it came by mail, answering a side conversation


class PostMessage(Protocol):
    """`AttachmentService.post_message`: a message with the caller's uploads (checked before anything is written)."""

    def __call__(self, caller: Principal, ticket_id: str, body: str, public: bool,
                 attachment_ids: Sequence[str] = (), *, meta: dict[str, Any] | None = None,
                 status: Status | None = None, follow_mentions: bool = False) -> tuple[Ticket, TicketEvent]: ...


class SideConversations:
    def __init__(self, tickets: TicketService, records: MailRecords, config: MailSection,
                 post_message: PostMessage) -> None:
        self._tickets, self._records, self._config = tickets, records, config
        self._post = post_message

    def mail_note(self, caller: Principal, ticket_id: str, body: str, mail_to: Sequence[str],
                  attachment_ids: Sequence[str] = (), status: Status | None = None,
                  meta: dict[str, Any] | None = None) -> tuple[Ticket, TicketEvent]:
        """An internal note, mailed to `mail_to` (plain addresses, already well-formed) once it is written; `meta`:
        what it records besides (`tickets.history.MESSAGE_FORMAT`)."""
        if not caller.is_staff:
            raise Forbidden("only agents write internal notes")
        ticket = self._tickets.get(caller, ticket_id)
        addresses = self.recipients(ticket, mail_to)
        return self._post(caller, ticket.id, body, False, attachment_ids, meta={**(meta or {}), MAIL_TO: addresses},
                          status=status, follow_mentions=True)

    def recipients(self, ticket: Ticket, mail_to: Sequence[str]) -> list[str]:
        """`mail_to` lower-cased, each once; `InvalidInput` naming the address for one of the ticket's own people or
        one of the team's support addresses."""
        addresses: list[str] = []
        for address in (a.strip().lower() for a in mail_to):
            if address and address not in addresses:
                addresses.append(address)
        if not addresses:
            raise InvalidInput("name at least one address to mail the note to", {"field": MAIL_TO})
        if len(addresses) > MAX_SIDE_RECIPIENTS:
            raise InvalidInput(f"a note is mailed to at most {MAX_SIDE_RECIPIENTS} addresses",
                               {"field": MAIL_TO, "limit": MAX_SIDE_RECIPIENTS})
        own_people = {(ticket.requester.email or "").lower(), *(p.lower() for p in ticket.participants)}
        settings = self._records.settings(ticket.tenant_id)
        ours = {(settings.support_address or "").lower(), self._config.support_address.lower(),
                *(a.lower() for a in settings.address_groups)}
        if len({*ticket.side_contacts, *addresses}) > MAX_SIDE_CONTACTS:
            raise InvalidInput(f"a ticket's notes are mailed to at most {MAX_SIDE_CONTACTS} addresses in all",
                               {"field": MAIL_TO, "limit": MAX_SIDE_CONTACTS})
        for address in addresses:
            if address in own_people:
                raise InvalidInput(f"{address} is on the ticket: a public reply reaches them",
                                   {"field": MAIL_TO, "address": address})
            if address in ours or self._records.tenant_for_address(address) == ticket.tenant_id:
                raise InvalidInput(f"{address} is one of the team's support addresses: the mail would come back as "
                                   "a ticket", {"field": MAIL_TO, "address": address})
        return addresses


def side_message_id(ticket: Ticket, seq: int, key: bytes, sender_address: str) -> str:
    """The Message-ID of the side mail of note `seq`: derived (keyed with the tenant's tag key, so nobody outside
    can make one up), so a later note of the conversation names it without a read."""
    code = hmac.new(key, f"side#{ticket.tenant_id}#{ticket.id}#{seq}".encode(), hashlib.sha256).hexdigest()[:16]
    domain = sender_address.rsplit("@", 1)[-1] or "helpdesk.invalid"
    return f"{format_number(ticket.number)}.side{seq}.{code}@{domain}"


def side_thread(events: Sequence[TicketEvent], addresses: Sequence[str],
                message_id: Callable[[int], str]) -> list[str]:
    """The Message-IDs of the side conversation with any of `addresses` so far, oldest first: the team's mails
    (`message_id(seq)`) and the answers that came back. A note to the warehouse answers the warehouse's last mail."""
    wanted = {a.lower() for a in addresses}
    found: list[str] = []
    for event in events:
        if event.type != EventType.INTERNAL_NOTE:
            continue
        data = event.data
        mailed = data.get(MAIL_TO)
        if isinstance(mailed, list) and wanted & {str(a).lower() for a in mailed}:
            found.append(message_id(event.seq))
        elif data.get(SIDE_REPLY) and str(data.get("from") or "").lower() in wanted:
            mid = data.get("message_id")
            if isinstance(mid, str) and mid:
                found.append(mid)
    return found

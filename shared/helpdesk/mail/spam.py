"""An agent marks a ticket as spam: it closes, tagged `spam`, and the requester's address joins the tenant's
blocked senders, so their next mail opens no ticket (it is kept in the quarantine as ignored).

What SES's spam verdict lets through otherwise comes back every day, and blocking by hand meant an admin copying
the address into the mail settings. An agent may block an address this way (Zendesk's "mark as spam" suspends
the sender too); the change to the mail settings is audited under the agent's name, and an admin unblocks it in
the mail settings. A ticket with no mail address (a chat, an API call) is only closed, and neither is a teammate's
address blocked (an internal ticket opened from an agent's mail): the answer names it as kept. Marking again is
harmless.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from helpdesk.kernel.errors import Conflict, Forbidden
from helpdesk.kernel.principal import Principal
from helpdesk.kernel.text import retagged
from helpdesk.mail.admin import change_mail_settings
from helpdesk.mail.blocklist import MAX_BLOCKED_SENDERS, is_blocked
from helpdesk.mail.ports import MailRecords, MailSettings
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Status, Ticket
from helpdesk.tickets.service import TicketService

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail

SPAM_TAG = "spam"  # the tag mail ingest sets on a ticket SES judged spam (`spam_action: tag`)


@dataclass(frozen=True)
class SpamMarked:
    ticket: Ticket
    blocked_sender: str | None  # the address now blocked (or blocked before, by itself or its domain)
    kept_sender: str | None = None  # a teammate's address: the ticket closed, their mail not blocked


class SpamMarking:
    def __init__(self, tickets: TicketService, records: MailRecords, audit: "AuditTrail",
                 is_teammate: Callable[[str, str], bool] = lambda tenant_id, email: False) -> None:
        self._tickets, self._records, self._audit = tickets, records, audit
        self._is_teammate = is_teammate

    def mark(self, caller: Principal, ticket_id: str, *, block_sender: bool = True) -> SpamMarked:
        if not caller.is_staff:
            raise Forbidden("only agents and admins mark tickets as spam")

        def close(ticket: Ticket, now: datetime) -> list[TicketEvent]:
            events = ticket.set_field("tags", retagged(ticket.tags, [SPAM_TAG]), caller.user_id, now)
            closing = ticket.change_status(Status.CLOSED, caller.user_id, now)
            for event in closing:
                if event.type == EventType.STATUS_CHANGED:
                    event.data["reason"] = "spam"  # the history says why it closed
            return events + closing

        address = (self._tickets.get(caller, ticket_id).requester.email or "").strip().lower() if block_sender else ""
        kept = address if address and self._is_teammate(caller.tenant_id, address) else None
        if kept:
            address = ""
        if address:
            self._room_for(caller.tenant_id, address)  # refused before the ticket changes, not half done after
        ticket, _ = self._tickets.run_change(caller, ticket_id, close)
        if address:
            self._block(caller, address)
        return SpamMarked(ticket, address or None, kept)

    def _room_for(self, tenant_id: str, address: str) -> None:
        blocked = self._records.settings(tenant_id).blocked_senders
        if not is_blocked(address, blocked) and len(blocked) >= MAX_BLOCKED_SENDERS:
            raise Conflict(f"the tenant blocks {MAX_BLOCKED_SENDERS} senders already: an admin removes some in "
                           "the mail settings first", {"field": "blocked_senders"})

    def _block(self, caller: Principal, address: str) -> None:
        def blocking(settings: MailSettings) -> MailSettings | None:
            if is_blocked(address, settings.blocked_senders):
                return None
            return settings.model_copy(update={"blocked_senders": [*settings.blocked_senders, address]})

        change_mail_settings(self._records, caller, blocking, self._audit)

"""Time tracking: agents log the minutes they worked on a ticket (as Zammad's time accounting and FreeScout's time
tracking do), for teams that bill customers by the hour or want to know where the hours go. Each entry is a
`time_logged` event (who, when, how many minutes; negative to correct an earlier entry) and the ticket keeps the
running total, so lists and reports read it without the log. Team only: customers see neither."""

from helpdesk.kernel.errors import Forbidden
from helpdesk.kernel.principal import Principal
from helpdesk.tickets.model import Ticket
from helpdesk.tickets.service import TicketService

MAX_ENTRY_MINUTES = 24 * 60  # one entry is at most a day's work; a longer job is logged day by day


def log_time(service: TicketService, caller: Principal, ticket_id: str, minutes: int) -> Ticket:
    """Add `minutes` (negative: a correction, never below nothing logged) to the ticket's time spent. Entries
    add up, so two agents logging at once both count (no If-Match needed; a retried request is kept from
    counting twice by the API's Idempotency-Key)."""
    if not caller.is_staff:
        raise Forbidden("only agents and admins log time on tickets")
    ticket, _ = service.run_change(caller, ticket_id, lambda t, now: t.log_time(minutes, caller.user_id, now))
    return ticket

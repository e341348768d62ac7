"""Who else is on a ticket right now: agents see that a colleague has it open, or is writing a reply, before two
answers reach one customer (Zendesk's agent collision, FreeScout's viewers).

The console checks in while a ticket is open (every `CHECK_IN_S`, and at once when the agent starts or stops
writing); a check-in older than `FRESH_S` no longer counts, so a closed tab drops out on its own (the record's
TTL removes it later). Staff only, and only on a ticket the caller may see.
"""

from datetime import timedelta

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Forbidden
from helpdesk.kernel.principal import Principal
from helpdesk.tickets.model import Ticket, Viewer
from helpdesk.tickets.ports import ViewerStore
from helpdesk.tickets.service import TicketService

CHECK_IN_S = 20  # how often an open ticket page checks in (the console's interval)
FRESH_S = 3 * CHECK_IN_S  # two missed check-ins (a slow network) before a viewer is gone


class TicketViewers:
    def __init__(self, store: ViewerStore, tickets: TicketService, *, clock: Clock = system_clock) -> None:
        self._store, self._tickets, self._clock = store, tickets, clock

    def check_in(self, caller: Principal, ticket_id: str, *, replying: bool) -> list[Viewer]:
        """Record that the caller has the ticket open (writing or not); the others who have it open now."""
        ticket = self._visible(caller, ticket_id)
        now = self._clock()
        me = Viewer(user_id=caller.user_id, name=caller.name, replying=replying, seen_at=now)
        self._store.put_viewer(caller.tenant_id, ticket.id, me, expires_at=now + timedelta(seconds=FRESH_S * 2))
        fresh = now - timedelta(seconds=FRESH_S)
        return [v for v in self._store.viewers(caller.tenant_id, ticket.id)
                if v.user_id != caller.user_id and v.seen_at >= fresh]

    def leave(self, caller: Principal, ticket_id: str) -> None:
        """The caller closed the ticket: gone at once rather than after `FRESH_S`."""
        ticket = self._visible(caller, ticket_id)
        self._store.remove_viewer(caller.tenant_id, ticket.id, caller.user_id)

    def _visible(self, caller: Principal, ticket_id: str) -> Ticket:
        if not caller.is_staff:
            raise Forbidden("only agents and admins see who else is on a ticket")
        return self._tickets.get(caller, ticket_id)  # NotFound for a ticket they may not see

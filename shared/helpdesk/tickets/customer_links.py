"""One customer, several addresses: the team linked an address to a customer (`helpdesk.directory.customer_addresses`),
so the tickets of that address are that customer's (`Requester.linked_to`, their key) and the person signing in with
either address sees all of them.

One read serves two uses (the address's customer, `CustomerLookup`):
- a `TicketHook`: a ticket that opens, or whose requester changes (a chat visitor proved their address, the team
  linked or unlinked the address), takes the customer its verified address is linked to, so mail, chat, agents and
  imports need not know about links; and, with `names`, the name that customer's profile sets (a second read), so
  the queue, greetings and macros call them as the team or they chose rather than as a mail's display name did;
- the customer calling: `principal` fills `Principal.linked_to`, read again at most every `recheck_s` per warm
  container (as staff standing is).
A failed read links nothing (logged): the ticket opens under its own address and the customer sees their own
address's tickets; opening tickets matters more than joining them.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.principal import Principal, Role
from helpdesk.platform.timed_cache import TimedCache
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Requester, Ticket, email_key
from helpdesk.tickets.ports import CustomerLookup

logger = logging.getLogger(__name__)

RECHECK_S = 30.0  # how long a warm container keeps what it read of a signed-in customer's address
MAX_ADDRESSES_KEPT = 4096
REQUESTER_EVENTS = frozenset({EventType.CREATED, EventType.REQUESTER_CHANGED})


class CustomerLinks:
    def __init__(self, lookup: CustomerLookup, *, names: Callable[[str, str], str | None] | None = None,
                 recheck_s: float = RECHECK_S, clock: Clock = system_clock) -> None:
        self._lookup = lookup
        self._names = names  # (tenant, customer key) -> their profile's name; None where unset or unread
        self._clock = clock
        # (tenant, address key) -> (the customer's key or None,): a tuple, so "not linked" is kept too
        self._callers: TimedCache[tuple[str, str], tuple[str | None]] = TimedCache(
            MAX_ADDRESSES_KEPT, recheck_s, timer=lambda: self._clock().timestamp())

    def requester(self, tenant_id: str, requester: Requester) -> Requester:
        """The requester with the customer their verified address is linked to now (none for an unverified one)."""
        linked = self._customer_of(tenant_id, requester.email) \
            if requester.email and requester.email_verified else None
        return requester if requester.linked_to == linked else requester.model_copy(update={"linked_to": linked})

    def before_save(self, ticket: Ticket, events: list[TicketEvent], now: datetime) -> list[TicketEvent]:
        if any(event.type in REQUESTER_EVENTS for event in events):
            ticket.requester = self._named(ticket.tenant_id, self.requester(ticket.tenant_id, ticket.requester))
        return []

    def _named(self, tenant_id: str, requester: Requester) -> Requester:
        """Only a verified address's customer (as for links): an id a chat or an API call gives is nobody's profile,
        and every other new ticket is spared the read."""
        if self._names is None or not (requester.email and requester.email_verified):
            return requester
        name = self._names(tenant_id, requester.key)
        return requester.model_copy(update={"name": name}) if name and name != requester.name else requester

    def principal(self, caller: Principal) -> Principal:
        """A signed-in customer with the customer their verified address is linked to; anyone else as they are."""
        if caller.role != Role.CUSTOMER or not (caller.email and caller.email_verified):
            return caller
        key = (caller.tenant_id, email_key(caller.email))
        hit = self._callers.get(key)
        if hit is None:
            hit = (self._customer_of(caller.tenant_id, caller.email),)
            self._callers.put(key, hit)
        return caller if hit[0] == caller.linked_to else caller.model_copy(update={"linked_to": hit[0]})

    def refresh(self, tenant_id: str, email: str) -> None:
        """Read the address again now: this container just linked or unlinked it, so its signed-in customer here
        sees the change at once (other containers within `recheck_s`)."""
        self._callers.put((tenant_id, email_key(email)), (self._customer_of(tenant_id, email),))

    def _customer_of(self, tenant_id: str, email: str) -> str | None:
        try:
            return self._lookup.customer_of(tenant_id, email)
        except Exception:  # the directory unreadable (or not granted to this function): the address on its own
            logger.warning("could not read which customer an address belongs to; taking it on its own",
                           extra={"tenant_id": tenant_id}, exc_info=True)
            return None

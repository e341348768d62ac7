"""One customer, several addresses (as Zendesk's and FreeScout's customers have): the team links another address a
customer writes from to them, and that address's tickets become theirs. The customer's page, the Customers list and
"other tickets" then show one person; mail from either address opens tickets under them (`tickets.customer_links`);
the person signing in with either address sees all their tickets; replies still go to the address each ticket was
written from.

Who may link: staff who see every ticket (admins, agents with access to all). Linking shows one address's tickets
under another customer and lets whoever signs in with either address read both's, as Zendesk asks agents to have
access to all tickets to edit end users. Links are flat: an address linked to a customer has no addresses of its own.
"""

from dataclasses import replace

from helpdesk.directory.addresses import (
    MAX_CUSTOMER_ADDRESSES,
    AddressesLinked,
    AddressToLink,
    CustomerAddresses,
)
from helpdesk.directory.ports import CustomerAddressStore
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from helpdesk.kernel.principal import Principal
from helpdesk.kernel.sharing import require_staff
from helpdesk.tickets.model import email_key
from helpdesk.tickets.ports import TicketQuery
from helpdesk.tickets.service import TicketService

# Tickets one request moves (an API request has 29 s: a read and a write each); `more` says to send it again.
MAX_MOVED_PER_REQUEST = 200
PAGE = 100
MAX_PAGES_READ = 100  # pages of a customer's tickets read per request while looking for an unlinked address's


class AddressLinkedElsewhere(Conflict):
    code = "address_linked_elsewhere"


class AddressHasAddresses(Conflict):
    code = "address_has_addresses"


class CustomerByAddress:
    """`helpdesk.tickets.ports.CustomerLookup` on the store: one read of the address's link."""

    def __init__(self, store: CustomerAddressStore) -> None:
        self._store = store

    def customer_of(self, tenant_id: str, email: str) -> str | None:
        return self._store.customer_of(tenant_id, email_key(email))


class CustomerAddressService:
    def __init__(self, store: CustomerAddressStore, tickets: TicketService, *, clock: Clock = system_clock) -> None:
        self._store = store
        self._tickets = tickets
        self._clock = clock

    def addresses(self, caller: Principal, key: str) -> CustomerAddresses:
        """The customer's other addresses. For a linked address, its customer's (their `id` is then not `key`:
        the page to show is theirs)."""
        require_staff(caller, "customers' addresses")
        customer = self._store.customer_of(caller.tenant_id, key) or key
        return self._store.addresses(caller.tenant_id, customer) or CustomerAddresses(tenant_id=caller.tenant_id,
                                                                                       id=customer)

    def link(self, caller: Principal, key: str, change: AddressToLink) -> AddressesLinked:
        """Link `change.email` to the customer `key` and move its tickets to them. Sent again (the same address),
        it moves what is left (`more`) and changes nothing else."""
        _may_link(caller)
        if not key.startswith("email:"):
            raise InvalidInput("only a customer known by an address takes other addresses", {"customer_key": key})
        address = change.email
        address_key = email_key(address)
        if address_key == key:
            raise InvalidInput("that is the customer's own address", {"email": address})
        tenant_id = caller.tenant_id
        owner_of_customer = self._store.customer_of(tenant_id, key)
        if owner_of_customer is not None:
            raise AddressLinkedElsewhere("this customer's address is itself linked to another customer: add it "
                                         "there", {"customer": owner_of_customer})
        before = self._store.addresses(tenant_id, key) or CustomerAddresses(tenant_id=tenant_id, id=key)
        owner = self._store.customer_of(tenant_id, address_key)
        if owner is None:
            its_own = self._store.addresses(tenant_id, address_key)
            if its_own is not None and its_own.addresses:
                raise AddressHasAddresses("that address has addresses of its own linked to it: unlink them first",
                                          {"addresses": its_own.addresses})
            if len(before.addresses) >= MAX_CUSTOMER_ADDRESSES:
                raise InvalidInput(f"a customer has at most {MAX_CUSTOMER_ADDRESSES} other addresses",
                                   {"limit": MAX_CUSTOMER_ADDRESSES})
            after = self._changed(caller, before, [*before.addresses, address])
            self._store.link(after, before.version, address_key)
            before = after
        elif owner != key:
            raise AddressLinkedElsewhere("that address is linked to another customer", {"customer": owner})
        self._refresh(tenant_id, address)
        moved, more = self._move(caller, address_key, address_key, key)
        return AddressesLinked(customer=before, moved=moved, more=more)

    def unlink(self, caller: Principal, key: str, email: str) -> AddressesLinked:
        """Take the address back from the customer: its tickets are its own again. Sent again after `more`, it
        moves what is left."""
        _may_link(caller)
        tenant_id = caller.tenant_id
        address = email.strip().lower()
        address_key = email_key(address)
        before = self._store.addresses(tenant_id, key) or CustomerAddresses(tenant_id=tenant_id, id=key)
        linked = address in before.addresses
        if linked:
            after = self._changed(caller, before, [a for a in before.addresses if a != address])
            self._store.unlink(after, before.version, address_key)
            before = after
            self._refresh(tenant_id, address)
        moved, more = self._move(caller, key, address_key, None)
        if not linked and not moved:
            raise NotFound(f"{address} is not linked to this customer")
        return AddressesLinked(customer=before, moved=moved, more=more)

    def has_tickets(self, caller: Principal, email: str) -> bool:
        """Whether any ticket here is under the address itself (linking it would move them)."""
        query = TicketQuery(tenant_id=caller.tenant_id, requester_id=email_key(email), limit=1)
        return bool(self._tickets.repository.query(query).items)

    def _changed(self, caller: Principal, before: CustomerAddresses, addresses: list[str]) -> CustomerAddresses:
        return before.model_copy(update={"addresses": addresses, "updated_at": self._clock(),
                                         "updated_by": caller.user_id, "version": before.version + 1})

    def _refresh(self, tenant_id: str, address: str) -> None:
        if self._tickets.customers is not None:  # this container's signed-in customers see the change at once
            self._tickets.customers.refresh(tenant_id, address)

    def _move(self, caller: Principal, requester_key: str, address_key: str, linked_to: str | None) -> tuple[int, bool]:
        """The tickets under `requester_key` written from the address `address_key` go to `linked_to` (None: to the
        address itself). The ticket service's hook reads the link again in each write, so a ticket follows the store
        whatever a concurrent link or unlink did. (How many moved, whether more are left.)"""
        query = TicketQuery(tenant_id=caller.tenant_id, requester_id=requester_key, limit=PAGE)
        moved = 0
        for _ in range(MAX_PAGES_READ):
            page = self._tickets.repository.query(query)
            for ticket in page.items:
                if ticket.requester.address_key != address_key or ticket.requester.linked_to == linked_to:
                    continue
                if moved == MAX_MOVED_PER_REQUEST:
                    return moved, True
                self._tickets.apply_system_change(caller, ticket.id, lambda t: t.relink_requester(
                    t.requester.model_copy(update={"linked_to": linked_to}), caller.user_id, self._clock()))
                moved += 1
            if page.next_cursor is None:
                return moved, False
            query = replace(query, cursor=page.next_cursor)
        return moved, True


def _may_link(caller: Principal) -> None:
    require_staff(caller, "customers' addresses")
    if caller.limited_to is not None:
        raise Forbidden("linking addresses is for staff who see every ticket: it shows one address's tickets under "
                        "another customer")

"""The team's list of customers: everyone who has a ticket the caller may see, A-Z by address, found by name or
address as one types.

Customers live on their tickets here (no customer record: mail, chat and agents give a person the same requester
key), so the list is the ticket index grouped by requester key, under the access rules of `GET /tickets`: an agent
limited to their groups lists the customers of those groups' tickets, and counts only those. Each customer is
shown as their last updated ticket names them, read fresh from DynamoDB and checked again with `can_see`, as the
ticket search does: an index lagging behind a move to another group never shows a customer to an agent who may
no longer open their tickets. A name the team or the person set in their profile (`directory.profiles`) is shown
before the ticket's; the words typed find the names their tickets give them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from helpdesk.kernel.errors import Forbidden
from helpdesk.kernel.principal import Principal
from helpdesk.search.model import CustomerQuery, IndexQuery, SearchFilters
from helpdesk.search.ports import TicketIndex
from helpdesk.search.service import (
    check_page,
    cursor_fingerprint,
    decode_search_cursor,
    encode_search_cursor,
    restrict,
)
from helpdesk.tickets.model import Ticket
from helpdesk.tickets.ports import TicketRepository
from helpdesk.tickets.service import can_see


@dataclass(frozen=True)
class CustomerListRequest:
    q: str = ""  # words of a name or an address; the last may be the beginning of one
    organization_id: str | None = None  # only the people of this organisation (their tickets carry it)
    limit: int = 25
    cursor: str | None = None


@dataclass(frozen=True)
class Customer:
    key: str  # the requester key: `email:<address>`, or a chat visitor's or phone caller's id
    tickets: int  # their tickets the caller may see
    unsolved: int
    latest: Ticket  # the one last updated: the address and organisation shown are its requester's
    profile_name: str | None = None  # the name the team or the person set in their profile

    @property
    def name(self) -> str | None:
        """The name their profile sets, else the one their last updated ticket gives them."""
        return self.profile_name or self.latest.requester.name

    @property
    def email(self) -> str | None:
        """The customer's own address, as their latest ticket writes it; their key's when that ticket came from
        another address the team linked to them."""
        written = self.latest.requester.email
        if written is None or not self.key.startswith("email:") or self.latest.requester.address_key == self.key:
            return written
        return self.key.removeprefix("email:")


@dataclass(frozen=True)
class CustomerPage:
    items: list[Customer]
    next_cursor: str | None


class CustomerList:
    def __init__(self, index: TicketIndex, repository: TicketRepository, *,
                 names: Callable[[str, list[str]], dict[str, str]] | None = None) -> None:
        self._index = index
        self._repository = repository
        self._names = names  # (tenant, customer keys) -> the names their profiles set (`directory.profiles`)

    def page(self, caller: Principal, request: CustomerListRequest) -> CustomerPage:
        if not caller.is_staff:
            raise Forbidden("only the team lists customers")
        check_page(request.q, request.limit)
        tickets = restrict(caller, IndexQuery(tenant_id=caller.tenant_id, text="", internal=True,
                                              filters=SearchFilters(organization_id=request.organization_id)))
        if tickets is None:
            return CustomerPage(items=[], next_cursor=None)
        words = " ".join(request.q.split())
        # bound to the tenant, the caller, the words and the organisation
        fingerprint = cursor_fingerprint("customers", caller.tenant_id, caller.user_id, words, request.organization_id)
        after = decode_search_cursor(request.cursor, fingerprint, (str,))
        page = self._index.customers(CustomerQuery(tickets=tickets, words=words, limit=request.limit,
                                                   after=None if after is None else after[0]))
        latest = {t.id: t for t in self._repository.get_many(caller.tenant_id,
                                                              [b.latest_ticket_id for b in page.buckets])}
        keys = [b.requester_key for b in page.buckets]
        names = self._names(caller.tenant_id, keys) if self._names is not None and keys else {}
        items = [Customer(key=b.requester_key, tickets=b.tickets, unsolved=b.unsolved, latest=ticket,
                          profile_name=names.get(b.requester_key))
                 for b in page.buckets
                 if (ticket := latest.get(b.latest_ticket_id)) is not None and can_see(caller, ticket)]
        cursor = (encode_search_cursor(fingerprint, (page.buckets[-1].requester_key,))
                  if page.more and page.buckets else None)
        return CustomerPage(items=items, next_cursor=cursor)


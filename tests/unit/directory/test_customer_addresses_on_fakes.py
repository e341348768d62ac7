"""One customer, several addresses on the in-memory fakes: the composition root's ticket service and linking service,
what happens when the link cannot be read, how soon another container sees a link, a requester who changes to a
linked address, and a customer with more tickets than one request moves."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from helpdesk.bootstrap import Container, build
from helpdesk.directory import customer_addresses
from helpdesk.directory.addresses import AddressToLink
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.principal import Principal, Role, system_principal
from helpdesk.tickets import customer_links
from helpdesk.tickets.customer_links import CustomerLinks
from helpdesk.tickets.model import Requester, Ticket
from helpdesk.tickets.ports import TicketQuery
from helpdesk.tickets.service import CreateTicket
from tests.fakes import InMemoryCustomerAddresses, InMemoryDirectoryStore, InMemoryTicketRepository, settings_stores

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOME, WORK = "dana@example.com", "dana.k@corp.example"
CUSTOMER = f"email:{HOME}"
ADMIN = Principal(user_id="ad", tenant_id="acme", role=Role.ADMIN)
DANA_AT_WORK = Principal(user_id="c-work", tenant_id="acme", role=Role.CUSTOMER, email=WORK, email_verified=True)


def world(**overrides: Any) -> Container:
    parts: dict[str, Any] = {"ticket_repository": InMemoryTicketRepository(),
                                "directory_store": InMemoryDirectoryStore(), "clock": FixedClock(T0),
                                **settings_stores()}
    return build(**{**parts, **overrides})


def opened(container: Container, email: str, subject: str = "Invoice") -> Ticket:
    return container.ticket_service.create(ADMIN, CreateTicket(subject=subject, description="phoned in",
                                                               requester=Requester(email=email)))


def mine(container: Container, caller: Principal) -> list[str]:
    page = container.ticket_service.query(caller, TicketQuery(tenant_id="acme"))
    return sorted(t.subject for t in page.items)


class Unreadable:
    def customer_of(self, tenant_id: str, email: str) -> str | None:
        raise ConnectionError("the directory is out of reach")


def test_a_link_that_cannot_be_read_opens_the_ticket_under_its_own_address(monkeypatch: pytest.MonkeyPatch) -> None:
    warned: list[str] = []
    monkeypatch.setattr(customer_links.logger, "warning", lambda message, **_: warned.append(message))
    container = world(customer_links=CustomerLinks(Unreadable()))
    ticket = opened(container, WORK)
    assert ticket.requester.key == f"email:{WORK}"
    assert warned == ["could not read which customer an address belongs to; taking it on its own"]
    assert mine(container, DANA_AT_WORK) == ["Invoice"]  # she still sees what she wrote


def test_another_container_sees_a_link_within_the_recheck() -> None:
    store, clock = InMemoryCustomerAddresses(), FixedClock(T0)
    repository = InMemoryTicketRepository()
    linking = world(customer_address_store=store, ticket_repository=repository, clock=clock)
    reading = world(customer_address_store=store, ticket_repository=repository, clock=clock)  # a second Lambda
    opened(linking, HOME, "Printer jam")
    opened(linking, WORK, "Invoice")
    assert mine(reading, DANA_AT_WORK) == ["Invoice"]  # read now: her address is its own

    linking.customer_addresses.link(ADMIN, CUSTOMER, AddressToLink(email=WORK))
    assert mine(linking, DANA_AT_WORK) == ["Invoice", "Printer jam"]  # the container that linked knows at once
    # the other one read her address a moment ago as its own, whose ticket has moved to the customer: until it reads
    # again her list there is empty (at most `recheck_s`, 30 s)
    assert mine(reading, DANA_AT_WORK) == []
    clock.advance(timedelta(seconds=31))
    assert mine(reading, DANA_AT_WORK) == ["Invoice", "Printer jam"]


def test_a_requester_who_proves_a_linked_address_becomes_the_customers() -> None:
    container = world()
    container.customer_addresses.link(ADMIN, CUSTOMER, AddressToLink(email=WORK))
    ticket = container.ticket_service.create(ADMIN, CreateTicket(
        subject="Chat", description="from the widget", requester=Requester(id="chat:s1", email=WORK,
                                                                           email_verified=False)))
    assert ticket.requester.key == "chat:s1"  # an address typed into a chat is nobody's yet
    proven = Requester(id=f"email:{WORK}", email=WORK)  # the code sent to it came back (chat's `verify_email`)
    changed = container.ticket_service.apply_system_change(
        system_principal("acme"), ticket.id, lambda t: t.set_field("requester", proven, "system", T0))
    assert (changed.requester.key, changed.requester.linked_to) == (CUSTOMER, CUSTOMER)


def test_a_customer_with_more_tickets_than_one_request_moves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(customer_addresses, "MAX_MOVED_PER_REQUEST", 2)
    container = world()
    for n in range(5):
        opened(container, WORK, f"Invoice {n}")
    first = container.customer_addresses.link(ADMIN, CUSTOMER, AddressToLink(email=WORK))
    assert (first.moved, first.more) == (2, True)
    second = container.customer_addresses.link(ADMIN, CUSTOMER, AddressToLink(email=WORK))  # sent again
    third = container.customer_addresses.link(ADMIN, CUSTOMER, AddressToLink(email=WORK))
    assert [(r.moved, r.more) for r in (second, third)] == [(2, True), (1, False)]
    page = container.ticket_service.query(ADMIN, TicketQuery(tenant_id="acme", requester_id=CUSTOMER, limit=10))
    assert len(page.items) == 5
    assert first.customer.version == second.customer.version == 1  # linked once

    back = container.customer_addresses.unlink(ADMIN, CUSTOMER, WORK)
    assert (back.moved, back.more, back.customer.addresses) == (2, True, [])
    rest = [container.customer_addresses.unlink(ADMIN, CUSTOMER, WORK) for _ in range(2)]
    assert [(r.moved, r.more) for r in rest] == [(2, True), (1, False)]
    page = container.ticket_service.query(ADMIN, TicketQuery(tenant_id="acme", requester_id=f"email:{WORK}",
                                                             limit=10))
    assert len(page.items) == 5

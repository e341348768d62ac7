"""A lost race never loses a write: internal callers retry on a fresh read, API callers get 409."""

from datetime import datetime

import pytest

from helpdesk import bootstrap
from helpdesk.kernel.errors import ConcurrentUpdate
from helpdesk.kernel.principal import Principal, Role
from helpdesk.tickets.adapters.dynamo import DynamoTicketRepository
from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import Priority, Ticket
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket

CUSTOMER = Principal(user_id="c1", tenant_id="acme", role=Role.CUSTOMER)
AGENT = Principal(user_id="a1", tenant_id="acme", role=Role.AGENT)


class InterleaveOnce:
    """Just before the first save, another writer changes the same ticket."""

    def __init__(self, other: TicketService) -> None:
        self.other, self.fired = other, False

    def before_save(self, ticket: Ticket, events: list[TicketEvent], now: datetime) -> list[TicketEvent]:
        if not self.fired and ticket.version > 0:
            self.fired = True
            self.other.update(AGENT, ticket.id, UpdateTicket(tags=["from-the-other-writer"]))
        return []


def test_internal_caller_retries_and_keeps_both_writes(aws: None) -> None:
    repository = DynamoTicketRepository(bootstrap.container().tables)
    plain = TicketService(repository)
    ticket = plain.create(CUSTOMER, CreateTicket(subject="s", description="d"))
    racing = TicketService(repository, hooks=[InterleaveOnce(plain)])

    racing.update(AGENT, ticket.id, UpdateTicket(priority=Priority.URGENT))

    stored = plain.get(AGENT, ticket.id)
    assert stored.priority == Priority.URGENT
    assert stored.tags == ["from-the-other-writer"]
    types = [e.type.value for e in plain.events(AGENT, ticket.id)]
    assert types == ["created", "tags_changed", "priority_changed"]


def test_pinned_version_turns_the_race_into_a_conflict(aws: None) -> None:
    repository = DynamoTicketRepository(bootstrap.container().tables)
    plain = TicketService(repository)
    ticket = plain.create(CUSTOMER, CreateTicket(subject="s", description="d"))
    racing = TicketService(repository, hooks=[InterleaveOnce(plain)])
    with pytest.raises(ConcurrentUpdate):
        racing.update(AGENT, ticket.id, UpdateTicket(priority=Priority.URGENT), expected_version=ticket.version)
    assert plain.get(AGENT, ticket.id).priority == Priority.NORMAL


def test_ticket_numbers_come_from_one_atomic_counter(aws: None) -> None:
    """Two containers (two repositories) share the counter: numbers never repeat.
    (Atomicity itself is DynamoDB's ADD; moto in-process is not thread-safe, so this is not threaded.)"""
    tables = bootstrap.container().tables
    first, second = TicketService(DynamoTicketRepository(tables)), TicketService(DynamoTicketRepository(tables))
    numbers = [svc.create(CUSTOMER, CreateTicket(subject="s", description="d")).number
               for _ in range(5) for svc in (first, second)]
    assert numbers == list(range(1, 11))
    other_tenant = Principal(user_id="z", tenant_id="zeta", role=Role.CUSTOMER)
    assert first.create(other_tenant, CreateTicket(subject="s", description="d")).number == 1

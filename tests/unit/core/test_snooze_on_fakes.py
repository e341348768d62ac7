"""Snooze: a ticket leaves the team's queues until a time, comes back by itself then (the SLA scan's schedule then says
so in its history), and sooner when the customer writes; solving it ends the snooze; customers neither see nor filter
by it."""

from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.bootstrap import Container, build
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import Forbidden, InvalidInput, InvalidTransition
from helpdesk.kernel.principal import Principal, Role
from helpdesk.tickets.history import EventType
from helpdesk.tickets.model import Requester, Status, Ticket
from helpdesk.tickets.ports import TicketQuery
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket, as_seen_by
from tests.fakes import (
    InMemoryDirectoryStore,
    InMemoryDueIndex,
    InMemoryNotificationLedger,
    InMemoryTicketFieldStore,
    InMemoryTicketRepository,
    settings_stores,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
AGENT = Principal(user_id="a1", tenant_id="acme", role=Role.AGENT)
DANA = Principal(user_id="c1", tenant_id="acme", role=Role.CUSTOMER, email="dana@example.com", email_verified=True)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def container(clock: FixedClock) -> Container:
    repository = InMemoryTicketRepository()
    return build(ticket_repository=repository, **settings_stores(),
                 ticket_field_store=InMemoryTicketFieldStore(), directory_store=InMemoryDirectoryStore(),
                 sla_due_index=InMemoryDueIndex(repository), sla_ledger=InMemoryNotificationLedger(), clock=clock)


@pytest.fixture
def service(container: Container) -> TicketService:
    return container.ticket_service


def open_ticket(service: TicketService, subject: str = "Printer jammed") -> Ticket:
    return service.create(AGENT, CreateTicket(subject=subject, description=f"{subject}: help",
                                              requester=Requester(id=DANA.user_id, email=DANA.email)))


def numbers(service: TicketService, snoozed: bool | None) -> list[int]:
    page = service.query(AGENT, TicketQuery(tenant_id="acme", snoozed=snoozed))
    return sorted(t.number for t in page.items)


def snoozes(service: TicketService, ticket_id: str) -> list[dict[str, object]]:
    return [e.data for e in service.events(AGENT, ticket_id) if e.type == EventType.SNOOZED]


def test_a_snoozed_ticket_leaves_the_queues_until_its_time(service: TicketService, clock: FixedClock) -> None:
    first, second = open_ticket(service), open_ticket(service, "Toner low")
    snoozed = service.update(AGENT, first.id, UpdateTicket(snoozed_until=MONDAY))

    assert snoozed.snoozed_until == MONDAY
    assert numbers(service, snoozed=False) == [second.number]
    assert numbers(service, snoozed=True) == [first.number]
    assert numbers(service, snoozed=None) == [first.number, second.number]
    assert service.count(AGENT, TicketQuery(tenant_id="acme", snoozed=False)) == 1
    assert snoozes(service, first.id) == [{"from": None, "to": MONDAY.isoformat()}]

    clock.set(MONDAY)  # its time: back in the queues with nothing written
    assert numbers(service, snoozed=False) == [first.number, second.number]
    assert numbers(service, snoozed=True) == []


def test_the_agent_ends_a_snooze_or_moves_it(service: TicketService) -> None:
    ticket = open_ticket(service)
    service.update(AGENT, ticket.id, UpdateTicket(snoozed_until=MONDAY))
    later = MONDAY + timedelta(days=1)
    service.update(AGENT, ticket.id, UpdateTicket(snoozed_until=later))
    woken = service.update(AGENT, ticket.id, UpdateTicket(snoozed_until=None))

    assert woken.snoozed_until is None
    assert snoozes(service, ticket.id) == [{"from": None, "to": MONDAY.isoformat()},
                                           {"from": MONDAY.isoformat(), "to": later.isoformat()},
                                           {"from": later.isoformat(), "to": None}]
    again = service.update(AGENT, ticket.id, UpdateTicket(snoozed_until=None))  # nothing snoozed: nothing written
    assert again.version == woken.version


def test_the_customers_reply_brings_it_back(service: TicketService) -> None:
    ticket = open_ticket(service)
    service.update(AGENT, ticket.id, UpdateTicket(snoozed_until=MONDAY, status=Status.PENDING))

    replied, _ = service.add_message(DANA, ticket.id, "It jams again on page 3", public=True)

    assert (replied.status, replied.snoozed_until) == (Status.OPEN, None)
    assert snoozes(service, ticket.id)[-1] == {"from": MONDAY.isoformat(), "to": None, "woke": "customer_replied"}
    assert numbers(service, snoozed=False) == [ticket.number]


def test_an_internal_note_or_a_reply_of_the_team_keeps_it_snoozed(service: TicketService) -> None:
    ticket = open_ticket(service)
    service.update(AGENT, ticket.id, UpdateTicket(snoozed_until=MONDAY))
    service.add_message(AGENT, ticket.id, "Asked the supplier", public=False)
    service.add_message(AGENT, ticket.id, "We are on it", public=True)

    assert service.get(AGENT, ticket.id).snoozed_until == MONDAY


def test_solving_ends_the_snooze_and_a_solved_ticket_is_not_snoozed(service: TicketService) -> None:
    ticket = open_ticket(service)
    service.update(AGENT, ticket.id, UpdateTicket(snoozed_until=MONDAY))
    solved = service.update(AGENT, ticket.id, UpdateTicket(status=Status.RESOLVED))

    assert solved.snoozed_until is None
    assert snoozes(service, ticket.id)[-1]["woke"] == "solved"
    with pytest.raises(InvalidTransition):
        service.update(AGENT, ticket.id, UpdateTicket(snoozed_until=MONDAY))
    reopened = service.update(AGENT, ticket.id, UpdateTicket(status=Status.OPEN, snoozed_until=MONDAY))
    assert reopened.snoozed_until == MONDAY  # the status moves first: reopened and snoozed in one change


@pytest.mark.parametrize("until", [T0, T0 - timedelta(minutes=1), T0 + timedelta(days=367)])
def test_a_snooze_is_in_the_future_and_at_most_a_year_ahead(service: TicketService, until: datetime) -> None:
    ticket = open_ticket(service)
    with pytest.raises(InvalidInput):
        service.update(AGENT, ticket.id, UpdateTicket(snoozed_until=until))
    assert service.get(AGENT, ticket.id).snoozed_until is None


def test_customers_neither_snooze_nor_see_nor_filter_by_it(service: TicketService) -> None:
    ticket = open_ticket(service)
    with pytest.raises(Forbidden):
        service.update(DANA, ticket.id, UpdateTicket(snoozed_until=MONDAY))
    snoozed = service.update(AGENT, ticket.id, UpdateTicket(snoozed_until=MONDAY))

    assert as_seen_by(DANA, snoozed).snoozed_until is None
    assert EventType.SNOOZED not in {e.type for e in service.events(DANA, ticket.id)}
    with pytest.raises(Forbidden):
        service.query(DANA, TicketQuery(tenant_id="acme", snoozed=False))


# -- the scan's schedule ends a snooze whose time came -------------------------------------------------------------


def test_the_scan_ends_a_snooze_when_its_time_comes_and_says_who_had_snoozed_it(container: Container,
                                                                               clock: FixedClock) -> None:
    service = container.ticket_service
    ticket = open_ticket(service)
    service.update(AGENT, ticket.id, UpdateTicket(snoozed_until=MONDAY))

    assert container.sla_scan.run(MONDAY - timedelta(minutes=1)).woke == 0  # not yet
    assert service.get(AGENT, ticket.id).snoozed_by == AGENT.user_id
    clock.set(MONDAY + timedelta(minutes=3))
    assert container.sla_scan.run().woke == 1

    back = service.get(AGENT, ticket.id)
    assert (back.snoozed_until, back.snoozed_by) == (None, None)
    assert snoozes(service, ticket.id)[-1] == {"from": MONDAY.isoformat(), "to": None, "woke": "time", "by": "a1"}
    assert container.sla_scan.run().woke == 0  # once


def test_a_snooze_moved_or_ended_early_is_not_woken_at_the_old_time(container: Container, clock: FixedClock) -> None:
    service = container.ticket_service
    moved, replied = open_ticket(service), open_ticket(service, "Toner low")
    later = MONDAY + timedelta(days=2)
    service.update(AGENT, moved.id, UpdateTicket(snoozed_until=MONDAY))
    service.update(AGENT, moved.id, UpdateTicket(snoozed_until=later))
    service.update(AGENT, replied.id, UpdateTicket(snoozed_until=MONDAY))
    service.add_message(DANA, replied.id, "Still low", public=True)

    clock.set(MONDAY + timedelta(hours=1))
    assert container.sla_scan.run().woke == 0
    assert service.get(AGENT, moved.id).snoozed_until == later
    assert [s.get("woke") for s in snoozes(service, replied.id)] == [None, "customer_replied"]

    clock.set(later)
    assert container.sla_scan.run().woke == 1
    assert snoozes(service, moved.id)[-1]["woke"] == "time"

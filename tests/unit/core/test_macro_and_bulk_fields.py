"""Bulk changes and macros set custom fields, on the in-memory fakes: what a macro may carry, how often the field
definitions are read, and that a refused value writes nothing."""

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from helpdesk.bootstrap import build
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import InvalidFieldValue
from helpdesk.kernel.principal import Principal, Role
from helpdesk.macros.model import Macro, MacroActions, MacroDraft
from helpdesk.macros.service import MacroService
from helpdesk.tickets.bulk import BulkOutcome, bulk_update
from helpdesk.tickets.fields import TicketField, TicketFields
from helpdesk.tickets.history import EventType
from helpdesk.tickets.model import Requester
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket
from tests.fakes import (
    InMemoryDirectoryStore,
    InMemoryTicketFieldStore,
    InMemoryTicketRepository,
    settings_stores,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AGENT = Principal(user_id="a1", tenant_id="acme", role=Role.AGENT)
FIELDS = TicketFields(fields=[
    TicketField(key="plan", label="Plan", type="dropdown", options=["free", "pro"]),
    TicketField(key="seats", label="Seats", type="number"),
])


class MacroMemory:
    """The `MacroStore` port in memory (the macros' Dynamo store is exercised by the API tests)."""

    def __init__(self) -> None:
        self.items: dict[str, Macro] = {}

    def list(self, tenant_id: str) -> list[Macro]:
        return [m for m in self.items.values() if m.tenant_id == tenant_id]

    def get(self, tenant_id: str, macro_id: str) -> Macro | None:
        macro = self.items.get(macro_id)
        return macro if macro is not None and macro.tenant_id == tenant_id else None

    def add(self, macro: Macro) -> None:
        self.items[macro.id] = macro

    def replace(self, macro: Macro, expected_version: int) -> None:
        self.add(macro)

    def delete(self, tenant_id: str, macro_id: str) -> None:
        self.items.pop(macro_id, None)


@pytest.fixture
def world() -> tuple[TicketService, InMemoryTicketFieldStore, InMemoryTicketRepository]:
    fields, repository = InMemoryTicketFieldStore(), InMemoryTicketRepository()
    fields.put("acme", FIELDS)
    service = build(ticket_repository=repository, **settings_stores(),
                    ticket_field_store=fields, directory_store=InMemoryDirectoryStore(),
                    clock=FixedClock(T0)).ticket_service
    return service, fields, repository


def opened(service: TicketService, **custom_fields: Any) -> str:
    return service.create(AGENT, CreateTicket(subject="s", description="d", custom_fields=custom_fields,
                                              requester=Requester(id="c1", email="c1@example.com"))).id


def test_a_bulk_change_reads_the_definitions_once_and_a_bad_value_writes_no_ticket(
        world: tuple[TicketService, InMemoryTicketFieldStore, InMemoryTicketRepository]) -> None:
    service, fields, repository = world
    ids = [opened(service, crm=n) for n in range(5)]
    versions = {t: repository.stored("acme", t).version for t in ids}

    with pytest.raises(InvalidFieldValue):
        bulk_update(service, AGENT, ids, UpdateTicket(priority="high", custom_fields={"seats": "ten"}))
    assert {t: repository.stored("acme", t).version for t in ids} == versions

    fields.reads = 0
    results = bulk_update(service, AGENT, ids, UpdateTicket(custom_fields={"plan": "pro", "crm": None}))
    assert {r.outcome for r in results} == {BulkOutcome.UPDATED}
    assert fields.reads == 1  # not one per ticket
    assert {repository.stored("acme", t).custom_fields["plan"] for t in ids} == {"pro"}
    assert all("crm" not in repository.stored("acme", t).custom_fields for t in ids)


def test_a_macros_field_values_are_bounded_as_a_tickets_are() -> None:
    assert MacroActions(custom_fields={"plan": None}).empty is False  # clearing a field is something to do
    with pytest.raises(ValidationError):
        MacroActions(custom_fields={f"k{n}": n for n in range(101)})
    with pytest.raises(ValidationError, match="bytes once stored"):
        MacroActions(custom_fields={"notes": "x" * 40_000})
    deep: dict[str, Any] = {"leaf": 1}
    for _ in range(10):
        deep = {"more": deep}
    with pytest.raises(ValidationError, match="nested"):
        MacroActions(custom_fields={"deep": deep})


def test_a_macro_merges_its_fields_in_the_same_write_and_a_stale_value_changes_nothing(
        world: tuple[TicketService, InMemoryTicketFieldStore, InMemoryTicketRepository]) -> None:
    service, fields, repository = world
    macros = MacroService(MacroMemory(), service, clock=FixedClock(T0))
    with pytest.raises(InvalidFieldValue) as refused:
        macros.create(AGENT, MacroDraft(name="bad", actions=MacroActions(custom_fields={"seats": True})))
    assert refused.value.details == {"field": "actions.custom_fields", "key": "seats", "type": "number"}
    assert macros.list(AGENT) == []

    upgrade = macros.create(AGENT, MacroDraft(name="Pro", actions=MacroActions(
        note="Upgraded", custom_fields={"plan": "pro", "seats": 10, "crm": None})))
    ticket_id = opened(service, crm=3)
    applied = macros.apply(AGENT, ticket_id, upgrade.id)
    assert applied.ticket.custom_fields == {"plan": "pro", "seats": 10}
    assert applied.ticket.version == 2  # note and fields: one write
    assert [e.type for e in applied.events] == [EventType.INTERNAL_NOTE, EventType.FIELDS_CHANGED,
                                                EventType.MACRO_APPLIED]

    fields.put("acme", TicketFields(fields=[FIELDS.fields[0], TicketField(key="seats", label="Seats", type="text")]))
    other = opened(service)
    with pytest.raises(InvalidFieldValue):
        macros.apply(AGENT, other, upgrade.id)
    with pytest.raises(InvalidFieldValue):
        macros.apply(AGENT, other, upgrade.id, dry_run=True)
    assert (repository.stored("acme", other).version, repository.stored("acme", other).custom_fields) == (1, {})


def test_a_macros_reply_names_the_tickets_field_values(
        world: tuple[TicketService, InMemoryTicketFieldStore, InMemoryTicketRepository]) -> None:
    """`{{ ticket.fields.order_number }}` in a reply: the value as the ticket holds it, empty when it has none;
    an integration's objects are not offered."""
    service, _, _ = world
    macros = MacroService(MacroMemory(), service, clock=FixedClock(T0))
    ask = macros.create(AGENT, MacroDraft(name="Order", actions=MacroActions(
        reply="Order {{ ticket.fields.order_number }} on {{ ticket.fields.plan | default('no plan', true) }}"
              "{{ ticket.fields.crm }}.")))
    with_order = opened(service, order_number="ORD-7", plan="pro", crm={"id": 3})
    assert macros.apply(AGENT, with_order, ask.id, dry_run=True).reply == "Order ORD-7 on pro."
    assert macros.apply(AGENT, opened(service), ask.id, dry_run=True).reply == "Order  on no plan."


def test_a_macros_dry_run_refuses_a_solve_a_required_field_would_hold(
        world: tuple[TicketService, InMemoryTicketFieldStore, InMemoryTicketRepository]) -> None:
    """The preview says what applying would: a macro that solves a ticket whose required field is empty is 422
    `required_fields` in the dry run too; one that fills the field as it solves passes both."""
    from helpdesk.kernel.errors import MissingRequiredFields
    from helpdesk.tickets.model import Status

    service, fields, repository = world
    fields.put("acme", TicketFields(fields=[FIELDS.fields[0].model_copy(update={"required_to_resolve": True}),
                                            FIELDS.fields[1]]))
    macros = MacroService(MacroMemory(), service, clock=FixedClock(T0))
    solve = macros.create(AGENT, MacroDraft(name="Solve", actions=MacroActions(status=Status.RESOLVED)))
    fill_and_solve = macros.create(AGENT, MacroDraft(name="Pro and solve", actions=MacroActions(
        status=Status.RESOLVED, custom_fields={"plan": "pro"})))
    ticket_id = opened(service)
    with pytest.raises(MissingRequiredFields):
        macros.apply(AGENT, ticket_id, solve.id, dry_run=True)
    assert macros.apply(AGENT, ticket_id, fill_and_solve.id, dry_run=True).ticket.status == Status.RESOLVED
    assert repository.stored("acme", ticket_id).version == 1  # previews write nothing


def test_a_macro_sets_pending_and_snoozes_in_one_write(
        world: tuple[TicketService, InMemoryTicketFieldStore, InMemoryTicketRepository]) -> None:
    """"Waiting for the supplier": a note, pending, out of the queues for three days; a macro that solves does not
    snooze (a solved ticket is in no queue)."""
    from datetime import timedelta

    from helpdesk.tickets.model import Status

    service, _, repository = world
    macros = MacroService(MacroMemory(), service, clock=FixedClock(T0))
    with pytest.raises(ValidationError, match="does not snooze"):
        MacroActions(status=Status.RESOLVED, snooze_hours=24)
    with pytest.raises(ValidationError):
        MacroActions(snooze_hours=0)
    waiting = macros.create(AGENT, MacroDraft(name="Waiting for the supplier", actions=MacroActions(
        note="Asked the supplier", status=Status.PENDING, snooze_hours=72)))
    ticket_id = opened(service)

    applied = macros.apply(AGENT, ticket_id, waiting.id)

    assert (applied.ticket.status, applied.ticket.snoozed_until) == (Status.PENDING, T0 + timedelta(hours=72))
    assert applied.ticket.version == 2  # note, status and snooze: one write
    assert [e.type for e in applied.events][-2:] == [EventType.SNOOZED, EventType.MACRO_APPLIED]
    assert repository.stored("acme", ticket_id).snoozed_until == T0 + timedelta(hours=72)

"""Reject and revert undo exactly what AI put on a ticket, for every field; customers never see AI's changes.

Triage's service on in-memory stores (no model: the record is written by hand, then auto-applied by the real
`_auto_apply` path), so each case is a few milliseconds.
"""

from datetime import UTC, datetime
from typing import Any, cast

import pytest

from helpdesk.intents.tenant_categories import TenantCategories
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import ConcurrentUpdate
from helpdesk.kernel.principal import Principal, Role
from helpdesk.tickets.model import Priority
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket
from helpdesk.triage.model import APPLICABLE_FIELDS, FieldResult, TriageResult
from helpdesk.triage.service import Triage
from helpdesk.triage.settings import FieldPolicy, TriageSettings
from tests.fakes import InMemoryTaxonomyStore, InMemoryTicketRepository

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
AGENT = Principal(user_id="agent-1", tenant_id="acme", role=Role.AGENT, name="Ana Agent")
CUSTOMER = Principal(user_id="cust-1", tenant_id="acme", role=Role.CUSTOMER, email="jana@example.com",
                     name="Müller, Jana")
AI_VALUES = {"priority": "high", "group": "billing", "category": "REFUND"}


class InMemoryTriageStore:
    def __init__(self) -> None:
        self.records: dict[tuple[str, str], TriageResult] = {}

    def get(self, tenant_id: str, ticket_id: str) -> TriageResult | None:
        found = self.records.get((tenant_id, ticket_id))
        return found.model_copy(deep=True) if found else None

    def save(self, result: TriageResult) -> TriageResult:
        current = self.records.get((result.tenant_id, result.ticket_id))
        if (current.revision if current else 0) != result.revision:
            raise ConcurrentUpdate("changed")
        saved = result.model_copy(update={"revision": result.revision + 1}, deep=True)
        self.records[(result.tenant_id, result.ticket_id)] = saved
        return saved.model_copy(deep=True)


class AllAuto:
    def get(self, tenant_id: str) -> TriageSettings:
        auto = FieldPolicy(mode="auto", threshold=0.5)
        return TriageSettings(fields={name: auto for name in APPLICABLE_FIELDS})

    def get_versioned(self, tenant_id: str) -> tuple[TriageSettings, int]:
        return self.get(tenant_id), 1

    def put(self, tenant_id: str, settings: TriageSettings, expected_version: int | None = None) -> int:
        raise NotImplementedError


def _field(value: Any) -> FieldResult:
    return FieldResult.of(value, 0.9, "test-method")


@pytest.fixture
def world() -> tuple[TicketService, Triage, InMemoryTriageStore]:
    clock = FixedClock(NOW)
    tickets = TicketService(InMemoryTicketRepository(), clock=clock)
    store = InMemoryTriageStore()
    nothing = cast(Any, None)  # parts of triage these cases never reach (models, index, vectors)
    categories = TenantCategories(InMemoryTaxonomyStore(), nothing, clock=clock)
    triage = Triage(tickets, store, AllAuto(), nothing, nothing, categories, nothing, nothing, evidence=nothing,
                    clock=clock)
    return tickets, triage, store


def _triaged(tickets: TicketService, triage: Triage, store: InMemoryTriageStore, **before: Any) -> str:
    """A customer's ticket, optionally with values set by an agent first, and triage's record auto-applied."""
    ticket = tickets.create(CUSTOMER, CreateTicket(subject="Charged twice", description="Please refund one."))
    if before:
        tickets.update(AGENT, ticket.id, UpdateTicket(**before))
    ticket = tickets.get(AGENT, ticket.id)
    record = TriageResult(
        tenant_id="acme", ticket_id=ticket.id, ticket_version=ticket.version, model="test-model",
        prompt_version="test-v1", created_at=NOW, updated_at=NOW, summary=_field("s"),
        intent=_field("get_refund"), category=_field(AI_VALUES["category"]), sentiment=_field("neutral"),
        language=_field("en"), priority=_field(AI_VALUES["priority"]), group=_field(AI_VALUES["group"]))
    triage._auto_apply(store.save(record), AllAuto().get("acme"))
    return ticket.id


def _values(tickets: TicketService, ticket_id: str) -> dict[str, Any]:
    ticket = tickets.get(AGENT, ticket_id)
    return {"priority": ticket.priority.value, "group": ticket.group,
            "category": [t for t in ticket.tags if t.startswith("category:")]}


ORIGINAL: dict[str, Any] = {"priority": "normal", "group": None, "category": []}


@pytest.mark.parametrize("name", APPLICABLE_FIELDS)
def test_reject_takes_an_applied_field_off_the_ticket(world: Any, name: str) -> None:
    tickets, triage, store = world
    ticket_id = _triaged(tickets, triage, store)
    assert _values(tickets, ticket_id) == {"priority": "high", "group": "billing", "category": ["category:refund"]}

    result = triage.reject(AGENT, ticket_id, name)

    assert result.applicable(name).state == "rejected"
    after = _values(tickets, ticket_id)
    assert after[name] == ORIGINAL[name]
    others = {n: v for n, v in after.items() if n != name}
    assert others == {n: v for n, v in
                      {"priority": "high", "group": "billing", "category": ["category:refund"]}.items() if n != name}


@pytest.mark.parametrize("name", APPLICABLE_FIELDS)
def test_revert_after_a_reject_leaves_the_ticket_as_before_triage(world: Any, name: str) -> None:
    tickets, triage, store = world
    ticket_id = _triaged(tickets, triage, store)
    triage.reject(AGENT, ticket_id, name)

    _, _, reverted = triage.revert(AGENT, ticket_id)

    assert name not in reverted  # already undone by the reject: nothing left of it to revert
    assert _values(tickets, ticket_id) == ORIGINAL


def test_revert_restores_values_a_person_set_before_triage(world: Any) -> None:
    tickets, triage, store = world
    # A group and priority set before triage: auto-apply leaves them (a human choice wins), category lands.
    ticket_id = _triaged(tickets, triage, store, priority=Priority.LOW, group="sales")
    assert _values(tickets, ticket_id) == {"priority": "low", "group": "sales", "category": ["category:refund"]}

    _, _, reverted = triage.revert(AGENT, ticket_id)

    assert reverted == ["category"]
    assert _values(tickets, ticket_id) == {"priority": "low", "group": "sales", "category": []}


def test_reject_leaves_a_value_a_person_changed_since(world: Any) -> None:
    tickets, triage, store = world
    ticket_id = _triaged(tickets, triage, store)
    tickets.update(AGENT, ticket_id, UpdateTicket(group="support"))

    triage.reject(AGENT, ticket_id, "group")

    assert _values(tickets, ticket_id)["group"] == "support"


def test_reject_of_an_accepted_suggestion_undoes_it(world: Any) -> None:
    tickets, triage, store = world
    ticket_id = _triaged(tickets, triage, store, priority=Priority.LOW)
    triage.accept(AGENT, ticket_id, "priority")
    assert _values(tickets, ticket_id)["priority"] == "high"

    triage.reject(AGENT, ticket_id, "priority")

    assert _values(tickets, ticket_id)["priority"] == "low"


def test_customers_see_no_ai_change_tag_or_context(world: Any) -> None:
    tickets, triage, store = world
    ticket_id = _triaged(tickets, triage, store)
    triage.reject(AGENT, ticket_id, "group")

    staff_events = tickets.events(AGENT, ticket_id)
    ai_events = [e for e in staff_events if e.data.get("model") == "test-model"]
    assert {e.type.value for e in ai_events} >= {"priority_changed", "group_changed", "tags_changed"}
    assert all(e.internal for e in ai_events)  # the team sees them, marked internal

    seen = tickets.events(CUSTOMER, ticket_id)
    assert [e.type.value for e in seen] == ["created"]
    assert not any(set(e.data) & {"model", "confidence", "method", "ai", "ai_field"} for e in seen)
    from helpdesk.tickets.service import as_seen_by

    shown = as_seen_by(CUSTOMER, tickets.get(CUSTOMER, ticket_id))
    assert not [t for t in shown.tags if t.startswith("category:")]
    assert shown.ai.category is None
    assert shown.ai.confidence is None


def test_a_reply_sent_from_an_ai_draft_reaches_the_customer_without_ai_bookkeeping(world: Any) -> None:
    tickets, _, _ = world
    ticket = tickets.create(CUSTOMER, CreateTicket(subject="Refund", description="Please refund."))
    tickets.add_message(AGENT, ticket.id, "We refunded it.", public=True,
                        meta={"ai_draft": True, "model": "m", "prompt_version": "p", "citations": []})

    message = next(e for e in tickets.events(CUSTOMER, ticket.id) if e.type.value == "public_message")

    assert message.data["body"] == "We refunded it."
    assert not set(message.data) & {"ai_draft", "model", "prompt_version", "citations"}

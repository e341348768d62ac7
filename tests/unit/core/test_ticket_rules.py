"""The ticket's transition table and the status moves messages imply."""

from datetime import UTC, datetime

import pytest

from helpdesk.kernel.errors import InvalidTransition
from helpdesk.tickets.history import EventType
from helpdesk.tickets.model import TRANSITIONS, Requester, Status, Ticket, format_number, parse_number

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def make_ticket(status: Status = Status.NEW) -> Ticket:
    return Ticket(id="t1", number=7, tenant_id="acme", subject="s", description="d", status=status,
                  requester=Requester(id="c1"), created_at=T0, updated_at=T0)


def test_agent_first_public_reply_opens_and_sets_first_response() -> None:
    ticket = make_ticket()
    events = ticket.add_message("hello", public=True, actor="a1", by_customer=False, at=T0)
    assert [e.type for e in events] == [EventType.PUBLIC_MESSAGE, EventType.STATUS_CHANGED]
    assert ticket.status == Status.OPEN
    assert ticket.first_response_at == T0


def test_internal_note_changes_no_status_and_is_not_a_response() -> None:
    ticket = make_ticket()
    events = ticket.add_message("note", public=False, actor="a1", by_customer=False, at=T0)
    assert [e.type for e in events] == [EventType.INTERNAL_NOTE]
    assert events[0].is_internal
    assert ticket.status == Status.NEW
    assert ticket.first_response_at is None


@pytest.mark.parametrize("status", [Status.PENDING, Status.RESOLVED])
def test_customer_reply_reopens(status: Status) -> None:
    ticket = make_ticket(status)
    ticket.resolved_at = T0 if status == Status.RESOLVED else None
    ticket.add_message("still broken", public=True, actor="c1", by_customer=True, at=T0)
    assert ticket.status == Status.OPEN
    assert ticket.resolved_at is None
    assert ticket.last_customer_message_at == T0


def test_closed_is_final() -> None:
    ticket = make_ticket(Status.CLOSED)
    for target in Status:
        if target != Status.CLOSED:
            with pytest.raises(InvalidTransition):
                ticket.change_status(target, "a1", T0)
    with pytest.raises(InvalidTransition):
        ticket.add_message("hello?", public=True, actor="c1", by_customer=True, at=T0)


def test_nothing_goes_back_to_new_and_table_is_explicit() -> None:
    assert all(Status.NEW not in allowed for allowed in TRANSITIONS.values())
    assert set(TRANSITIONS) == set(Status)
    ticket = make_ticket(Status.OPEN)
    with pytest.raises(InvalidTransition) as info:
        ticket.change_status(Status.NEW, "a1", T0)
    assert info.value.details["allowed"] == ["closed", "on_hold", "pending", "resolved"]


def test_a_customer_message_takes_a_ticket_off_hold_and_a_note_does_not() -> None:
    """On hold the team waits for someone else; the customer writing again is news the team must read."""
    noted = make_ticket(Status.ON_HOLD)
    noted.add_message("Still waiting for the supplier.", public=False, actor="a1", by_customer=False, at=T0)
    assert noted.status == Status.ON_HOLD
    asked = make_ticket(Status.ON_HOLD)
    events = asked.add_message("Any news?", public=True, actor="c1", by_customer=True, at=T0)
    assert asked.status == Status.OPEN
    assert [(e.type.value, e.data.get("to")) for e in events][-1] == ("status_changed", "open")


def test_same_status_writes_nothing_and_resolution_times() -> None:
    ticket = make_ticket(Status.OPEN)
    assert ticket.change_status(Status.OPEN, "a1", T0) == []
    ticket.change_status(Status.RESOLVED, "a1", T0)
    assert ticket.resolved_at == T0
    ticket.change_status(Status.CLOSED, "a1", T0)
    assert ticket.closed_at == T0


def test_numbers() -> None:
    assert format_number(123) == "T-000123"
    assert parse_number("t-000123") == 123
    assert parse_number("T-1234567") == 1234567
    assert parse_number("T-") is None
    assert parse_number("X-12") is None

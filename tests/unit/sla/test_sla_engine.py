"""SLA clocks on the ticket: business-time deadlines, pauses, first/next response, resolution, states."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpdesk.sla.calendar import BusinessCalendar
from helpdesk.sla.engine import recompute
from helpdesk.sla.policy import PriorityTargets, SlaPolicy, default_policy
from helpdesk.sla.report import attainment
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Priority, Requester, Status, Ticket
from helpdesk.tickets.sla_state import SlaTarget, TargetKind, TargetState

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sla"
OFFICE = BusinessCalendar.model_validate(json.loads((FIXTURES / "office_calendar.json").read_text()))
POLICY = SlaPolicy(id="office", name="Office", calendar_id="office", warning_minutes=30, targets={
    "normal": PriorityTargets(first_response_minutes=240, next_response_minutes=120, resolution_minutes=960)})


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def new_ticket(at: datetime, priority: Priority = Priority.NORMAL) -> tuple[Ticket, list[TicketEvent]]:
    ticket = Ticket(id="t1", number=1, tenant_id="acme", subject="s", description="d", priority=priority,
                    requester=Requester(id="c1"), created_at=at, updated_at=at, last_customer_message_at=at)
    created = TicketEvent(ticket_id="t1", tenant_id="acme", type=EventType.CREATED, actor="c1", at=at)
    return ticket, [created]


def apply(ticket: Ticket, events: list[TicketEvent], now: datetime, policy: SlaPolicy = POLICY) -> None:
    ticket.sla = recompute(ticket, events, policy, OFFICE, now).sla


def target(ticket: Ticket, kind: TargetKind) -> SlaTarget:
    assert ticket.sla is not None
    found = ticket.sla.target(kind)
    assert found is not None, kind
    return found


def test_friday_evening_ticket_gets_its_first_response_deadline_on_monday() -> None:
    friday_evening = utc(2026, 11, 20, 18, 0)  # 19:00 in Berlin, office closed
    ticket, events = new_ticket(friday_evening)
    apply(ticket, events, friday_evening)
    first = target(ticket, TargetKind.FIRST_RESPONSE)
    assert first.due_at == utc(2026, 11, 23, 12, 0)  # Monday 09:00 Berlin + 4 business hours
    assert first.due_at.astimezone(OFFICE.zone).strftime("%A %H:%M") == "Monday 13:00"
    assert first.state == TargetState.OK
    assert ticket.sla is not None
    assert ticket.sla.next_action_at == first.due_at - timedelta(minutes=30)


def test_time_in_pending_does_not_count() -> None:
    monday = utc(2026, 11, 23, 8, 0)  # 09:00 Berlin
    ticket, events = new_ticket(monday)
    apply(ticket, events, monday)
    assert target(ticket, TargetKind.FIRST_RESPONSE).due_at == utc(2026, 11, 23, 12, 0)

    at = utc(2026, 11, 23, 9, 0)
    apply(ticket, ticket.change_status(Status.PENDING, "a1", at), at)
    paused = target(ticket, TargetKind.FIRST_RESPONSE)
    assert paused.due_at is None
    assert ticket.sla is not None
    assert ticket.sla.next_action_at is None  # out of the scan's index while paused

    # Far past the original deadline, still paused: nothing breaches.
    apply(ticket, [], utc(2026, 11, 23, 15, 0))
    assert target(ticket, TargetKind.FIRST_RESPONSE).state == TargetState.OK

    at = utc(2026, 11, 23, 11, 0)
    apply(ticket, ticket.change_status(Status.OPEN, "a1", at), at)
    resumed = target(ticket, TargetKind.FIRST_RESPONSE)
    assert resumed.due_at == utc(2026, 11, 23, 14, 0)  # pushed back by exactly the two paused hours
    # 16 business hours from Monday 09:00 Berlin end Tuesday 17:00; the paused 2 h move it to Wednesday 11:00.
    assert target(ticket, TargetKind.RESOLUTION).due_at == utc(2026, 11, 25, 10, 0)


def test_internal_notes_do_not_count_as_first_response_but_a_public_reply_does() -> None:
    monday = utc(2026, 11, 23, 8, 0)
    ticket, events = new_ticket(monday)
    apply(ticket, events, monday)
    at = utc(2026, 11, 23, 9, 0)
    apply(ticket, ticket.add_message("looking", public=False, actor="a1", by_customer=False, at=at), at)
    assert target(ticket, TargetKind.FIRST_RESPONSE).met_at is None
    at = utc(2026, 11, 23, 10, 30)
    apply(ticket, ticket.add_message("hello", public=True, actor="a1", by_customer=False, at=at), at)
    first = target(ticket, TargetKind.FIRST_RESPONSE)
    assert (first.state, first.met_at, first.elapsed_minutes) == (TargetState.MET, at, 150)
    assert ticket.sla is not None
    assert ticket.sla.target(TargetKind.NEXT_RESPONSE) is None  # nobody is waiting


def test_next_response_runs_from_the_oldest_unanswered_customer_message() -> None:
    monday = utc(2026, 11, 23, 8, 0)
    ticket, events = new_ticket(monday)
    apply(ticket, events, monday)
    at = utc(2026, 11, 23, 9, 0)
    apply(ticket, ticket.add_message("hi", public=True, actor="a1", by_customer=False, at=at), at)
    first_question = utc(2026, 11, 23, 10, 0)
    apply(ticket, ticket.add_message("q1", public=True, actor="c1", by_customer=True, at=first_question),
          first_question)
    second = utc(2026, 11, 23, 11, 0)
    apply(ticket, ticket.add_message("q2", public=True, actor="c1", by_customer=True, at=second), second)
    waiting = target(ticket, TargetKind.NEXT_RESPONSE)
    assert waiting.started_at == first_question
    assert waiting.due_at == utc(2026, 11, 23, 12, 0)
    assert waiting.state == TargetState.OK  # an hour left, the warning comes 30 minutes before
    answer = utc(2026, 11, 23, 12, 30)
    apply(ticket, ticket.add_message("a", public=True, actor="a1", by_customer=False, at=answer), answer)
    answered = target(ticket, TargetKind.NEXT_RESPONSE)
    assert (answered.met_at, answered.state, answered.elapsed_minutes) == (answer, TargetState.BREACHED, 150)

    # A new wait starts a new cycle; the answered one is kept for the attainment report.
    again = utc(2026, 11, 23, 13, 0)
    apply(ticket, ticket.add_message("q3", public=True, actor="c1", by_customer=True, at=again), again)
    reply = utc(2026, 11, 23, 13, 20)
    apply(ticket, ticket.add_message("a2", public=True, actor="a1", by_customer=False, at=reply), reply)
    assert ticket.sla is not None
    assert [c.started_at for c in ticket.sla.answered_cycles] == [first_question]
    _, rows = attainment([ticket])
    next_rows = next(r for r in rows if r.target == TargetKind.NEXT_RESPONSE)
    assert (next_rows.measured, next_rows.met, next_rows.breached) == (2, 1, 1)
    assert (next_rows.median_minutes, next_rows.p90_minutes) == (85.0, 150.0)


def test_states_move_from_ok_to_warning_to_breached_with_time() -> None:
    monday = utc(2026, 11, 23, 8, 0)
    ticket, events = new_ticket(monday)
    apply(ticket, events, monday)
    states = []
    for now in (utc(2026, 11, 23, 11, 0), utc(2026, 11, 23, 11, 45), utc(2026, 11, 23, 12, 0)):
        apply(ticket, [], now)
        states.append(target(ticket, TargetKind.FIRST_RESPONSE).state)
    assert states == [TargetState.OK, TargetState.WARNING, TargetState.BREACHED]


def test_resolution_is_met_on_resolve_and_resumes_on_reopen() -> None:
    monday = utc(2026, 11, 23, 8, 0)
    ticket, events = new_ticket(monday)
    apply(ticket, events, monday)
    at = utc(2026, 11, 23, 10, 0)
    apply(ticket, ticket.change_status(Status.RESOLVED, "a1", at), at)
    resolution = target(ticket, TargetKind.RESOLUTION)
    assert (resolution.state, resolution.elapsed_minutes) == (TargetState.MET, 120)
    assert ticket.sla is not None
    assert ticket.sla.auto_close_at == at + timedelta(days=7)  # resolved tickets close after a week
    at = utc(2026, 11, 23, 13, 0)
    apply(ticket, ticket.add_message("still broken", public=True, actor="c1", by_customer=True, at=at), at)
    reopened = target(ticket, TargetKind.RESOLUTION)
    assert ticket.status == Status.OPEN
    assert reopened.met_at is None
    # 16 business hours from Monday 09:00 Berlin, plus the 3 resolved hours that did not count.
    assert reopened.due_at == utc(2026, 11, 25, 11, 0)


def test_time_pending_before_the_resolution_does_not_count_towards_it() -> None:
    """Pending, then resolved (by an agent, or by the scan for want of the customer's reply): the wait for the
    customer is no time the team spent. The pause is still open when the ticket resolves (pending and resolved
    both pause), so it is counted up to the resolution."""
    monday = utc(2026, 11, 23, 8, 0)  # 09:00 Berlin
    ticket, events = new_ticket(monday)
    apply(ticket, events, monday)
    at = utc(2026, 11, 23, 9, 0)
    apply(ticket, ticket.add_message("Which error?", public=True, actor="a1", by_customer=False, at=at), at)
    at = utc(2026, 11, 23, 10, 0)
    apply(ticket, ticket.change_status(Status.PENDING, "a1", at), at)
    at = utc(2026, 11, 30, 10, 0)  # a week of waiting, far over the 16 business hours
    apply(ticket, ticket.change_status(Status.RESOLVED, "sla", at), at)
    resolution = target(ticket, TargetKind.RESOLUTION)
    assert (resolution.state, resolution.elapsed_minutes) == (TargetState.MET, 120)
    first = target(ticket, TargetKind.FIRST_RESPONSE)
    assert (first.state, first.elapsed_minutes) == (TargetState.MET, 60)


def test_the_default_policy_runs_around_the_clock() -> None:
    policy = default_policy()
    assert policy.budget("urgent", TargetKind.FIRST_RESPONSE) == 60
    assert policy.budget("urgent", TargetKind.RESOLUTION) == 240
    assert policy.budget("low", TargetKind.RESOLUTION) == 5 * 24 * 60


def test_an_imported_ticket_is_measured_only_on_waits_that_begin_after_its_import() -> None:
    """A ticket brought over from another helpdesk was opened there weeks ago: its first response and resolution
    clocks would be long breached here. Only what begins after the import (the customer's next message) runs."""
    from helpdesk.tickets.model import ImportOrigin

    opened, imported = utc(2026, 10, 26, 8, 0), utc(2026, 11, 23, 8, 0)
    ticket, _ = new_ticket(opened)
    ticket.status = Status.OPEN
    ticket.imported_from = ImportOrigin(source="zendesk", id="1001", imported_at=imported)
    ticket.first_response_at = ticket.last_agent_message_at = utc(2026, 10, 26, 9, 0)
    apply(ticket, [], imported)
    assert ticket.sla is not None
    assert ticket.sla.targets == []
    written = utc(2026, 11, 23, 9, 0)  # 10:00 in Berlin
    apply(ticket, ticket.add_message("Any news?", public=True, actor="c1", by_customer=True, at=written), written)
    assert ticket.sla is not None
    assert [t.kind for t in ticket.sla.targets] == [TargetKind.NEXT_RESPONSE]
    assert target(ticket, TargetKind.NEXT_RESPONSE).due_at == written + timedelta(minutes=120)


def test_the_teams_own_ticket_runs_no_response_clock_until_it_has_a_customer() -> None:
    """A problem an agent opened with no customer: their own messages on it count as its requester's, so a reply
    clock would wait for an answer to nobody and breach; only the resolution clock runs. Given a customer later,
    the ticket is theirs and its clocks run as any ticket's (from its opening)."""
    monday = utc(2026, 11, 23, 8, 0)
    ticket, events = new_ticket(monday)
    ticket.no_customer = True
    apply(ticket, events, monday)
    assert ticket.sla is not None
    assert [t.kind for t in ticket.sla.targets] == [TargetKind.RESOLUTION]
    message = ticket.add_message("Root cause found.", public=True, actor="c1", by_customer=True, at=monday)
    apply(ticket, message, utc(2026, 11, 23, 16, 0))  # past the 240 business minutes of a first response
    assert [t.kind for t in ticket.sla.targets] == [TargetKind.RESOLUTION]

    later = utc(2026, 11, 24, 8, 0)
    changed = ticket.set_field("requester", Requester(id="c2", email="dana@customer.example"), "a1", later)
    assert ticket.no_customer is False
    apply(ticket, changed, later)
    assert target(ticket, TargetKind.FIRST_RESPONSE).state == TargetState.BREACHED  # due Monday 13:00 Berlin

"""Time triggers on a ticket in memory: due this many hours after the time they wait from, once for each such time,
only while their conditions hold; "updated" is a person's change, not the automation's."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Priority, Requester, Status, Ticket
from helpdesk.triggers.hook import TriggerHook
from helpdesk.triggers.model import Trigger, TriggerList
from helpdesk.triggers.timers import any_due, due_at, fire_due, waiting

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def ticket(**fields: Any) -> Ticket:
    return Ticket.model_validate({"id": "t1", "number": 7, "tenant_id": "acme", "subject": "s", "description": "d",
                                  "requester": Requester(email="dana@example.com"), "created_at": T0,
                                  "updated_at": T0, **fields})


def timed(tid: str, hours: int, since: str, actions: dict[str, Any], **conditions: Any) -> Trigger:
    return Trigger.model_validate({"id": tid, "name": tid, "after": {"hours": hours, "since": since},
                                   "conditions": conditions, "actions": actions})


def test_a_time_trigger_is_due_its_hours_after_the_time_it_waits_from_and_then_once() -> None:
    nudge = timed("nudge", 48, "customer_message", {"add_tags": ["nudged"]}, statuses=["pending"])
    t = ticket(status=Status.PENDING, last_customer_message_at=T0)
    assert due_at(nudge, t) == T0 + timedelta(hours=48)
    assert waiting(nudge, t, T0 + timedelta(hours=47)) == ["after"]
    assert fire_due([nudge], t, T0 + timedelta(hours=47)) == []
    made = fire_due([nudge], t, T0 + timedelta(hours=49))
    assert ([e.type for e in made], t.tags, made[0].data["trigger"]) == (
        [EventType.TAGS_CHANGED], ["nudged"], {"id": "nudge", "name": "nudge", "after": {
            "hours": 48, "since": "customer_message", "business_hours": False, "from": T0.isoformat()}})
    assert (due_at(nudge, t), fire_due([nudge], t, T0 + timedelta(hours=99))) == (None, [])  # once for this time
    t.last_customer_message_at = T0 + timedelta(hours=60)  # the customer wrote again: it waits again
    assert due_at(nudge, t) == T0 + timedelta(hours=108)


def test_its_conditions_are_read_when_due_and_a_ticket_without_the_time_waits_for_nothing() -> None:
    nudge = timed("nudge", 1, "team_message", {"priority": "high"}, statuses=["open"], tags=["vip"])
    unanswered = ticket(status=Status.OPEN, tags=["vip"])
    assert (due_at(nudge, unanswered), waiting(nudge, unanswered, T0 + timedelta(days=9))) == (None, ["after"])
    answered = ticket(status=Status.PENDING, last_agent_message_at=T0)
    assert waiting(nudge, answered, T0 + timedelta(hours=2)) == ["statuses", "tags"]
    assert not any_due([nudge], answered, T0 + timedelta(hours=2))
    answered.status, answered.tags = Status.OPEN, ["vip"]
    assert any_due([nudge], answered, T0 + timedelta(hours=2))
    off = nudge.model_copy(update={"active": False})
    assert not any_due([off], answered, T0 + timedelta(hours=2))


def test_triggers_act_in_order_on_the_ticket_as_the_ones_before_left_it_and_forget_deleted_ones() -> None:
    close = timed("close", 96, "resolved", {"status": "closed"}, statuses=["resolved"])
    tag = timed("tag", 96, "resolved", {"add_tags": ["auto-closed"]}, statuses=["closed"])
    t = ticket(status=Status.RESOLVED, resolved_at=T0, time_triggers_fired={"gone": T0})
    made = fire_due([close, tag], t, T0 + timedelta(hours=97))
    assert ([e.type for e in made], t.status, t.tags) == (
        [EventType.STATUS_CHANGED, EventType.TAGS_CHANGED], Status.CLOSED, ["auto-closed"])
    assert set(t.time_triggers_fired) == {"close", "tag"}


def test_updated_is_a_persons_change_not_the_sla_scans_or_a_triggers() -> None:
    quiet = timed("quiet", 24, "updated", {"priority": "high"})
    t = ticket()
    hook = TriggerHook(store=None)  # type: ignore[arg-type]  # no event here waits for a trigger: nothing is read
    later = T0 + timedelta(hours=10)
    sla = TicketEvent(ticket_id="t1", tenant_id="acme", type=EventType.SLA, actor="sla", at=later,
                      data={"kind": "rescheduled"})
    assert hook.before_save(t, [sla], later) == []
    assert due_at(quiet, t) == T0 + timedelta(hours=24)  # touched_at unset: updated_at (T0)
    fields = TicketEvent(ticket_id="t1", tenant_id="acme", type=EventType.FIELDS_CHANGED, actor="a1", at=later)
    hook.before_save(t, [fields], later)
    assert (t.touched_at, due_at(quiet, t)) == (later, later + timedelta(hours=24))
    fire_due([quiet], t, later + timedelta(hours=25))
    assert (t.priority, t.touched_at, due_at(quiet, t)) == (Priority.HIGH, later, None)


@pytest.mark.parametrize(("body", "message"), [
    ({"on": ["customer_replied"], "after": {"hours": 2, "since": "created"}}, "one of them"),
    ({"after": {"hours": 2, "since": "created"}, "conditions": {"keywords": ["down"]}}, "no `keywords`"),
    ({"after": {"hours": 2, "since": "created"}, "conditions": {"from_statuses": ["new"]}}, "no `keywords`"),
    ({"after": {"hours": 0, "since": "created"}}, "greater than or equal to 1"),
    ({"after": {"hours": 2, "since": "yesterday"}}, "created"),
])
def test_a_time_trigger_that_could_not_run_is_refused(body: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        TriggerList.model_validate({"triggers": [{"id": "x", "name": "x", "actions": {"priority": "high"}, **body}]})


def test_a_time_trigger_turned_off_keeps_what_it_did_and_does_not_act_again_when_back_on() -> None:
    nudge = timed("nudge", 24, "created", {"add_tags": ["nudged"]})
    other = timed("other", 24, "created", {"priority": "high"})
    t = ticket(time_triggers_fired={"nudge": T0})
    off = nudge.model_copy(update={"active": False})
    assert [e.type for e in fire_due([off, other], t, T0 + timedelta(hours=25))] == [EventType.PRIORITY_CHANGED]
    assert t.time_triggers_fired == {"nudge": T0, "other": T0}
    assert fire_due([nudge, other], t, T0 + timedelta(hours=26)) == []  # back on: it acted for this time already


def test_a_time_trigger_in_business_hours_waits_over_the_weekend() -> None:
    """8 business hours after a ticket opened on Friday 16:00 (open 9-17 on weekdays) is Monday 16:00 (one hour on
    Friday, seven on Monday); counted in calendar hours it would be Saturday 00:00."""
    from helpdesk.sla.calendar import BusinessCalendar

    office = BusinessCalendar.model_validate({"id": "office", "name": "Office", "timezone": "UTC", "hours": {
        day: [{"start": "09:00", "end": "17:00"}] for day in ("mon", "tue", "wed", "thu", "fri")}})
    friday = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)
    chase = Trigger.model_validate({"id": "chase", "name": "chase", "actions": {"priority": "high"},
                                    "after": {"hours": 8, "since": "created", "business_hours": True}})
    t = ticket(created_at=friday, updated_at=friday)
    business = lambda _t, start, minutes: office.add(start, minutes)  # noqa: E731
    assert due_at(chase, t, business) == datetime(2026, 3, 9, 16, 0, tzinfo=UTC)
    assert due_at(chase, t) == datetime(2026, 3, 7, 0, 0, tzinfo=UTC)  # no business hours given: calendar hours
    assert not any_due([chase], t, datetime(2026, 3, 8, 12, 0, tzinfo=UTC), business)
    assert [e.type for e in fire_due([chase], t, datetime(2026, 3, 9, 16, 30, tzinfo=UTC), None, business)] == [
        EventType.PRIORITY_CHANGED]
    never = lambda _t, _start, _minutes: (_ for _ in ()).throw(ValueError("no business time"))  # noqa: E731
    assert due_at(chase.model_copy(update={"id": "other"}), t, never) is None


def test_since_the_present_status_waits_from_when_the_ticket_took_it() -> None:
    """Zendesk's "hours since pending": the wait starts when the ticket became pending, and again when it leaves and
    comes back; a trigger's own change (a tag) does not start it again."""
    nudge = timed("nudge", 96, "status_changed", {"add_tags": ["nudged"]}, statuses=["pending"])
    t = ticket(status=Status.OPEN, status_changed_at=T0)
    t.change_status(Status.PENDING, "alex", T0 + timedelta(hours=5))
    assert (t.status_changed_at, due_at(nudge, t)) == (T0 + timedelta(hours=5), T0 + timedelta(hours=101))
    t.set_field("tags", ["billing"], "alex", T0 + timedelta(hours=50))  # not a status: the wait goes on
    assert fire_due([nudge], t, T0 + timedelta(hours=100)) == []
    [tagged] = fire_due([nudge], t, T0 + timedelta(hours=102))
    assert tagged.data["trigger"]["after"]["status"] == "pending"  # what it waited in, for the team's mail
    assert fire_due([nudge], t, T0 + timedelta(hours=300)) == []  # once for this time
    t.change_status(Status.OPEN, "dana", T0 + timedelta(hours=301))
    t.change_status(Status.PENDING, "alex", T0 + timedelta(hours=302))
    assert due_at(nudge, t) == T0 + timedelta(hours=398)  # pending again: it waits again


def test_since_assigned_waits_from_the_present_assignee_and_not_while_unassigned() -> None:
    chase = timed("chase", 8, "assigned", {"priority": "high"}, statuses=["open"])
    t = ticket(status=Status.OPEN)
    assert due_at(chase, t) is None  # nobody has it
    t.set_field("assignee_id", "alex", "ada", T0 + timedelta(hours=1))
    assert due_at(chase, t) == T0 + timedelta(hours=9)
    t.set_field("assignee_id", "bo", "ada", T0 + timedelta(hours=3))  # given to another: their time
    assert due_at(chase, t) == T0 + timedelta(hours=11)
    t.set_field("assignee_id", None, "ada", T0 + timedelta(hours=4))
    assert (t.assigned_at, due_at(chase, t)) == (None, None)


def test_a_ticket_stored_before_the_times_were_kept_waits_from_its_last_update_once() -> None:
    """Late, never early: and the time it waited from is kept, so the trigger's own change does not restart it."""
    nudge = timed("nudge", 24, "status_changed", {"add_tags": ["nudged"]}, statuses=["pending"])
    chase = timed("chase", 24, "assigned", {"add_tags": ["chased"]})
    old = ticket(status=Status.PENDING, assignee_id="alex", updated_at=T0 + timedelta(hours=2))
    assert due_at(nudge, old) == due_at(chase, old) == T0 + timedelta(hours=26)
    assert len(fire_due([nudge, chase], old, T0 + timedelta(hours=27))) == 2
    assert (old.status_changed_at, old.assigned_at) == (T0 + timedelta(hours=2), T0 + timedelta(hours=2))
    assert fire_due([nudge, chase], old, T0 + timedelta(hours=60)) == []

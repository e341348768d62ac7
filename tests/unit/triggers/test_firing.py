"""Which triggers a change sets off and what they do, on a ticket in memory: what happened (a customer's reply, the
SLA breached, ...), conditions on the ticket as it stands, triggers in order each once, never set off by another,
and an action the ticket cannot take left out."""

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Priority, Requester, Status, Ticket
from helpdesk.triggers.firing import fire, happened
from helpdesk.triggers.model import Trigger, TriggerEvent, TriggerList

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def ticket(**fields: Any) -> Ticket:
    return Ticket.model_validate({"id": "t1", "number": 7, "tenant_id": "acme", "subject": "s", "description": "d",
                                  "requester": Requester(email="dana@example.com"), "created_at": NOW,
                                  "updated_at": NOW, **fields})


def event(type_: EventType, actor: str = "a1", **data: Any) -> TicketEvent:
    return TicketEvent(ticket_id="t1", tenant_id="acme", type=type_, actor=actor, at=NOW, data=data)


def trigger(tid: str, on: list[str], actions: dict[str, Any], **conditions: Any) -> Trigger:
    return Trigger.model_validate({"id": tid, "name": tid.replace("-", " "), "on": on, "conditions": conditions,
                                   "actions": actions})


CUSTOMER_REPLY = event(EventType.PUBLIC_MESSAGE, "email:dana@example.com", body="hi", from_customer=True)


def test_what_a_change_did_is_read_from_its_events() -> None:
    assert happened([CUSTOMER_REPLY, event(EventType.STATUS_CHANGED, **{"from": "pending", "to": "open"})]) == {
        TriggerEvent.CUSTOMER_REPLIED, TriggerEvent.STATUS_CHANGED}
    assert happened([event(EventType.PUBLIC_MESSAGE, body="done", from_customer=False)]) == {
        TriggerEvent.AGENT_REPLIED}
    assert happened([event(EventType.SLA, "sla", kind="breached")]) == {TriggerEvent.SLA_BREACHED}
    assert happened([event(EventType.SLA, "sla", kind="policy_fallback")]) == set()
    assert happened([event(EventType.FOLLOWERS_CHANGED)]) == set()  # nothing a trigger waits for
    assert happened([event(EventType.PRIORITY_CHANGED, "trigger")]) == set()  # a trigger's own change


def test_a_vip_reply_is_urgent_and_the_conditions_read_the_ticket_as_it_stands() -> None:
    vip = trigger("vip-reply", ["customer_replied"], {"priority": "urgent", "add_tags": ["escalated"]},
                  tags=["vip"], statuses=["open"], without_tags=["escalated"])
    t = ticket(tags=["vip"], status=Status.OPEN)
    made = fire([vip], t, [CUSTOMER_REPLY], NOW)
    assert (t.priority, t.tags) == (Priority.URGENT, ["escalated", "vip"])
    assert [(e.type, e.actor, e.data["trigger"]) for e in made] == [
        (EventType.PRIORITY_CHANGED, "trigger", {"id": "vip-reply", "name": "vip reply"}),
        (EventType.TAGS_CHANGED, "trigger", {"id": "vip-reply", "name": "vip reply"})]
    again = ticket(tags=["vip", "escalated"], status=Status.OPEN)
    assert fire([vip], again, [CUSTOMER_REPLY], NOW) == []  # without_tags: once is enough
    assert fire([vip], ticket(tags=["vip"], status=Status.OPEN), [event(EventType.INTERNAL_NOTE)], NOW) == []
    assert fire([vip], ticket(status=Status.OPEN), [CUSTOMER_REPLY], NOW) == []  # not a vip


def test_triggers_run_in_order_each_once_and_none_is_set_off_by_another() -> None:
    raise_it = trigger("raise", ["customer_replied"], {"priority": "high"})
    on_priority = trigger("on-priority", ["priority_changed"], {"add_tags": ["hot"]})  # waits for a change by others
    after_raise = trigger("after", ["customer_replied"], {"group": "escalations"}, priorities=["high"])
    t = ticket()
    made = fire([raise_it, on_priority, after_raise], t, [CUSTOMER_REPLY], NOW)
    assert [e.data["trigger"]["id"] for e in made] == ["raise", "after"]  # sees the priority the first set
    assert (t.priority, t.group, t.tags) == (Priority.HIGH, "escalations", [])


def test_a_list_that_reruns_lets_triggers_set_each_other_off_each_acting_once() -> None:
    """Zendesk's trigger cycle: after a trigger acts the list runs again from the top, the fields it changed count as
    what happened, and a trigger that acted is skipped."""
    raise_it = trigger("raise", ["customer_replied"], {"priority": "high"})
    on_priority = trigger("on-priority", ["priority_changed"], {"add_tags": ["hot"]})
    before_escalation = trigger("first", ["group_changed"], {"add_tags": ["escalated"]})  # above the one it waits for
    escalate = trigger("escalate", ["tags_changed"], {"group": "escalations"}, tags=["hot"])
    t = ticket()
    made = fire([before_escalation, raise_it, on_priority, escalate], t, [CUSTOMER_REPLY], NOW, rerun=True)
    assert [e.data["trigger"]["id"] for e in made] == ["raise", "on-priority", "escalate", "first"]
    assert (t.priority, t.group, t.tags) == (Priority.HIGH, "escalations", ["escalated", "hot"])
    # the same list without rerun: the priority the first set is no change the others waited for
    plain = ticket()
    assert [e.data["trigger"]["id"] for e in fire([before_escalation, raise_it, on_priority, escalate], plain,
                                                  [CUSTOMER_REPLY], NOW)] == ["raise"]


def test_triggers_that_undo_each_other_stop_after_one_round_each() -> None:
    up = trigger("up", ["customer_replied", "priority_changed"], {"priority": "urgent"}, priorities=["normal"])
    down = trigger("down", ["priority_changed"], {"priority": "normal"}, priorities=["urgent"])
    t = ticket()
    made = fire([up, down], t, [CUSTOMER_REPLY], NOW, rerun=True)
    assert [(e.data["trigger"]["id"], e.data["to"]) for e in made] == [("up", "urgent"), ("down", "normal")]
    assert t.priority == Priority.NORMAL  # "up" acted once already: the cycle ends


def test_a_triggers_reply_or_note_sets_off_nothing_even_in_a_list_that_reruns() -> None:
    """An automatic message is not the team answering: "agent replied" triggers wait for a person's reply."""
    thanks = trigger("thanks", ["customer_replied"], {"reply": "We read it.", "note": "answered automatically"})
    pending = trigger("pending", ["agent_replied", "note_added"], {"status": "pending"})
    t = ticket(status=Status.OPEN)
    made = fire([thanks, pending], t, [CUSTOMER_REPLY], NOW, rerun=True)
    assert ([e.type for e in made], t.status) == ([EventType.PUBLIC_MESSAGE, EventType.INTERNAL_NOTE], Status.OPEN)


def test_a_time_triggers_changes_set_off_the_others_only_where_the_list_reruns() -> None:
    closed_by_time = event(EventType.STATUS_CHANGED, "trigger", **{"from": "pending", "to": "resolved"})
    assert happened([closed_by_time]) == set()
    assert happened([closed_by_time], by_triggers=True) == {TriggerEvent.STATUS_CHANGED}
    survey = trigger("survey", ["status_changed"], {"add_tags": ["survey-sent"]}, statuses=["resolved"])
    assert fire([survey], ticket(status=Status.RESOLVED), [closed_by_time], NOW) == []
    t = ticket(status=Status.RESOLVED)
    assert [e.type for e in fire([survey], t, [closed_by_time], NOW, rerun=True)] == [EventType.TAGS_CHANGED]


def test_an_action_the_ticket_cannot_take_is_left_out_and_the_others_happen() -> None:
    reopen = trigger("reopen", ["customer_replied"], {"status": "open", "priority": "high"})
    closed = ticket(status=Status.CLOSED)
    made = fire([reopen], closed, [CUSTOMER_REPLY], NOW)
    assert (closed.status, closed.priority, [e.type for e in made]) == (
        Status.CLOSED, Priority.HIGH, [EventType.PRIORITY_CHANGED])
    full = ticket(tags=[f"t{n}" for n in range(50)])
    tag = trigger("tag", ["customer_replied"], {"add_tags": ["one-more"], "unassign": True})
    assert fire([tag], full, [CUSTOMER_REPLY], NOW) == []  # a 51st tag is not taken; nobody had it to unassign
    paused = trigger("paused", ["customer_replied"], {"priority": "urgent"}).model_copy(update={"active": False})
    assert fire([paused], ticket(), [CUSTOMER_REPLY], NOW) == []


def test_a_breached_sla_moves_the_ticket_to_the_escalations_group_and_back_to_its_queue() -> None:
    escalate = trigger("breach", ["sla_breached"], {"group": "escalations", "unassign": True}, assigned=True)
    t = ticket(assignee_id="a1", group="billing")
    made = fire([escalate], t, [event(EventType.SLA, "sla", kind="breached")], NOW)
    assert (t.group, t.assignee_id, [e.type for e in made]) == (
        "escalations", None, [EventType.GROUP_CHANGED, EventType.ASSIGNEE_CHANGED])


def test_a_bounce_of_our_mail_sets_off_the_triggers_waiting_for_it_and_no_change_trigger() -> None:
    bounced = event(EventType.MAIL_UNDELIVERED, "email", kind="bounce",
                    recipients=[{"address": "jana@kunde.example", "status": "5.1.1"}])
    assert happened([bounced]) == {TriggerEvent.MAIL_UNDELIVERED}
    tag = trigger("bad-address", ["mail_undelivered"], {"add_tags": ["bad-address"], "notify": ["group"]})
    any_update = trigger("any-update", ["customer_replied", "agent_replied", "status_changed"],
                         {"add_tags": ["touched"]})
    t = ticket(group="billing", status=Status.OPEN)
    made = fire([tag, any_update], t, [bounced], NOW)
    assert t.tags == ["bad-address"]
    assert [e.type for e in made] == [EventType.TAGS_CHANGED, EventType.TRIGGERED]


@pytest.mark.parametrize(("body", "message"), [
    ({"id": "x", "name": "x", "on": [], "actions": {"priority": "high"}}, "one of them"),
    ({"id": "x", "name": "x", "on": ["customer_replied"], "actions": {}}, "a trigger sets a group"),
    ({"id": "x", "name": "x", "on": ["customer_replied"], "actions": {"status": "new"}}, "never goes back to new"),
    ({"id": "X Y", "name": "x", "on": ["customer_replied"], "actions": {"priority": "high"}}, "pattern"),
    ({"id": "x", "name": " ", "on": ["customer_replied"], "actions": {"priority": "high"}}, "has a name"),
    ({"id": "x", "name": "x", "on": ["opened"], "actions": {"priority": "high"}}, "customer_replied"),
    ({"id": "x", "name": "x", "on": ["mail_undelivered"], "actions": {"reply": "Hello?"}}, "does not reply"),
])
def test_a_trigger_that_could_not_run_is_refused(body: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Trigger.model_validate(body)


def test_two_triggers_with_one_id_are_refused() -> None:
    one = {"id": "x", "name": "x", "on": ["customer_replied"], "actions": {"priority": "high"}}
    with pytest.raises(ValidationError, match="id of its own"):
        TriggerList.model_validate({"triggers": [one, one]})


def test_a_customer_answering_a_solved_ticket_is_told_by_the_status_it_came_from() -> None:
    """A customer's reply reopens a solved ticket in the same change: the status after it is open; "from resolved"
    is what tells this reply from any other."""
    reopened = trigger("reopened", ["customer_replied"], {"priority": "high", "add_tags": ["reopened"]},
                       from_statuses=["resolved"])
    t = ticket(status=Status.RESOLVED)
    events = [CUSTOMER_REPLY, *t.change_status(Status.OPEN, "email:dana@example.com", NOW)]
    made = fire([reopened], t, events, NOW)
    assert (t.priority, t.tags, len(made)) == (Priority.HIGH, ["reopened"], 2)
    assert fire([reopened], ticket(status=Status.OPEN), [CUSTOMER_REPLY], NOW) == []  # it was open already


def test_a_trigger_that_mails_adds_one_team_only_event_quoting_the_changes_message() -> None:
    tell = trigger("tell", ["customer_replied"], {"notify": ["assignee", "group"]})
    made = fire([tell], ticket(), [CUSTOMER_REPLY], NOW)
    assert [(e.type, e.actor, e.data) for e in made] == [(EventType.TRIGGERED, "trigger", {
        "notify": ["assignee", "group"], "body": "hi", "trigger": {"id": "tell", "name": "tell"}})]
    assert made[0].is_internal  # the customer never reads whom the team was told


def test_a_trigger_never_undoes_a_groups_automatic_assignment() -> None:
    """Unassigning what the group's rotation just gave out would set the rotation off again: for ever."""
    back = trigger("back", ["assignee_changed"], {"unassign": True, "add_tags": ["looked-at"]})
    t = ticket(assignee_id="a1", group="billing")
    rotated = event(EventType.ASSIGNEE_CHANGED, "system", **{"from": None, "to": "a1", "automatic": "round_robin"})
    made = fire([back], t, [rotated], NOW)
    assert (t.assignee_id, t.tags, [e.type for e in made]) == ("a1", ["looked-at"], [EventType.TAGS_CHANGED])
    by_hand = event(EventType.ASSIGNEE_CHANGED, "a2", **{"from": None, "to": "a1"})
    assert [e.type for e in fire([back], ticket(assignee_id="a1"), [by_hand], NOW)] == [
        EventType.ASSIGNEE_CHANGED, EventType.TAGS_CHANGED]


def test_the_message_keywords_the_organisation_and_custom_fields_are_conditions() -> None:
    outage = trigger("outage", ["customer_replied", "note_added"], {"priority": "urgent"},
                     keywords=["outage", "down for everyone", "C++"], organizations=["umbrella"],
                     fields=["plan:enterprise", "seats:40"])
    enterprise = {"organization_id": "umbrella", "custom_fields": {"plan": "enterprise", "seats": 40.0}}

    def said(body: str, type_: EventType = EventType.PUBLIC_MESSAGE) -> list[TicketEvent]:
        return [event(type_, "email:dana@example.com", body=body, from_customer=True)]

    t = ticket(**enterprise)
    assert fire([outage], t, said("The site is DOWN for everyone since 9:00"), NOW) != []
    assert t.priority == Priority.URGENT  # a phrase in any case; 40.0 is the field's 40
    assert fire([outage], ticket(**enterprise), said("an outage.", EventType.INTERNAL_NOTE), NOW) != []
    assert fire([outage], ticket(**enterprise), said("our C++ build fails"), NOW) != []  # whole "C++"
    assert fire([outage], ticket(**enterprise), said("outages happen"), NOW) == []  # whole words only
    assert fire([outage], ticket(**enterprise), said("thanks"), NOW) == []
    other_org = {**enterprise, "organization_id": "initech"}
    assert fire([outage], ticket(**other_org), said("outage"), NOW) == []
    assert fire([outage], ticket(custom_fields={"plan": "enterprise"}), said("outage"), NOW) == []  # all fields
    # A change without a message (a status change) does not mention anything.
    on_status = trigger("on-status", ["status_changed"], {"add_tags": ["x"]}, keywords=["outage"])
    assert fire([on_status], ticket(), [event(EventType.STATUS_CHANGED, **{"from": "new", "to": "open"})], NOW) == []


def test_condition_lists_are_cleaned_and_bad_ones_refused() -> None:
    t = trigger("t", ["customer_replied"], {"priority": "high"}, fields=[" plan : pro "],
                keywords=["  two   words ", "two words"], organizations=["o1", " o1 "])
    assert (t.conditions.fields, t.conditions.keywords, t.conditions.organizations) == (
        ["plan:pro"], ["two words"], ["o1"])
    for bad in ({"fields": ["plan"]}, {"keywords": [" "]}, {"keywords": ["x" * 101]}, {"organizations": [""]}):
        with pytest.raises(ValidationError):
            trigger("t", ["customer_replied"], {"priority": "high"}, **bad)


def test_a_new_ticket_sets_off_the_triggers_waiting_for_it_with_its_subject_and_description_as_its_words() -> None:
    created = event(EventType.CREATED, "email:dana@example.com", number="T-000007", channel="email")
    assert happened([created]) == {TriggerEvent.TICKET_CREATED}
    outage = trigger("outage", ["ticket_created"], {"priority": "urgent", "notify": ["group"]},
                     keywords=["outage", "down"])
    t = ticket(subject="Site down", description="Since 9:00 nothing loads.")
    made = fire([outage], t, [created], NOW)
    assert (t.priority, [e.type for e in made]) == (Priority.URGENT, [EventType.PRIORITY_CHANGED, EventType.TRIGGERED])
    assert made[1].data["body"] == "Since 9:00 nothing loads."  # the mail quotes what the customer wrote
    calm = ticket(subject="Invoice", description="Where is it?")
    assert fire([outage], calm, [created], NOW) == []
    # A reply is no new ticket, and a trigger waiting for replies does not fire on an opening.
    assert fire([outage], ticket(), [CUSTOMER_REPLY], NOW) == []
    replies = trigger("replies", ["customer_replied"], {"add_tags": ["x"]})
    assert fire([replies], ticket(), [created], NOW) == []


def test_a_trigger_that_only_tells_the_integrations_is_one_triggered_event_with_nobody_to_mail() -> None:
    tell = trigger("tell", ["customer_replied"], {"integrations": True})
    [made] = fire([tell], ticket(), [CUSTOMER_REPLY], NOW)
    assert (made.type, made.data["notify"], made.data["integrations"], made.data["body"]) == (
        EventType.TRIGGERED, [], True, "hi")
    with pytest.raises(ValidationError, match="tells the integrations"):
        trigger("nothing", ["customer_replied"], {"integrations": False})


def test_custom_fields_are_merged_as_a_macro_merges_them_and_too_many_are_left_out() -> None:
    plan = trigger("plan", ["customer_replied"], {"custom_fields": {"plan": "enterprise", "old": None}})
    t = ticket(custom_fields={"old": "x", "seats": 40})
    [made] = fire([plan], t, [CUSTOMER_REPLY], NOW)
    assert (made.type, t.custom_fields) == (EventType.FIELDS_CHANGED, {"seats": 40, "plan": "enterprise"})
    full = ticket(custom_fields={f"k{n}": n for n in range(100)})
    assert fire([plan], full, [CUSTOMER_REPLY], NOW) == []  # a 101st field is not taken


def test_the_request_form_a_ticket_was_opened_with_is_a_condition() -> None:
    bugs = trigger("bugs", ["customer_replied"], {"group": "engineering"}, forms=["bug_report"])
    assert fire([bugs], ticket(form="billing_question"), [CUSTOMER_REPLY], NOW) == []
    assert fire([bugs], ticket(), [CUSTOMER_REPLY], NOW) == []  # opened without a form
    t = ticket(form="bug_report")
    assert [e.type for e in fire([bugs], t, [CUSTOMER_REPLY], NOW)] == [EventType.GROUP_CHANGED]
    assert t.group == "engineering"


def test_a_trigger_gives_the_ticket_to_an_agent_the_directory_lets_take_it() -> None:
    """Assigned as the trigger left the ticket (in its new group); an agent the directory refuses then (disabled, not
    in that group) is left out, the other actions still happen; the group's own automatic assignment in the same
    change is kept."""
    to_billing = trigger("to-ada", ["customer_replied"], {"group": "billing", "assignee_id": "ada",
                                                          "priority": "high"})
    asked: list[tuple[str | None, str]] = []

    def allowed(t: Ticket, user_id: str) -> bool:
        asked.append((t.group, user_id))
        return True

    t = ticket(group="support")
    made = fire([to_billing], t, [CUSTOMER_REPLY], NOW, allowed)
    assert (t.group, t.assignee_id, t.priority, asked) == ("billing", "ada", Priority.HIGH, [("billing", "ada")])
    assert [e.type for e in made] == [EventType.GROUP_CHANGED, EventType.ASSIGNEE_CHANGED, EventType.PRIORITY_CHANGED]
    refused = ticket(group="support")
    made = fire([to_billing], refused, [CUSTOMER_REPLY], NOW, lambda _t, _u: False)
    assert (refused.assignee_id, [e.type for e in made]) == (None, [EventType.GROUP_CHANGED,
                                                                     EventType.PRIORITY_CHANGED])
    handed = ticket(group="billing", assignee_id="bob")
    auto = event(EventType.ASSIGNEE_CHANGED, "system", automatic="round_robin", to="bob")
    fire([trigger("to-ada", ["assignee_changed"], {"assignee_id": "ada"})], handed, [auto], NOW, allowed)
    assert handed.assignee_id == "bob"


def test_a_trigger_unassigns_or_assigns_not_both() -> None:
    with pytest.raises(ValidationError, match="one of them"):
        trigger("x", ["customer_replied"], {"unassign": True, "assignee_id": "ada"})
    with pytest.raises(ValidationError, match="one of them"):
        trigger("x", ["agent_replied"], {"assign_to_actor": True, "assignee_id": "ada"})
    with pytest.raises(ValidationError, match="nobody who made a change"):
        Trigger.model_validate({"id": "x", "name": "x", "after": {"hours": 1, "since": "created"},
                                "actions": {"assign_to_actor": True}})


def test_the_first_agent_who_replies_takes_the_ticket_and_a_customer_never_does() -> None:
    """Zendesk's "assign to the current user": the agent whose reply set the trigger off is given the ticket if the
    directory lets them take it; a customer's change (the directory refuses them), the AI's or another trigger's
    gives it to nobody; the event says so, so nobody is mailed "assigned to you" for their own reply."""
    first = trigger("first-replier", ["agent_replied"], {"assign_to_actor": True}, assigned=False)
    staff = {"ada"}

    def allowed(_t: Ticket, user_id: str) -> bool:
        return user_id in staff

    t = ticket(group="billing")
    [given] = fire([first], t, [event(EventType.PUBLIC_MESSAGE, "ada", body="On it", from_customer=False)], NOW,
                   allowed)
    assert (t.assignee_id, given.data["to_actor"], given.actor) == ("ada", True, "trigger")
    taken = ticket(assignee_id="bob")
    assert fire([first], taken, [event(EventType.PUBLIC_MESSAGE, "ada", body="Me too")], NOW, allowed) == []
    anyone = trigger("anyone", ["customer_replied", "agent_replied"], {"assign_to_actor": True})
    by_customer = ticket()
    assert fire([anyone], by_customer, [CUSTOMER_REPLY], NOW, allowed) == []
    by_ai = ticket()
    assert fire([anyone], by_ai, [event(EventType.PUBLIC_MESSAGE, "ai", body="Try this")], NOW, allowed) == []
    without_directory = ticket()  # nothing tells an agent from a customer: nobody is given it
    assert fire([anyone], without_directory, [event(EventType.PUBLIC_MESSAGE, "ada", body="x")], NOW) == []


def test_a_trigger_replies_and_notes_with_the_tickets_placeholders_and_a_closed_ticket_takes_neither() -> None:
    thanks = trigger("thanks", ["customer_replied"], {
        "reply": "Hi {{ requester.first_name }}, we read {{ ticket.number }}.{{ agent.name }}",
        "note": "Auto-answered ({{ ticket.priority }})", "status": "pending"})
    t = ticket(requester=Requester(email="dana@example.com", name="Dana Scully"), status=Status.OPEN)
    made = fire([thanks], t, [CUSTOMER_REPLY], NOW)
    assert [(e.type, e.data.get("body"), e.actor) for e in made if e.data.get("body")] == [
        (EventType.PUBLIC_MESSAGE, "Hi Dana, we read T-000007.", "trigger"),
        (EventType.INTERNAL_NOTE, "Auto-answered (normal)", "trigger")]
    # an automatic reply is no answer of a person's: the SLA's first response and the team's last reply stay unset
    assert (t.status, t.last_agent_message_at, t.first_response_at) == (Status.PENDING, None, None)
    closed = ticket(status=Status.CLOSED)
    assert fire([thanks], closed, [CUSTOMER_REPLY], NOW) == []
    blank = trigger("blank", ["customer_replied"], {"reply": "{{ ticket.nothing }}", "add_tags": ["seen"]})
    assert [e.type for e in fire([blank], ticket(), [CUSTOMER_REPLY], NOW)] == [EventType.TAGS_CHANGED]


def test_a_bad_rating_sets_off_the_triggers_waiting_for_one() -> None:
    """Zendesk's "satisfaction is bad": the customer's rating is a change triggers wait for (`customer_rated`), and
    `ratings` asks which; a ticket never rated matches no rating condition."""
    follow_up = trigger("bad-rating", ["customer_rated"], {"status": "open", "add_tags": ["unhappy"]},
                        ratings=["bad"])
    t = ticket(status=Status.RESOLVED)
    rated = t.rate("bad", "Nobody read my mail", "email:dana@example.com", NOW)
    assert happened(rated) == {TriggerEvent.CUSTOMER_RATED}
    made = fire([follow_up], t, rated, NOW)
    assert (t.status, t.tags, [e.type for e in made]) == (
        Status.OPEN, ["unhappy"], [EventType.TAGS_CHANGED, EventType.STATUS_CHANGED])
    told = trigger("tell", ["customer_rated"], {"notify": ["group"]}, ratings=["bad"])
    other = ticket(status=Status.RESOLVED)
    [mail] = fire([told], other, other.rate("bad", "Nobody read my mail", "email:dana@example.com", NOW), NOW)
    assert mail.data["body"] == "Nobody read my mail"  # the team's mail quotes the rating's comment
    pleased = ticket(status=Status.RESOLVED)
    assert fire([follow_up], pleased, pleased.rate("good", None, "email:dana@example.com", NOW), NOW) == []
    never = ticket(status=Status.OPEN)
    assert fire([trigger("any", ["customer_replied"], {"add_tags": ["x"]}, ratings=["good", "bad"])], never,
                [CUSTOMER_REPLY], NOW) == []  # not rated: no rating matches

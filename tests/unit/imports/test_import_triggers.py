"""Zammad's and Zendesk's triggers read as triggers here: what each waited for, in both of Zammad's condition shapes,
and the ones that cannot come (a creation rule is a routing rule; OR, nested groups, waits for nothing here)."""

from typing import Any

from helpdesk.imports.adapters.zammad_config import flat_conditions
from helpdesk.imports.adapters.zammad_triggers import source_trigger as zammad_trigger
from helpdesk.imports.adapters.zendesk_triggers import source_trigger as zendesk_trigger
from helpdesk.tickets.model import Status

STATES = {"1": "new", "2": "open", "3": "pending reminder", "4": "closed"}
PRIORITIES = {"1": "1 low", "2": "2 normal", "3": "3 high"}
UPDATE = {"ticket.action": {"operator": "is", "value": "update"}}
CHANGE = {"field": "update_type", "operator": "is", "value": "Change"}


def zammad(condition: Any, perform: dict[str, Any] | None = None) -> Any:
    perform = perform or {"ticket.tags": {"operator": "add", "value": "x"}}
    return zammad_trigger({"id": 1, "name": "t", "condition": condition, "perform": perform}, STATES, PRIORITIES)


def test_both_of_zammads_condition_shapes_flatten_and_the_others_are_named() -> None:
    flat = {"ticket.state_id": {"operator": "is", "value": ["2"]}}
    assert flat_conditions(flat) == (flat, [])
    expert = {"operator": "AND", "conditions": [{"name": "ticket.state_id", "operator": "is", "value": ["2"]}]}
    assert flat_conditions(expert) == (flat, [])
    assert flat_conditions({"operator": "OR", "conditions": []}) == ({}, ["conditions combined with OR"])
    nested = {"operator": "AND", "conditions": [{"operator": "OR", "conditions": []}]}
    assert flat_conditions(nested) == ({}, ["a nested group of conditions"])
    twice = {"operator": "AND", "conditions": [{"name": "ticket.tags", "operator": "contains all", "value": "a"},
                                               {"name": "ticket.tags", "operator": "contains all", "value": "b"}]}
    assert flat_conditions(twice) == ({}, ["two conditions on ticket.tags"])


def test_what_a_zammad_trigger_waits_for() -> None:
    assert zammad({"ticket.action": {"operator": "is", "value": "create"}}) is None  # a routing rule's
    note = zammad({**UPDATE, "article.sender_id": {"operator": "is", "value": 1},
                   "article.internal": {"operator": "is", "value": True}})
    assert (note.on, note.conditions_unsupported) == (["note_added"], [])
    both = zammad({"ticket.state_id": {"operator": "is not", "value": ["4"]}})  # no ticket.action: on both there
    assert (len(both.on), "ticket_created" in both.on, Status.CLOSED in both.statuses, both.actions_unsupported) == (
        10, True, False, [])  # on new tickets too, as there
    nothing = zammad({**UPDATE, "article.sender_id": {"operator": "is", "value": 3}})  # Zammad's own mails
    assert nothing.conditions_unsupported == [
        "the articles it waits for are none a trigger here waits for (Zammad's own mails)"]
    owner = zammad({**UPDATE, "ticket.owner_id": {"operator": "is", "pre_condition": "not_set", "value": ""}},
                   {"ticket.owner_id": {"pre_condition": "not_set", "value": ""},
                    "ticket.state_id": {"value": "1"}})  # back to new: no trigger does that here
    assert (owner.assigned, owner.unassign, owner.status, owner.actions_unsupported) == (
        False, True, None, ["its ticket.state_id action has no counterpart in a trigger here"])


def test_what_a_zendesk_trigger_waits_for() -> None:
    created = {"id": 1, "title": "t", "conditions": {"all": [{"field": "update_type", "operator": "is",
                                                              "value": "Create"}]}, "actions": []}
    assert zendesk_trigger(created) is None
    by_agent = zendesk_trigger({"id": 2, "title": "t", "conditions": {"all": [
        CHANGE, {"field": "role", "operator": "is", "value": "agent"}]}, "actions": [
        {"field": "priority", "value": "high"}]})
    assert by_agent is not None
    assert by_agent.conditions_unsupported == [
        "role is agent (a trigger here cannot tell who made a change other than a comment)"]
    customer_note = zendesk_trigger({"id": 3, "title": "t", "conditions": {"all": [
        CHANGE, {"field": "comment_is_public", "operator": "is", "value": "false"},
        {"field": "role", "operator": "is", "value": "end_user"}]}, "actions": []})
    assert customer_note is not None
    assert customer_note.conditions_unsupported == [
        "the comments it waits for are none a trigger here waits for (an end user's note)"]
    reopened = zendesk_trigger({"id": 4, "title": "t", "conditions": {"all": [
        CHANGE, {"field": "status", "operator": "value_previous", "value": "solved"}]}, "actions": [
        {"field": "set_tags", "value": "only these"}]})
    assert reopened is not None
    assert (reopened.on, reopened.from_statuses, reopened.actions_unsupported) == (
        ["status_changed"], [Status.RESOLVED], ["its set_tags action has no counterpart in a trigger here"])


def test_a_zendesk_trigger_asking_for_words_an_organisation_a_field_and_a_channel() -> None:
    found = zendesk_trigger({"id": 3, "title": "Enterprise outages", "conditions": {"all": [
        CHANGE, {"field": "comment_includes_word", "operator": "includes", "value": "outage down"},
        {"field": "organization_id", "operator": "is", "value": 900},
        {"field": "custom_fields_360001", "operator": "is", "value": "plan_enterprise"},
        {"field": "via_id", "operator": "is", "value": "4"}]}, "actions": [{"field": "priority", "value": "urgent"}]})
    assert found is not None
    assert (found.keywords, found.organization_ids, found.field_values, found.channels,
            found.conditions_unsupported) == (["outage", "down"], ["900"], {"360001": "plan_enterprise"}, ["email"], [])
    assert "matches the comment's whole words here (there: any text containing them)" in found.actions_unsupported
    phrase = zendesk_trigger({"id": 4, "title": "t", "conditions": {"all": [
        CHANGE, {"field": "comment_includes_word", "operator": "is", "value": "is down"},
        {"field": "comment_includes_word", "operator": "includes", "value": "again"}]},
        "actions": [{"field": "priority", "value": "high"}]})
    assert phrase is not None  # words that must all appear (two sets): no counterpart
    assert (phrase.keywords, phrase.conditions_unsupported) == (["is down"], ["comment_includes_word includes again"])


def test_a_zammad_trigger_asking_for_words_an_organisation_and_a_custom_attribute() -> None:
    found = zammad_trigger({"id": 5, "name": "t", "condition": {
        **UPDATE, "article.body": {"operator": "contains", "value": "outage"},
        "ticket.organization_id": {"operator": "is", "pre_condition": "specific", "value": ["12"]},
        "ticket.plan": {"operator": "is", "value": ["enterprise"]}},
        "perform": {"ticket.priority_id": {"value": "3"}}}, STATES, PRIORITIES, {"plan"})
    assert found is not None
    assert (found.keywords, found.organization_ids, found.field_values, found.conditions_unsupported) == (
        ["outage"], ["12"], {"plan": "enterprise"}, [])
    assert found.on == ["agent_replied", "customer_replied", "note_added"]  # an article's words: one was added
    other = zammad({**UPDATE, "article.body": {"operator": "does not contain", "value": "x"},
                    "ticket.unknown": {"operator": "is", "value": ["y"]}})
    assert other.conditions_unsupported == ["article.body does not contain", "ticket.unknown is"]


def test_a_zammad_trigger_setting_a_custom_attribute() -> None:
    found = zammad_trigger({"id": 6, "name": "t", "condition": UPDATE, "perform": {
        "ticket.plan": {"value": "enterprise"}, "ticket.unknown": {"value": "x"}}}, STATES, PRIORITIES, {"plan"})
    assert found is not None
    assert (found.set_field_values, found.actions_unsupported) == (
        {"plan": "enterprise"}, ["its ticket.unknown action has no counterpart in a trigger here"])


def test_a_zendesk_status_less_or_greater_than_reads_as_the_statuses_it_lets_through() -> None:
    """"Status less than solved" (the unsolved ones) is Zendesk's commonest condition; a status it does not know
    keeps the trigger out."""

    def trigger(*conditions: dict[str, Any]) -> Any:
        return zendesk_trigger({"id": 3, "title": "t", "conditions": {"all": [CHANGE, *conditions]},
                                "actions": [{"field": "priority", "value": "high"}]})

    unsolved = trigger({"field": "status", "operator": "less_than", "value": "solved"})
    assert (unsolved.statuses, unsolved.conditions_unsupported) == (
        [Status.NEW, Status.ON_HOLD, Status.OPEN, Status.PENDING], [])
    later = trigger({"field": "status", "operator": "greater_than", "value": "pending"},
                    {"field": "status", "operator": "is_not", "value": "closed"})
    assert (later.statuses, later.conditions_unsupported) == ([Status.ON_HOLD, Status.RESOLVED], [])
    odd = trigger({"field": "status", "operator": "less_than", "value": "archived"})
    assert odd.conditions_unsupported == ["status less_than archived"]


def test_the_current_user_as_assignee_is_the_one_who_made_the_change() -> None:
    """Zendesk's `assignee_id: current_user` and Zammad's owner `current_user.id` give the ticket to whoever's change
    set the trigger off (`assign_to_actor`), as there."""
    zendesk = zendesk_trigger({"id": 4, "title": "t", "conditions": {"all": [
        CHANGE, {"field": "comment_is_public", "operator": "is", "value": "true"},
        {"field": "role", "operator": "is", "value": "agent"}]}, "actions": [
        {"field": "assignee_id", "value": "current_user"}]})
    assert zendesk is not None
    assert (zendesk.assign_to_actor, zendesk.assignee_id, zendesk.actions_unsupported) == (True, None, [])
    zammad_taken = zammad({**UPDATE, "article.sender_id": {"operator": "is", "value": 1}},
                          {"ticket.owner_id": {"pre_condition": "current_user.id", "value": ""}})
    assert (zammad_taken.assign_to_actor, zammad_taken.unassign, zammad_taken.actions_unsupported) == (True, False, [])


def test_a_zendesk_automations_mail_to_the_requester_is_the_time_triggers_reply() -> None:
    """An automation's "Email user (requester)" with its text ("still there?") is the time trigger's reply here,
    which reaches the requester in the ticket's thread (named: its subject is not kept); a trigger's (Zendesk's
    "notify requester of comment update") is not: the helpdesk mails the reply itself, a trigger would say it twice."""
    from helpdesk.imports.adapters.zendesk_triggers import source_time_trigger

    mail = {"field": "notification_user",
            "value": ["requester_id", "Still there?", "Any news, {{ticket.requester.name}}?"]}
    asked = source_time_trigger({"id": 5, "title": "t", "conditions": {"all": [
        {"field": "status", "operator": "is", "value": "pending"},
        {"field": "PENDING", "operator": "greater_than", "value": "24"}]}, "actions": [
        mail, {"field": "notification_user", "value": ["123", "FYI", "Look"]}]})
    assert asked is not None
    assert asked.reply == "Any news, {{ticket.requester.name}}?"
    assert asked.actions_unsupported == [
        "its mail to the requester is a reply in the ticket's thread here (the mail's own subject is not kept)",
        "its notification_user action has no counterpart in a trigger here"]
    on_comment = zendesk_trigger({"id": 6, "title": "Notify requester of comment update", "conditions": {"all": [
        CHANGE, {"field": "comment_is_public", "operator": "is", "value": "true"}]}, "actions": [
        {**mail, "value": ["requester_id", "Re: {{ticket.title}}", "{{ticket.latest_comment_formatted}}"]}]})
    assert on_comment is not None
    assert (on_comment.reply, on_comment.actions_unsupported) == (
        None, ["its notification_user action has no counterpart in a trigger here"])


def test_zendesks_satisfaction_conditions_read_as_the_rating_here() -> None:
    """"Satisfaction changed to bad" waits for the customer's rating and asks for a bad one; "satisfaction is good
    with comment" matches every good rating here (named); "offered" (the survey itself) has no counterpart."""
    changed = zendesk_trigger({"id": 7, "title": "t", "conditions": {"all": [
        CHANGE, {"field": "satisfaction_score", "operator": "value", "value": "bad"}]}, "actions": [
        {"field": "status", "value": "open"}]})
    assert changed is not None
    assert (changed.on, changed.ratings, changed.conditions_unsupported) == (["customer_rated"], ["bad"], [])
    commented = zendesk_trigger({"id": 8, "title": "t", "conditions": {"all": [
        CHANGE, {"field": "satisfaction_score", "operator": "is", "value": "goodwithcomment"}]}, "actions": [
        {"field": "current_tags", "value": "praise"}]})
    assert commented is not None
    assert (commented.ratings, commented.actions_unsupported) == (
        ["good"], ["matches every good rating here (there: only one with a comment)"])
    offered = zendesk_trigger({"id": 9, "title": "t", "conditions": {"all": [
        CHANGE, {"field": "satisfaction_score", "operator": "is", "value": "offered"}]}, "actions": [
        {"field": "current_tags", "value": "x"}]})
    assert offered is not None
    assert offered.conditions_unsupported == ["satisfaction_score is offered"]

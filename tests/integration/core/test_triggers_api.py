"""Triggers through the real lambda_handlers on moto: admins save them (`PUT /triggers`, versioned, audited, only
groups the directory has), and a customer's reply, an agent's change or the SLA scan sets them off in the change's
own write; customers never read which trigger did what."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from helpdesk import bootstrap
from tests.conftest import claims, http_event
from tests.fakes import seed_directory

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

CUSTOMER = {**claims("c1", "acme", "customer", email="dana@example.com"), "email_verified": "true"}
AGENT = {**claims("a1", "acme", "agent", email="alex@acme.test"), "name": "Alex Doe"}
ADMIN = claims("root", "acme", "admin")

VIP_REPLY = {"id": "vip-reply", "name": "VIP answers are urgent", "on": ["customer_replied"],
             "conditions": {"tags": ["vip"], "without_tags": ["escalated"]},
             "actions": {"priority": "urgent", "add_tags": ["escalated"], "group": "escalations"}}
WAITING = {"id": "waiting", "name": "Pending means waiting", "on": ["status_changed"],
           "conditions": {"statuses": ["pending"]}, "actions": {"add_tags": ["waiting"]}}


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any] | None, body: Any = None,
         headers: dict[str, str] | None = None, function: str = "agent_tools") -> dict[str, Any]:
    return invoke(function, http_event(method, path, body=body, claims_=who, headers=headers))


@pytest.fixture
def team(aws: None) -> None:
    seed_directory(bootstrap.container().directory_store, "acme", agents=["a1"], groups={"escalations": ["a1"]})


def save(invoke: Invoke, triggers: list[dict[str, Any]], etag: str | None = None,
         who: dict[str, Any] = ADMIN, rerun: bool = False) -> dict[str, Any]:
    return call(invoke, "PUT", "/triggers", who, {"triggers": triggers, "rerun": rerun},
                headers={"if-match": etag} if etag else None)


def opened(invoke: Invoke, **fields: Any) -> dict[str, Any]:
    body = {"subject": "Invoice missing", "description": "Where is May's invoice?",
            "requester": {"id": "email:dana@example.com", "email": "dana@example.com", "name": "Dana Scully"},
            **fields}
    response = call(invoke, "POST", "/tickets", AGENT, body, function="ticket_commands")
    assert response["statusCode"] == 201, response["json"]
    return dict(response["json"])


def test_admins_save_the_triggers_in_order_and_a_save_made_meanwhile_is_refused(team: None, invoke: Invoke) -> None:
    empty = call(invoke, "GET", "/triggers", AGENT)
    assert (empty["statusCode"], empty["json"], empty["headers"]["etag"]) == (
        200, {"triggers": [], "rerun": False, "version": 0}, '"0"')
    saved = save(invoke, [VIP_REPLY, WAITING], '"0"')
    assert saved["statusCode"] == 200, saved["json"]
    assert [t["id"] for t in saved["json"]["triggers"]] == ["vip-reply", "waiting"]
    assert saved["headers"]["etag"] == '"1"'
    assert save(invoke, [WAITING], '"0"')["statusCode"] == 409  # someone saved since that read
    assert save(invoke, [WAITING], who=AGENT)["statusCode"] == 403
    assert call(invoke, "GET", "/triggers", CUSTOMER)["statusCode"] == 404
    nowhere = save(invoke, [{**WAITING, "actions": {"group": "nobody-here"}}])
    assert (nowhere["statusCode"], nowhere["json"]["error"]["details"]) == (
        422, {"field": "triggers[0].actions.group", "group": "nobody-here"})
    bad = save(invoke, [{**WAITING, "on": ["opened"]}])
    assert bad["statusCode"] == 422
    unsafe = save(invoke, [{**WAITING, "actions": {"reply": "{{ ticket.subject * 1000 }}"}}])
    assert (unsafe["statusCode"], unsafe["json"]["error"]["details"]["field"]) == (
        400, "triggers[0].actions.reply")  # placeholders only, as a macro's
    audit = call(invoke, "GET", "/audit", ADMIN, function="audit_api")["json"]["items"]
    assert [(e["kind"], e["action"]) for e in audit if e["kind"] == "triggers"] == [("triggers", "created")]


def test_a_vip_customer_reply_sets_the_trigger_off_in_the_same_write(team: None, invoke: Invoke) -> None:
    assert save(invoke, [VIP_REPLY, WAITING])["statusCode"] == 200
    t = opened(invoke, tags=["vip"])
    before = t["version"]
    reply = call(invoke, "POST", f"/tickets/{t['id']}/messages", CUSTOMER, {"body": "Any news?"},
                 function="ticket_commands")
    assert reply["statusCode"] == 201, reply["json"]
    after = call(invoke, "GET", f"/tickets/{t['id']}", AGENT, function="ticket_commands")["json"]
    assert (after["priority"], after["group"], after["tags"], after["version"]) == (
        "urgent", "escalations", ["escalated", "vip"], before + 1)  # one write
    budgets = {target["kind"]: target["budget_minutes"] for target in after["sla"]["targets"]}
    assert budgets == {"first_response": 60, "resolution": 240}  # the SLA counted it urgent in that write
    log = call(invoke, "GET", f"/tickets/{t['id']}/events", AGENT, function="ticket_commands")["json"]
    by_trigger = [(e["type"], e["data"]["trigger"]["name"]) for e in log if e["actor"] == "trigger"]
    assert by_trigger == [("group_changed", "VIP answers are urgent"), ("priority_changed", "VIP answers are urgent"),
                          ("tags_changed", "VIP answers are urgent")]
    again = call(invoke, "POST", f"/tickets/{t['id']}/messages", CUSTOMER, {"body": "Hello?"},
                 function="ticket_commands")
    assert again["statusCode"] == 201
    log = call(invoke, "GET", f"/tickets/{t['id']}/events", AGENT, function="ticket_commands")["json"]
    assert sum(1 for e in log if e["actor"] == "trigger") == 3  # escalated already: not again
    seen = call(invoke, "GET", f"/tickets/{t['id']}/events", CUSTOMER, function="ticket_commands")["json"]
    assert not any("trigger" in e["data"] for e in seen)  # which of the team's triggers did it is theirs


def test_in_a_list_that_reruns_the_change_one_trigger_makes_sets_off_the_next_in_the_same_write(
        team: None, invoke: Invoke) -> None:
    urgent_to_group = {"id": "urgent-tell", "name": "Urgent: tell the group", "on": ["priority_changed"],
                       "conditions": {"priorities": ["urgent"]}, "actions": {"notify": ["group"],
                                                                             "add_tags": ["urgent-told"]}}
    assert save(invoke, [urgent_to_group, VIP_REPLY])["statusCode"] == 200
    plain = opened(invoke, tags=["vip"])
    assert call(invoke, "POST", f"/tickets/{plain['id']}/messages", CUSTOMER, {"body": "Any news?"},
                function="ticket_commands")["statusCode"] == 201
    after = call(invoke, "GET", f"/tickets/{plain['id']}", AGENT, function="ticket_commands")["json"]
    assert (after["priority"], after["tags"]) == ("urgent", ["escalated", "vip"])  # its priority set nothing off

    saved = save(invoke, [urgent_to_group, VIP_REPLY], rerun=True)
    assert (saved["statusCode"], saved["json"]["rerun"]) == (200, True)
    assert call(invoke, "GET", "/triggers", AGENT)["json"]["rerun"] is True
    t = opened(invoke, tags=["vip"])
    before = t["version"]
    assert call(invoke, "POST", f"/tickets/{t['id']}/messages", CUSTOMER, {"body": "Any news?"},
                function="ticket_commands")["statusCode"] == 201
    after = call(invoke, "GET", f"/tickets/{t['id']}", AGENT, function="ticket_commands")["json"]
    assert (after["priority"], after["tags"], after["version"]) == (
        "urgent", ["escalated", "urgent-told", "vip"], before + 1)  # still one write
    log = call(invoke, "GET", f"/tickets/{t['id']}/events", AGENT, function="ticket_commands")["json"]
    assert [(e["type"], e["data"]["trigger"]["id"]) for e in log if e["actor"] == "trigger"] == [
        ("group_changed", "vip-reply"), ("priority_changed", "vip-reply"), ("tags_changed", "vip-reply"),
        ("tags_changed", "urgent-tell"), ("triggered", "urgent-tell")]


def test_an_agent_setting_pending_tags_it_waiting(team: None, invoke: Invoke) -> None:
    assert save(invoke, [WAITING])["statusCode"] == 200
    t = opened(invoke)
    changed = call(invoke, "PATCH", f"/tickets/{t['id']}", AGENT, {"status": "pending"}, function="ticket_commands")
    assert changed["statusCode"] == 200, changed["json"]
    assert changed["json"]["tags"] == ["waiting"]


def test_the_sla_scan_breaching_a_ticket_sets_a_trigger_off(team: None, invoke: Invoke) -> None:
    assert save(invoke, [{"id": "breach", "name": "Breached: escalate", "on": ["sla_breached"],
                          "actions": {"group": "escalations", "add_tags": ["breached"]}}])["statusCode"] == 200
    t = opened(invoke, priority="urgent")
    container = bootstrap.container()
    ticket = container.ticket_repository.get("acme", t["id"])
    assert ticket is not None
    late = ticket.created_at + timedelta(days=3)
    container.sla_scan.run(now=late)
    after = call(invoke, "GET", f"/tickets/{t['id']}", AGENT, function="ticket_commands")["json"]
    assert (after["group"], "breached" in after["tags"]) == ("escalations", True)


def test_an_enterprise_customer_of_an_organisation_mentioning_an_outage_is_urgent(team: None, invoke: Invoke) -> None:
    made = call(invoke, "POST", "/organizations", ADMIN, {"name": "Example Corp", "domains": ["example.com"]},
                function="directory_api")
    assert made["statusCode"] == 201, made["json"]
    outage = {"id": "outage", "name": "Enterprise outages are urgent", "on": ["customer_replied"],
              "conditions": {"organizations": [made["json"]["id"]], "fields": ["plan:enterprise"],
                             "keywords": ["outage", "is down"]},
              "actions": {"priority": "urgent", "group": "escalations"}}
    saved = save(invoke, [outage])
    assert saved["statusCode"] == 200, saved["json"]
    assert saved["json"]["triggers"][0]["conditions"]["keywords"] == ["outage", "is down"]
    t = opened(invoke, custom_fields={"plan": "enterprise"})
    assert t["organization_id"] == made["json"]["id"]
    calm = call(invoke, "POST", f"/tickets/{t['id']}/messages", CUSTOMER, {"body": "Thanks, any news?"},
                function="ticket_commands")
    assert calm["statusCode"] == 201
    assert call(invoke, "GET", f"/tickets/{t['id']}", AGENT, function="ticket_commands")["json"]["priority"] == "normal"
    loud = call(invoke, "POST", f"/tickets/{t['id']}/messages", CUSTOMER, {"body": "Now the whole site IS DOWN."},
                function="ticket_commands")
    assert loud["statusCode"] == 201
    after = call(invoke, "GET", f"/tickets/{t['id']}", AGENT, function="ticket_commands")["json"]
    assert (after["priority"], after["group"]) == ("urgent", "escalations")
    free = opened(invoke, custom_fields={"plan": "free"})
    call(invoke, "POST", f"/tickets/{free['id']}/messages", CUSTOMER, {"body": "outage"}, function="ticket_commands")
    assert call(invoke, "GET", f"/tickets/{free['id']}", AGENT, function="ticket_commands")["json"]["priority"] == \
        "normal"
    bad = save(invoke, [{**outage, "conditions": {"fields": ["plan"]}}])
    assert (bad["statusCode"], bad["json"]["error"]["code"]) == (422, "validation_error")


def test_a_new_ticket_about_an_outage_is_urgent_from_its_first_write(team: None, invoke: Invoke) -> None:
    saved = save(invoke, [{"id": "new-outage", "name": "New outages are urgent", "on": ["ticket_created"],
                           "conditions": {"keywords": ["outage", "is down"]},
                           "actions": {"priority": "urgent", "group": "escalations"}}])
    assert saved["statusCode"] == 200, saved["json"]
    opened = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "The site is down",
                                                          "description": "Nothing loads since 9:00."},
                  function="ticket_commands")
    assert opened["statusCode"] == 201, opened["json"]
    assert opened["json"]["priority"] == "urgent"  # in the ticket's first write
    after = call(invoke, "GET", f"/tickets/{opened['json']['id']}", AGENT, function="ticket_commands")["json"]
    assert (after["priority"], after["group"], after["version"]) == ("urgent", "escalations", opened["json"]["version"])
    budgets = {target["kind"]: target["budget_minutes"] for target in after["sla"]["targets"]}
    assert budgets == {"first_response": 60, "resolution": 240}  # the SLA counted it urgent from the start
    calm = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Invoice", "description": "Where is it?"},
                function="ticket_commands")
    assert calm["json"]["priority"] == "normal"


def test_a_trigger_sets_custom_fields_of_their_types(team: None, invoke: Invoke) -> None:
    fields = call(invoke, "PUT", "/ticket-fields", ADMIN, {"fields": [
        {"key": "plan", "label": "Plan", "type": "dropdown", "options": ["free", "enterprise"]},
        {"key": "seats", "label": "Seats", "type": "number"}]}, headers={"if-match": '"0"'},
        function="ticket_commands")
    assert fields["statusCode"] == 200, fields["json"]
    wrong = save(invoke, [{"id": "plan", "name": "Enterprise", "on": ["ticket_created"],
                           "conditions": {"keywords": ["enterprise"]},
                           "actions": {"custom_fields": {"plan": "gold"}}}])
    assert (wrong["statusCode"], wrong["json"]["error"]["code"], wrong["json"]["error"]["details"]["field"]) == (
        422, "invalid_field_value", "triggers[0].actions.custom_fields")
    assert save(invoke, [{"id": "plan", "name": "Enterprise", "on": ["ticket_created"],
                          "conditions": {"keywords": ["enterprise"]},
                          "actions": {"custom_fields": {"plan": "enterprise", "seats": 100}}}])["statusCode"] == 200
    opened = call(invoke, "POST", "/tickets", CUSTOMER, {
        "subject": "Enterprise plan question", "description": "How do we add seats?"}, function="ticket_commands")
    assert opened["statusCode"] == 201, opened["json"]
    after = call(invoke, "GET", f"/tickets/{opened['json']['id']}", AGENT, function="ticket_commands")["json"]
    assert after["custom_fields"] == {"plan": "enterprise", "seats": 100}


def test_a_trigger_is_tried_on_a_ticket_before_it_is_saved_and_nothing_is_written(team: None, invoke: Invoke) -> None:
    t = opened(invoke, tags=["vip"])
    trial = {"trigger": VIP_REPLY, "ticket": t["number"], "message": "Any news?"}
    tried = call(invoke, "POST", "/triggers/try", ADMIN, trial)
    assert tried["statusCode"] == 200, tried["json"]
    assert (tried["json"]["matches"], tried["json"]["unmet"], tried["json"]["number"]) == (True, [], t["number"])
    assert [(c["type"], c["data"].get("to")) for c in tried["json"]["changes"]] == [
        ("group_changed", "escalations"), ("priority_changed", "urgent"), ("tags_changed", ["escalated", "vip"])]
    after = call(invoke, "GET", f"/tickets/{t['id']}", AGENT, function="ticket_commands")["json"]
    assert (after["priority"], after["version"]) == ("normal", t["version"])  # nothing written
    words = {**VIP_REPLY, "conditions": {"tags": ["vip"], "statuses": ["pending"], "keywords": ["outage"]}}
    bare = str(int(t["number"].removeprefix("T-")))
    missed = call(invoke, "POST", "/triggers/try", AGENT, {"trigger": words, "ticket": bare, "message": "Thanks"})
    assert (missed["statusCode"], missed["json"]["matches"], missed["json"]["unmet"], missed["json"]["changes"]) == (
        200, False, ["statuses", "keywords"], [])
    assert call(invoke, "POST", "/triggers/try", CUSTOMER, trial)["statusCode"] == 404
    assert call(invoke, "POST", "/triggers/try", ADMIN, {**trial, "ticket": "T-999999"})["statusCode"] == 404
    assert call(invoke, "POST", "/triggers/try", ADMIN, {**trial, "ticket": "nine"})["statusCode"] == 422


def test_a_trigger_assigns_an_agent_of_the_group_and_not_one_disabled_since(team: None, invoke: Invoke) -> None:
    to_alex = {"id": "to-alex", "name": "Escalations go to Alex", "on": ["customer_replied"],
               "conditions": {"tags": ["vip"]}, "actions": {"group": "escalations", "assignee_id": "a1"}}
    nobody = save(invoke, [{**to_alex, "actions": {"assignee_id": "ghost"}}])
    assert (nobody["statusCode"], nobody["json"]["error"]["details"]["field"]) == (
        422, "triggers[0].actions.assignee_id")
    seed_directory(bootstrap.container().directory_store, "acme", agents=["a2"], groups={"billing": ["a2"]})
    outsider = save(invoke, [{**to_alex, "actions": {"group": "escalations", "assignee_id": "a2"}}])
    assert outsider["statusCode"] == 422, outsider["json"]  # not in the group the trigger moves tickets to
    assert save(invoke, [to_alex])["statusCode"] == 200
    t = opened(invoke, tags=["vip"])
    assert call(invoke, "POST", f"/tickets/{t['id']}/messages", CUSTOMER, {"body": "Any news?"},
                function="ticket_commands")["statusCode"] == 201
    after = call(invoke, "GET", f"/tickets/{t['id']}", AGENT, function="ticket_commands")["json"]
    assert (after["group"], after["assignee_id"]) == ("escalations", "a1")

    disabled = call(invoke, "PATCH", "/users/a1", ADMIN, {"active": False}, function="directory_api")
    assert disabled["statusCode"] == 200, disabled["json"]  # since the trigger was saved
    later = opened(invoke, tags=["vip"])
    assert call(invoke, "POST", f"/tickets/{later['id']}/messages", CUSTOMER, {"body": "Hello?"},
                function="ticket_commands")["statusCode"] == 201
    after = call(invoke, "GET", f"/tickets/{later['id']}", claims("root", "acme", "admin"),
                 function="ticket_commands")["json"]
    assert (after["group"], after["assignee_id"]) == ("escalations", None)  # moved, not given to Alex


def test_the_first_agent_who_replies_takes_the_ticket(team: None, invoke: Invoke) -> None:
    """Zendesk's "assign to the current user" (`assign_to_actor`): Alex's reply to an unassigned ticket gives it to
    him in his reply's own write, named as the trigger's change; a customer's reply gives it to nobody. A time trigger
    cannot ask for it (422 naming the field)."""
    first = {"id": "first-replier", "name": "The first to reply takes it", "on": ["agent_replied"],
             "conditions": {"assigned": False}, "actions": {"assign_to_actor": True}}
    assert save(invoke, [first])["statusCode"] == 200
    t = opened(invoke)
    replied = call(invoke, "POST", f"/tickets/{t['id']}/messages", AGENT, {"body": "Looking into it."},
                   function="ticket_commands")
    assert replied["statusCode"] == 201
    after = call(invoke, "GET", f"/tickets/{t['id']}", AGENT, function="ticket_commands")["json"]
    assert after["assignee_id"] == "a1"
    log = call(invoke, "GET", f"/tickets/{t['id']}/events", AGENT, function="ticket_commands")["json"]
    assert [(e["type"], e["data"]["to"]) for e in log if e["actor"] == "trigger"] == [("assignee_changed", "a1")]

    anyone = {**first, "id": "anyone", "on": ["customer_replied"]}
    assert save(invoke, [anyone], '"1"')["statusCode"] == 200
    other = opened(invoke)
    asked = call(invoke, "POST", f"/tickets/{other['id']}/messages", CUSTOMER, {"body": "Hello?"},
                 function="ticket_commands")
    assert asked["statusCode"] == 201
    assert call(invoke, "GET", f"/tickets/{other['id']}", AGENT, function="ticket_commands")["json"][
        "assignee_id"] is None  # a customer is nobody's to give it to

    timed = {**first, "id": "timed", "on": [], "after": {"hours": 4, "since": "created"}}
    refused = save(invoke, [timed], '"2"')
    assert refused["statusCode"] == 422
    assert "assign_to_actor" in str(refused["json"])

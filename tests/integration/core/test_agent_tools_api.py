"""Macros and bulk changes through the agent tools function's real lambda_handler, on moto."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import claims, http_event
from tests.fakes import seed_directory

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

CUSTOMER = {**claims("c1", "acme", "customer", email="dana@example.com"), "email_verified": "true"}
AGENT = {**claims("a1", "acme", "agent", email="alex@acme.test"), "name": "Alex Doe"}
OTHER_AGENT = claims("a2", "acme", "agent")
BILLING_AGENT = claims("a3", "acme", "agent", groups=["billing"])
SHIPPING_AGENT = claims("a4", "acme", "agent", groups=["shipping"])
ADMIN = claims("root", "acme", "admin")
FOREIGN_AGENT = claims("z1", "zeta", "agent")

REPLY = "Hi {{ requester.first_name }}, about {{ ticket.number }}: we sent it again. {{ agent.first_name }}"


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any] | None, body: Any = None,
         query: dict[str, str] | None = None, headers: dict[str, str] | None = None,
         function: str = "agent_tools") -> dict[str, Any]:
    return invoke(function, http_event(method, path, body=body, claims_=who, query=query, headers=headers))


def ticket(invoke: Invoke, who: dict[str, Any] = AGENT, **fields: Any) -> dict[str, Any]:
    body = {"subject": "Invoice missing", "description": "Where is May's invoice?",
            "requester": {"id": "email:dana@example.com", "email": "dana@example.com", "name": "Dana Scully"},
            **fields}
    response = call(invoke, "POST", "/tickets", who, body, function="ticket_commands")
    assert response["statusCode"] == 201, response["json"]
    return dict(response["json"])


def macro(invoke: Invoke, who: dict[str, Any] = AGENT, **fields: Any) -> dict[str, Any]:
    body = {"name": "Invoice resent", "actions": {"reply": REPLY, "status": "pending", "add_tags": ["Billing"]},
            **fields}
    response = call(invoke, "POST", "/macros", who, body)
    assert response["statusCode"] == 201, response["json"]
    return dict(response["json"])


def events(invoke: Invoke, ticket_id: str, who: dict[str, Any] = AGENT) -> list[dict[str, Any]]:
    return list(call(invoke, "GET", f"/tickets/{ticket_id}/events", who, function="ticket_commands")["json"])


def test_a_macro_replies_and_sets_pending_in_one_write(aws: None, invoke: Invoke) -> None:
    t = ticket(invoke)
    m = macro(invoke)
    applied = call(invoke, "POST", f"/tickets/{t['id']}/macros/{m['id']}/apply", AGENT)
    assert applied["statusCode"] == 200, applied["json"]
    result = applied["json"]
    assert result["reply"] == f"Hi Dana, about {t['number']}: we sent it again. Alex"
    assert (result["ticket"]["status"], result["ticket"]["tags"]) == ("pending", ["billing"])
    assert result["ticket"]["version"] == t["version"] + 1  # one transaction
    after = call(invoke, "GET", f"/tickets/{t['id']}", AGENT, function="ticket_commands")["json"]
    assert (after["status"], after["first_response_at"] is not None) == ("pending", True)
    log = events(invoke, t["id"])
    assert [e["type"] for e in log][1:] == ["public_message", "status_changed", "tags_changed", "status_changed",
                                           "macro_applied"]
    assert log[-1]["data"]["macro_id"] == m["id"]
    assert log[-1]["actor"] == "a1"
    assert log[1]["data"]["body"] == result["reply"]
    seen_by_customer = [e["type"] for e in events(invoke, t["id"], CUSTOMER)]
    assert "public_message" in seen_by_customer
    assert "macro_applied" not in seen_by_customer


def test_a_macro_written_in_markdown_writes_its_reply_and_note_in_markdown(aws: None, invoke: Invoke) -> None:
    t = ticket(invoke)
    plain = macro(invoke)
    assert plain["actions"]["format"] == "text"  # what every macro saved before was
    m = macro(invoke, actions={"reply": "Hi {{ requester.first_name }},\n\n- **resent** today", "note": "*done*",
                               "format": "markdown"})
    preview = call(invoke, "POST", f"/tickets/{t['id']}/macros/{m['id']}/apply", AGENT, query={"dry_run": "true"})
    assert (preview["json"]["reply"], preview["json"]["format"]) == ("Hi Dana,\n\n- **resent** today", "markdown")
    assert call(invoke, "POST", f"/tickets/{t['id']}/macros/{m['id']}/apply", AGENT)["statusCode"] == 200
    written = [e["data"] for e in events(invoke, t["id"]) if e["type"] in ("public_message", "internal_note")]
    assert [(d["body"], d["format"]) for d in written] == [("Hi Dana,\n\n- **resent** today", "markdown"),
                                                           ("*done*", "markdown")]
    refused = call(invoke, "POST", "/macros", AGENT, {"name": "Odd", "actions": {"reply": "x", "format": "html"}})
    assert refused["statusCode"] == 422


def test_dry_run_previews_and_writes_nothing(aws: None, invoke: Invoke) -> None:
    t = ticket(invoke)
    m = macro(invoke, actions={"reply": REPLY, "note": "Resent by {{ agent.name }}", "priority": "high"})
    preview = call(invoke, "POST", f"/tickets/{t['id']}/macros/{m['id']}/apply", AGENT, query={"dry_run": "true"})
    assert preview["statusCode"] == 200, preview["json"]
    assert preview["json"]["dry_run"] is True
    assert preview["json"]["note"] == "Resent by Alex Doe"
    assert (preview["json"]["ticket"]["priority"], preview["json"]["ticket"]["status"]) == ("high", "open")
    assert [e["type"] for e in events(invoke, t["id"])] == ["created"]
    stale = call(invoke, "POST", f"/tickets/{t['id']}/macros/{m['id']}/apply", AGENT, headers={"if-match": '"99"'})
    assert stale["statusCode"] == 409
    assert [e["type"] for e in events(invoke, t["id"])] == ["created"]


def test_templates_reach_no_python_internals(aws: None, invoke: Invoke) -> None:
    t = ticket(invoke)
    probe = macro(invoke, actions={"note": "[{{ ''.__class__ }}][{{ ticket.__class__ }}][{{ ticket.items }}]"
                                           "[{{ requester._fields }}][{{ nothing.at.all }}]"})
    applied = call(invoke, "POST", f"/tickets/{t['id']}/macros/{probe['id']}/apply", AGENT)
    assert applied["json"]["note"] == "[][][][][]"
    nested_loops = "{% for a in ticket.tags %}{% for b in ticket.tags %}{% endfor %}{% endfor %}"
    for template in ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "{{ 'x' * 100000000 }}", "{{ 9 ** 9 ** 9 }}",
                     "{{ ticket.subject|center(1000000000) }}", nested_loops, "{% include '/etc/passwd' %}",
                     "{{ range(9) }}", "{% if %}"):
        refused = call(invoke, "POST", "/macros", AGENT, {"name": "evil", "actions": {"reply": template}})
        assert refused["statusCode"] == 400, (template, refused["json"])
        assert refused["json"]["error"]["details"]["field"] == "actions.reply"


def test_personal_group_and_tenant_macros(aws: None, invoke: Invoke) -> None:
    from helpdesk.bootstrap import container

    seed_directory(container().directory_store, "acme", groups={"billing": []})
    mine = macro(invoke, AGENT)
    billing = macro(invoke, BILLING_AGENT, name="Billing", scope="group", group="billing")
    tenant = macro(invoke, ADMIN, name="Greeting", scope="tenant")

    def names(who: dict[str, Any]) -> set[str]:
        return {m["id"] for m in call(invoke, "GET", "/macros", who)["json"]}

    assert names(AGENT) == {mine["id"], billing["id"], tenant["id"]}  # no group restriction: every group's
    assert names(OTHER_AGENT) == {billing["id"], tenant["id"]}
    assert names(SHIPPING_AGENT) == {tenant["id"]}
    assert names(FOREIGN_AGENT) == set()
    assert call(invoke, "GET", f"/macros/{mine['id']}", OTHER_AGENT)["statusCode"] == 404
    assert call(invoke, "GET", f"/macros/{billing['id']}", SHIPPING_AGENT)["statusCode"] == 404
    assert call(invoke, "POST", "/macros", AGENT, {"name": "x", "scope": "tenant",
                                                   "actions": {"status": "open"}})["statusCode"] == 403
    assert call(invoke, "POST", "/macros", SHIPPING_AGENT, {"name": "x", "scope": "group", "group": "billing",
                                                            "actions": {"status": "open"}})["statusCode"] == 403
    assert call(invoke, "GET", "/macros", CUSTOMER)["statusCode"] == 403
    # A group the tenant lacks is refused when the macro is saved (not when it is applied), naming the field.
    for fields in ({"scope": "group", "group": "shipping"}, {"actions": {"group": "shipping"}}):
        refused = call(invoke, "POST", "/macros", ADMIN, {"name": "x", "actions": {"status": "open"}, **fields})
        assert refused["statusCode"] == 422, refused["json"]
        assert refused["json"]["error"]["details"]["field"] == ("group" if "scope" in fields else "actions.group")
    t = ticket(invoke)
    assert call(invoke, "POST", f"/tickets/{t['id']}/macros/{tenant['id']}/apply", CUSTOMER)["statusCode"] == 403
    assert call(invoke, "PUT", f"/macros/{tenant['id']}", AGENT,
                {"name": "mine now", "scope": "tenant", "actions": {"status": "open"}})["statusCode"] == 403


def test_replace_with_if_match_and_delete(aws: None, invoke: Invoke) -> None:
    m = macro(invoke)
    body = {"name": "Renamed", "actions": {"note": "n"}}
    assert call(invoke, "PUT", f"/macros/{m['id']}", AGENT, body, headers={"if-match": '"7"'})["statusCode"] == 409
    replaced = call(invoke, "PUT", f"/macros/{m['id']}", AGENT, body, headers={"if-match": '"1"'})
    assert (replaced["statusCode"], replaced["json"]["version"], replaced["json"]["name"]) == (200, 2, "Renamed")
    assert call(invoke, "DELETE", f"/macros/{m['id']}", OTHER_AGENT)["statusCode"] == 404
    assert call(invoke, "DELETE", f"/macros/{m['id']}", AGENT)["statusCode"] == 204
    assert call(invoke, "GET", f"/macros/{m['id']}", AGENT)["statusCode"] == 404
    assert call(invoke, "POST", "/macros", AGENT, {"name": "noop", "actions": {}})["statusCode"] == 400


def test_bulk_answers_per_ticket(aws: None, invoke: Invoke) -> None:
    from helpdesk.bootstrap import container

    seed_directory(container().directory_store, "acme", groups={"billing": []})
    a, b, c = (ticket(invoke, subject=f"s{i}") for i in range(3))
    call(invoke, "POST", f"/tickets/{c['id']}/messages", AGENT, {"body": "hi", "public": True},
         function="ticket_commands")  # c is now at version 2
    foreign = ticket(invoke, FOREIGN_AGENT)
    closed = ticket(invoke, subject="done")
    call(invoke, "PATCH", f"/tickets/{closed['id']}", AGENT, {"status": "closed"}, function="ticket_commands")
    body = {"ids": [a["id"], b["id"], c["id"], foreign["id"], "nope", closed["id"], a["id"]],
            "changes": {"priority": "urgent", "group": "billing", "status": "pending"},
            "versions": {c["id"]: c["version"]}}
    response = call(invoke, "POST", "/tickets/bulk", AGENT, body)
    assert response["statusCode"] == 200, response["json"]
    outcomes = [(r["id"], r["outcome"]) for r in response["json"]["results"]]
    assert outcomes == [(a["id"], "updated"), (b["id"], "updated"), (c["id"], "conflict"),
                        (foreign["id"], "not_found"), ("nope", "not_found"), (closed["id"], "conflict")]
    assert response["json"]["counts"] == {"updated": 2, "conflict": 2, "forbidden": 0, "not_found": 2}
    assert response["json"]["results"][2]["code"] == "concurrent_update"
    assert response["json"]["results"][5]["code"] == "invalid_transition"
    listed = call(invoke, "GET", "/tickets", AGENT, query={"group": "billing"}, function="ticket_commands")
    assert {t["id"] for t in listed["json"]["items"]} == {a["id"], b["id"]}


def test_bulk_customer_and_limits(aws: None, invoke: Invoke) -> None:
    own = ticket(invoke)
    other = ticket(invoke, requester={"id": "email:eve@example.com", "email": "eve@example.com"})
    resolved = call(invoke, "POST", "/tickets/bulk", CUSTOMER, {"ids": [own["id"], other["id"]],
                                                               "changes": {"status": "resolved"}})["json"]
    assert [r["outcome"] for r in resolved["results"]] == ["updated", "not_found"]
    raised = call(invoke, "POST", "/tickets/bulk", CUSTOMER, {"ids": [own["id"]], "changes": {"priority": "urgent"}})
    assert raised["json"]["results"][0]["outcome"] == "forbidden"
    too_many = call(invoke, "POST", "/tickets/bulk", AGENT, {"ids": [f"t{i}" for i in range(101)],
                                                            "changes": {"priority": "low"}})
    assert too_many["statusCode"] == 413
    assert call(invoke, "POST", "/tickets/bulk", AGENT, {"ids": [own["id"]], "changes": {}})["statusCode"] == 400


@pytest.mark.parametrize("body", [{"ids": [], "changes": {"priority": "low"}},
                                  {"ids": ["a"], "changes": {"status": None}},
                                  {"ids": ["a"], "changes": {"colour": "red"}},
                                  {"ids": ["a"], "changes": {"custom_fields": None}},  # a merge patch, never null
                                  {"ids": ["a"], "changes": {"subject": "One name for all"}}])  # renaming is one by one
def test_bulk_schema_errors(aws: None, invoke: Invoke, body: dict[str, Any]) -> None:
    assert call(invoke, "POST", "/tickets/bulk", AGENT, body)["statusCode"] == 422


def test_bulk_tags_are_added_to_and_removed_from_each_tickets_own(aws: None, invoke: Invoke) -> None:
    a = ticket(invoke, tags=["vip", "printer"])
    b = ticket(invoke, tags=["new-customer"])
    full = ticket(invoke, tags=[f"t{i}" for i in range(50)])
    body = {"ids": [a["id"], b["id"], full["id"]],
            "changes": {"add_tags": ["Outage-12-03"], "remove_tags": ["printer"]}}
    response = call(invoke, "POST", "/tickets/bulk", AGENT, body)
    assert response["statusCode"] == 200, response["json"]
    assert [r["outcome"] for r in response["json"]["results"]] == ["updated", "updated", "conflict"]
    tags = {t: call(invoke, "GET", f"/tickets/{t}", AGENT, function="ticket_commands")["json"]["tags"]
            for t in (a["id"], b["id"], full["id"])}
    assert tags[a["id"]] == ["outage-12-03", "vip"]  # its own kept, one removed, one added
    assert tags[b["id"]] == ["new-customer", "outage-12-03"]
    assert len(tags[full["id"]]) == 50  # no room: left as it was, named
    # PATCH takes them too; not beside `tags`, and never from customers.
    patched = call(invoke, "PATCH", f"/tickets/{b['id']}", AGENT, {"remove_tags": ["new-customer"]},
                   function="ticket_commands")
    assert patched["json"]["tags"] == ["outage-12-03"]
    both = call(invoke, "PATCH", f"/tickets/{b['id']}", AGENT, {"tags": ["x"], "add_tags": ["y"]},
                function="ticket_commands")
    assert both["statusCode"] == 400, both["json"]
    own = ticket(invoke)
    assert call(invoke, "PATCH", f"/tickets/{own['id']}", CUSTOMER, {"add_tags": ["vip"]},
                function="ticket_commands")["statusCode"] == 403


PLAN_REQUIRED: dict[str, Any] = {"key": "plan", "label": "Plan", "type": "dropdown", "options": ["free", "pro"],
                                 "required_to_resolve": True}
ORDER_NUMBER: dict[str, Any] = {"key": "order_number", "label": "Order number", "type": "text"}


def define_fields(invoke: Invoke, *fields: dict[str, Any]) -> None:
    saved = call(invoke, "PUT", "/ticket-fields", ADMIN, {"fields": list(fields)}, function="ticket_commands")
    assert saved["statusCode"] == 200, saved["json"]


def fields_of(invoke: Invoke, ticket_id: str) -> tuple[int, dict[str, Any]]:
    got = call(invoke, "GET", f"/tickets/{ticket_id}", AGENT, function="ticket_commands")["json"]
    return got["version"], got["custom_fields"]


def test_bulk_sets_custom_fields_and_a_bad_value_refuses_the_whole_change(aws: None, invoke: Invoke) -> None:
    """One merge patch for every ticket: each keeps its other keys; a value not of its field's type writes nothing
    on any ticket; a field required to resolve still holds each ticket's resolve, unless the same change fills it."""
    define_fields(invoke, PLAN_REQUIRED, ORDER_NUMBER)
    a = ticket(invoke)
    b = ticket(invoke, custom_fields={"crm": 7, "order_number": "ORD-1"})
    ids = [a["id"], b["id"]]

    bad = {"priority": "high", "custom_fields": {"order_number": "X", "plan": "gold"}}
    refused = call(invoke, "POST", "/tickets/bulk", AGENT, {"ids": ids, "changes": bad})
    assert refused["statusCode"] == 422, refused["json"]
    assert (refused["json"]["error"]["code"], refused["json"]["error"]["details"]["key"]) == (
        "invalid_field_value", "plan")
    assert [fields_of(invoke, t)[0] for t in ids] == [a["version"], b["version"]]  # neither ticket written

    changed = call(invoke, "POST", "/tickets/bulk", AGENT,
                   {"ids": ids, "changes": {"custom_fields": {"plan": "pro", "order_number": None}}})
    assert [r["outcome"] for r in changed["json"]["results"]] == ["updated", "updated"], changed["json"]
    assert fields_of(invoke, a["id"])[1] == {"plan": "pro"}
    assert fields_of(invoke, b["id"])[1] == {"crm": 7, "plan": "pro"}  # its own key stays, the cleared one goes
    assert [e["data"]["to"] for e in events(invoke, b["id"]) if e["type"] == "fields_changed"] == [
        {"crm": 7, "plan": "pro"}]
    assert "fields_changed" not in [e["type"] for e in events(invoke, b["id"], CUSTOMER)]  # the team's

    c = ticket(invoke)  # no plan: its resolve is held, the others' goes through
    resolved = call(invoke, "POST", "/tickets/bulk", AGENT,
                    {"ids": [a["id"], c["id"]], "changes": {"status": "resolved"}})
    assert [(r["outcome"], r["code"]) for r in resolved["json"]["results"]] == [
        ("updated", None), ("forbidden", "required_fields")]
    filled = call(invoke, "POST", "/tickets/bulk", AGENT,
                  {"ids": [c["id"]], "changes": {"status": "resolved", "custom_fields": {"plan": "free"}}})
    assert [r["outcome"] for r in filled["json"]["results"]] == ["updated"], filled["json"]
    assert fields_of(invoke, c["id"])[1] == {"plan": "free"}

    own = ticket(invoke)  # customers say their ticket is solved, nothing more
    by_customer = call(invoke, "POST", "/tickets/bulk", CUSTOMER,
                       {"ids": [own["id"]], "changes": {"custom_fields": {"plan": "pro"}}})
    assert [r["outcome"] for r in by_customer["json"]["results"]] == ["forbidden"]
    assert fields_of(invoke, own["id"])[1] == {}


def test_a_macro_sets_custom_fields_checked_when_saved_and_again_when_applied(aws: None, invoke: Invoke) -> None:
    """"Upgrade to pro" fills the plan a resolve needs, clears an integration's key and solves the ticket in one
    write; a value the fields do not take is refused when saved, and when applied after the fields changed."""
    define_fields(invoke, PLAN_REQUIRED, ORDER_NUMBER)
    bad = call(invoke, "POST", "/macros", AGENT, {"name": "Gold", "actions": {"custom_fields": {"plan": "gold"}}})
    assert bad["statusCode"] == 422, bad["json"]
    assert bad["json"]["error"]["code"] == "invalid_field_value"
    assert (bad["json"]["error"]["details"]["field"], bad["json"]["error"]["details"]["key"]) == (
        "actions.custom_fields", "plan")
    assert call(invoke, "GET", "/macros", AGENT)["json"] == []  # nothing saved

    upgrade = macro(invoke, name="Upgrade to pro", actions={
        "note": "Upgraded", "status": "resolved", "custom_fields": {"plan": "pro", "crm": None, "seats": 5}})
    assert upgrade["actions"]["custom_fields"] == {"plan": "pro", "crm": None, "seats": 5}
    t = ticket(invoke, custom_fields={"crm": 7, "order_number": "ORD-1"})
    path = f"/tickets/{t['id']}/macros/{upgrade['id']}/apply"

    preview = call(invoke, "POST", path, AGENT, query={"dry_run": "true"})
    assert preview["statusCode"] == 200, preview["json"]
    shown = [e["data"] for e in preview["json"]["events"] if e["type"] == "fields_changed"]
    assert shown == [{"from": {"crm": 7, "order_number": "ORD-1"},
                      "to": {"order_number": "ORD-1", "plan": "pro", "seats": 5}}]
    assert fields_of(invoke, t["id"]) == (t["version"], {"crm": 7, "order_number": "ORD-1"})  # nothing written

    applied = call(invoke, "POST", path, AGENT)
    assert applied["statusCode"] == 200, applied["json"]  # the plan it sets is what the resolve needs
    assert (applied["json"]["ticket"]["status"], applied["json"]["ticket"]["version"]) == ("resolved", t["version"] + 1)
    assert fields_of(invoke, t["id"])[1] == {"order_number": "ORD-1", "plan": "pro", "seats": 5}
    log = events(invoke, t["id"])
    assert "fields_changed" in log[-1]["data"]["changes"]  # macro_applied names it with the other changes
    assert "fields_changed" not in [e["type"] for e in events(invoke, t["id"], CUSTOMER)]

    # the admin drops "pro" from the plan's options: applying the macro now is refused, and writes nothing
    define_fields(invoke, {**PLAN_REQUIRED, "options": ["free", "business"]}, ORDER_NUMBER)
    other = ticket(invoke)
    stale = call(invoke, "POST", f"/tickets/{other['id']}/macros/{upgrade['id']}/apply", AGENT)
    assert stale["statusCode"] == 422, stale["json"]
    assert (stale["json"]["error"]["code"], stale["json"]["error"]["details"]["field"]) == (
        "invalid_field_value", "actions.custom_fields")
    assert fields_of(invoke, other["id"]) == (other["version"], {})
    assert [e["type"] for e in events(invoke, other["id"])] == ["created"]
    replaced = call(invoke, "PUT", f"/macros/{upgrade['id']}", AGENT,
                    {"name": "Upgrade", "actions": {"custom_fields": {"plan": "pro"}}})
    assert replaced["statusCode"] == 422  # nor saved again with it
    assert call(invoke, "GET", f"/macros/{upgrade['id']}", AGENT)["json"]["version"] == 1

    # a macro that solves without filling the required field is held like any resolve
    solve = macro(invoke, name="Solve", actions={"status": "resolved", "custom_fields": {"order_number": "ORD-2"}})
    held = call(invoke, "POST", f"/tickets/{other['id']}/macros/{solve['id']}/apply", AGENT)
    assert (held["statusCode"], held["json"]["error"]["code"]) == (422, "required_fields")
    assert fields_of(invoke, other["id"]) == (other["version"], {})

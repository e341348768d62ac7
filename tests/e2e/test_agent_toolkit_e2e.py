"""The agent's toolkit over HTTP against a real `helpdesk serve`: strict query strings, a macro that replies
and sets pending in one call, a shared view with its count."""

import pytest

from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.e2e


def test_unknown_query_parameters_are_400(stack: LocalStack) -> None:
    agent = stack.client(stack.token("alex", "agent", "acme"))
    bogus = agent.get("/tickets", params={"bogus": "1"})
    assert bogus.status_code == 400
    assert bogus.json()["error"]["details"]["parameters"] == ["bogus"]
    assert agent.get("/tickets", params={"limit": "lots"}).json()["error"]["code"] == "invalid_query_parameter"


def test_a_macro_replies_and_sets_pending_in_one_call(stack: LocalStack) -> None:
    customer = stack.client(stack.token("dana", "customer", "acme", email="dana@example.com"))
    agent = stack.client(stack.token("alex", "agent", "acme"))
    ticket = customer.post("/tickets", json={"subject": "Invoice missing", "description": "No invoice"}).json()
    macro = agent.post("/macros", json={"name": "Invoice resent", "actions": {
        "reply": "Hello {{ requester.email }}, {{ ticket.number }} is on its way again.", "status": "pending"}})
    assert macro.status_code == 201, macro.text
    applied = agent.post(f"/tickets/{ticket['id']}/macros/{macro.json()['id']}/apply")
    assert applied.status_code == 200, applied.text
    assert applied.json()["reply"] == f"Hello dana@example.com, {ticket['number']} is on its way again."
    seen = customer.get(f"/tickets/{ticket['id']}").json()
    assert (seen["status"], seen["version"]) == ("pending", ticket["version"] + 1)
    bodies = [e["data"].get("body") for e in customer.get(f"/tickets/{ticket['id']}/events").json()]
    assert applied.json()["reply"] in bodies


def test_a_shared_view_returns_its_tickets_and_count(stack: LocalStack) -> None:
    admin = stack.client(stack.token("root", "admin", "e2e-views"))
    agent = stack.client(stack.token("alex", "agent", "e2e-views"))
    policy = admin.post("/sla/policies", json={  # `vip` urgent tickets start inside their warning window
        "id": "tight", "name": "Tight", "position": 5, "calendar_id": "24x7", "conditions": {"tags": ["vip"]},
        "warning_minutes": 120, "targets": {"urgent": {"first_response_minutes": 60}}})
    assert policy.status_code == 201, policy.text
    for group in ("billing", "shipping"):  # tickets take the directory's groups only
        assert admin.post("/groups", json={"id": group, "name": group.title()}).status_code == 201
    made = {}
    for subject, group, tags in [("Refund twice", "billing", ["vip"]), ("Address", "billing", []),
                                 ("Parcel lost", "shipping", ["vip"])]:
        made[subject] = agent.post("/tickets", json={"subject": subject, "description": "d", "group": group,
                                                     "priority": "urgent", "tags": tags,  # a customer's, by phone
                                                     "requester": {"email": "dana@customer.example"}}).json()["id"]
    view = admin.post("/views", json={"name": "Billing, SLA at risk", "scope": "tenant",
                                      "filters": {"group": "billing", "sla": "at_risk"}})
    assert view.status_code == 201, view.text
    tickets = agent.get(f"/views/{view.json()['id']}/tickets").json()["items"]
    assert [t["id"] for t in tickets] == [made["Refund twice"]]
    assert agent.get("/views/counts").json() == [
        {"view_id": view.json()["id"], "name": "Billing, SLA at risk", "count": 1}]


def test_a_fresh_stack_has_the_demo_macros_to_apply(stack: LocalStack) -> None:
    """The newcomer's ticket page has macros to try: the demo tenant's, checked as any (its group exists)."""
    agent = stack.client(stack.token("alice", "agent", "acme"))
    demo = {m["name"]: m for m in agent.get("/macros").json() if m["scope"] == "tenant"}
    assert {"Ask for the order number", "Solved: close with thanks", "Hand to billing"} <= set(demo)
    ticket = agent.post("/tickets", json={"subject": "Parcel not here", "description": "Still waiting",
                                          "requester": {"email": "lee@example.com", "name": "Lee Adams"}}).json()
    asked = agent.post(f"/tickets/{ticket['id']}/macros/{demo['Ask for the order number']['id']}/apply",
                       params={"dry_run": "true"})
    assert asked.status_code == 200, asked.text
    assert asked.json()["reply"].startswith("Hello Lee,\n\nthank you for writing to us.")
    billing = agent.post(f"/tickets/{ticket['id']}/macros/{demo['Hand to billing']['id']}/apply",
                         params={"dry_run": "true"})
    assert billing.status_code == 200, billing.text
    assert billing.json()["ticket"]["group"] == "billing"
    assert billing.json()["note"] == f"Billing: please check the charges on {ticket['number']} (Parcel not here)."

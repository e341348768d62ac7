"""A problem and its incidents in a real browser: two customers write about the same outage, an agent links both
tickets to one problem ticket as its children (one of them solved already), and answers once on the problem with
"Also send to the 2 child tickets" and "set resolved". The page says which child was left as it was; the other
child's customer gets the reply as their own message, greeted by their own first name, and their ticket is
solved."""

from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TENANT = "problemco"  # its own tenant: the session's stack is shared with the other browser tests
AGENT = "alice@problemco.example"
REPLY = "Hello {{ requester.first_name }},\n\nthe sync outage is over: everything syncs again."


def _incident(web_stack: LocalStack, name: str, email: str) -> dict[str, Any]:
    token = web_stack.token(f"email:{email}", "customer", TENANT, email=email, name=name)
    with web_stack.client(token) as customer:
        opened = customer.post("/tickets", json={"subject": "Sync stopped", "description": "Since 9:00 nothing syncs."})
        assert opened.status_code == 201, opened.text
        ticket: dict[str, Any] = opened.json()
    return ticket


def _team_replies(agent: httpx.Client, ticket_id: str) -> list[str]:
    events: list[dict[str, Any]] = agent.get(f"/tickets/{ticket_id}/events").json()
    return [e["data"]["body"] for e in events if e["type"] == "public_message" and not e["data"].get("from_customer")]


def test_one_reply_on_the_problem_answers_each_incident_in_its_customers_name(
        web_stack: LocalStack, page: Any) -> None:
    dana = _incident(web_stack, "Dana Example", "dana@customer.example")
    olu = _incident(web_stack, "Olu Ade", "olu@customer.example")
    sign_in(page, web_stack.url, user="alice", role="agent", tenant=TENANT, email=AGENT)
    # the problem is the team's own ticket: opened in the console with no customer (the agent its requester)
    page.goto(f"{web_stack.url}/console/#/new")
    page.get_by_role("checkbox", name="No customer").check()
    expect(page.locator("[name=customer-email]")).to_have_count(0)
    page.fill("[name=ticket-subject]", "Sync outage")
    page.fill("[name=ticket-message]", "Many customers report it.")
    page.get_by_role("button", name="Create ticket").click()
    page.wait_for_url("**/console/#/t/*")
    page.locator("[data-testid=ticket-title]").wait_for()
    problem_id = page.url.rsplit("/", 1)[-1]
    expect(page.locator("[data-testid=no-customer]")).to_contain_text("no customer · opened by")
    with web_stack.client(web_stack.token("alice", "agent", TENANT, email=AGENT)) as agent:
        problem: dict[str, Any] = agent.get(f"/tickets/{problem_id}").json()
        assert problem["requester"]["id"] == "alice"  # no customer: nobody outside the team is mailed about it
        assert [t["kind"] for t in problem["sla"]["targets"]] == ["resolution"]  # no reply clock to breach
        solved = agent.patch(f"/tickets/{olu['id']}", json={"status": "resolved"})
        assert solved.status_code == 200, solved.text
        for child in (dana, olu):
            linked = agent.post(f"/tickets/{problem['id']}/links", json={"type": "child", "ticket_id": child["id"]})
            assert linked.status_code == 200, linked.text

    # the queue's Problems view lists it (what many customers wait on), and opens it
    page.goto(f"{web_stack.url}/console/#/?view=problems")
    row = page.locator("[data-testid=ticket-row]", has_text="Sync outage")
    expect(row).to_contain_text("problem · 2 tickets")
    expect(page.locator("[data-testid=ticket-row]")).to_have_count(1)  # its incidents are not problems
    row.locator("[data-testid=ticket-subject]").click()
    page.wait_for_url(f"**/console/#/t/{problem_id}")
    page.locator("[data-testid=ticket-title]").wait_for()
    expect(page.locator("p.meta").first).to_contain_text("problem · 2 tickets")  # what this ticket is, at a glance
    page.locator("[data-testid=reply-box]").fill(REPLY)
    also = page.get_by_role("checkbox", name="Also send to the 2 child tickets")
    expect(also).not_to_be_checked()  # the reply goes to this ticket alone unless asked
    also.check()
    expect(page.locator("[data-testid=reply-children-hint]")).to_have_text(
        "Each customer gets it as their own message. {{ requester.first_name }} greets each by name.")
    page.locator("[data-testid=reply-status]").select_option("resolved")
    send = page.locator("[data-testid=reply-send]")
    expect(send).to_have_text("Send reply and set resolved")
    violations = axe_violations(page, "form.reply")
    assert not violations, f"axe on the reply form: {violations}"
    send.click()

    outcome = page.get_by_role("status").filter(has_text="child tickets")
    expect(outcome).to_have_text(f"Sent to 1 of 2 child tickets. {olu['number']}: solved already.")
    expect(also).not_to_be_checked()  # the next reply asks again
    expect(page.locator("[data-testid=public-message]", has_text="the sync outage is over")).to_be_visible()  # its own
    # the linked tickets read again: Dana's shows as resolved without a reload
    expect(page.locator("[data-testid=ticket-link]", has_text=dana["number"])).to_contain_text("resolved")
    screenshot(page, "console-problem-reply")

    page.locator("[data-testid=ticket-link]", has_text=dana["number"]).get_by_role("link").first.click()
    sent_with = page.locator("[data-testid=public-message]", has_text="Hello Dana,").get_by_test_id("sent-with-problem")
    expect(sent_with).to_have_text(f"with {problem['number']}")  # the incident's thread says where its reply came from
    expect(page.locator("p.meta").first).to_contain_text("incident")
    with web_stack.client(web_stack.token("alice", "agent", TENANT, email=AGENT)) as agent:
        assert _team_replies(agent, dana["id"]) == ["Hello Dana,\n\nthe sync outage is over: everything syncs again."]
        assert agent.get(f"/tickets/{dana['id']}").json()["status"] == "resolved"
        assert _team_replies(agent, olu["id"]) == []  # solved already: nothing more to a customer who has their answer
    page.goto(f"{web_stack.url}/console/#/?view=problems")
    expect(page.locator("[data-testid=queue-empty]")).to_be_visible()  # solved with its reply: no open problem left
    assert not page.errors


def test_a_problem_solved_in_properties_solves_its_incidents(web_stack: LocalStack, page: Any) -> None:
    """Solved without a reply (the status in Properties): the page says the child tickets still open are solved with
    it and how to tell their customers; the local stack's incident solver (the tickets stream, as
    `functions/incident_solver` in AWS) solves the open one as the agent, and its History says with which problem."""
    tenant, agent_address = "outageco", "alice@outageco.example"
    incidents = []
    for name, email in (("Dana Example", "dana@customer.example"), ("Olu Ade", "olu@customer.example")):
        token = web_stack.token(f"email:{email}", "customer", tenant, email=email, name=name)
        with web_stack.client(token) as customer:
            opened = customer.post("/tickets", json={"subject": "Sync stopped", "description": "Nothing syncs."})
            assert opened.status_code == 201, opened.text
            incidents.append(opened.json())
    dana, olu = incidents
    with web_stack.client(web_stack.token("alice", "agent", tenant, email=agent_address)) as agent:
        problem = agent.post("/tickets", json={"subject": "Sync outage", "description": "Many report it."}).json()
        assert agent.patch(f"/tickets/{olu['id']}", json={"status": "closed"}).status_code == 200
        for child in (dana, olu):
            linked = agent.post(f"/tickets/{problem['id']}/links", json={"type": "child", "ticket_id": child["id"]})
            assert linked.status_code == 200, linked.text

    sign_in(page, web_stack.url, user="alice", role="agent", tenant=tenant, email=agent_address)
    page.goto(f"{web_stack.url}/console/#/t/{problem['id']}")
    page.locator("[data-testid=ticket-title]").wait_for()
    properties = page.locator("form.props")
    properties.get_by_label("Status").select_option("resolved")
    expect(page.locator("[data-testid=problem-solved-without-reply]")).to_have_text(
        "Its child tickets still open are solved with it, without a message to their customers. To tell each what "
        "was fixed, reply with \"Also send to the 2 child tickets\" and \"set resolved\" instead.")
    screenshot(page, "console-problem-solved-without-reply")
    properties.get_by_role("button", name="Save").click()

    page.goto(f"{web_stack.url}/console/#/t/{dana['id']}")
    page.locator("[data-testid=ticket-title]").wait_for()
    # the stream's poller solves it within a second or two; the page shows it once read again
    line = page.locator("[data-testid=events] li", has_text=f"with its problem {problem['number']}")
    for _ in range(30):
        if line.count():
            break
        page.wait_for_timeout(1000)
        page.reload()
        page.locator("[data-testid=ticket-title]").wait_for()
    expect(line).to_contain_text("alice", ignore_case=True)  # the person who solved the problem
    expect(line).to_contain_text(f"status: new → resolved (with its problem {problem['number']})")
    with web_stack.client(web_stack.token("alice", "agent", tenant, email=agent_address)) as agent:
        assert agent.get(f"/tickets/{olu['id']}").json()["status"] == "closed"  # closed already: left as it was
    assert not page.errors

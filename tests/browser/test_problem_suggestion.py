"""A new report of an outage filed under its problem in one click, in a real browser: two customers wrote about the
sync outage and the first one's ticket is an incident of the agent's problem ticket; a third customer writes the
same. Once triage found the earlier reports similar, the third ticket's AI triage panel names the problem under
"Similar tickets" ("Part of problem T-… · Sync outage (1 ticket)"), and "Link as its incident" links the ticket as
that problem's child: the linked-tickets panel shows it at once and the API has both ends."""

import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TENANT = "outageco"  # its own tenant: the session's stack is shared with the other browser tests
AGENT = "alice@outageco.example"
SUBJECT = "Sync stopped"
REPORT = "Sync stopped this morning: nothing syncs since 9:00. Our files no longer sync between devices."


def _report(web_stack: LocalStack, name: str, email: str) -> dict[str, Any]:
    """A customer's ticket about the outage, all in the same words (triage finds them similar)."""
    token = web_stack.token(f"email:{email}", "customer", TENANT, email=email, name=name)
    with web_stack.client(token) as customer:
        opened = customer.post("/tickets", json={"subject": SUBJECT, "description": REPORT})
        assert opened.status_code == 201, opened.text
        ticket: dict[str, Any] = opened.json()
    return ticket


def _triaged(agent: httpx.Client, ticket_id: str) -> dict[str, Any]:
    """The ticket's triage record once the stream has made it (the first ticket of a stack loads the models: up to a
    minute or two on a loaded machine, as the other stories allow)."""
    deadline = time.monotonic() + 120
    while True:
        assist: dict[str, Any] = agent.get(f"/tickets/{ticket_id}/assist").json()
        if assist.get("status") == "triaged" and not assist.get("applying"):
            return assist
        if time.monotonic() > deadline:
            pytest.fail(f"ticket {ticket_id} was not triaged within 120 s: {assist}")
        time.sleep(0.5)


def _links(agent: httpx.Client, ticket_id: str) -> list[dict[str, str]]:
    links: list[dict[str, str]] = agent.get(f"/tickets/{ticket_id}").json()["links"]
    return links


def test_a_new_report_is_linked_to_the_problem_its_similar_tickets_belong_to(
        web_stack: LocalStack, page: Any) -> None:
    dana = _report(web_stack, "Dana Example", "dana@customer.example")
    olu = _report(web_stack, "Olu Ade", "olu@customer.example")
    with web_stack.client(web_stack.token("alice", "agent", TENANT, email=AGENT)) as agent:
        for earlier in (dana, olu):  # similar tickets are found among those triage has seen
            _triaged(agent, earlier["id"])
        made = agent.post("/tickets", json={"subject": "Sync outage", "description": "Many customers report it.",
                                            "requester": {"email": AGENT, "name": "Alice Agent"}})
        assert made.status_code == 201, made.text
        problem: dict[str, Any] = made.json()
        linked = agent.post(f"/tickets/{problem['id']}/links", json={"type": "child", "ticket_id": dana["id"]})
        assert linked.status_code == 200, linked.text

        kim = _report(web_stack, "Kim Lee", "kim@customer.example")
        similar = _triaged(agent, kim["id"])["triage"]["similar_tickets"]
        assert dana["id"] in [s["ticket_id"] for s in similar], similar  # scored at triage's threshold or above

    sign_in(page, web_stack.url, user="alice", role="agent", tenant=TENANT, email=AGENT)
    page.goto(f"{web_stack.url}/console/#/t/{kim['id']}")
    page.locator("[data-testid=ticket-title]").wait_for()
    triage = page.locator("[data-testid=triage-panel]")
    expect(triage.get_by_role("link", name=dana["number"])).to_be_visible()  # the Similar tickets list
    suggestion = triage.locator("[data-testid=problem-suggestion]")
    expect(suggestion).to_have_count(1)  # one suggestion for the problem, whichever similar tickets point at it
    expect(suggestion).to_contain_text(f"Part of problem {problem['number']} · Sync outage (1 ticket)")
    violations = axe_violations(page, "[data-testid=triage-panel]")
    assert not violations, f"axe on the triage panel: {violations}"
    screenshot(page, "console-problem-suggestion")
    suggestion.get_by_role("button", name="Link as its incident").click()

    # the page reads the ticket again: it is under the problem now, and the suggestion is gone
    expect(page.locator("[data-testid=ticket-link]", has_text=problem["number"])).to_contain_text("parent")
    expect(suggestion).to_have_count(0)
    with web_stack.client(web_stack.token("alice", "agent", TENANT, email=AGENT)) as agent:
        assert {"type": "parent", "ticket_id": problem["id"]} in _links(agent, kim["id"])
        assert {"type": "child", "ticket_id": kim["id"]} in _links(agent, problem["id"])
    assert not page.errors

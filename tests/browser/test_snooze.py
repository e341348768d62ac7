"""Snooze in a real browser: an agent snoozes a ticket until tomorrow on its page, finds it gone from New and listed
under Snoozed with its time, and the customer's reply brings it back to the queue; then the agent snoozes it again
and ends the snooze by hand."""

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

SUBJECT = "Quote for 40 more seats"


def test_an_agent_snoozes_a_ticket_and_the_customers_reply_brings_it_back(web_stack: LocalStack, page: Any) -> None:
    customer = web_stack.token("email:sam@example.com", "customer", "acme", "sam@example.com")
    with web_stack.client(customer) as sam:
        opened = sam.post("/tickets", json={"subject": SUBJECT, "description": "Our budget is approved in January."})
        assert opened.status_code == 201, opened.text
        ticket = opened.json()

    sign_in(page, web_stack.url, user="alice", role="agent", email="alice@acme.example")
    page.goto(f"{web_stack.url}/console/#/t/{ticket['id']}")
    panel = page.locator("[data-testid=snooze]")
    panel.get_by_role("button", name="Tomorrow 9:00").click()
    panel.locator("[data-testid=snoozed]", has_text="Snoozed until").wait_for()
    page.locator(".meta .badge", has_text="snoozed until").wait_for()  # the header says so too
    violations = axe_violations(page, "[data-testid=snooze]")
    assert not violations, f"axe on the snooze panel: {violations}"
    screenshot(page, "console-snoozed-ticket")

    page.goto(f"{web_stack.url}/console/#/?view=snoozed")
    row = page.locator("[data-testid=ticket-row]", has_text=SUBJECT)
    row.locator(".badge", has_text="snoozed until").wait_for()
    screenshot(page, "console-snoozed-view")
    page.goto(f"{web_stack.url}/console/#/?view=new")
    page.reload()  # a fresh page: no row of the Snoozed list is left on it while New's list loads
    page.locator("[data-testid=ticket-row], [data-testid=queue-empty]").first.wait_for()
    assert row.count() == 0  # not in New while snoozed

    with web_stack.client(customer) as sam:  # the customer writes: the team has something to read again
        replied = sam.post(f"/tickets/{ticket['id']}/messages", json={"body": "Budget came early: please send it."})
        assert replied.status_code == 201, replied.text
    page.reload()  # New is open already: read it again rather than wait for the queue's next refresh
    page.locator("[data-testid=ticket-row]", has_text=SUBJECT).wait_for()

    page.goto(f"{web_stack.url}/console/#/t/{ticket['id']}")
    page.locator("[data-testid=events]", has_text="back from snooze (the customer replied)").wait_for()
    panel.get_by_role("button", name="Monday 9:00").click()
    panel.locator("[data-testid=snoozed]").wait_for()
    panel.locator("[data-testid=unsnooze]").click()
    panel.locator("[data-testid=snoozed]").wait_for(state="detached")
    with web_stack.client(web_stack.token("alice", "agent", "acme")) as alice:
        assert alice.get(f"/tickets/{ticket['id']}").json()["snoozed_until"] is None
    assert page.errors == []

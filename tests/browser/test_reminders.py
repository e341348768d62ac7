"""A reminder in a real browser: an agent asks to be reminded of a ticket tomorrow at 9:00 on its page, finds it
above the queue, and removes it; a teammate does not see it (reminders are each agent's own)."""

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_an_agent_sets_a_reminder_finds_it_above_the_queue_and_removes_it(web_stack: LocalStack, page: Any) -> None:
    customer = web_stack.token("email:rita@example.com", "customer", "acme", "rita@example.com")
    with web_stack.client(customer) as rita:
        opened = rita.post("/tickets", json={"subject": "Renewal quote", "description": "Can you send a quote?"})
        assert opened.status_code == 201, opened.text
        ticket = opened.json()

    sign_in(page, web_stack.url, user="alice", role="agent", email="alice@acme.example")
    page.goto(f"{web_stack.url}/console/#/t/{ticket['id']}")
    panel = page.locator("[data-testid=reminder]")
    panel.get_by_role("button", name="Tomorrow 9:00").click()
    panel.locator("[data-testid=reminder-set]", has_text="You will be mailed a reminder").wait_for()
    violations = axe_violations(page, "[data-testid=reminder]")
    assert not violations, f"axe on the reminder: {violations}"
    screenshot(page, "console-reminder")

    page.goto(f"{web_stack.url}/console/#/")
    mine = page.locator("[data-testid=my-reminders]")
    mine.get_by_role("link", name=ticket["number"]).click()
    page.wait_for_url(f"**/#/t/{ticket['id']}")
    with web_stack.client(web_stack.token("ada", "admin", "acme")) as ada:
        assert ada.get("/reminders").json() == []  # alice's alone
    panel.get_by_role("button", name="Remove").click()
    panel.get_by_text("A mail with this ticket's link").wait_for()
    assert page.errors == []

"""Who has each ticket, in the queue, in a real browser: the Group and Assignee columns by name, the Unassigned view
(tickets still waiting for someone) and the assignee filter, all over the local stack's API."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_the_queue_shows_who_has_each_ticket_and_lists_the_unassigned(web_stack: LocalStack, page: Any) -> None:
    address = "wren@example.com"
    with web_stack.client(web_stack.token(f"email:{address}", "customer", "acme", email=address)) as customer:
        waiting = customer.post("/tickets", json={"subject": "Quokka sync waits for someone",
                                                  "description": "Nobody has looked yet."}).json()
        taken = customer.post("/tickets", json={"subject": "Quokka sync taken by Alice",
                                                "description": "Alice is on it."}).json()
    with web_stack.client(web_stack.token("alice", "agent", "acme")) as alice:
        assigned = alice.patch(f"/tickets/{taken['id']}", json={"assignee_id": "alice"})
        assert assigned.status_code == 200, assigned.text

    sign_in(page, web_stack.url, user="ada", role="admin", email="ada@acme.example")
    page.goto(f"{web_stack.url}/console/#/?view=unassigned")
    rows = page.locator("[data-testid=ticket-row]")
    expect(rows.filter(has_text=waiting["subject"])).to_have_count(1)
    expect(rows.filter(has_text=waiting["subject"]).locator("[data-testid=ticket-assignee]")).to_have_text("unassigned")
    expect(rows.filter(has_text=taken["subject"])).to_have_count(0)
    expect(page.locator("[data-testid=filter-assignee]")).to_have_count(0)  # the view says who: nobody

    page.click("[data-testid=view-all]")
    row = rows.filter(has_text=taken["subject"])
    expect(row.locator("[data-testid=ticket-assignee]")).to_have_text("Alice")  # by the directory's name
    with page.expect_response(lambda r: "/tickets?" in r.url and "assignee=alice" in r.url) as listed:
        page.locator("[data-testid=filter-assignee]").select_option(label="Alice")
    assert listed.value.status == 200
    expect(row).to_have_count(1)
    expect(rows.filter(has_text=waiting["subject"])).to_have_count(0)
    violations = axe_violations(page, "form.filters[aria-label=Filters]")
    assert not violations, f"axe on the queue's filters: {violations}"
    screenshot(page, "console-queue-assignee")

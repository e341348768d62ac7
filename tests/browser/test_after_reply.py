"""An agent who works down the queue, in a real browser: "After I send a reply: open the next ticket of the list"
chosen in My settings, a reply sent with Ctrl+Enter opens the ticket below in the queue and says where the reply
went; the reply is on the ticket it was written on, and k and u lead to the ticket above and back to the queue;
"?" lists the keys."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_a_reply_opens_the_next_ticket_of_the_queue_when_the_agent_chose_so(web_stack: LocalStack, page: Any) -> None:
    address = "yara@example.com"
    with web_stack.client(web_stack.token(f"email:{address}", "customer", "acme", email=address)) as customer:
        for n in range(3):
            made = customer.post("/tickets", json={"subject": f"Wombat export {n} stalls", "description": "At 99%."})
            assert made.status_code == 201, made.text

    # Its own agent: the choice is theirs alone, so no other test's agent moves on after a reply.
    sign_in(page, web_stack.url, user="quinn", role="agent", email="quinn@acme.example")
    page.goto(f"{web_stack.url}/console/#/team")
    settings = page.locator("[data-testid=my-profile]")
    settings.locator("select[name=my-after-reply]").select_option("next")
    settings.get_by_role("button", name="Save my settings").click()
    expect(page.get_by_text("Your settings are saved")).to_be_visible()

    page.goto(f"{web_stack.url}/console/#/")
    rows = page.locator("[data-testid=ticket-row]")
    wombats = rows.filter(has_text="Wombat export")
    expect(wombats).to_have_count(3)
    first = wombats.first
    below = rows.nth(int(first.evaluate("row => [...row.parentElement.children].indexOf(row)")) + 1)
    next_id = below.get_attribute("data-ticket-id")
    first_id = first.get_attribute("data-ticket-id")
    first.locator("[data-testid=ticket-subject]").click()

    box = page.locator("[data-testid=reply-box]")
    box.fill("We found the stalled job and restarted it.")
    box.press("Control+Enter")
    page.wait_for_url(re.compile(rf"#/t/{next_id}$"))
    expect(page.locator("[data-testid=after-reply-note]")).to_have_text(re.compile(r"^Reply sent on T-\d+\.$"))
    expect(page.locator("[data-testid=reply-box]")).to_have_value("")  # the next ticket's box, empty

    # The ticket's place in the queue: the one above by k (the box no longer has the keys), the queue by u.
    page.locator("[data-testid=list-nav]").get_by_role("link", name="← Back to the list").focus()
    page.keyboard.press("k")
    page.wait_for_url(re.compile(rf"#/t/{first_id}$"))
    expect(page.locator("[data-testid=public-message]", has_text="restarted it")).to_have_count(1)
    expect(page.locator("[data-testid=after-reply-note]")).to_have_count(0)  # said once
    page.keyboard.press("u")
    page.wait_for_url(re.compile(r"/console/#/$"))

    # "?" lists the keys (a modal dialog: Escape shuts it and the queue's keys work again).
    page.keyboard.press("?")
    shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(shortcuts).to_be_visible()
    expect(shortcuts).to_contain_text("back to that list")
    violations = axe_violations(page, "[data-testid=shortcuts]")
    assert not violations, f"axe on the shortcuts: {violations}"
    page.keyboard.press("Escape")
    expect(shortcuts).to_be_hidden()

""""Did this answer your question?" in the widget, in a real browser on the local stack: a visitor asks how to reset
a password, gets a cited answer, says it did not help, is offered a person, answers yes, gives an email address and
the chat says a ticket was created; the agent then reads in the ticket what did not help. A reload while the offer is
open brings its Yes/No back (the transcript's `awaiting`); once the ticket is open, a reload shows none."""

import re
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

QUESTION = "How do I reset my password?"
VISITOR = "rated.visitor@example.com"
OFFER = "did not answer your question"
FIRST_ANSWER_MS = 90_000  # the stack's first chat turn loads the embedder and the reader
TURN_MS = 60_000  # a later turn, on a busy machine


def test_a_visitor_says_an_answer_did_not_help_and_is_offered_a_ticket(web_stack: LocalStack, page: Any) -> None:
    page.goto(web_stack.url + "/widget/demo.html")
    page.click("[data-testid=chat-launcher]")
    assert page.locator("[data-testid=chat-feedback]").count() == 0  # not under the greeting
    page.fill("[data-testid=chat-input]", QUESTION)
    page.click("[data-testid=chat-send]")
    answer = page.locator("[data-testid=chat-message][data-role=assistant]").nth(1)
    answer.locator("[data-testid=chat-citation]").first.wait_for(timeout=FIRST_ANSWER_MS)
    line = answer.locator("[data-testid=chat-feedback]")
    line.get_by_text("Did this answer your question?").wait_for()
    no = line.get_by_role("button", name="No, this did not answer my question")
    assert line.get_by_role("button", name="Yes, this answered my question").is_visible()
    violations = axe_violations(page, "helpdesk-chat")
    assert not violations, f"axe on the widget's feedback line: {violations}"
    box = line.bounding_box()
    assert box is not None
    assert box["height"] <= 40, f"the feedback line crowds the answer: {box}"
    screenshot(page, "widget-feedback")

    no.click()
    line.get_by_role("status").filter(has_text="Thanks for your feedback.").wait_for(timeout=TURN_MS)
    assert line.get_by_role("button").count() == 0
    offer = page.locator("[data-testid=chat-message][data-role=assistant]", has_text=OFFER)
    offer.wait_for(timeout=TURN_MS)
    offer_text = offer.locator(".text").inner_text()
    assert offer.count() == 1
    screenshot(page, "widget-feedback-offer")

    page.reload()  # the conversation comes back from the API, and with it the offer's quick answers
    page.click("[data-testid=chat-launcher]")
    page.locator("[data-testid=chat-message][data-role=assistant]", has_text=OFFER).wait_for(timeout=TURN_MS)
    page.locator("[data-testid=chat-confirm-yes]").wait_for(state="visible", timeout=TURN_MS)
    assert page.locator("[data-testid=chat-confirm-no]").is_visible()
    assert not page.locator("[data-testid=chat-email]").is_visible()
    screenshot(page, "widget-offer-after-reload")

    page.click("[data-testid=chat-confirm-yes]")  # the quick answer "yes" to the offer
    page.locator("[data-testid=chat-email]").wait_for(state="visible", timeout=TURN_MS)
    page.fill("[data-testid=chat-email]", VISITOR)
    page.click("[data-testid=chat-email-send]")
    created = page.locator("[data-testid=chat-message]", has_text=re.compile(r"T-\d{6}")).last
    created.wait_for(timeout=TURN_MS)
    number = re.search(r"T-\d{6}", created.inner_text())
    assert number
    page.wait_for_timeout(1_000)  # the widget long-polls now: the offer is not shown a second time
    assert page.locator("[data-testid=chat-message]", has_text=OFFER).count() == 1
    assert not page.errors

    page.reload()  # handed over: nothing is asked any more
    page.click("[data-testid=chat-launcher]")
    page.locator("[data-testid=chat-message]", has_text=number.group(0)).first.wait_for(timeout=TURN_MS)
    page.wait_for_timeout(500)
    assert not page.locator("[data-testid=chat-confirm-yes]").is_visible()
    assert not page.locator("[data-testid=chat-email]").is_visible()

    with web_stack.client(web_stack.token("alice", "agent", "acme")) as agent:
        tickets = agent.get("/tickets", params={"limit": 100}).json()["items"]
        found = next(t for t in tickets if t["number"] == number.group(0))
        ticket = agent.get(f"/tickets/{found['id']}").json()
    assert offer_text in ticket["description"], ticket["description"]  # the agent reads what did not help

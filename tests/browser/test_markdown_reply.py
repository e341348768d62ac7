"""A reply written with the console's formatting bar, in a real browser: the agent makes a line bold with the bar,
writes a list, reads the preview, sends; the ticket page and the customer's portal show the bold line and the list,
and the mail the customer gets (the local stack's outbox) carries the Markdown as written in its text part."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, mailed, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

ADDRESS = "kofi@example.com"


def test_a_reply_formatted_with_the_bar_reaches_the_portal_and_the_mail(web_stack: LocalStack, page: Any) -> None:
    with web_stack.client(web_stack.token(f"email:{ADDRESS}", "customer", "acme", email=ADDRESS)) as customer:
        ticket: dict[str, Any] = customer.post("/tickets", json={
            "subject": "Router keeps dropping", "description": "The wifi drops every hour."}).json()

    sign_in(page, web_stack.url, user="alice", role="agent", email="alice@acme.example")
    page.goto(f"{web_stack.url}/console/#/t/{ticket['id']}")
    page.locator("[data-testid=ticket-title]").wait_for()
    box = page.locator("[data-testid=reply-box]")
    box.fill("Restart the router")
    box.select_text()
    page.locator("[data-testid=format-bold]").click()
    expect(box).to_have_value("**Restart the router**")
    box.press("End")
    box.press_sequentially("\n\nThen:\n\n- unplug it for 30 seconds\n- plug it in again")
    box.evaluate("(el) => { const at = el.value.indexOf('30 seconds'); el.setSelectionRange(at, at + 10); }")
    box.press("Control+i")  # the keys as an agent presses them, in a real browser
    italic = "**Restart the router**\n\nThen:\n\n- unplug it for *30 seconds*\n- plug it in again"
    expect(box).to_have_value(italic)
    box.press("Control+z")  # the browser's own undo takes the mark back, as it would a typed one
    expect(box).to_have_value(italic.replace("*30 seconds*", "30 seconds"))
    box.press("Control+Shift+z")
    expect(box).to_have_value(italic)
    violations = axe_violations(page, "form.reply")
    assert not violations, f"axe on the reply form: {violations}"

    page.locator("[data-testid=reply-preview-toggle]").click()
    preview = page.locator("[data-testid=reply-preview]")
    expect(preview.locator("strong")).to_have_text("Restart the router")
    expect(preview.locator("li")).to_have_count(2)
    expect(preview.locator("em")).to_have_text("30 seconds")
    screenshot(page, "console-reply-preview")
    page.locator("[data-testid=reply-preview-toggle]").click()
    page.locator("[data-testid=reply-send]").click()

    sent = page.locator("[data-testid=public-message]", has_text="Restart the router")
    expect(sent.locator(".body strong")).to_have_text("Restart the router")
    expect(sent.locator(".body li")).to_have_count(2)
    assert "**" not in sent.inner_text()

    mail = mailed(web_stack, ADDRESS, "Restart the router")
    text = mail["body"].replace("\r\n", "\n")
    assert text.startswith("**Restart the router**\n\nThen:\n\n- unplug it for *30 seconds*\n")

    context = page.context.browser.new_context(viewport={"width": 1280, "height": 900})  # the customer's browser
    try:
        portal = context.new_page()
        sign_in(portal, web_stack.url, user=f"email:{ADDRESS}", role="customer", email=ADDRESS, app="portal")
        portal.goto(f"{web_stack.url}/portal/#/t/{ticket['id']}")
        theirs = portal.locator("[data-testid=public-message]", has_text="Restart the router")
        expect(theirs.locator(".body strong")).to_have_text("Restart the router")
        expect(theirs.locator(".body li")).to_have_count(2)
        screenshot(portal, "portal-markdown-reply")
    finally:
        context.close()

"""A screenshot pasted into the console's reply box goes with the reply, in a real browser on the local stack: the
clipboard's picture is listed under "Files to send" (one can be taken off again), a file dropped on the box joins it,
the reply carries both, and the customer pastes one of their own into the portal's reply."""

from typing import Any

import pytest

from tests.browser.conftest import sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

# A 1x1 PNG, put on a synthetic clipboard and pasted as a person's Ctrl+V would (no clipboard permission needed).
PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
PASTE = """([selector, name, base64]) => {
  const box = document.querySelector(selector);
  const png = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([png], name, { type: "image/png" }));
  box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
}"""
DROP = """([selector, name, text]) => {
  const box = document.querySelector(selector);
  const data = new DataTransfer();
  data.items.add(new File([text], name, { type: "text/plain" }));
  box.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
  box.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
}"""


def test_an_agent_pastes_a_screenshot_into_a_reply(web_stack: LocalStack, page: Any) -> None:
    address = "paste.customer@example.com"
    with web_stack.client(web_stack.token(f"email:{address}", "customer", "acme", email=address)) as customer:
        ticket: dict[str, Any] = customer.post("/tickets", json={
            "subject": "Where is the export button?", "description": "I cannot find it."}).json()
    sign_in(page, web_stack.url, user="alice", role="agent", email="alice@acme.example")
    page.goto(f"{web_stack.url}/console/#/t/{ticket['id']}")
    box = page.locator("[data-testid=reply-box]")
    box.fill("It is at the top right, see the picture.")
    page.evaluate(PASTE, ["[data-testid=reply-box]", "image.png", PNG_BASE64])
    page.evaluate(PASTE, ["[data-testid=reply-box]", "image.png", PNG_BASE64])
    files = page.locator("[data-testid=files-to-send] li")
    files.nth(1).wait_for()
    assert files.count() == 2
    assert files.first.inner_text().startswith("screenshot-")
    assert box.input_value() == "It is at the top right, see the picture."  # the paste added no text
    files.nth(1).get_by_role("button").click()  # one is enough
    assert files.count() == 1
    page.evaluate(DROP, ["[data-testid=reply-box]", "export.log", "exported 0 rows"])  # dragged from the desktop
    page.locator("[data-testid=files-to-send] li", has_text="export.log").wait_for()
    page.locator("[data-testid=reply-send]").click()
    sent = page.locator("[data-testid=public-message]", has_text="It is at the top right")
    sent.locator("[data-testid=attachment]", has_text="screenshot-").wait_for(timeout=30_000)
    sent.locator("[data-testid=attachment]", has_text="export.log").wait_for()
    assert page.locator("[data-testid=files-to-send]").count() == 0  # nothing left to send

    with web_stack.client(web_stack.token(f"email:{address}", "customer", "acme", email=address)) as customer:
        events = customer.get(f"/tickets/{ticket['id']}/events").json()
    items = events["items"] if isinstance(events, dict) else events
    [reply] = [e for e in items if e["type"] == "public_message"]
    assert [a["filename"][:11] for a in reply["data"]["attachments"]] == ["screenshot-", "export.log"]

    # The customer answers in the portal with a screenshot of their own, pasted the same way.
    sign_in(page, web_stack.url, user=f"email:{address}", role="customer", email=address, app="portal")
    page.goto(f"{web_stack.url}/portal/#/t/{ticket['id']}")
    page.locator("[data-testid=reply-box]").fill("Found it, thanks. Is this the right one?")
    page.evaluate(PASTE, ["[data-testid=reply-box]", "image.png", PNG_BASE64])
    page.locator("[data-testid=files-to-send] li", has_text="screenshot-").wait_for()
    page.locator("[data-testid=reply-box]").press("Control+Enter")  # the keys send as the button does
    theirs = page.locator("article", has_text="Is this the right one?")
    theirs.locator("[data-testid=attachment]", has_text="screenshot-").wait_for(timeout=30_000)

    # ... and opens a new request the same way: the picture pasted into the description arrives on the ticket.
    page.goto(f"{web_stack.url}/portal/#/new")
    page.fill("[data-testid=new-subject]", "The export button is grey")
    page.fill("[data-testid=new-description]", "It looks like this:")
    page.evaluate(PASTE, ["[data-testid=new-description]", "image.png", PNG_BASE64])
    page.locator("[data-testid=files-to-send] li", has_text="screenshot-").wait_for()
    page.click("[data-testid=new-submit]")
    page.locator("[data-testid=ticket-title]", has_text="The export button is grey").wait_for()
    page.locator("[data-testid=public-message] [data-testid=attachment]", has_text="screenshot-").wait_for()
    assert not page.errors

"""Files in the chat, in a real browser on the local stack: a visitor handed over to a person sends a screenshot from
the widget (granted by the chat API, stored through the presigned POST, named in the message), the agent finds it on
the ticket page in the console, and the agent's file comes back into the chat, where the visitor opens it."""

import re
from typing import Any

import httpx
import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

VISITOR = "files.visitor@example.com"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
TURN_MS = 90_000  # the stack's first chat turn loads the embedder


def test_a_visitor_sends_a_screenshot_and_opens_the_agents_file(web_stack: LocalStack, page: Any) -> None:
    page.goto(web_stack.url + "/widget/demo.html")
    page.click("[data-testid=chat-launcher]")
    attach = page.locator("[data-testid=chat-attach]")
    assert not attach.is_visible()  # nobody would read a file before a person has the conversation
    page.click("[data-testid=chat-handoff]")
    email = page.locator("[data-testid=chat-email]")
    confirm = page.locator("[data-testid=chat-confirm-yes]")
    email.or_(confirm).first.wait_for(state="visible", timeout=TURN_MS)
    if confirm.is_visible():
        confirm.click()
    email.wait_for(state="visible", timeout=TURN_MS)
    page.fill("[data-testid=chat-email]", VISITOR)
    page.click("[data-testid=chat-email-send]")
    created = page.locator("[data-testid=chat-message]", has_text=re.compile(r"T-\d{6}")).last
    created.wait_for(timeout=TURN_MS)
    found = re.search(r"T-\d{6}", created.inner_text())
    assert found
    number = found.group(0)

    attach.wait_for(state="visible")
    page.fill("[data-testid=chat-input]", "This is the error I get")
    page.locator("[data-testid=chat-file]").set_input_files(
        files=[{"name": "error.png", "mimeType": "image/png", "buffer": PNG}])
    mine = page.locator("[data-testid=chat-message][data-role=user]", has_text="This is the error I get")
    mine.locator("[data-testid=chat-file-link]", has_text="error.png").wait_for(timeout=30_000)
    assert page.locator("[data-testid=chat-input]").input_value() == ""

    agent = web_stack.token("alice", "agent", "acme", email="alice@acme.example")
    with web_stack.client(agent) as api:
        ticket = next(t for t in api.get("/tickets", params={"limit": 100}).json()["items"] if t["number"] == number)
        # the page the visitor wrote from, for the team (the widget sends it with each message)
        assert ticket["ai"]["pages"][-1]["url"] == f"{web_stack.url}/widget/demo.html"
        grant = api.post(f"/tickets/{ticket['id']}/attachments", json={
            "filename": "steps.png", "content_type": "image/png", "size": len(PNG)}).json()
        stored = httpx.post(grant["upload"]["url"], data=grant["upload"]["fields"],
                            files={"file": ("steps.png", PNG, "image/png")})
        assert stored.status_code < 300, stored.text
        sent = api.post(f"/tickets/{ticket['id']}/messages", json={
            "body": "Here are the steps.", "public": True, "attachment_ids": [grant["attachment_id"]]})
        assert sent.status_code == 201, sent.text

    reply = page.locator("[data-testid=chat-message][data-role=agent]", has_text="Here are the steps.")
    reply.wait_for(timeout=30_000)
    link = reply.locator("[data-testid=chat-file-link]", has_text="steps.png")
    screenshot(page, "widget-files")
    # The tab the link opens asks for the short-lived download URL of the agent's file (then downloads it).
    with page.context.expect_event("request", predicate=lambda r: "steps.png" in r.url, timeout=15_000) as asked:
        link.click()
    assert httpx.get(asked.value.url).content == PNG

    sign_in(page, web_stack.url, user="alice", role="agent", email="alice@acme.example")
    page.goto(f"{web_stack.url}/console/#/t/{ticket['id']}")
    message = page.locator("[data-testid=public-message]", has_text="This is the error I get")
    message.locator("[data-testid=attachment]", has_text="error.png").wait_for(timeout=30_000)
    assert not page.errors

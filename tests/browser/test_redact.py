"""An agent takes a card number a customer mailed out of the ticket, in a real browser: selects it in the message,
"Redact", confirms; the thread then shows `[redacted]`, the history says who redacted how much, and the original
mail is gone (the local stack's S3)."""

import json
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack
from tests.integration.mail.conftest import build_mail

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CARD = "4111 1111 1111 1111"


def test_an_agent_redacts_a_card_number_from_a_mailed_ticket(web_stack: LocalStack, page: Any,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "card.eml"
    path.write_bytes(build_mail(sender="Rita Card <rita@card.example>", subject="Charged twice for order 5521",
                                body=f"Hello, my card {CARD} was charged twice for order 5521.\n",
                                message_id="card-browser-1@card.example"))
    ingested = web_stack.cli("mail", "ingest", str(path))
    ticket_id = json.loads(ingested.stdout.splitlines()[-1])["ticket_id"]

    sign_in(page, web_stack.url, user="alice", role="agent", email="alice@acme.example")
    page.goto(f"{web_stack.url}/console/#/t/{ticket_id}")
    thread = page.locator("[data-testid=conversation]")
    expect(thread).to_contain_text(CARD)
    # select the number in the message, as an agent does with the mouse
    page.evaluate("""(card) => {
        const thread = document.querySelector('[data-testid=conversation]');
        const walker = document.createTreeWalker(thread, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.textContent.indexOf(card);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + card.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            return;
        }
        throw new Error('not on the page');
    }""", CARD)
    page.get_by_test_id("redact").click()
    expect(page.get_by_test_id("redact-text")).to_have_value(CARD)
    violations = axe_violations(page, "form[aria-label='Redact text']")
    assert not violations, f"axe on the redact form: {violations}"
    screenshot(page, "console-redact-text")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("redact-submit").click()
    expect(page.locator(".conversation > p.notice")).to_contain_text("Redacted 1 place; 1 original mail deleted.")
    expect(thread).to_contain_text("my card [redacted] was charged twice")
    expect(page.locator("body")).not_to_contain_text("4111")  # AI triage's summary beside it too
    expect(page.locator("body")).to_contain_text("redacted text (1 place, 1 original mail deleted)")
    assert not page.errors


def test_an_agent_redacts_a_photo_a_customer_mailed(web_stack: LocalStack, page: Any, tmp_path: Path) -> None:
    mail = EmailMessage()
    mail["From"] = "Ida Photo <ida@photo.example>"
    mail["To"] = "support@acme.example"
    mail["Subject"] = "My ID for the account check"
    mail["Message-ID"] = "<photo-browser-1@photo.example>"
    mail.set_content("Here is my ID card.\n")
    mail.add_attachment(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, maintype="image", subtype="png", filename="id-card.png")
    path = tmp_path / "photo.eml"
    path.write_bytes(mail.as_bytes())
    ticket_id = json.loads(web_stack.cli("mail", "ingest", str(path)).stdout.splitlines()[-1])["ticket_id"]

    sign_in(page, web_stack.url, user="alice", role="agent", email="alice@acme.example")
    page.goto(f"{web_stack.url}/console/#/t/{ticket_id}")
    thread = page.locator("[data-testid=conversation]")
    expect(thread.get_by_test_id("attachment")).to_have_text("id-card.png")
    page.once("dialog", lambda dialog: dialog.accept())
    thread.get_by_role("button", name="Redact the file id-card.png").click()
    expect(page.locator(".conversation > p.notice")).to_contain_text("Redacted the file; 1 original mail deleted.")
    expect(thread.get_by_test_id("attachment")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("id-card.png")
    expect(page.locator("body")).to_contain_text("redacted a file, 1 original mail deleted")
    assert not page.errors

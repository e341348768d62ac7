"""A side conversation in the console, in a real browser: an agent mails an internal note to a supplier and puts the
ticket on hold, the stack sends it (moto SES), the supplier's answer arrives by mail, shows on the ticket page as an
internal note from them and opens the ticket again, and "Answer" writes back to them. The customer sees none of it
(the portal shows the ticket as open while it is on hold)."""

import json
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, mailed, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

SUPPLIER = "orders@supplier.example"


def test_an_agent_asks_a_supplier_by_mail_and_reads_the_answer_on_the_ticket(
        web_stack: LocalStack, page: Any, tmp_path: Path) -> None:
    address = "ines@example.com"
    with web_stack.client(web_stack.token(f"email:{address}", "customer", "acme", email=address)) as customer:
        ticket: dict[str, Any] = customer.post("/tickets", json={
            "subject": "Toner for the LX-300", "description": "We are out of toner, when can you deliver?"}).json()
    sign_in(page, web_stack.url, user="alice", role="agent", email="alice@acme.example")
    page.goto(f"{web_stack.url}/console/#/t/{ticket['id']}")
    page.locator("[data-testid=ticket-title]").wait_for()  # the page as loaded, as test_web's stories open it
    page.get_by_label("Internal note").check()
    page.locator("[data-testid=reply-box]").fill("Hello, can you ship 3 LX-300 toners this week?")
    page.get_by_label("Also mail this note to (people outside the ticket)").fill(SUPPLIER)
    expect(page.locator("[data-testid=side-mail-hint]")).to_contain_text("The customer sees none of it")
    violations = axe_violations(page, "form.reply")
    assert not violations, f"axe on the reply form: {violations}"
    send = page.locator("[data-testid=reply-send]")
    expect(send).to_have_text("Add note and mail it")
    page.locator("[data-testid=reply-status]").select_option("on_hold")  # the team waits for the supplier
    expect(send).to_have_text("Add note and mail it and set on hold")
    send.click()
    mailed_note = page.locator("[data-testid=internal-note]", has_text="can you ship 3 LX-300 toners")
    expect(mailed_note).to_contain_text(f"mailed to {SUPPLIER}")
    expect(page.locator("[data-testid=side-mail-to]")).to_have_value("")  # the next note is not mailed unasked
    # ... but the supplier is one click away for the next one (the ticket keeps whom its notes were mailed to)
    contacts = page.locator("[data-testid=side-mail-contacts]")
    expect(contacts).to_contain_text(f"Mailed on this ticket before: {SUPPLIER}")
    conversation = page.locator("[data-testid=side-conversation]", has_text=SUPPLIER)
    expect(conversation).to_contain_text("waiting for an answer")  # the panel: whom the team waits for
    status = page.locator("p.meta .badge").first
    expect(status).to_have_text("on hold")

    sent = mailed(web_stack, SUPPLIER, "can you ship 3 LX-300 toners")
    assert sent["subject"] == f"[{ticket['number']}] Toner for the LX-300"
    assert "out of toner" not in sent["body"]  # nothing of the customer's went out

    answer = EmailMessage()
    answer["From"] = f"Supplier Orders <{SUPPLIER}>"
    answer["To"] = sent["from"]
    answer["Subject"] = f"Re: {sent['subject']}"
    answer["Message-ID"] = "<answer-1@supplier.example>"
    answer["In-Reply-To"] = sent["message_id"]
    answer["References"] = sent["message_id"]
    answer.set_content("Yes, 3 toners ship on Thursday.\n\n> Hello, can you ship 3 LX-300 toners this week?\n")
    eml = tmp_path / "answer.eml"
    eml.write_bytes(answer.as_bytes())
    delivered = web_stack.cli("mail", "ingest", str(eml))
    assert '"status": "appended"' in delivered.stdout, delivered.stdout + delivered.stderr

    note = page.locator("[data-testid=internal-note]", has_text="3 toners ship on Thursday")
    expect(note).to_contain_text(f"by mail from {SUPPLIER}", timeout=30_000)  # the page polls the ticket
    expect(note).to_contain_text("Supplier Orders")
    expect(status).to_have_text("open")  # what the hold waited for came: the ticket is the team's again
    expect(conversation).to_contain_text("answered")
    screenshot(page, "console-side-conversation")
    note.locator("[data-testid=side-mail-answer]").click()  # answer them: a note mailed back
    expect(page.get_by_role("checkbox", name="Internal note")).to_be_checked()
    expect(page.locator("[data-testid=side-mail-to]")).to_have_value(SUPPLIER)
    page.locator("[data-testid=reply-box]").fill("Thanks, please deliver to the front desk.")
    page.locator("[data-testid=reply-send]").click()
    expect(page.locator("[data-testid=internal-note]", has_text="deliver to the front desk")).to_contain_text(
        f"mailed to {SUPPLIER}")
    again = mailed(web_stack, SUPPLIER, "deliver to the front desk")
    assert again["in_reply_to"] == "<answer-1@supplier.example>"

    with web_stack.client(web_stack.token(f"email:{address}", "customer", "acme", email=address)) as customer:
        seen = json.dumps(customer.get(f"/tickets/{ticket['id']}/events").json())
    assert "toners" not in seen
    assert SUPPLIER not in seen
    assert not page.errors

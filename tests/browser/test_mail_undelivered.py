"""A reply that bounced, in a real browser: a customer's request, an agent's answer, SES's bounce told to the stack
(`helpdesk mail bounce`, what `functions/mail_feedback` does with SES's event in AWS). The agent's ticket page warns
above the reply box and its history says whom and why; the customer's portal shows none of it; the warning goes
once the customer writes again."""

import json
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, mailed, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CUSTOMER = "rosa@bouncing.example"


def _mail(tmp_path: Path, name: str, subject: str, body: str, **headers: str) -> str:
    message = EmailMessage()
    message["From"] = f"Rosa Diaz <{CUSTOMER}>"
    message["To"] = "support@acme.example"
    message["Subject"] = subject
    for key, value in headers.items():
        message[key.replace("_", "-")] = value
    message.set_content(body)
    path = tmp_path / name
    path.write_bytes(message.as_bytes())
    return str(path)


def test_an_agent_sees_that_the_reply_bounced_and_the_customer_does_not(
        web_stack: LocalStack, page: Any, tmp_path: Path) -> None:
    created = web_stack.cli("mail", "ingest", _mail(tmp_path, "first.eml", "Invoice address wrong",
                                                    "Please change the address on invoice INV-77.\n",
                                                    Message_ID="<rosa-1@bouncing.example>"))
    ticket: dict[str, Any] = json.loads(created.stdout.splitlines()[-1])
    assert ticket["status"] == "created", created.stdout + created.stderr
    sign_in(page, web_stack.url, user="alice", role="agent", email="alice@acme.example")
    page.goto(f"{web_stack.url}/console/#/t/{ticket['ticket_id']}")
    page.locator("[data-testid=ticket-title]").wait_for()
    page.locator("[data-testid=reply-box]").fill("Done: the invoice now shows your new address.")
    page.locator("[data-testid=reply-send]").click()
    expect(page.locator(".thread")).to_contain_text("the invoice now shows your new address")

    told = web_stack.cli("mail", "bounce", ticket["ticket_number"], "--tenant", "acme")
    assert json.loads(told.stdout) == {"ticket": ticket["ticket_number"], "address": CUSTOMER, "outcome": "recorded"}, (
        told.stdout + told.stderr)
    warning = page.locator("[data-testid=mail-undelivered]")
    expect(warning).to_contain_text(f"Our mail did not arrive: mail to {CUSTOMER} bounced", timeout=30_000)
    expect(warning).to_contain_text("550 5.1.1")
    expect(page.locator("[data-testid=events]")).to_contain_text(f"mail to {CUSTOMER} bounced")
    violations = axe_violations(page, "form.reply")
    assert not violations, f"axe on the reply form: {violations}"
    screenshot(page, "console-mail-undelivered")

    with web_stack.client(web_stack.token(f"email:{CUSTOMER}", "customer", "acme", email=CUSTOMER)) as customer:
        seen = customer.get(f"/tickets/{ticket['ticket_id']}/events").json()
    assert "mail_undelivered" not in json.dumps(seen)

    # the customer answers after all (the address works again): the warning has done its work
    reply = mailed(web_stack, CUSTOMER, "the invoice now shows your new address")
    answered = web_stack.cli("mail", "ingest", _mail(tmp_path, "again.eml", f"Re: {reply['subject']}",
                                                     "Thanks, got it now.\n", Message_ID="<rosa-2@bouncing.example>",
                                                     In_Reply_To=reply["message_id"]))
    assert '"status": "appended"' in answered.stdout, answered.stdout + answered.stderr
    expect(page.locator(".thread")).to_contain_text("got it now", timeout=30_000)
    expect(warning).to_have_count(0)
    assert not page.errors

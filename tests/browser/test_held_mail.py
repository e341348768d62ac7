"""A mail held by mistake, let in from the Mail screen in a real browser: a monitoring alert marked automatic
(`Auto-Submitted: auto-generated`) is ignored on arrival; the admin finds it in the quarantine by its sender, lets it
in and follows the link to the ticket it became."""

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack
from tests.integration.mail.conftest import build_mail

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_an_admin_lets_an_ignored_alert_in_and_opens_its_ticket(web_stack: LocalStack, page: Any,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "alert.eml"
    path.write_bytes(build_mail(sender="Monitoring <alerts@monitor.example>", subject="CRITICAL: disk full on db-7",
                                body="The disk /var on db-7 is 98% full.\n", message_id="alert-7@monitor.example",
                                headers={"Auto-Submitted": "auto-generated"}))
    ingested = web_stack.cli("mail", "ingest", str(path))
    assert json.loads(ingested.stdout.splitlines()[-1])["status"] == "ignored", ingested.stdout + ingested.stderr

    sign_in(page, web_stack.url, user="root", role="admin", email="root@acme.example")
    page.goto(f"{web_stack.url}/console/#/mail")
    search = page.get_by_role("searchbox", name="Find held mail")
    search.fill("ALERTS@monitor.example disk")
    search.press("Enter")  # out-of-office replies of the other tests' tickets are held here too
    rows = page.locator("[data-testid=held-mail]")
    expect(rows).to_have_count(1)
    row = page.locator("[data-testid=held-mail]", has_text="CRITICAL: disk full on db-7")
    expect(row).to_contain_text("automatic")
    violations = axe_violations(page, "[data-testid=quarantine]")
    assert not violations, f"axe on the quarantine: {violations}"
    row.get_by_role("button", name="Let in the mail from alerts@monitor.example: CRITICAL: disk full on db-7").click()
    expect(page.locator("[data-testid=quarantine] [role=status]")).to_contain_text(
        "The mail from alerts@monitor.example was let in")
    link = row.locator("[data-testid=held-mail-ticket]")
    expect(link).to_contain_text("on T-")
    screenshot(page, "console-held-mail-let-in")
    link.click()
    expect(page.locator("[data-testid=ticket-title]")).to_contain_text("CRITICAL: disk full on db-7")
    expect(page.locator(".thread")).to_contain_text("The disk /var on db-7 is 98% full.")
    assert not page.errors

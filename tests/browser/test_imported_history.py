"""A team's history brought over from Zendesk, in a real browser: `helpdesk import zendesk` run against the running
stack (its CLI, as an operator would), then an agent finds the imported tickets in the queue, reads where one came
from, its conversation with the files that came along and the ones that stayed behind, and triage's suggestions;
a ticket that was done before the import says it was never triaged; the help centre's article shows its picture,
served from here."""

import json
import subprocess
from typing import Any

import pytest

from helpdesk.imports.service import imported_ticket_id
from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import HELPDESK, ROOT, LocalStack
from tests.zendesk_fake import EMAIL, TOKEN, ZendeskFake

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TENANT = "umbrella"  # its own tenant: the session's stack is shared with the other browser tests


def test_an_agent_works_in_tickets_imported_from_zendesk(web_stack: LocalStack, page: Any) -> None:
    zendesk = ZendeskFake()
    try:
        done = subprocess.run([HELPDESK, "import", "zendesk", "--tenant", TENANT, "--email", EMAIL, "--url",
                               zendesk.url, "--publish"], env={**web_stack.env, "ZENDESK_API_TOKEN": TOKEN},
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
    finally:
        zendesk.close()
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert (report["tickets_imported"], report["attachments_imported"]) == (3, 2)
    assert report["articles"]["pictures_imported"] == 1

    sign_in(page, web_stack.url, user="rita", role="agent", tenant=TENANT, email="rita@umbrella.example")
    page.locator("[data-testid=view-open]").click()  # the open ones: imported as open, not new
    page.locator("[data-testid=ticket-subject]", has_text="Invoice shows the wrong VAT").click()
    page.locator("[data-testid=imported-from]", has_text="Imported from Zendesk #1001").wait_for()
    assert page.locator("[data-testid=imported-from] a").get_attribute("href") == f"{zendesk.url}/agent/tickets/1001"
    marks = page.locator(".badge", has_text="in Zendesk")  # every message was written there
    marks.nth(3).wait_for()  # the thread loads beside the ticket, a moment later
    assert marks.count() == 4
    files = page.locator("[data-testid=attachment]")
    files.first.wait_for()
    assert files.all_inner_texts() == ["screenshot.png", "credit-note.pdf"]
    left = page.locator("[data-testid=files-left]").all_inner_texts()
    assert left == ["Not brought over: gone.png (Zendesk answered 404)",
                    "Not brought over: setup.exe (executable files are not accepted)"]
    # triage's suggestions come from the stack's stream poller (its first ticket loads the models: up to a minute or
    # two on a loaded machine, as the chat e2e tests allow); the page asks again while triage is pending
    page.locator("[data-testid=triage-panel]", has_text="Summary of 3 messages").wait_for(timeout=120_000)
    violations = axe_violations(page, ".conversation")
    assert not violations, f"axe on the imported conversation: {violations}"
    screenshot(page, "console-imported-ticket")

    page.goto(f"{web_stack.url}/console/#/t/{imported_ticket_id(TENANT, 'zendesk', '1002')}")  # resolved: not queued
    page.locator("[data-testid=triage-panel]", has_text="Not triaged: this ticket was done before it was imported.") \
        .wait_for()

    # The help centre keeps its pictures: served from here, drawn by the browser (the old one may close).
    page.goto(f"{web_stack.url}/portal/#/help/{TENANT}/zendesk-3001")
    picture = page.locator(".markdown img.picture")
    picture.wait_for()
    assert picture.get_attribute("alt") == "VAT table"
    page.wait_for_function("() => document.querySelector('.markdown img.picture').naturalWidth === 40")
    screenshot(page, "help-centre-imported-article")
    assert page.errors == []

"""The Import screen in a real browser: an admin brings a Zendesk account (`tests.zendesk_fake`, on loopback, which the
local stack accepts) over from the console, follows the import from queued to done, reads its report and finds the
imported tickets in the queue; a wrong token ends the import failed, saying why, and "Test connection" says so before
anything starts; an agent has no Import screen. The local stack's import worker runs in-process, taking jobs off the
import queue as the Lambda does in AWS."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.browser.test_narrow_screens import WIDTH, _assert_cards, _page_width
from tests.e2e.conftest import LocalStack
from tests.zendesk_fake import EMAIL, TOKEN, ZendeskFake, counted

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

DONE_MS = 60_000  # an import of the fake account takes seconds; a loaded machine, longer


@pytest.fixture
def zendesk() -> Iterator[ZendeskFake]:
    fake = ZendeskFake()
    yield fake
    fake.close()


def start_import(page: Any, url: str, token: str) -> Any:
    """On the Import screen (opened from the menu), a Zendesk import of `url` with the fake's admin and `token`
    started: the new import's row, at the top of the list."""
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Import", exact=True).click()
    form = page.locator("[data-testid=import-form]")
    form.locator("[name=import-source]").select_option("zendesk")
    form.locator("[name=import-url]").fill(url)
    form.locator("[name=import-email]").fill(EMAIL)
    form.locator("[name=import-token]").fill(token)
    assert "Admin Center > Apps and integrations > APIs > Zendesk API" in (
        form.locator("[data-testid=import-token-hint]").text_content() or "")
    violations = axe_violations(page, "main")
    assert not violations, f"axe on the Import screen: {violations}"
    form.get_by_role("button", name="Start import").click()
    page.locator("[data-testid=import-notice]", has_text="from Zendesk is queued").wait_for()
    assert form.locator("[name=import-token]").input_value() == ""  # the API keeps it for the run; the page does not
    row = page.locator("[data-testid=import]").first
    assert row.get_attribute("data-status") in ("queued", "running")  # as the API answered the start
    return row


def test_an_admin_imports_from_zendesk_and_follows_it_to_its_report(web_stack: LocalStack, page: Any,
                                                                    zendesk: ZendeskFake) -> None:
    tenant = "initech"  # its own: one import at a time per tenant, and the queue below is this import's alone
    sign_in(page, web_stack.url, user="ada", role="admin", tenant=tenant, email="ada@initech.example")
    row = start_import(page, zendesk.url, TOKEN)
    assert zendesk.url in (row.text_content() or "")
    done = page.locator("[data-testid=import][data-status=done]").first
    done.wait_for(timeout=DONE_MS)  # the screen reads the list again every 2 s while the import runs
    page.locator("[data-testid=import-notice]", has_text="is done").wait_for()
    assert done.locator("[data-testid=import-progress]").text_content() == "3 imported · 0 already here · 0 failed"
    assert "by ada" in (done.text_content() or "")  # no directory entry for ada: the id

    report = page.locator("[data-testid=import-report]").first  # the newest import's, open
    assert report.locator("[data-testid=import-tickets-imported]").text_content() == "3"
    figures = report.locator("[data-testid=import-figures]").text_content() or ""
    assert "Deleted there (skipped)1" in figures  # ticket 1003 was deleted in Zendesk
    missing = report.locator("[data-testid=import-not-in-directory]").text_content() or ""
    assert "Alice Agent" in missing  # initech's directory is empty: add them on Team
    assert "Billing" in missing
    assert report.locator("[data-testid=import-part]").count() > 0  # macros, views, rules, SLA: each part's counts
    violations = axe_violations(page, "main")
    assert not violations, f"axe on the Import screen with a report: {violations}"
    screenshot(page, "console-import-done")

    page.set_viewport_size({"width": WIDTH, "height": 844})  # a phone: the list and the report's parts are cards
    assert _page_width(page) <= WIDTH
    _assert_cards(page, "[data-testid=imports] > table")
    _assert_cards(page, "[data-testid=import-parts-report]")
    violations = axe_violations(page, "main")
    assert not violations, f"axe on the Import screen on a phone: {violations}"
    page.set_viewport_size({"width": 1280, "height": 900})

    # again with the same settings: only the token to type; what came over is not brought twice
    done.locator("[data-testid=import-again]").click()
    form = page.locator("[data-testid=import-form]")
    assert form.locator("[name=import-url]").input_value() == zendesk.url
    assert form.locator("[name=import-email]").input_value() == EMAIL
    form.locator("[name=import-token]").fill(TOKEN)
    form.get_by_role("button", name="Start import").click()
    page.locator("[data-testid=import-notice]", has_text="from Zendesk is queued").wait_for()
    page.locator("[data-testid=import-notice]", has_text="is done").wait_for(timeout=DONE_MS)
    again = page.locator("[data-testid=import]").first
    assert again.locator("[data-testid=import-progress]").text_content() == "0 imported · 3 already here · 0 failed"

    page.get_by_role("link", name="Tickets", exact=True).click()
    page.locator("[data-testid=view-open]").click()  # imported as open, as it was in Zendesk
    page.locator("[data-testid=ticket-subject]", has_text="Invoice shows the wrong VAT").wait_for()
    assert page.errors == []


def test_a_wrong_token_ends_the_import_failed_saying_why(web_stack: LocalStack, page: Any,
                                                          zendesk: ZendeskFake) -> None:
    sign_in(page, web_stack.url, user="bo", role="admin", tenant="hooli", email="bo@hooli.example")
    start_import(page, zendesk.url, "not-the-token")
    failed = page.locator("[data-testid=import][data-status=failed]").first
    failed.wait_for(timeout=DONE_MS)
    error = page.locator("[data-testid=import-error]").first
    text = error.text_content() or ""
    assert text.startswith("It failed: "), text
    assert "401" in text, text  # why: Zendesk refused the sign-in
    assert error.is_visible()
    assert page.locator("[data-testid=cancel-import]").count() == 0  # nothing left to stop
    violations = axe_violations(page, "main")
    assert not violations, f"axe on a failed import: {violations}"
    screenshot(page, "console-import-failed")
    assert page.errors == []


def test_test_connection_tells_a_wrong_token_before_anything_starts(web_stack: LocalStack, page: Any,
                                                                   zendesk: ZendeskFake) -> None:
    sign_in(page, web_stack.url, user="cy", role="admin", tenant="vandelay", email="cy@vandelay.example")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Import", exact=True).click()
    form = page.locator("[data-testid=import-form]")
    test = form.get_by_role("button", name="Test connection")
    result = form.locator("[data-testid=import-check]")
    problem = form.locator("[data-testid=import-check-problem]")
    form.locator("[name=import-source]").select_option("zendesk")
    form.locator("[name=import-url]").fill(zendesk.url)
    form.locator("[name=import-email]").fill(EMAIL)
    test.click()  # no token yet: the browser asks for it, as for Start, and nothing is sent
    expect(form.locator("[name=import-token]")).to_be_focused()
    expect(problem).to_have_count(0)
    expect(result).to_have_text("")

    form.locator("[name=import-token]").fill("not-the-token")
    test.click()
    expect(problem).to_contain_text("Zendesk refused the credentials (401)")
    expect(problem).to_contain_text("an admin's address and an API token")
    expect(test).to_be_enabled()
    expect(result).to_have_text("")
    expect(page.locator("[data-testid=imports]")).to_contain_text("No imports yet.")  # a check starts nothing
    expect(page.locator("[data-testid=import]")).to_have_count(0)
    violations = axe_violations(page, "main")
    assert not violations, f"axe on a refused connection check: {violations}"

    form.locator("[name=import-token]").fill(TOKEN)
    expect(problem).to_have_count(0)  # it told of the token no longer typed
    test.click()
    expect(result).to_have_text(f"Signed in to Zendesk as Ada Admin ({EMAIL}), an admin. "
                                f"{counted()} tickets to bring over.")
    expect(problem).to_have_count(0)
    expect(page.locator("[data-testid=import]")).to_have_count(0)
    violations = axe_violations(page, "main")
    assert not violations, f"axe on a connection check that signed in: {violations}"
    screenshot(page, "console-import-check")
    assert page.errors == []


def test_an_agent_has_no_import_screen(web_stack: LocalStack, page: Any) -> None:
    sign_in(page, web_stack.url, user="rita", role="agent", tenant="initech", email="rita@initech.example")
    nav = page.get_by_role("navigation", name="Sections")
    nav.get_by_role("link", name="Tickets", exact=True).wait_for()
    assert nav.get_by_role("link", name="Import", exact=True).count() == 0
    page.goto(f"{web_stack.url}/console/#/import")  # typed in: the queue, not the screen
    page.locator("[data-testid=view-open]").wait_for()
    assert page.locator("[data-testid=import-form]").count() == 0
    assert page.errors == []

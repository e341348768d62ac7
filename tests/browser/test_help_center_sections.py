"""The help centre's sections in a real browser: an admin orders and describes them on the console's knowledge
screen, and the public help centre (no sign-in) heads its articles in that order, the line under a heading, the
sections the list lacks after the listed ones by name."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

LINE = "Export or delete what you keep with us"


@pytest.fixture
def no_sections_after(web_stack: LocalStack) -> Iterator[None]:
    """The stack is the session's: the other tests read the sample sections by name, so the list is emptied again."""
    yield
    with web_stack.client(web_stack.token("admin-sections", "admin", "acme")) as admin:
        version = admin.get("/kb/sections").json()["version"]
        assert admin.put("/kb/sections", json={"sections": []},
                         headers={"if-match": f'"{version}"'}).status_code == 200


def test_an_admin_orders_the_sections_and_the_public_help_centre_follows(
        web_stack: LocalStack, page: Any, no_sections_after: None) -> None:
    sign_in(page, web_stack.url, user="ada", role="admin", email="ada@acme.example")
    page.goto(f"{web_stack.url}/console/#/kb")
    editor = page.locator("[data-testid=kb-sections]")
    editor.get_by_role("heading", name="Help centre sections").wait_for()
    # the sample articles' sections, added from the list of articles (by name), then ordered by hand
    editor.locator("[data-testid=add-used-sections]").click()
    names = editor.locator("input[name=section-name]")
    assert [names.nth(i).input_value() for i in range(names.count())] == [
        "Account and sign-in", "Billing and plans", "Getting help", "Integrations and API", "Your data"]
    for _ in range(4):
        editor.get_by_role("button", name="Up Your data").click()
    editor.get_by_role("button", name="Remove Billing and plans").click()  # unlisted: after the listed, by name
    editor.locator("[data-testid=kb-section]").first.get_by_label("Line under the heading (optional)").fill(LINE)
    editor.get_by_role("button", name="Save sections").click()
    editor.get_by_text("Sections saved").wait_for()
    assert [names.nth(i).input_value() for i in range(names.count())] == [
        "Your data", "Account and sign-in", "Getting help", "Integrations and API"]
    violations = axe_violations(page, "[data-testid=kb-sections]")
    assert not violations, f"axe on the sections editor: {violations}"
    screenshot(page, "console-kb-sections")

    public = page.context.new_page()
    public.goto(f"{web_stack.url}/portal/#/help/acme")
    headings = public.locator("[data-testid=help-center-articles] h3")
    headings.first.wait_for()
    assert headings.all_inner_texts()[:5] == [
        "Your data", "Account and sign-in", "Getting help", "Integrations and API", "Billing and plans"]
    described = public.locator(".hc-section", has=public.get_by_role("heading", name="Your data"))
    assert described.locator("[data-testid=hc-section-description]").inner_text() == LINE
    violations = axe_violations(public)
    assert not violations, f"axe on the public help centre: {violations}"
    screenshot(public, "portal-help-center-ordered-sections")
    assert not page.errors


def test_an_articles_price_table_reads_as_a_table(web_stack: LocalStack, page: Any) -> None:
    """The sample "Plans and pricing" article's Markdown table, in the public help centre: a table a screen reader
    reads as one (header cells, rows), not a paragraph of pipes."""
    page.goto(f"{web_stack.url}/portal/#/help/acme")
    page.get_by_role("link", name="Plans and pricing").first.click()
    table = page.get_by_role("table")
    table.wait_for()
    assert [c.inner_text() for c in table.get_by_role("columnheader").all()] == [
        "Plan", "Monthly billing", "Annual billing", "Highlights"]
    assert [r.get_by_role("cell").first.inner_text() for r in table.get_by_role("row").all()[1:]] == [
        "Free", "Team", "Business"]
    assert "|" not in page.locator(".markdown").inner_text()
    violations = axe_violations(page, ".markdown")
    assert not violations, f"axe on the article: {violations}"
    screenshot(page, "portal-article-table")

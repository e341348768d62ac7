"""The chat widget in the team's look, in a real browser on the local stack: an admin sets its title, colour, corner
and greetings on the console's AI screen (under the served CSP, as admins use it), the preview shows them, a colour
white text cannot be read on is refused with its contrast, and a site's page then shows the widget in that look, its
greeting in the page's language."""

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import PageErrors, axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TENANT = "lookco"  # a tenant of its own: the API keeps a tenant's look a minute, and other stories use acme's widget
GREEN = "rgb(11, 110, 79)"  # #0b6e4f


@pytest.fixture
def served_csp_page(browser: Any) -> Iterator[Any]:
    """A page that keeps the served Content-Security-Policy (the suite's `page` bypasses it for axe-core)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.errors = PageErrors()
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.csp_violations = violations
    yield page
    context.close()


def test_an_admin_gives_the_widget_the_teams_look_and_a_site_shows_it(web_stack: LocalStack,
                                                                       served_csp_page: Any) -> None:
    page = served_csp_page
    sign_in(page, web_stack.url, user="lena", role="admin", tenant=TENANT, email="lena@lookco.example")
    page.goto(f"{web_stack.url}/console/#/ai")
    look = page.locator("[data-testid=widget-look]")
    look.locator("[name=widget-title]").fill("Lookco help")
    look.locator("[name=widget-greeting]").fill("Hi! Ask us about your Lookco account.")
    look.locator("[name=widget-greeting-language]").select_option("de")
    look.locator("[name=widget-greeting]").fill("Hallo! Fragen Sie uns zu Ihrem Lookco-Konto.")
    look.get_by_label("Title in Deutsch").fill("Lookco-Hilfe")
    look.locator("[name=widget-position]").select_option("left")
    look.locator("[name=widget-colour]").fill("#ffcc00")
    page.click("text=Save AI settings")
    page.get_by_text(re.compile(r"contrast of 1\.5:1")).first.wait_for()  # refused, the form keeps what was typed
    look.locator("[name=widget-colour]").fill("#0b6e4f")
    preview = page.locator("[data-testid=widget-preview]")
    assert preview.locator(".widget-preview-launcher").evaluate("e => getComputedStyle(e).backgroundColor") == GREEN
    assert "Hallo! Fragen Sie uns zu Ihrem Lookco-Konto." in preview.inner_text()
    assert preview.locator(".widget-preview-header").inner_text() == "Lookco-Hilfe"
    page.click("text=Save AI settings")
    page.get_by_text("AI settings saved").wait_for()
    screenshot(page, "widget-look-settings")

    # A site of the team's (its page in German) with the script tag the AI screen shows
    site = f"{web_stack.url}/widget/lookco-site.html"
    page.route(site, lambda route: route.fulfill(content_type="text/html", body=(
        '<!doctype html><html lang="de"><head><title>Lookco</title></head><body><h1>Lookco</h1>'
        f'<script src="/widget/helpdesk-chat.js" data-tenant="{TENANT}"></script></body></html>')))
    page.goto(site)
    launcher = page.locator("[data-testid=chat-launcher]")
    launcher.wait_for(state="visible")
    assert "Lookco-Hilfe" in launcher.inner_text()  # the team's German title on a German page
    assert launcher.evaluate("e => getComputedStyle(e).backgroundColor") == GREEN
    assert launcher.bounding_box()["x"] < 200  # the bottom left corner
    launcher.click()
    greeting = page.locator("[data-testid=chat-message][data-role=assistant]").first
    assert "Hallo! Fragen Sie uns zu Ihrem Lookco-Konto." in greeting.inner_text()
    assert page.locator("helpdesk-chat header h2").inner_text() == "Lookco-Hilfe"
    violations = axe_violations(page, "helpdesk-chat")  # the team's colour keeps the widget readable (WCAG AA)
    assert not violations, f"axe on the widget in the team's look: {violations}"
    screenshot(page, "widget-look-site")
    assert page.errors == []
    assert page.csp_violations == []

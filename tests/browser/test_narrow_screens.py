"""On a phone's screen (390 px wide) and a tablet's (768 px): the console's pages and the customer's portal fit the
screen's width (a wide table scrolls sideways on its own), so nothing, the search button or a filter, sits off the
edge."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TENANT = "phoneco"
WIDTH = 390  # a phone's
TABLET = 768


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True,
                                  bypass_csp=True)  # bypass_csp only so that axe-core can be injected
    context.set_default_timeout(20_000)
    yield context
    context.close()


def _page_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_the_console_and_the_portal_fit_a_phones_screen(web_stack: LocalStack, phone: Any) -> None:
    customer = web_stack.token("email:ines@example.com", "customer", TENANT, email="ines@example.com")
    with web_stack.client(customer) as c:
        ticket = c.post("/tickets", json={
            "subject": "The export of our quarterly invoices stops halfway with an unexpected error",
            "description": "Since Monday the invoice export stops at about half of the rows."}).json()

    agent = phone.new_page()
    sign_in(agent, web_stack.url, user="rosa", role="agent", tenant=TENANT, email="rosa@phoneco.example")
    agent.locator("[data-testid=ticket-subject]", has_text=ticket["subject"]).wait_for()
    search = agent.get_by_role("search", name="Search tickets").get_by_role("button", name="Search")
    assert search.bounding_box()["x"] + search.bounding_box()["width"] <= WIDTH
    assert _page_width(agent) <= WIDTH
    assert not agent.get_by_text("Keys: j/k move").is_visible()  # no keyboard on a touch screen
    assert not axe_violations(agent)
    screenshot(agent, "phone-console-queue")
    agent.locator("[data-testid=ticket-subject]", has_text=ticket["subject"]).click()
    agent.locator("[data-testid=ticket-title]").wait_for()
    agent.locator("[data-testid=reply-box]").wait_for()
    assert _page_width(agent) <= WIDTH
    assert not axe_violations(agent)
    screenshot(agent, "phone-console-ticket")

    portal = phone.new_page()
    sign_in(portal, web_stack.url, user="email:ines@example.com", role="customer", tenant=TENANT,
            email="ines@example.com", app="portal")
    portal.get_by_role("link", name=ticket["subject"]).click()
    portal.get_by_text("Since Monday the invoice export stops").wait_for()
    assert _page_width(portal) <= WIDTH
    # 16 px: iOS zooms the page into a smaller field one taps
    assert portal.locator("[data-testid=reply-box]").evaluate("e => getComputedStyle(e).fontSize") == "16px"
    assert not axe_violations(portal)
    screenshot(portal, "phone-portal-ticket")


ADMIN_PAGES = ("new", "kb", "macros", "reports", "team", "ai", "sla", "mail", "triggers", "integrations", "privacy",
               "fields")


@pytest.mark.parametrize("width", [WIDTH, TABLET])
def test_every_console_page_of_an_admin_fits_a_small_screen(web_stack: LocalStack, browser: Any, width: int) -> None:
    """The admin's longer menu wraps, and the tables of the queue, team, SLA, privacy and report pages scroll inside
    the page."""
    # bypass_csp only so that axe-core can be injected
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=True, has_touch=True,
                                  bypass_csp=True)
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        sign_in(page, web_stack.url, user="vera", role="admin", tenant=TENANT, email="vera@phoneco.example")
        for section in ("", *ADMIN_PAGES):
            page.goto(f"{web_stack.url}/console/#/{section}")
            page.locator("main h1").first.wait_for()
            page.wait_for_function("() => !document.querySelector('main').textContent.includes('Loading')")
            assert _page_width(page) <= width, section
            assert not axe_violations(page), section  # a table that scrolls is one a keyboard can scroll
        page.goto(f"{web_stack.url}/console/#/team")
        page.get_by_role("cell", name="vera@phoneco.example").wait_for()  # the people table, which scrolls sideways
        assert _page_width(page) <= width
        screenshot(page, f"console-team-{width}px")
    finally:
        context.close()


def test_the_chat_takes_a_phones_whole_screen(web_stack: LocalStack, phone: Any) -> None:
    """Open on a phone, the conversation fills the screen (a small box over a page is hard to use there, and iOS
    would zoom into a field under 16 px); closed, the launcher is back in its corner."""
    page = phone.new_page()
    page.goto(web_stack.url + "/widget/demo.html")
    page.click("[data-testid=chat-launcher]")
    field = page.locator("[data-testid=chat-input]")
    field.wait_for()
    panel = page.locator("[data-testid=chat-log]").locator("xpath=..")
    box = panel.bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, WIDTH, 844)
    assert field.evaluate("e => getComputedStyle(e).fontSize") == "16px"
    field.fill("How do I reset my password?")
    field.press("Enter")
    page.locator("[data-testid=chat-message][data-role=assistant]").nth(1).wait_for()
    assert not axe_violations(page)
    screenshot(page, "phone-chat")
    page.click("[data-testid=chat-close]")
    launcher = page.locator("[data-testid=chat-launcher]").bounding_box()
    assert launcher["x"] + launcher["width"] <= WIDTH - 10  # in its corner, inside the screen
    assert not panel.is_visible()

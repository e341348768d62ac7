"""On a phone's screen (390 px wide) and a tablet's (768 px): the console's pages and the customer's portal fit the
screen's width, so nothing, the search button or a filter, sits off the edge. On a tablet a wide table scrolls
sideways on its own; on a phone the console's tables of records read as cards (`table.cards`: a row a card, its cells
named)."""

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack
from tests.webhook_receiver import Receiver

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
    assert not agent.locator("[data-testid=shortcuts-open]").is_visible()
    assert not axe_violations(agent)
    screenshot(agent, "phone-console-queue")
    agent.locator("[data-testid=ticket-subject]", has_text=ticket["subject"]).click()
    agent.locator("[data-testid=ticket-title]").wait_for()
    agent.locator("[data-testid=reply-box]").wait_for()
    assert _page_width(agent) <= WIDTH
    form, files = agent.locator("form.reply").bounding_box(), agent.locator("#reply-files").bounding_box()
    assert files["x"] + files["width"] <= form["x"] + form["width"]  # the file input stays inside the reply form
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
               "fields", "import")


@pytest.mark.parametrize("width", [WIDTH, TABLET])
def test_every_console_page_of_an_admin_fits_a_small_screen(web_stack: LocalStack, browser: Any, width: int) -> None:
    """The admin's longer menu wraps, and the tables of the queue, team, SLA, privacy and report pages fit: cards on a
    phone, a table scrolling inside the page on a tablet."""
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
        page.get_by_role("cell", name="vera@phoneco.example").wait_for()  # the people table (cards on a phone)
        assert _page_width(page) <= width
        screenshot(page, f"console-team-{width}px")
    finally:
        context.close()


# Where a row would not fit a phone's width: each card's width, no sideways scrolling, the header row out of sight (read
# to screen readers), and every button and field inside the screen and at least 24 px high (WCAG 2.5.8).
CARD_PROBLEMS = """(table) => {
    const problems = [];
    const width = document.documentElement.clientWidth;
    if (table.scrollWidth > table.clientWidth + 1) problems.push(`scrolls sideways: ${table.scrollWidth} px`);
    if (table.tHead && table.tHead.getBoundingClientRect().width > 1) problems.push('header row shown');
    const rows = [...table.tBodies[0].rows];
    if (!rows.length) problems.push('no rows');
    for (const row of rows) {
        if (getComputedStyle(row).display !== 'flex') problems.push(`row not a card: ${row.textContent.slice(0, 40)}`);
        const box = row.getBoundingClientRect();
        if (box.right > width + 1) problems.push(`row past the screen: ${box.right}`);
    }
    for (const control of table.querySelectorAll(':scope > tbody > tr > td :is(button, select, input, a)')) {
        const box = control.getBoundingClientRect();
        if (!box.width) continue;  // not shown
        const what = control.outerHTML.slice(0, 60);
        if (box.right > width + 1) problems.push(`${what} past the screen`);
        if (control.tagName !== 'A' && box.height < 24) problems.push(`${what} ${box.height} px high`);
    }
    return problems;
}"""

# A screen, the tables on it read as cards on a phone once the tenant has something in each.
CARD_SCREENS = {
    "team": ("[data-testid=team-users]", "[data-testid=team-organizations]"),
    "sla": ("[data-testid=sla-calendars]", "[data-testid=sla-policies]"),
    "reports?range=7d": ("[data-testid=overview-rows]", "[data-testid=ai-triage]"),
    "ai": ("[data-testid=ai-fields]",),
    "integrations": ("[data-testid=webhooks] table", "[data-testid=api-clients] table",
                     "[data-testid=widget-identity-keys] table"),
    "privacy": ("[data-testid=audit-log] table",),
    "customers": ("[data-testid=customers]",),
}


def _table_roles(page: Any, selector: str) -> set[str]:
    """The table roles Chromium gives the first `selector` and what is in it: its accessibility tree, which screen
    readers read (Playwright's get_by_role reads the markup, whatever the CSS)."""
    cdp = page.context.new_cdp_session(page)
    try:
        found = cdp.send("Runtime.evaluate", {"expression": f"document.querySelector({json.dumps(selector)})"})
        table = found["result"]["objectId"]
        return {role for role in ("table", "row", "columnheader", "cell")
                if cdp.send("Accessibility.queryAXTree", {"objectId": table, "role": role})["nodes"]}
    finally:
        cdp.detach()


def _assert_cards(page: Any, selector: str) -> None:
    table = page.locator(selector).first
    table.locator("tbody tr").first.wait_for()
    assert not table.evaluate(CARD_PROBLEMS), (selector, table.evaluate(CARD_PROBLEMS))
    assert _table_roles(page, selector) == {"table", "row", "columnheader", "cell"}, selector  # still a table


def test_the_consoles_tables_read_as_cards_on_a_phone(web_stack: LocalStack, phone: Any) -> None:
    """An admin whose tenant has people, an organisation, SLA calendars, tickets with time logged, a webhook that has
    delivered, an API client and an identity key: each screen fits the phone, each of its tables is a stack of cards
    whose fields and buttons can be tapped, and axe finds nothing; so do the forms and logs opened inside a card."""
    tenant = "cardco"
    receiver = Receiver()
    try:
        admin = web_stack.token("noor", "admin", tenant, email="noor@cardco.example")
        with web_stack.client(admin) as c:
            for email, name in (("jonas.vandenberghe@cardco.example", "Jonas Vandenberghe"),
                                ("mei@cardco.example", "Mei")):
                assert c.post("/users", json={"email": email, "name": name, "role": "agent", "groups": []}).is_success
            assert c.post("/organizations", json={
                "name": "Northwind Traders International", "notes": "Key account: answer within the hour.",
                "domains": ["northwind-traders-international.example", "northwind.example"]}).is_success
            assert c.post("/sla/calendars", json={
                "id": "berlin-office", "name": "Berlin office", "timezone": "Europe/Berlin",
                "hours": {d: [{"start": "08:00", "end": "17:00"}] for d in ("mon", "tue", "wed", "thu", "fri")},
                "holidays": ["2026-12-25", "2026-12-26"]}).is_success
            hook = c.post("/webhooks", json={"url": receiver.url, "event_types": ["*"],
                                              "description": "CRM: every ticket event"})
            assert hook.is_success, hook.text
            assert c.post("/clients", json={"name": "CRM sync", "scopes": ["tickets:read", "tickets:write"]}).is_success
            assert c.post("/widget-identity-keys").is_success
        customer = web_stack.token("email:lin@northwind.example", "customer", tenant, email="lin@northwind.example")
        with web_stack.client(customer) as c:
            ticket = c.post("/tickets", json={"subject": "Our invoices show the wrong VAT number",
                                              "description": "Since the last update the VAT number is the old one."})
            assert ticket.is_success, ticket.text
        agent = web_stack.token("mei", "agent", tenant, email="mei@cardco.example")
        with web_stack.client(agent) as c:
            assert c.post(f"/tickets/{ticket.json()['id']}/time", json={"minutes": 25}).is_success
        with web_stack.client(admin) as c:  # triage runs on its own: the AI report's table has its rows once it ran
            deadline = time.monotonic() + 60
            while not c.get("/reports/ai").json()["triage"] and time.monotonic() < deadline:
                time.sleep(0.5)
            while not c.get("/customers").json()["items"] and time.monotonic() < deadline:  # Lin, once indexed
                time.sleep(0.5)

        page = phone.new_page()
        sign_in(page, web_stack.url, user="noor", role="admin", tenant=tenant, email="noor@cardco.example")
        for section, tables in CARD_SCREENS.items():
            page.goto(f"{web_stack.url}/console/#/{section}")
            page.locator("main h1").first.wait_for()
            for selector in tables:
                _assert_cards(page, selector)
            page.wait_for_function("() => !document.querySelector('main').textContent.includes('Loading')")
            assert _page_width(page) <= WIDTH, section
            assert not axe_violations(page), section
            screenshot(page, f"phone-cards-{section.split('?')[0]}")
            if section == "team":  # a cell named by its column, as the screen shows it
                page.get_by_role("cell", name="Mail domains northwind-traders-international.example").wait_for()

        # Inside a card: an organisation's form, a policy's targets (a table of fields, cards too), a webhook's log.
        page.goto(f"{web_stack.url}/console/#/team")
        page.get_by_role("button", name="Edit Northwind Traders International").click()
        page.locator("[data-testid=team-organization] form").wait_for()
        assert _page_width(page) <= WIDTH
        page.goto(f"{web_stack.url}/console/#/sla")
        page.locator("[data-testid=sla-policy-row]").first.get_by_role("button", name="Edit").click()
        _assert_cards(page, "[data-testid=policy-form] table")
        assert _page_width(page) <= WIDTH
        assert not axe_violations(page), "the policy form"
        screenshot(page, "phone-cards-sla-policy-form")
        page.goto(f"{web_stack.url}/console/#/integrations")
        deadline = time.monotonic() + 60
        while not receiver.received and time.monotonic() < deadline:
            page.wait_for_timeout(500)
        page.locator("[data-testid=webhook]").get_by_role("button", name="Deliveries").click()
        _assert_cards(page, "[data-testid=webhook-deliveries] table")
        assert _page_width(page) <= WIDTH
        assert not axe_violations(page), "the webhook's deliveries"
        screenshot(page, "phone-cards-webhook-deliveries")
    finally:
        receiver.close()


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

"""The Customers list, in a real browser: an agent opens Customers from the console's navigation and reads everyone
with a ticket A-Z by address (their organisation by name, their tickets counted, the latest one); typing part of a
name narrows the list after a pause and the address keeps the words (Back and a reload show the same list); a name
opens the customer's page, whose "All customers" leads back. (On a phone it is a stack of cards: the phone story in
`test_narrow_screens.py`.)"""

import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TENANT = "listco"  # no other browser test's: the list holds this story's customers alone
AGENT = "mika@listco.example"
# (name, address, subjects): A-Z by address is Abel, Ada, Agnes
PEOPLE = [
    ("Abel Quandt", "abel.quandt@quandt-logistik.example", ["Pallet labels print blank"]),
    ("Ada Quist", "ada@quist.example", ["Invoice 2291 charged twice", "Add a second billing address"]),
    ("Agnes Lindqvist", "agnes@lindqvist.example", ["Password reset mail never arrives"]),
]


def _open_tickets(web_stack: LocalStack) -> None:
    """The customers' tickets, opened as they open them (Ada's company is an organisation of the tenant), and the
    search index caught up with them."""
    with web_stack.client(web_stack.token("rene", "admin", TENANT)) as admin:
        created = admin.post("/organizations", json={"name": "Quist & Partner", "domains": ["quist.example"]})
        assert created.status_code == 201, created.text
    for name, email, subjects in PEOPLE:
        with web_stack.client(web_stack.token(f"email:{email}", "customer", TENANT, email=email, name=name)) as c:
            for subject in subjects:
                opened = c.post("/tickets", json={"subject": subject, "description": f"{subject}: please help."})
                assert opened.status_code == 201, opened.text
    with web_stack.client(web_stack.token("mika", "agent", TENANT, email=AGENT)) as agent:
        deadline = time.monotonic() + 60
        while len(agent.get("/customers").json()["items"]) < len(PEOPLE) and time.monotonic() < deadline:
            time.sleep(0.5)


def test_an_agent_finds_a_customer_in_the_list_and_opens_their_page(web_stack: LocalStack, page: Any) -> None:
    _open_tickets(web_stack)
    sign_in(page, web_stack.url, user="mika", role="agent", tenant=TENANT, email=AGENT)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Customers").click()

    names = page.locator("[data-testid=customers] [data-testid=customer-name]")
    expect(names).to_have_text([name for name, _, _ in PEOPLE])  # A-Z by address
    ada = page.locator("[data-testid=customer-row]", has_text="Ada Quist")
    expect(ada.locator("td")).to_have_text(["ada@quist.example", "Quist & Partner", "2", "2",
                                            re.compile("Add a second billing address"),
                                            re.compile("(min ago|just now)$")])
    expect(ada.locator("[data-testid=customer-latest]")).to_have_attribute("href", re.compile(r"^#/t/\S+$"))
    page.wait_for_function("() => !document.querySelector('main').textContent.includes('Loading')")
    assert axe_violations(page, "[data-testid=customer-list]") == []
    screenshot(page, "console-customers")

    search = page.get_by_role("searchbox", name="Search")
    search.press_sequentially("qu", delay=30)  # the beginning of a word: both surnames
    expect(names).to_have_text(["Abel Quandt", "Ada Quist"])
    expect(page).to_have_url(re.compile(r"#/customers\?q=qu$"))
    search.fill("ada qu")
    expect(names).to_have_text(["Ada Quist"])
    expect(page).to_have_url(re.compile(r"#/customers\?q=ada\+qu$"))
    search.fill("nobody here")
    expect(page.locator("[data-testid=customers-no-match]")).to_have_text("No customer matches “nobody here”.")
    search.fill("ada qu")
    expect(names).to_have_text(["Ada Quist"])

    names.first.click()
    page.locator("[data-testid=customer-page]").wait_for()
    expect(page).to_have_url(re.compile(r"#/customers/email%3Aada%40quist\.example$"))
    expect(page.locator("#customer-title")).to_have_text("Ada Quist")
    expect(page.locator("[data-testid=customer-tickets] [data-testid=ticket-row]")).to_have_count(2)

    page.go_back()  # the list as it was left: the words kept
    expect(search).to_have_value("ada qu")
    expect(names).to_have_text(["Ada Quist"])
    page.reload()
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("ada qu")
    expect(names).to_have_text(["Ada Quist"])

    names.first.click()
    page.locator("[data-testid=customer-organization-people]").click()  # the people of her organisation
    expect(page).to_have_url(re.compile(r"#/customers\?organization=[\w-]+$"))
    expect(names).to_have_text(["Ada Quist"])
    expect(page.locator("[data-testid=filter-organization]")).to_have_value(re.compile(r"\S+"))
    names.first.click()
    page.locator("[data-testid=customer-all]").click()  # "All customers": everyone again
    expect(names).to_have_count(len(PEOPLE))
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("")
    expect(page.get_by_role("navigation", name="Sections").get_by_role("link", name="Customers")).to_have_attribute(
        "aria-current", "page")
    assert page.errors == []

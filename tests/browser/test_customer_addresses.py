"""One customer, two addresses, in a real browser: an admin adds the work address Dana also writes from on her page,
her work ticket joins her list and its history says why; Dana, signing in to the portal with her work address, sees
the ticket she opened from home as her own (hers to mark solved); the admin takes the address back."""

from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

HOME = "dana.home@example.com"
WORK = "dana@kessler-werke.example"


def test_an_admin_links_a_customers_work_address_and_she_sees_all_her_tickets(web_stack: LocalStack, page: Any,
                                                                             browser: Any) -> None:
    opened: dict[str, str] = {}
    for address, subject in ((HOME, "Password reset link expired"), (WORK, "Invoice to Kessler Werke")):
        with web_stack.client(web_stack.token(f"email:{address}", "customer", "acme", email=address)) as customer:
            created = customer.post("/tickets", json={"subject": subject, "description": f"{subject}, please help."})
            assert created.status_code == 201, created.text
            opened[address] = created.json()["id"]

    sign_in(page, web_stack.url, user="ada", role="admin", email="ada@acme.example")
    page.goto(f"{web_stack.url}/console/#/customers/{quote('email:' + HOME, safe='')}")
    rows = page.locator("[data-testid=customer-tickets] [data-testid=ticket-row]")
    expect(rows).to_have_count(1)
    addresses = page.locator("[data-testid=customer-addresses]")
    addresses.get_by_label("Another address they write from").fill(WORK)
    addresses.get_by_role("button", name="Add address").click()
    expect(addresses.get_by_role("status")).to_have_text(
        f"{WORK} is theirs now: 1 ticket moved to this customer.")
    expect(addresses.locator("[data-testid=customer-address]")).to_have_text([f"{WORK} Remove"])
    expect(rows).to_have_count(2)  # read again: her work ticket is hers
    assert axe_violations(page, "[data-testid=customer-page]") == []
    screenshot(page, "console-customer-addresses")

    rows.filter(has_text="Invoice to Kessler Werke").get_by_role("link").first.click()
    page.locator("[data-testid=ticket-title]", has_text="Invoice to Kessler Werke").wait_for()
    expect(page.get_by_text(f"{WORK} linked to the customer {HOME}")).to_be_visible()

    # Dana signs in to the portal with her work address: the ticket from home is hers too
    portal = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(portal, web_stack.url, user=f"email:{WORK}", role="customer", email=WORK, app="portal")
    expect(portal.locator("[data-testid=ticket-row]")).to_have_count(2)
    portal.get_by_role("link", name="Password reset link expired").click()
    expect(portal.locator("[data-testid=ticket-title]")).to_have_text("Password reset link expired")
    expect(portal.locator("[data-testid=mark-solved]")).to_be_visible()  # hers, not a colleague's
    expect(portal.locator("[data-testid=colleague-ticket]")).to_have_count(0)
    portal.context.close()

    # taken back: the work ticket is the work address's own again
    page.goto(f"{web_stack.url}/console/#/customers/{quote('email:' + HOME, safe='')}")
    addresses.get_by_role("button", name=f"Remove {WORK}").click()
    expect(addresses.get_by_role("status")).to_have_text(
        f"{WORK} is a customer of its own again: 1 ticket moved back to it.")
    expect(rows).to_have_count(1)
    with web_stack.client(web_stack.token("ada", "admin", "acme")) as admin:
        assert admin.get(f"/tickets/{opened[WORK]}").json()["requester_key"] == f"email:{WORK}"

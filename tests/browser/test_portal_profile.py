"""A customer's own details in the portal, in a real browser: they open "Your details" from the top bar, set their
name, phone and German, and save; after a reload the details are kept and the portal is in German, also once this
browser's own choice is gone (then it is the profile's, read on sign-in)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

ADDRESS = "noor@profile.example"  # no other browser test's customer (the stack is the session's)


def test_a_customer_keeps_their_details_and_language(web_stack: LocalStack, page: Any) -> None:
    sign_in(page, web_stack.url, user=f"email:{ADDRESS}", role="customer", email=ADDRESS, app="portal")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Your details").click()
    page.get_by_role("heading", name="Your details").wait_for()
    details = page.locator("main")  # the top bar's language picker is labelled "Language" too
    details.get_by_label("Name").fill("Noor Haddad")
    details.get_by_label("Phone").fill("+49 30 1234-567")
    details.get_by_label("Language").select_option("de")
    expect(details.get_by_text("Mails from our team to you are written in this language.")).to_be_visible()
    violations = axe_violations(page, "main")
    assert not violations, f"axe on Your details: {violations}"
    details.get_by_role("button", name="Save").click()
    expect(details.get_by_role("status")).to_have_text("Ihre Angaben wurden gespeichert.")  # and the portal is German
    screenshot(page, "portal-your-details")
    with web_stack.client(web_stack.token(f"email:{ADDRESS}", "customer", "acme", ADDRESS)) as customer:
        stored = customer.get("/customers/me/profile").json()
    assert (stored["name"], stored["phone"], stored["language"]) == ("Noor Haddad", "+49 30 1234-567", "de")

    for forget_the_pick in (False, True):  # the pick kept in this browser, then the profile's alone
        if forget_the_pick:
            page.evaluate("localStorage.removeItem('helpdesk-portal:lang')")
        page.reload()
        page.get_by_role("heading", name="Ihre Angaben").wait_for()
        expect(details.get_by_label("Name")).to_have_value("Noor Haddad")
        expect(details.get_by_label("Telefon")).to_have_value("+49 30 1234-567")
        expect(details.get_by_label("Sprache")).to_have_value("de")
        sections = page.get_by_role("navigation", name="Bereiche")
        expect(sections.get_by_role("link", name="Meine Tickets")).to_be_visible()
        page.wait_for_function("document.documentElement.lang === 'de'")
    assert not page.errors

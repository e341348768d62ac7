"""An organisation that shares its tickets, in a real browser: an admin ticks "Its people see each other's tickets
in the portal" for a new organisation on the Team screen; a customer of its domain opens a ticket; a colleague of the
same domain finds it under "My organization's tickets", opens it, reads who opened it, replies, and once the team
resolves it is offered neither a rating nor "My problem is solved" (those are the requester's, who reads the reply
under its sender's address and is asked for the rating)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

DOMAIN = "vandelay.example"  # claimed by no other browser test's organisation (the stack is the session's)
ART = f"art@{DOMAIN}"
KEL = f"kel@{DOMAIN}"


def test_a_colleague_sees_answers_but_does_not_rate_a_shared_organisations_ticket(web_stack: LocalStack,
                                                                                    page: Any) -> None:
    # The admin creates the organisation, sharing its tickets, on the Team screen.
    sign_in(page, web_stack.url, user="ada", role="admin", email="ada@acme.example")
    page.goto(web_stack.url + "/console/#/team")
    form = page.locator("[data-testid=organization-form]")
    form.locator("[name=organization-name]").fill("Vandelay Industries")
    form.locator("[name=organization-domains]").fill(DOMAIN)
    form.get_by_label("Its people see each other's tickets in the portal").check()
    violations = axe_violations(page, "[data-testid=organization-form]")
    assert not violations, f"axe on the organisation form: {violations}"
    screenshot(page, "console-organization-shared-tickets")
    form.get_by_role("button", name="Create organization").click()
    row = page.locator("[data-testid=team-organization]", has_text="Vandelay Industries")
    row.locator("[data-testid=organization-shared]", has_text="shared tickets").wait_for()
    organization_id = row.get_attribute("data-organization-id") or ""
    row = page.locator(f"[data-testid=team-organization][data-organization-id='{organization_id}']")  # an edit: no text
    row.get_by_role("button", name="Edit Vandelay Industries").click()  # the setting as stored, to change in place
    expect(row.get_by_label("Its people see each other's tickets in the portal")).to_be_checked()
    screenshot(page, "console-organization-shared-edit")
    row.get_by_role("button", name="Cancel").click()
    row.locator("[data-testid=organization-shared]").wait_for()
    screenshot(page, "console-organization-shared-list")
    with web_stack.client(web_stack.token("ada", "admin", "acme")) as admin:
        stored = admin.get(f"/organizations/{organization_id}").json()
    assert (stored["domains"], stored["shared_tickets"]) == ([DOMAIN], True)

    # Art opens a ticket (with his name in the token, as Cognito's would carry it).
    art_token = web_stack.token(f"email:{ART}", "customer", "acme", ART, name="Art Vandelay")
    with web_stack.client(art_token) as art:
        opened = art.post("/tickets", json={"subject": "Latex shipment stuck in customs",
                                            "description": "The container has been held since Monday."})
        assert opened.status_code == 201, opened.text
        ticket: dict[str, Any] = opened.json()
    assert ticket["organization_id"] == organization_id

    # Kel, of the same domain, signs in to the portal: his own list is empty, his organisation's has Art's ticket.
    sign_in(page, web_stack.url, role="customer", email=KEL, app="portal")
    switch = page.get_by_role("navigation", name="Whose tickets")
    expect(switch.get_by_role("link", name="My tickets")).to_have_attribute("aria-current", "page")
    page.get_by_text("You have no tickets yet.").wait_for()
    switch.get_by_role("link", name="My organization's tickets").click()
    page.get_by_role("heading", name="My organization's tickets").wait_for()
    listed = page.locator("[data-testid=ticket-row]", has_text="Latex shipment stuck in customs")
    expect(listed.locator("[data-testid=ticket-requester]")).to_have_text("Opened by Art Vandelay")
    violations = axe_violations(page, "main")
    assert not violations, f"axe on the organisation's tickets: {violations}"
    screenshot(page, "portal-organization-tickets")

    listed.get_by_role("link", name="Latex shipment stuck in customs").click()
    expect(page.locator("[data-testid=ticket-title]")).to_have_text("Latex shipment stuck in customs")
    expect(page.locator("[data-testid=opened-by]")).to_have_text("Opened by Art Vandelay")
    first = page.locator("[data-testid=public-message]").first
    expect(first.locator("header strong")).to_have_text("Art Vandelay")  # his request, not "You"
    expect(page.locator("[data-testid=mark-solved]")).to_have_count(0)
    page.locator("[data-testid=reply-box]").fill("Ours too: the Tuesday container is held as well.")
    page.locator("[data-testid=reply-send]").click()
    page.get_by_role("status").get_by_text("Your reply was sent.").wait_for()
    mine = page.locator("[data-testid=public-message]", has_text="the Tuesday container is held as well")
    expect(mine.locator("header strong")).to_have_text("You")
    with web_stack.client(art_token) as art:
        events = art.get(f"/tickets/{ticket['id']}/events").json()
    assert any("the Tuesday container" in str(e["data"].get("body", "")) for e in events)  # on Art's ticket

    # The team resolves it: Kel may still reply, but rating it and marking it solved are Art's.
    with web_stack.client(web_stack.token("alice", "agent", "acme")) as agent:
        resolved = agent.patch(f"/tickets/{ticket['id']}", json={"status": "resolved"})
        assert resolved.status_code == 200, resolved.text
    page.reload()
    page.locator("[data-testid=opened-by]").wait_for()
    expect(page.locator(".meta .badge")).to_have_text("resolved")
    expect(page.locator("[data-testid=colleague-ticket]")).to_contain_text("Only the person who opened this request")
    expect(page.locator("[data-testid=reply-box]")).to_be_visible()
    expect(page.locator("[data-testid=ticket-rating], [data-testid=csat-good]")).to_have_count(0)
    expect(page.locator("[data-testid=mark-solved]")).to_have_count(0)
    violations = axe_violations(page, "main")
    assert not violations, f"axe on a colleague's ticket: {violations}"
    screenshot(page, "portal-colleague-ticket")
    page.get_by_role("link", name="← My organization's tickets").click()
    page.get_by_role("heading", name="My organization's tickets").wait_for()
    expect(listed.locator("[data-testid=ticket-requester]")).to_have_text("Opened by Art Vandelay")

    # Art, on his own ticket: Kel's reply by Kel's address, and the rating is his to give.
    page.evaluate("sessionStorage.clear()")
    sign_in(page, web_stack.url, role="customer", email=ART, app="portal")
    page.goto(f"{web_stack.url}/portal/#/t/{ticket['id']}")
    theirs = page.locator("[data-testid=public-message]", has_text="the Tuesday container is held as well")
    theirs.wait_for(timeout=30_000)  # the thread after a fresh sign-in (a loaded CI machine took over 5 s)
    expect(theirs.locator("header strong")).to_have_text(KEL)
    expect(page.locator("[data-testid=public-message]").first.locator("header strong")).to_have_text("You")
    expect(page.locator("[data-testid=opened-by], [data-testid=colleague-ticket]")).to_have_count(0)
    page.locator("[data-testid=csat-good]").wait_for()
    assert not page.errors


def test_a_customer_whose_organisation_shares_nothing_is_refused_nothing(web_stack: LocalStack, page: Any) -> None:
    """The portal learns from the customer's profile whether to offer the organisation's tickets: a customer of no
    sharing organisation loads it without a single refused request (it asked for the organisation's tickets and
    logged the 403 on every load before)."""
    refused: list[str] = []
    page.on("response", lambda r: refused.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    sign_in(page, web_stack.url, role="customer", email="nina@unshared.example", app="portal")
    page.get_by_text("You have no tickets yet.").wait_for()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("navigation", name="Whose tickets")).to_have_count(0)
    assert refused == []
    assert not page.errors

"""Notes on an organisation beside its tickets, in a real browser: an agent opens a ticket from a company's address,
reads what the team knows about the company ("About Kramerica"), adds to it, and the next teammate to open one of its
tickets reads the notes as saved; customers never get them."""

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

DOMAIN = "kramerica.example"  # claimed by no other browser test's organisation (the stack is the session's)


def test_an_agent_reads_and_adds_to_the_notes_on_the_requesters_organisation(web_stack: LocalStack,
                                                                            page: Any) -> None:
    with web_stack.client(web_stack.token("ada", "admin", "acme")) as admin:
        created = admin.post("/organizations", json={"name": "Kramerica", "domains": [DOMAIN],
                                                     "notes": "Pilot customer since May."})
        assert created.status_code == 201, created.text
        organization_id = created.json()["id"]
    customer = web_stack.token(f"email:bob@{DOMAIN}", "customer", "acme", f"bob@{DOMAIN}")
    with web_stack.client(customer) as bob:
        opened = bob.post("/tickets", json={"subject": "Oil tanker bladder system", "description": "Prototype leaks."})
        assert opened.status_code == 201, opened.text
        ticket_id = opened.json()["id"]
        assert bob.get(f"/organizations/{organization_id}").status_code == 403  # the team's, not the customer's

    sign_in(page, web_stack.url, user="alice", role="agent", email="alice@acme.example")
    page.goto(f"{web_stack.url}/console/#/t/{ticket_id}")
    panel = page.locator("[data-testid=organization-notes]")
    panel.get_by_role("heading", name="About Kramerica").wait_for()
    assert panel.locator("[data-testid=organization-notes-text]").inner_text() == "Pilot customer since May."
    panel.get_by_role("button", name="Edit notes").click()
    panel.locator("[name=organization-notes]").fill("Pilot customer since May.\nRenewals: ask for Bob Sacamano.")
    violations = axe_violations(page, "[data-testid=organization-notes]")
    assert not violations, f"axe on the notes: {violations}"
    panel.get_by_role("button", name="Save notes").click()
    panel.locator("[data-testid=organization-notes-text]", has_text="Renewals: ask for Bob Sacamano.").wait_for()
    screenshot(page, "console-organization-notes")

    page.reload()  # as the next teammate finds them
    panel.locator("[data-testid=organization-notes-text]", has_text="Renewals: ask for Bob Sacamano.").wait_for()
    with web_stack.client(web_stack.token("ada", "admin", "acme")) as admin:
        stored = admin.get(f"/organizations/{organization_id}").json()
    assert stored["notes"] == "Pilot customer since May.\nRenewals: ask for Bob Sacamano."
    assert page.errors == []

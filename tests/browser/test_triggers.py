"""Triggers in a real browser: an admin adds one on the Triggers screen ("a customer answers a solved ticket: urgent,
tagged reopened") and saves it; the customer answers their solved ticket over the API, and the ticket page shows the
ticket urgent and the trigger, by name, as who made it so."""

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

NAME = "Answers to solved tickets are urgent"


def new_trigger(web_stack: LocalStack, page: Any, name: str) -> tuple[Any, Any]:
    """Ada, an admin, on the Triggers screen with a new trigger named `name`: the screen's form and the new card."""
    sign_in(page, web_stack.url, user="ada", role="admin", email="ada@acme.example")
    page.goto(f"{web_stack.url}/console/#/triggers")
    form = page.locator("[data-testid=triggers]")
    form.get_by_role("button", name="Add trigger").click()
    card = page.locator("[data-testid=trigger]").last
    card.locator("[name=trigger-name]").fill(name)
    return form, card


def saved_summary(form: Any, card: Any) -> str:
    """Save the Triggers screen's list and read the card's one-line summary as saved."""
    form.get_by_role("button", name="Save triggers").click()
    form.get_by_text("Triggers saved").wait_for()
    return str(card.locator("[data-testid=trigger-summary]").text_content())


def test_an_admin_adds_a_trigger_and_a_customers_answer_sets_it_off(web_stack: LocalStack, page: Any) -> None:
    form, card = new_trigger(web_stack, page, NAME)
    card.locator("[name=trigger-if-from-status-resolved]").check()  # a customer's reply reopens it: from resolved
    card.locator("[name=trigger-priority]").select_option("urgent")
    card.locator("[name=trigger-add-tags]").fill("reopened")
    violations = axe_violations(page, "[data-testid=triggers]")
    assert not violations, f"axe on the Triggers screen: {violations}"
    form.get_by_role("button", name="Save triggers").click()
    form.get_by_text("Triggers saved").wait_for()
    screenshot(page, "console-triggers")

    customer = web_stack.token("email:sam@example.com", "customer", "acme", "sam@example.com")
    agent = web_stack.token("alice", "agent", "acme", "alice@acme.example")
    with web_stack.client(customer) as sam, web_stack.client(agent) as alice:
        opened = sam.post("/tickets", json={"subject": "Invoice address", "description": "It shows the old one."})
        ticket = opened.json()
        solved = alice.patch(f"/tickets/{ticket['id']}", json={"status": "resolved"})
        assert solved.status_code == 200, solved.text
        assert solved.json()["priority"] == "normal"  # solving is nothing this trigger waits for
        answered = sam.post(f"/tickets/{ticket['id']}/messages", json={"body": "It still shows the old address."})
        assert answered.status_code == 201, answered.text
        after = alice.get(f"/tickets/{ticket['id']}").json()
    assert (after["status"], after["priority"], after["tags"]) == ("open", "urgent", ["reopened"])

    page.goto(f"{web_stack.url}/console/#/t/{ticket['id']}")  # the admin reads the ticket's history
    page.locator("[data-testid=events]", has_text=f"Trigger “{NAME}”").wait_for()
    screenshot(page, "console-ticket-changed-by-trigger")
    assert page.errors == []


def test_an_admin_makes_new_tickets_about_an_outage_urgent(web_stack: LocalStack, page: Any) -> None:
    """A trigger on new tickets with words to look for, made on the screen: a customer's ticket about an outage is
    urgent from its first write, another is not."""
    form, card = new_trigger(web_stack, page, "New outages are urgent")
    card.locator("[name=trigger-on-customer_replied]").uncheck()
    card.locator("[name=trigger-on-ticket_created]").check()
    card.locator("[name=trigger-if-keywords]").fill("outage, is down")
    card.locator("[name=trigger-priority]").select_option("urgent")
    card.locator("[name=trigger-integrations]").check()
    summary = saved_summary(form, card)
    assert summary == ("When a ticket is opened, if mentioning “outage” or “is down”: priority urgent, tell the "
                       "integrations.")

    customer = web_stack.token("email:sam@example.com", "customer", "acme", "sam@example.com")
    with web_stack.client(customer) as sam:
        down = sam.post("/tickets", json={"subject": "The app is down", "description": "Since 9:00."}).json()
        calm = sam.post("/tickets", json={"subject": "Invoice address", "description": "Old one shown."}).json()
    assert (down["priority"], calm["priority"]) == ("urgent", "normal")
    page.goto(f"{web_stack.url}/console/#/t/{down['id']}")
    page.locator("[data-testid=events]", has_text="Trigger “New outages are urgent”").wait_for()
    assert "told the integrations" in (page.locator("[data-testid=events]").text_content() or "")
    assert page.errors == []


def test_an_admin_makes_a_time_trigger_and_tries_it_on_a_ticket(web_stack: LocalStack, page: Any) -> None:
    """A time trigger made on the screen ("2 days after the team's last reply, if still pending: give it to Alice and
    nudge her"): saved with its hours and no words to look for (the API checks Alice is an active agent), and tried
    on a ticket the team just answered: its time has not come."""
    agent = web_stack.token("alice", "agent", "acme", "alice@acme.example")
    customer = web_stack.token("email:sam@example.com", "customer", "acme", "sam@example.com")
    with web_stack.client(customer) as sam, web_stack.client(agent) as alice:
        ticket = sam.post("/tickets", json={"subject": "Export to CSV", "description": "Which columns?"}).json()
        replied = alice.post(f"/tickets/{ticket['id']}/messages",
                             json={"body": "Which report do you export?", "public": True, "status": "pending"})
        assert replied.status_code == 201, replied.text

    form, card = new_trigger(web_stack, page, "Nudge the quiet pending ones")
    card.get_by_label("time passes").check()
    assert card.locator("[name=trigger-if-keywords]").count() == 0  # a time trigger reads no message
    card.locator("[name=trigger-after-amount]").fill("2")
    card.locator("[name=trigger-after-unit]").select_option("days")
    card.locator("[name=trigger-after-since]").select_option("team_message")
    card.locator("[name=trigger-if-status-pending]").check()
    card.locator("[name=trigger-add-tags]").fill("nudged")
    card.locator("[name=trigger-assignee]").select_option("alice")  # the team's agents, from the directory
    card.locator("[name=trigger-reply]").fill("Hi {{ requester.first_name }}, do you still need help?")
    card.locator("[name=trigger-notify-assignee]").check()
    violations = axe_violations(page, "[data-testid=triggers]")
    assert not violations, f"axe on the Triggers screen: {violations}"
    summary = saved_summary(form, card)
    assert summary == ("When 2 days after the team's last reply, if it is pending: give it to Alice, add nudged, "
                       "reply to the customer, mail the one who has it.")
    form.get_by_text("time triggers look at the tickets within 5 minutes").wait_for()

    card.locator("[data-testid=trigger-summary]").click()  # saved, it folded under its summary
    card.locator("[name=trigger-try-ticket]").fill(ticket["number"])
    card.get_by_role("button", name="Try").click()
    trial = card.locator("[data-testid=trigger-trial]")
    trial.wait_for()
    text = trial.text_content() or ""
    assert text.startswith(f"{ticket['number']} would not match: its time has not come (or it acted for this time "
                           "already). Its time comes "), text  # two days after alice's reply, in the browser's time
    screenshot(page, "console-time-trigger")
    page.reload()  # as saved: the hours read back in days
    saved = page.locator("[data-testid=trigger]", has_text="Nudge the quiet pending ones")
    saved.locator("[data-testid=trigger-summary]").click()
    assert saved.locator("[name=trigger-after-amount]").input_value() == "2"
    assert saved.locator("[name=trigger-after-unit]").input_value() == "days"
    assert page.errors == []


def test_an_admin_makes_the_first_agent_to_reply_take_the_ticket(web_stack: LocalStack, page: Any) -> None:
    """Zendesk's "assign to the current user", made on the screen: when the team replies to an unassigned ticket
    tagged "claim", the agent who replied gets it; the ticket page names the trigger as who gave it to Alice. (Tagged
    so the stories after it on this stack keep their unassigned tickets.)"""
    form, card = new_trigger(web_stack, page, "The first to reply takes it")
    card.locator("[name=trigger-on-customer_replied]").uncheck()
    card.locator("[name=trigger-on-agent_replied]").check()
    card.locator("[name=trigger-if-tags]").fill("claim")
    card.locator("[name=trigger-if-assigned]").select_option("no")
    card.locator("[name=trigger-assignee]").select_option("alice")
    card.locator("[name=trigger-to-actor]").check()  # one way of giving it: the named agent goes
    assert card.locator("[name=trigger-assignee]").input_value() == ""
    summary = saved_summary(form, card)
    assert summary == ("When the team replies, if tagged claim, nobody has it: give it to the agent whose change set "
                       "it off.")

    customer = web_stack.token("email:sam@example.com", "customer", "acme", "sam@example.com")
    agent = web_stack.token("alice", "agent", "acme", "alice@acme.example")
    with web_stack.client(customer) as sam, web_stack.client(agent) as alice:
        ticket = sam.post("/tickets", json={"subject": "Login loop", "description": "It keeps asking."}).json()
        assert alice.patch(f"/tickets/{ticket['id']}", json={"tags": ["claim"]}).status_code == 200
        assert alice.get(f"/tickets/{ticket['id']}").json()["assignee_id"] is None  # a tag is no reply
        replied = alice.post(f"/tickets/{ticket['id']}/messages", json={"body": "Which browser?", "public": True})
        assert replied.status_code == 201, replied.text
        assert alice.get(f"/tickets/{ticket['id']}").json()["assignee_id"] == "alice"

    page.goto(f"{web_stack.url}/console/#/t/{ticket['id']}")
    page.locator("[data-testid=events]", has_text="Trigger “The first to reply takes it”").wait_for()
    screenshot(page, "console-ticket-taken-by-first-reply")
    assert page.errors == []


def test_an_admin_lets_one_triggers_change_set_off_another(web_stack: LocalStack, page: Any) -> None:
    """Zendesk's trigger cycle, chosen on the screen: a customer's answer on a ticket tagged "chain" raises it to
    high, and with "Run the list again after a trigger acts" ticked, a second trigger waiting for a priority change
    tags it in the same write. (Unticked again at the end: the stories after it on this stack run each once.)"""
    form, raising = new_trigger(web_stack, page, "Chained answers are high")
    raising.locator("[name=trigger-if-tags]").fill("chain")
    raising.locator("[name=trigger-priority]").select_option("high")
    form.get_by_role("button", name="Add trigger").click()
    tagging = page.locator("[data-testid=trigger]").last
    tagging.locator("[name=trigger-name]").fill("High chained ones are seen")
    tagging.locator("[name=trigger-on-customer_replied]").uncheck()
    tagging.locator("[name=trigger-on-priority_changed]").check()
    tagging.locator("[name=trigger-if-tags]").fill("chain")
    tagging.locator("[name=trigger-if-priority-high]").check()
    tagging.locator("[name=trigger-add-tags]").fill("seen")
    rerun = form.get_by_role("checkbox", name="Run the list again after a trigger acts")
    assert not rerun.is_checked()
    rerun.check()
    form.get_by_text("each acts at most once per change (as in Zendesk)").wait_for()
    violations = axe_violations(page, "[data-testid=triggers]")
    assert not violations, f"axe on the Triggers screen: {violations}"
    form.get_by_role("button", name="Save triggers").click()
    form.get_by_text("Triggers saved").wait_for()
    page.reload()  # as saved
    assert page.get_by_role("checkbox", name="Run the list again after a trigger acts").is_checked()

    customer = web_stack.token("email:sam@example.com", "customer", "acme", "sam@example.com")
    agent = web_stack.token("alice", "agent", "acme", "alice@acme.example")
    with web_stack.client(customer) as sam, web_stack.client(agent) as alice:
        ticket = sam.post("/tickets", json={"subject": "Export stuck", "description": "At 40%."}).json()
        assert alice.patch(f"/tickets/{ticket['id']}", json={"tags": ["chain"]}).status_code == 200
        assert sam.post(f"/tickets/{ticket['id']}/messages", json={"body": "Still at 40%."}).status_code == 201
        after = alice.get(f"/tickets/{ticket['id']}").json()
    assert (after["priority"], after["tags"]) == ("high", ["chain", "seen"])

    page.goto(f"{web_stack.url}/console/#/t/{ticket['id']}")
    page.locator("[data-testid=events]", has_text="Trigger “High chained ones are seen”").wait_for()
    page.goto(f"{web_stack.url}/console/#/triggers")
    form = page.locator("[data-testid=triggers]")
    form.get_by_role("checkbox", name="Run the list again after a trigger acts").uncheck()
    form.get_by_role("button", name="Save triggers").click()
    form.get_by_text("Triggers saved").wait_for()
    assert page.errors == []

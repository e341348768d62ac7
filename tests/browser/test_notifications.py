"""An agent's notifications in the console, in a real browser: a teammate gives agent Mika two tickets and the customer
replies on one; Mika (who turned the team's mails off) sees the count in the top bar, reads on the Notifications page
who gave her what and who replied, opens one and lands on its ticket; back on the page that ticket's news is read and
the count went down; "Mark all as read" clears it. The news is written by the local stack's mail stream consumer (as
in AWS), so the story waits for it over the API before it drives the browser."""

import re
import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TENANT = "bellco"  # no other browser test's: Mika's notifications are this story's alone
CUSTOMER = ("Jana Müller", "jana.mueller@kunde-bellco.example")
PRINTER = "Printer jam on floor 3"
BADGE = "Badge reader at the side door is offline"


def _agent(admin: httpx.Client, email: str, name: str, **more: Any) -> str:
    """A team member the admin adds on the Team screen's API: notified only once in the directory."""
    added = admin.post("/users", json={"email": email, "name": name, "role": "agent", "groups": [], **more})
    assert added.status_code == 201, added.text
    return str(added.json()["id"])


def _wait_for_notifications(mika: httpx.Client, count: int) -> list[dict[str, Any]]:
    """Mika's notifications once the stream consumer has written `count` of them (60 s at most)."""
    deadline = time.monotonic() + 60
    while True:
        listed = mika.get("/notifications")
        assert listed.status_code == 200, listed.text
        items: list[dict[str, Any]] = listed.json()["items"]
        if len(items) >= count or time.monotonic() > deadline:
            return items
        time.sleep(0.5)


def test_an_agent_reads_her_notifications_opens_one_and_marks_all_read(web_stack: LocalStack, page: Any) -> None:
    with web_stack.client(web_stack.token("rene", "admin", TENANT, email="rene@bellco.example")) as admin:
        mika_id = _agent(admin, "mika@bellco.example", "Mika Virtanen", notify_by_mail=False)
        ada_id = _agent(admin, "ada@bellco.example", "Ada Lovelace")
    name, email = CUSTOMER
    with web_stack.client(web_stack.token(f"email:{email}", "customer", TENANT, email=email, name=name)) as jana:
        printer = jana.post("/tickets", json={"subject": PRINTER, "description": "It jams on every second page."})
        badge = jana.post("/tickets", json={"subject": BADGE, "description": "The light stays red."})
        assert printer.status_code == badge.status_code == 201, (printer.text, badge.text)
    printer_id, badge_id = printer.json()["id"], badge.json()["id"]
    with web_stack.client(web_stack.token(ada_id, "agent", TENANT, email="ada@bellco.example")) as ada:
        for ticket_id in (printer_id, badge_id):
            given = ada.patch(f"/tickets/{ticket_id}", json={"assignee_id": mika_id})
            assert given.status_code == 200, given.text
    with web_stack.client(web_stack.token(f"email:{email}", "customer", TENANT, email=email, name=name)) as jana:
        replied = jana.post(f"/tickets/{printer_id}/messages", json={"body": "Now it jams on every page."})
        assert replied.status_code == 201, replied.text
    mika_token = web_stack.token(mika_id, "agent", TENANT, email="mika@bellco.example")
    with web_stack.client(mika_token) as mika:
        items = _wait_for_notifications(mika, 3)
        assert sorted((i["kind"], i["ticket"]["id"], i["actor_name"]) for i in items) == sorted([
            ("assigned", printer_id, "Ada Lovelace"), ("assigned", badge_id, "Ada Lovelace"),
            ("customer_replied", printer_id, None)]), items
        assert mika.get("/notifications/unread").json() == {"unread": 3}

    sign_in(page, web_stack.url, user=mika_id, role="agent", tenant=TENANT, email="mika@bellco.example")
    bell = page.locator("[data-testid=notifications-link]")
    expect(page.get_by_role("link", name="Notifications, 3 unread")).to_be_visible()
    expect(page).to_have_title("(3) Helpdesk console")  # what a background tab shows
    bell.click()
    expect(page).to_have_url(re.compile(r"#/notifications$"))
    lines = page.locator("[data-testid=notifications] [data-testid=notification]")
    expect(lines).to_have_count(3)
    expect(lines.locator("[data-testid=notification-text]")).to_have_text([  # newest first
        re.compile(rf"^Jana Müller replied on T-\d+ · {PRINTER}$"),
        re.compile(rf"^Ada Lovelace assigned T-\d+ · {BADGE} to you$"),
        re.compile(rf"^Ada Lovelace assigned T-\d+ · {PRINTER} to you$"),
    ])
    expect(page.locator("[data-testid=notifications] li.unread")).to_have_count(3)
    expect(lines.first.locator("[data-testid=notification-unread]")).to_have_text("unread")
    expect(lines.first.locator(".badge")).to_have_text("new")  # the ticket's status now
    expect(bell).to_have_attribute("aria-current", "page")
    assert axe_violations(page) == []
    screenshot(page, "console-notifications")

    lines.first.locator("[data-testid=notification-text]").click()  # the customer's reply: to the ticket
    expect(page).to_have_url(re.compile(rf"#/t/{printer_id}$"))
    page.locator("[data-testid=ticket-title]", has_text=PRINTER).wait_for()
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()  # both of the ticket's: read

    page.go_back()
    expect(lines).to_have_count(3)
    unread = page.locator("[data-testid=notifications] li.unread")
    expect(unread).to_have_count(1)
    expect(unread.locator("[data-testid=notification-text]")).to_contain_text(BADGE)
    expect(page.locator("[data-testid=notifications-count]")).to_have_text("1 unread")

    page.get_by_role("button", name="Mark all as read").click()
    expect(unread).to_have_count(0)
    expect(page.locator("[data-testid=notifications-count]")).to_have_text("All read")
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()  # no count
    expect(page.locator("[data-testid=notifications-unread]")).to_have_count(0)
    expect(page).to_have_title("Helpdesk console")
    with web_stack.client(mika_token) as mika:
        assert mika.get("/notifications/unread").json() == {"unread": 0}
    page.reload()  # as the API keeps it
    expect(lines).to_have_count(3)
    expect(unread).to_have_count(0)
    assert page.errors == []

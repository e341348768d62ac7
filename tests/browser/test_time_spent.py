"""Time tracking in the console, in a real browser: an agent logs the minutes they worked on a customer's ticket,
reads the total and the entry in the history, and corrects it with a negative entry; the Reports page's timesheet
(Time logged) then shows the agent's time, by name, and the ticket's."""

import csv
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

MINUS = "\u2212"  # the page writes a correction with a minus sign, not a hyphen


def test_an_agent_logs_time_on_a_ticket_and_reads_the_total_and_the_history(web_stack: LocalStack, page: Any) -> None:
    address = "tomas@example.com"
    with web_stack.client(web_stack.token(f"email:{address}", "customer", "acme", email=address)) as customer:
        ticket: dict[str, Any] = customer.post("/tickets", json={"subject": "Invoices in the wrong currency",
                                                                 "description": "Since March they say USD."}).json()
    sign_in(page, web_stack.url, user="alice", role="agent", email="alice@acme.example")
    page.goto(f"{web_stack.url}/console/#/t/{ticket['id']}")
    box = page.locator("[data-testid=time-spent]")
    total = box.locator("[data-testid=time-spent-total]")
    total.get_by_text("Time spent: none logged").wait_for()

    box.get_by_label("Minutes").fill("25")
    box.get_by_role("button", name="Log time").click()
    total.get_by_text("Time spent: 25 min").wait_for()
    page.locator("[data-testid=events] li", has_text="logged 25 min (total 25 min)").wait_for()
    assert box.get_by_label("Minutes").input_value() == ""

    box.get_by_label("Minutes").fill("1h 30m")
    box.get_by_role("button", name="Log time").click()
    total.get_by_text("Time spent: 1 h 55 min").wait_for()
    box.get_by_label("Minutes").fill("-10")  # the agent logged too much: a correction
    box.get_by_text(f"Corrects the total by {MINUS}10 min.").wait_for()
    box.get_by_role("button", name="Log time").click()
    total.get_by_text("Time spent: 1 h 45 min").wait_for()
    page.locator("[data-testid=events] li", has_text=f"corrected time by {MINUS}10 min (total 1 h 45 min)").wait_for()
    violations = axe_violations(page, "[data-testid=time-spent]")
    assert not violations, f"axe on the time spent box: {violations}"
    screenshot(page, "console-time-spent")

    box.get_by_label("Minutes").fill("-2h")  # more than was logged: the API refuses it, the page says so
    box.get_by_role("button", name="Log time").click()
    box.get_by_role("alert").get_by_text("400 invalid_input").wait_for()
    assert total.inner_text() == "Time spent: 1 h 45 min"

    with web_stack.client(web_stack.token("alice", "agent", "acme")) as agent:
        assert agent.get(f"/tickets/{ticket['id']}").json()["time_spent_minutes"] == 105
    with web_stack.client(web_stack.token(f"email:{address}", "customer", "acme", email=address)) as customer:
        assert customer.get(f"/tickets/{ticket['id']}").json()["time_spent_minutes"] is None  # the team's only

    # The timesheet over the last 7 days: the three entries (the correction among them), Alice by her directory name.
    page.goto(f"{web_stack.url}/console/#/reports?range=7d")
    section = page.locator("section", has=page.get_by_role("heading", name="Time logged"))
    section.locator("[data-testid=time-total]", has_text="1 h 45 min in 3 entries").wait_for()
    rows = section.locator("[data-testid=time-rows] tbody tr")
    expect(rows.locator("th")).to_have_text(["Alice"])  # once the directory is read: her id until then
    expect(rows.locator("td")).to_have_text(["1 h 45 min", "3"])
    section.get_by_label("Breakdown").select_option("by_ticket")
    link = section.locator("[data-testid=time-rows] tbody a")
    link.wait_for()
    assert (link.inner_text(), link.get_attribute("href")) == (ticket["number"], f"#/t/{ticket['id']}")
    violations = axe_violations(page, "section:has(#time-report-title)")
    assert not violations, f"axe on the Time logged section: {violations}"
    screenshot(page, "console-reports-time")
    with page.expect_download() as download:
        section.get_by_role("button", name="Download timesheet (CSV)").click()
    timesheet = list(csv.DictReader(Path(download.value.path()).read_text().splitlines()))  # one line per entry
    assert [(line["ticket"], line["minutes"]) for line in timesheet] == [
        (ticket["number"], "25"), (ticket["number"], "90"), (ticket["number"], "-10")]
    link.click()
    page.locator("[data-testid=time-spent-total]", has_text="Time spent: 1 h 45 min").wait_for()
    assert not page.errors

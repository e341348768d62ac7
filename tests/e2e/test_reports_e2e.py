"""Reports and CSAT over HTTP against a real `helpdesk serve`: tickets created, answered and resolved show in the
overview report (volume, first response), the CSV downloads, and the rating link mailed on resolution rates the
ticket without signing in; the rating shows on the ticket and in the report."""

import csv
import io
import json
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.e2e

TENANT = "reports-e2e"  # its own tenant: the session's other tests make tickets in theirs
CUSTOMER = "rita.reports@example.org"


def rating_mail(stack: LocalStack, ticket_number: str, seconds: float = 60) -> dict[str, Any]:
    """The rating mail of the ticket, once the stream poller has sent it."""
    deadline = time.monotonic() + seconds
    while True:
        result = stack.cli("mail", "outbox", "--limit", "500")
        assert result.returncode == 0, result.stderr
        for line in result.stdout.splitlines():
            if line.startswith("{"):
                mail: dict[str, Any] = json.loads(line)
                if CUSTOMER in (mail["to"] or []) and "/csat/" in mail["body"] and ticket_number in mail["body"]:
                    return mail
        if time.monotonic() > deadline:
            pytest.fail(f"no rating mail for {ticket_number}")
        time.sleep(0.5)


def test_resolved_tickets_show_in_the_report_and_the_mailed_rating_link_rates_them(stack: LocalStack) -> None:
    customer = stack.client(stack.token("rita", "customer", TENANT, email=CUSTOMER))
    agent = stack.client(stack.token("alex", "agent", TENANT))
    anonymous = stack.client()
    since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()

    tickets = []
    for subject in ("Cannot log in", "Invoice missing"):
        created = customer.post("/tickets", json={"subject": subject, "description": "Please help"})
        assert created.status_code == 201, created.text
        tickets.append(created.json())
    first = tickets[0]
    assert agent.post(f"/tickets/{first['id']}/messages", json={"body": "Reset it for you.", "public": True}
                      ).status_code == 201
    resolved = agent.patch(f"/tickets/{first['id']}", json={"status": "resolved"})
    assert resolved.status_code == 200, resolved.text

    until = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    window = {"from": since, "to": until}
    report = agent.get("/reports/overview", params=window)
    assert report.status_code == 200, report.text
    totals = report.json()["totals"]
    assert (totals["tickets"], totals["by_channel"]["api"], totals["backlog"], totals["resolved"]) == (2, 2, 1, 1)
    assert totals["first_response"]["count"] == 1
    assert totals["first_response"]["median_minutes"] is not None

    download = agent.get("/reports/overview", params={**window, "format": "csv"})
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert (rows[0]["breakdown"], rows[0]["tickets"]) == ("total", "2")
    assert customer.get("/reports/overview").status_code == 403

    mail = rating_mail(stack, first["number"])
    token = re.findall(r"/csat/([A-Za-z0-9_.\-]+)\?rating=good", mail["body"])[0]
    page = anonymous.get(f"/csat/{token}")
    assert (page.status_code, page.json()["subject"], page.json()["rating"]) == (200, "Cannot log in", None)
    rated = anonymous.post(f"/csat/{token}", json={"rating": "good", "comment": "Fast, thanks"})
    assert rated.status_code == 200, rated.text
    assert anonymous.post(f"/csat/{token[:-3]}abc", json={"rating": "bad"}).status_code == 401

    assert agent.get(f"/tickets/{first['id']}").json()["csat"]["rating"] == "good"
    assert customer.get(f"/tickets/{first['id']}").json()["csat"]["comment"] == "Fast, thanks"
    after = agent.get("/reports/overview", params=window).json()
    assert after["totals"]["csat"] == {"good": 1, "bad": 0, "count": 1, "score": 1.0}
    ai = agent.get("/reports/ai", params=window)
    assert ai.status_code == 200, ai.text

"""The local stack keeps its data: write, stop with Ctrl-C (SIGINT), start again, read it all back;
`helpdesk token` finds the running stack from any folder; `--reset` starts empty."""

import json
import signal
import subprocess
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import HELPDESK, stack_env, start_stack, stop_stack

pytestmark = pytest.mark.e2e

EVENTS = Path(__file__).resolve().parents[2] / "events" / "sla_api"
ARTICLE = {"title": "Rotate the quokka key", "status": "published",
           "body": "To rotate the quokka key open Settings, then Keys, and choose Rotate quokka key."}


def body_of(event_file: str) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(json.loads((EVENTS / event_file).read_text())["body"])
    return parsed


def test_data_survives_a_restart_and_reset_starts_empty(tmp_path: Path) -> None:
    home = tmp_path / "state"
    home.mkdir()
    env = stack_env(home)
    process, stack = start_stack(home, env, log_name="first.log")
    try:
        customer = stack.client(stack.token("dana", "customer", "acme", email="dana@example.com"))
        admin = stack.client(stack.token("ada", "admin", "acme"))
        created = customer.post("/tickets", json={"subject": "Printer on fire", "description": "Smoke."})
        assert created.status_code == 201, created.text
        ticket = created.json()
        assert admin.post("/sla/calendars", json=body_of("create_calendar.json")).status_code == 201
        assert admin.post("/sla/policies", json=body_of("create_policy.json")).status_code == 201
        article = admin.post("/kb/articles", json=ARTICLE)
        assert article.status_code == 201, article.text
        # a mail with a file: the raw mail and the file are kept in S3 (the mail bucket), not in a table
        mailed = EmailMessage()
        mailed["From"], mailed["To"], mailed["Subject"] = "Dana <dana@example.com>", "support@acme.example", "Logs"
        mailed.set_content("The log is attached.\n")
        mailed.add_attachment(b"quokka log line 1\n", maintype="text", subtype="plain", filename="quokka.log")
        (tmp_path / "logs.eml").write_bytes(mailed.as_bytes())
        ingested = json.loads(stack.cli("mail", "ingest", str(tmp_path / "logs.eml")).stdout.splitlines()[-1])
        assert ingested["status"] == "created", ingested

        # Another terminal in another folder, with no HELPDESK_HOME: the token still fits this stack.
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        other_env = {k: v for k, v in env.items() if k != "HELPDESK_HOME"}
        token = subprocess.run([HELPDESK, "token", "--user", "alex", "--role", "agent", "--tenant", "acme"],
                               env=other_env, cwd=elsewhere, check=True, capture_output=True, text=True)
        assert stack.client(token.stdout.strip()).get("/tickets").status_code == 200
        assert not (elsewhere / ".helpdesk").exists()
    finally:
        assert stop_stack(process, signal.SIGINT) == 0  # Ctrl-C

    process, stack = start_stack(home, env, log_name="second.log")
    try:
        agent = stack.client(stack.token("alex", "agent", "acme"))
        customer = stack.client(stack.token("dana", "customer", "acme", email="dana@example.com"))
        admin = stack.client(stack.token("ada", "admin", "acme"))
        again = agent.get(f"/tickets/{ticket['id']}")
        assert again.status_code == 200
        assert again.json()["subject"] == "Printer on fire"
        assert "office-vip" in [p["id"] for p in admin.get("/sla/policies").json()]
        assert admin.get(f"/kb/articles/{article.json()['id']}").json()["title"] == ARTICLE["title"]
        hits = customer.get("/kb/search", params={"q": "rotate the quokka key"}).json()
        assert hits["hits"][0]["article_id"] == article.json()["id"]
        [file] = agent.get(f"/tickets/{ingested['ticket_id']}/attachments").json()
        link = agent.get(f"/tickets/{ingested['ticket_id']}/attachments/{file['id']}",
                         headers={"accept": "application/json"}).json()
        # the stack's start created the mail bucket afresh, which moto's server emptied: the file was gone
        assert httpx.get(link["url"]).content == b"quokka log line 1\n"
        following = customer.post("/tickets", json={"subject": "Again", "description": "Still smoking."})
        assert following.json()["number"] == f"T-{int(ticket['number'][2:]) + 2:06d}"
    finally:
        assert stop_stack(process, signal.SIGTERM) == 128 + signal.SIGTERM  # serve exits like a process killed by it

    process, stack = start_stack(home, env, "--reset", log_name="reset.log")
    try:
        agent = stack.client(stack.token("alex", "agent", "acme"))
        assert agent.get(f"/tickets/{ticket['id']}").status_code == 404
        assert agent.get(f"/kb/articles/{article.json()['id']}").status_code == 404
        hits = agent.get("/kb/search", params={"q": "rotate the quokka key"}).json()["hits"]
        assert article.json()["id"] not in [h["article_id"] for h in hits]
        fresh = agent.post("/tickets", json={"subject": "First again", "description": "d"})
        assert fresh.json()["number"] == "T-000001"
    finally:
        stop_stack(process, signal.SIGTERM)

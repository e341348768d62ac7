"""A chat that reaches a person, over HTTP against a real `helpdesk serve`: hand-over, an agent's reply with a
PDF in the visitor's chat, the visitor's answer on the ticket, the mail fallback once the chat has ended, a
mail reply with a colleague in Cc, the verified customer's ticket list, and another customer's 404."""

import json
import re
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.e2e

VISITOR = "visitor.e2e@example.org"
COLLEAGUE = "colleague.e2e@example.org"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def eventually[T](what: str, probe: Callable[[], T | None], seconds: float = 120) -> T:
    """Poll `probe` until it returns something (the stream pollers work in the background). Within a second or two
    on an idle machine; two fresh-clone CI runs missed 60 s for the agent's reply in the chat while the same stack's
    triage worked through a backlog at ~8 s a ticket (NOTES, "Found in the CI log of this session")."""
    deadline = time.monotonic() + seconds
    while True:
        found = probe()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.5)


def outbox(stack: LocalStack) -> list[dict[str, Any]]:
    result = stack.cli("mail", "outbox", "--limit", "500")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def mail_to(stack: LocalStack, address: str, contains: str) -> Callable[[], dict[str, Any] | None]:
    def probe() -> dict[str, Any] | None:
        return next((m for m in reversed(outbox(stack)) if address in (m["to"] or []) and contains in
                     m["subject"] + m["body"]), None)
    return probe


def test_chat_hand_over_reaches_the_customer_and_back(stack: LocalStack, tmp_path: Path) -> None:
    visitor = stack.client()
    agent = stack.client(_agent_token(stack))

    # a visitor chats, asks for a human and leaves an email: the chat becomes a ticket
    started = visitor.post("/chat/sessions", json={"tenant_id": "acme"})
    assert started.status_code == 201, started.text
    sid = started.json()["id"]
    visitor.headers["authorization"] = f"Bearer {started.json()['token']}"
    offered = visitor.post(f"/chat/sessions/{sid}/messages", json={"text": "I want to talk to a human"})
    assert offered.json()["actions"] == ["confirm_ticket"], offered.text
    asked = visitor.post(f"/chat/sessions/{sid}/messages", json={"text": "yes"})
    assert asked.json()["actions"] == ["ask_email"], asked.text
    handed = visitor.post(f"/chat/sessions/{sid}/messages", json={"text": f"sure, it is {VISITOR}"}).json()
    assert "ticket_created" in handed["actions"], handed
    ticket_id, number = handed["ticket"]["id"], handed["ticket"]["number"]
    assert "6-digit code" in handed["reply"]
    last_id = visitor.get(f"/chat/sessions/{sid}/messages").json()["next_after"]

    # the visitor proves the address with the code mailed to it
    code_mail = eventually("the confirmation code", mail_to(stack, VISITOR, "confirmation code"))
    code = re.search(r"\b(\d{6})\b", code_mail["subject"])
    assert code is not None
    verified = visitor.post(f"/chat/sessions/{sid}/email-verification", json={"code": code.group(1)})
    assert verified.status_code == 200, verified.text

    # an agent replies on the ticket with a PDF
    grant = agent.post(f"/tickets/{ticket_id}/attachments",
                       json={"filename": "guide.pdf", "content_type": "application/pdf", "size": len(PDF)})
    assert grant.status_code == 201, grant.text
    upload = grant.json()["upload"]
    stored = httpx.post(upload["url"], data=upload["fields"], files={"file": ("guide.pdf", PDF, "application/pdf")})
    assert stored.status_code in (200, 201, 204), stored.text
    attachment_id = grant.json()["attachment_id"]
    reply = agent.post(f"/tickets/{ticket_id}/messages", json={
        "body": "Hello! The attached guide shows how to reset the router.", "public": True,
        "attachment_ids": [attachment_id]})
    assert reply.status_code == 201, reply.text

    # the reply and a link to the PDF reach the visitor's chat through the incremental endpoint
    def agent_message() -> dict[str, Any] | None:
        page = visitor.get(f"/chat/sessions/{sid}/messages", params={"after": last_id, "wait": 5}).json()
        return next((m for m in page["messages"] if m["role"] == "agent"), None)

    message = eventually("the agent's reply in the chat", agent_message)
    assert message["author_name"] == "Alex Agent"
    assert "reset the router" in message["text"]
    [link] = message["attachments"]
    assert link["filename"] == "guide.pdf"
    assert link["scan"] == "unscanned"
    redirect = visitor.get(link["url"])
    assert redirect.status_code == 302, redirect.text
    assert httpx.get(redirect.headers["location"]).content == PDF

    # the visitor answers in the chat: the agent sees it on the ticket
    answered = visitor.post(f"/chat/sessions/{sid}/messages", json={"text": "Thanks! Step 3 fails though."}).json()
    assert answered["handed_over"] is True
    assert answered["reply"] is None
    assert "/ask" in answered["notice"]
    events = agent.get(f"/tickets/{ticket_id}/events").json()
    assert any(e["type"] == "public_message" and e["data"]["from_customer"] and
               e["data"]["body"] == "Thanks! Step 3 fails though." for e in events)
    transcript = visitor.get(f"/chat/sessions/{sid}").json()["messages"]
    public = [e["data"]["body"] for e in events if e["type"] == "public_message"]
    copies = [m["text"] for m in transcript if m["channel"]]  # what came from the ticket, after the hand-over
    assert copies == public  # the transcript and the ticket history: the same messages in the same order

    # the session ends: the next agent reply goes out by mail
    assert visitor.delete(f"/chat/sessions/{sid}").status_code == 200
    assert visitor.get(f"/chat/sessions/{sid}/messages").status_code == 410
    agent.post(f"/tickets/{ticket_id}/messages", json={"body": "Please try step 3 with the cable unplugged.",
                                                       "public": True})
    mailed = eventually("the reply by mail", mail_to(stack, VISITOR, "cable unplugged"))
    assert number in mailed["subject"]
    assert mailed["to"] == [VISITOR]  # one mailbox, once (moto also lists the To header's address)

    # the visitor's mail reply, with a colleague in Cc, lands on the same ticket
    answer = EmailMessage()
    answer["From"] = f"Visitor <{VISITOR}>"
    answer["To"] = "support@acme.example"
    answer["Cc"] = COLLEAGUE
    answer["Subject"] = mailed["subject"]
    answer["Message-ID"] = "<e2e-visitor-reply@example.org>"
    answer["In-Reply-To"] = mailed["message_id"]
    answer.set_content("Unplugging worked, thank you!\n")
    eml = tmp_path / "reply.eml"
    eml.write_bytes(answer.as_bytes())
    ingested = stack.cli("mail", "ingest", str(eml))
    assert ingested.returncode == 0, ingested.stderr
    result = json.loads(ingested.stdout.strip().splitlines()[-1])
    assert result["status"] == "appended", result
    assert result["ticket_id"] == ticket_id
    participants = agent.get(f"/tickets/{ticket_id}/participants").json()
    assert COLLEAGUE in participants["participants"]
    assert VISITOR in participants["participants"]

    # the customer signed in with the verified address sees the ticket; another customer gets 404 for the file
    customer = stack.client(stack.token("visitor-e2e", "customer", "acme", email=VISITOR))
    assert ticket_id in [t["id"] for t in customer.get("/tickets").json()["items"]]
    assert customer.get(f"/tickets/{ticket_id}/attachments/{attachment_id}").status_code == 302
    other = stack.client(stack.token("someone-else", "customer", "acme", email="someone.else@example.org"))
    refused = other.get(f"/tickets/{ticket_id}/attachments/{attachment_id}")
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "not_found"


def _agent_token(stack: LocalStack) -> str:
    import subprocess

    from tests.e2e.conftest import HELPDESK, ROOT

    return subprocess.run([HELPDESK, "token", "--user", "alex", "--role", "agent", "--tenant", "acme",
                           "--name", "Alex Agent"], env=stack.env, cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout.strip()

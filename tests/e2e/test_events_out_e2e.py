"""Issue 15's "done when", over HTTP against a real `helpdesk serve`: a retried create with the same
Idempotency-Key makes one ticket, and a webhook receiver on loopback gets correctly signed `ticket.created` and
`ticket.message_added` (the stack's stream -> bus -> queue -> sender path on moto)."""

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from helpdesk.webhooks.signing import verify
from tests.e2e.conftest import LocalStack
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.e2e


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def test_one_ticket_for_a_retried_create(stack: LocalStack) -> None:
    agent = stack.client(stack.token("alex", "agent", "acme"))
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"subject": "Retried create", "description": "The client timed out and sent it again"}
    first = agent.post("/tickets", json=body, headers=key)
    again = agent.post("/tickets", json=body, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    other = agent.post("/tickets", json={**body, "subject": "Another"}, headers=key)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    mine = [t for t in agent.get("/tickets", params={"limit": 100}).json()["items"] if t["subject"] == body["subject"]]
    assert len(mine) == 1


def test_a_loopback_receiver_gets_signed_ticket_events(
        stack: LocalStack, receiver: Receiver) -> None:
    url, received = receiver.url, receiver.received
    admin = stack.client(stack.token("root", "admin", "acme"))
    agent = stack.client(stack.token("alex", "agent", "acme"))
    created = admin.post("/webhooks", json={"url": url, "event_types": ["ticket.created", "ticket.message_added"]})
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]
    assert admin.post("/webhooks", json={"url": "https://192.168.1.10/x", "event_types": ["*"]}).status_code == 422

    ticket = agent.post("/tickets", json={"subject": "Webhook me", "description": "please"}).json()
    agent.post(f"/tickets/{ticket['id']}/messages", json={"body": "Looking into it", "public": True})
    deadline = time.monotonic() + 60
    mine: list[dict[str, Any]] = []
    while time.monotonic() < deadline and len(mine) < 2:
        time.sleep(0.5)
        mine = [e for e in (verify(secret, body, headers) for headers, body in list(received))
                if e["ticket_id"] == ticket["id"]]
    assert sorted(e["type"] for e in mine) == ["ticket.created", "ticket.message_added"]
    log = admin.get(f"/webhooks/{created.json()['id']}/deliveries").json()["items"]
    assert {d["outcome"] for d in log} == {"delivered"}

"""DynamoDB requests per API operation, pinned: the round trips each operation needs and no more
(no N+1 reads on lists, one transaction per change). A change that adds a request fails here; if the new
request is needed, raise the pin and say why in NOTES.md ("Round trips")."""

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from helpdesk import bootstrap
from helpdesk.platform import aws_calls
from helpdesk.triage.model import FieldResult, SimilarTicket, TriageResult
from tests.conftest import claims, http_event, rebuild

aws_calls.install()  # at import (collection), before any test creates an AWS client

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
CUSTOMER = claims("c1", "acme", "customer", email="dana@example.com")
AGENT = claims("a1", "acme", "agent")


def call(invoke: Invoke, function: str, method: str, path: str, who: dict[str, Any], body: Any = None,
         query: dict[str, str] | None = None) -> tuple[dict[str, Any], Counter[str]]:
    with aws_calls.count_calls() as counts:
        response = invoke(function, http_event(method, path, body=body, claims_=who, query=query))
    assert response["statusCode"] < 300, response["json"]
    return response, counts.of("dynamodb")


def create(invoke: Invoke, subject: str = "Printer") -> tuple[dict[str, Any], Counter[str]]:
    return call(invoke, "ticket_commands", "POST", "/tickets", CUSTOMER, {"subject": subject, "description": "jams"})


@pytest.fixture
def assist_ready(aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_KB_INDEX_DIR", str(tmp_path))  # agent_assist builds the retriever lazily
    rebuild()


def test_requests_per_ticket_operation(assist_ready: None, invoke: Invoke) -> None:
    _, first = create(invoke, "first of this container")
    # the counter ADD, the organisation of the requester's mail domain, the custom field definitions (a customer's
    # ticket: a field may be required of them), the ticket+event transaction, and once per container (then
    # cached) the SLA settings, the tenant's triggers (a new ticket is something triggers may wait for) and whether
    # the tenant masks card numbers
    assert first == Counter(UpdateItem=1, GetItem=4, TransactWriteItems=1, Query=1)
    created, counts = create(invoke)
    assert counts == Counter(UpdateItem=1, GetItem=2, TransactWriteItems=1)
    ticket_id = created["json"]["id"]

    # an agent's first call in the container also reads their directory record (who they are now: role, ticket
    # access, active), then kept 30 s; a1 is in no directory, so there are no groups to read
    assert call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT)[1] == Counter(GetItem=2)
    assert call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}", AGENT)[1] == Counter(GetItem=1)
    for i in range(8):
        create(invoke, f"more {i}")
    listed, counts = call(invoke, "ticket_commands", "GET", "/tickets", AGENT, query={"status": "new"})
    assert len(listed["json"]["items"]) == 10
    assert counts == Counter(Query=1)  # the whole ticket is in the index projection: no read per item

    reply = call(invoke, "ticket_commands", "POST", f"/tickets/{ticket_id}/messages", AGENT,
                 {"body": "Try now", "public": True})[1]
    # read, then one conditional transaction (the triggers were read with the first ticket, 30 s ago at most)
    assert reply == Counter(GetItem=1, TransactWriteItems=1)
    patch = call(invoke, "ticket_commands", "PATCH", f"/tickets/{ticket_id}", AGENT, {"priority": "high"})[1]
    assert patch == Counter(GetItem=1, TransactWriteItems=1)
    # custom field values are checked against the tenant's field definitions: one more read, only when sent
    fields = call(invoke, "ticket_commands", "PATCH", f"/tickets/{ticket_id}", AGENT, {"custom_fields": {"a": 1}})[1]
    assert fields == Counter(GetItem=2, TransactWriteItems=1)
    events = call(invoke, "ticket_commands", "GET", f"/tickets/{ticket_id}/events", AGENT)[1]
    assert events == Counter(GetItem=1, Query=1)  # the ticket (access rules), then its events
    # who else has it open (the console, every 20 s per open ticket): the ticket, one write, one read
    viewers = call(invoke, "ticket_commands", "PUT", f"/tickets/{ticket_id}/viewers/me", AGENT, {"replying": False})[1]
    assert viewers == Counter(GetItem=1, PutItem=1, Query=1)

    # assist: the ticket, the triage record, and one batch read for the similar tickets' visibility
    assert call(invoke, "agent_assist", "GET", f"/tickets/{ticket_id}/assist", AGENT)[1] == Counter(GetItem=2)
    others = [t for t in listed["json"]["items"] if t["id"] != ticket_id][:5]
    _store_triage(ticket_id, others)
    seen, counts = call(invoke, "agent_assist", "GET", f"/tickets/{ticket_id}/assist", AGENT)
    assert counts == Counter(GetItem=2, BatchGetItem=1)  # not one read per similar ticket
    assert len(seen["json"]["triage"]["similar_tickets"]) == 5


def _store_triage(ticket_id: str, similar: list[dict[str, Any]]) -> None:
    now = datetime.now(UTC)
    field = FieldResult(value="x", confidence=0.9, level="high", method="test")
    bootstrap.container().triage_store.save(TriageResult(
        tenant_id="acme", ticket_id=ticket_id, ticket_version=1, model="embedded", prompt_version="test",
        created_at=now, updated_at=now, summary=field, intent=field, category=field, sentiment=field,
        language=field, priority=field, group=field,
        similar_tickets=[SimilarTicket(ticket_id=t["id"], number=t["number"], subject=t["subject"], score=0.9,
                                       same_requester=True) for t in similar]))

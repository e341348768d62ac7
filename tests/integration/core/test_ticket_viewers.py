"""Who else is on a ticket: agents checking in through the real ticket_commands handler on moto see each other
(and who is writing), never a customer, never another tenant; a stale or departed viewer is gone."""

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import EVENTS, claims, http_event

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

CUSTOMER = claims("c1", "acme", "customer", email="dana@example.com")
ALICE = {**claims("alice", "acme", "agent"), "name": "Alice Agent"}
ADA = {**claims("ada", "acme", "admin"), "name": "Ada Lovelace"}
BILLING_AGENT = claims("bob", "acme", "agent", groups=["billing"])
FOREIGN_AGENT = claims("zed", "zeta", "agent")


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None) -> dict[str, Any]:
    return invoke("ticket_commands", http_event(method, path, body=body, claims_=who))


def check_in(invoke: Invoke, ticket_id: str, who: dict[str, Any], replying: bool = False) -> dict[str, Any]:
    return call(invoke, "PUT", f"/tickets/{ticket_id}/viewers/me", who, {"replying": replying})


def others(invoke: Invoke, ticket_id: str, who: dict[str, Any]) -> list[tuple[str, str | None, bool]]:
    answer = check_in(invoke, ticket_id, who)
    assert answer["statusCode"] == 200, answer["json"]
    return [(v["user_id"], v["name"], v["replying"]) for v in answer["json"]["others"]]


def test_agents_on_one_ticket_see_each_other(aws: None, invoke: Invoke) -> None:
    created = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Cannot log in", "description": "Loops"})
    ticket_id = created["json"]["id"]

    first = check_in(invoke, ticket_id, ALICE)
    assert first["json"] == {"others": [], "check_in_s": 20}
    assert others(invoke, ticket_id, ADA) == [("alice", "Alice Agent", False)]
    assert check_in(invoke, ticket_id, ALICE, replying=True)["json"]["others"][0]["user_id"] == "ada"
    assert others(invoke, ticket_id, ADA) == [("alice", "Alice Agent", True)]  # she is writing: wait for it

    # Nobody else learns who works on it: not the customer, not an agent who may not see it, not another tenant.
    assert check_in(invoke, ticket_id, CUSTOMER)["statusCode"] == 403
    assert check_in(invoke, ticket_id, BILLING_AGENT)["statusCode"] == 404  # not in his groups
    assert check_in(invoke, ticket_id, FOREIGN_AGENT)["statusCode"] == 404
    assert check_in(invoke, "nope", ALICE)["statusCode"] == 404
    bad = call(invoke, "PUT", f"/tickets/{ticket_id}/viewers/me", ALICE, {"replying": "maybe", "x": 1})
    assert bad["statusCode"] == 422

    # Alice closes the ticket: gone at once. A viewer whose last check-in is stale is gone too.
    assert call(invoke, "DELETE", f"/tickets/{ticket_id}/viewers/me", ALICE)["statusCode"] == 204
    assert others(invoke, ticket_id, ADA) == []
    from helpdesk.bootstrap import container
    from helpdesk.tickets.adapters.dynamo_viewers import DynamoViewerStore
    from helpdesk.tickets.model import Viewer

    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    DynamoViewerStore(container().tables).put_viewer(
        "acme", ticket_id, Viewer(user_id="alice", name="Alice Agent", seen_at=long_ago),
        expires_at=datetime.now(UTC) + timedelta(minutes=1))
    assert others(invoke, ticket_id, ADA) == []


def test_sample_events_check_in_and_leave(aws: None, invoke: Invoke) -> None:
    statuses = [invoke("ticket_commands", json.loads((EVENTS / "ticket_commands" / f"{name}.json").read_text()))
                ["statusCode"] for name in ("check_in_viewer", "leave_viewer")]
    assert statuses == [404, 404]  # the samples name a ticket a fresh table does not hold

"""The ticket core's lifecycle, access rules and errors, over HTTP against a real `helpdesk serve`."""

import pytest

from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.e2e


def test_ticket_lifecycle_over_http(stack: LocalStack) -> None:
    customer = stack.client(stack.token("dana", "customer", "acme", email="dana@example.com"))
    agent = stack.client(stack.token("alex", "agent", "acme"))
    stranger = stack.client(stack.token("zed", "customer", "zeta"))
    anonymous = stack.client()

    created = customer.post("/tickets", json={"subject": "Invoice missing", "description": "No invoice for May"})
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert ticket["status"] == "new"
    assert ticket["number"].startswith("T-")

    queue = agent.get("/tickets", params={"status": "new"}).json()["items"]
    assert ticket["id"] in [t["id"] for t in queue]

    reply = agent.post(f"/tickets/{ticket['id']}/messages", json={"body": "Sent it again.", "public": True})
    assert reply.status_code == 201
    seen = agent.get(f"/tickets/{ticket['id']}").json()
    assert seen["status"] == "open"
    assert seen["first_response_at"] is not None

    assert stranger.get(f"/tickets/{ticket['id']}").status_code == 404
    invalid = agent.patch(f"/tickets/{ticket['id']}", json={"status": "new"})
    assert invalid.status_code == 409
    assert invalid.json()["error"]["code"] == "invalid_transition"
    unauthenticated = anonymous.get("/tickets")
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["error"]["code"] == "unauthorized"

    forged = stack.client(stack.token("dana", "customer", "acme") + "x")
    assert forged.get("/tickets").status_code == 401
    assert anonymous.get("/openapi.json").status_code == 200


def test_cli_reaches_the_same_stack(stack: LocalStack) -> None:
    """A second terminal: the stack file tells other commands where the running stack is."""
    stack_file = stack.home / "stack.json"
    assert stack_file.exists()
    assert stack.url in stack_file.read_text()


def test_concurrent_creates_get_distinct_numbers(stack: LocalStack) -> None:
    from concurrent.futures import ThreadPoolExecutor

    token = stack.token("racer", "customer", "race-tenant")

    def create(i: int) -> str:
        with stack.client(token) as client:
            response = client.post("/tickets", json={"subject": f"s{i}", "description": "d"})
            assert response.status_code == 201, response.text
            return str(response.json()["number"])

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = list(pool.map(create, range(12)))
    assert sorted(numbers) == [f"T-{n:06d}" for n in range(1, 13)]

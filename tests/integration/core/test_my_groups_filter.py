"""`my_groups=true` on the list, a saved view's `my_groups`, and the same on ticket search: the tickets in the groups
of whoever asks (Zendesk's "Unsolved tickets in your groups"), through the real handlers on moto; a customer may not
ask, an agent in no group gets none."""

from collections.abc import Callable
from typing import Any

from helpdesk.bootstrap import container
from tests.conftest import claims, http_event
from tests.fakes import seed_directory

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

CUSTOMER = claims("c1", "acme", "customer", email="dana@example.com")
ALICE = claims("alice", "acme", "agent")
OTTO = claims("otto", "acme", "agent")


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None,
         query: dict[str, str] | None = None) -> dict[str, Any]:
    function = "agent_tools" if path.startswith("/views") else "ticket_commands"
    return invoke(function, http_event(method, path, body=body, claims_=who, query=query))


def subjects(response: dict[str, Any]) -> list[str]:
    assert response["statusCode"] == 200, response["json"]
    return sorted(t["subject"] for t in response["json"]["items"])


def test_my_groups_lists_the_tickets_of_the_callers_groups(aws: None, invoke: Invoke) -> None:
    seed_directory(container().directory_store, "acme", agents=["otto"],
                   groups={"billing": ["alice"], "shipping": ["alice"], "hardware": []})
    for subject, group in (("Refund", "billing"), ("Parcel lost", "shipping"), ("Broken fan", "hardware"),
                           ("No group", None)):
        made = call(invoke, "POST", "/tickets", ALICE, {"subject": subject, "description": "d",
                                                         "requester": {"id": "c1", "email": "dana@example.com"},
                                                         **({"group": group} if group else {})})
        assert made["statusCode"] == 201, made["json"]

    assert subjects(call(invoke, "GET", "/tickets", ALICE, query={"my_groups": "true"})) == ["Parcel lost", "Refund"]
    assert subjects(call(invoke, "GET", "/tickets", ALICE, query={"my_groups": "true", "group": "billing"})) \
        == ["Refund"]
    assert subjects(call(invoke, "GET", "/tickets", OTTO, query={"my_groups": "true"})) == []  # in no group
    assert call(invoke, "GET", "/tickets", CUSTOMER, query={"my_groups": "true"})["statusCode"] == 403

    view = call(invoke, "POST", "/views", claims("ada", "acme", "admin"), {
        "name": "Unsolved tickets in your groups", "scope": "tenant", "filters": {"my_groups": True, "unsolved": True}})
    assert view["statusCode"] == 201, view["json"]
    path = f"/views/{view['json']['id']}/tickets"
    assert subjects(call(invoke, "GET", path, ALICE)) == ["Parcel lost", "Refund"]
    assert subjects(call(invoke, "GET", path, OTTO)) == []  # the same view, Otto's groups

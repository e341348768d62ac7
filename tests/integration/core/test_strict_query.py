"""Query strings are strict on every route of every API: an unknown, repeated or malformed parameter is a 400
naming it, in the one error format, and nothing is written."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import APIRoute
from starlette.testclient import TestClient

from tests.conftest import claims, http_event, load_function
from tests.contract.harness import APPS
from tests.fakes import seed_directory

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

AGENT = claims("a1", "acme", "agent")


def call(invoke: Invoke, method: str, raw_query: str, path: str = "/tickets", body: Any = None) -> dict[str, Any]:
    event = http_event(method, path, body=body, claims_=AGENT)
    event["rawQueryString"] = raw_query  # as API Gateway passes it on: repeated names and all
    return invoke("ticket_commands", event)


def _routes() -> list[tuple[str, APIRoute]]:
    return [(name, route) for name in APPS for route in load_function(name).app.routes
            if isinstance(route, APIRoute)]


def test_every_route_of_every_api_refuses_an_unknown_parameter(aws: None, invoke: Invoke) -> None:
    routes = _routes()
    assert len(routes) > 30  # every API's routes, not an empty loop
    for name, route in routes:
        path = re.sub(r"\{[^}]+\}", "x1", route.path)
        for method in route.methods or ():
            event = http_event(method, path, claims_=AGENT)
            event["rawQueryString"] = "bogus=1"
            response = invoke(name, event)
            assert response["statusCode"] == 400, (name, method, route.path, response["json"])
            error = response["json"]["error"]
            assert error["code"] == "unknown_query_parameter"
            assert error["details"]["parameters"] == ["bogus"]
            assert "bogus" in error["message"]


def test_a_caller_without_a_token_learns_401_first_and_public_routes_still_check(aws: None) -> None:
    client = TestClient(load_function("ticket_commands").app, raise_server_exceptions=False)
    assert client.get("/tickets", params={"bogus": "1"}).status_code == 401  # not the route's parameters
    public = client.get("/health", params={"bogus": "1"})
    assert public.status_code == 400
    assert public.json()["error"]["code"] == "unknown_query_parameter"


def test_unknown_filter_on_the_ticket_list_is_400_not_every_ticket(aws: None, invoke: Invoke) -> None:
    response = call(invoke, "GET", "bogus=1&q=refund")
    assert response["statusCode"] == 400
    assert response["json"]["error"]["details"]["parameters"] == ["bogus", "q"]
    assert set(response["json"]["error"]["details"]["allowed"]) >= {"status", "group", "channel", "limit"}


@pytest.mark.parametrize(("raw", "code", "named"), [
    ("limit=abc", "invalid_query_parameter", ["limit"]),
    ("limit=0", "invalid_query_parameter", ["limit"]),
    ("status=whenever&priority=soon", "invalid_query_parameter", ["priority", "status"]),
    ("channel=fax", "invalid_query_parameter", ["channel"]),
    ("group=" + "g" * 129, "invalid_query_parameter", ["group"]),
    ("status=new&status=open", "repeated_query_parameter", ["status"]),
    ("=1", "unknown_query_parameter", [""]),
])
def test_malformed_parameters_are_400_naming_them(aws: None, invoke: Invoke, raw: str, code: str,
                                                    named: list[str]) -> None:
    response = call(invoke, "GET", raw)
    assert response["statusCode"] == 400, response["json"]
    assert response["json"]["error"]["code"] == code
    assert response["json"]["error"]["details"]["parameters"] == named


def test_a_write_with_an_unknown_parameter_writes_nothing(aws: None, invoke: Invoke) -> None:
    body = {"subject": "Refund", "description": "Please"}
    assert call(invoke, "POST", "notify=false", body=body)["statusCode"] == 400
    assert call(invoke, "GET", "")["json"]["items"] == []
    assert call(invoke, "POST", "", body=body)["statusCode"] == 201


def test_group_and_channel_filters(aws: None, invoke: Invoke) -> None:
    from helpdesk.bootstrap import container
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.tickets.model import Channel
    from helpdesk.tickets.service import CreateTicket

    seed_directory(container().directory_store, "acme", groups={"billing": [], "shipping": []})
    service = container().ticket_service
    agent = Principal(user_id="a1", role=Role.AGENT, tenant_id="acme")
    billing_mail = service.create(agent, CreateTicket(subject="Refund", description="d", group="billing",
                                                      channel=Channel.EMAIL))
    billing_chat = service.create(agent, CreateTicket(subject="Invoice", description="d", group="billing",
                                                      channel=Channel.CHAT))
    shipping_mail = service.create(agent, CreateTicket(subject="Parcel", description="d", group="shipping",
                                                       channel=Channel.EMAIL))

    def ids(raw: str) -> set[str]:
        response = call(invoke, "GET", raw)
        assert response["statusCode"] == 200, response["json"]
        return {t["id"] for t in response["json"]["items"]}

    assert ids("group=billing") == {billing_mail.id, billing_chat.id}
    assert ids("channel=email") == {billing_mail.id, shipping_mail.id}
    assert ids("group=billing&channel=email") == {billing_mail.id}
    assert ids("group=billing&channel=web") == set()
    assert ids("status=new&group=shipping") == {shipping_mail.id}


def test_unassigned_tickets_are_listed_apart_and_a_view_keeps_the_filter(aws: None, invoke: Invoke) -> None:
    """Zendesk's "Unassigned tickets": the list, a saved view and its count; with `assignee` it is a 400/422."""
    from helpdesk.bootstrap import container
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.tickets.service import CreateTicket, UpdateTicket

    seed_directory(container().directory_store, "acme", agents=["a1"])
    service = container().ticket_service
    agent = Principal(user_id="a1", role=Role.AGENT, tenant_id="acme")
    waiting = service.create(agent, CreateTicket(subject="Nobody has me", description="d"))
    taken = service.create(agent, CreateTicket(subject="Mine", description="d"))
    service.update(agent, taken.id, UpdateTicket(assignee_id="a1"))

    response = call(invoke, "GET", "unassigned=true")
    assert response["statusCode"] == 200, response["json"]
    assert [t["id"] for t in response["json"]["items"]] == [waiting.id]
    assert {t["id"] for t in call(invoke, "GET", "unassigned=false")["json"]["items"]} == {waiting.id, taken.id}
    both = call(invoke, "GET", "unassigned=true&assignee=a1")
    assert (both["statusCode"], both["json"]["error"]["code"]) == (400, "invalid_input")

    def tools(method: str, path: str, body: Any = None) -> dict[str, Any]:
        return invoke("agent_tools", http_event(method, path, body=body, claims_=AGENT))

    view = tools("POST", "/views", {"name": "Unassigned", "filters": {"unassigned": True}})
    assert view["statusCode"] == 201, view["json"]
    listed = tools("GET", f"/views/{view['json']['id']}/tickets")
    assert [t["id"] for t in listed["json"]["items"]] == [waiting.id]
    assert tools("GET", "/views/counts")["json"] == [{"view_id": view["json"]["id"], "name": "Unassigned", "count": 1}]
    refused = tools("POST", "/views", {"name": "Both", "filters": {"unassigned": True, "assignee": "me"}})
    assert refused["statusCode"] == 422


def test_list_parameters_may_repeat_and_scalars_may_not(aws: None) -> None:
    from typing import Annotated

    from fastapi import Query

    from helpdesk.web.app_factory import create_app

    app = create_app("probe")

    @app.get("/probe")
    def probe(tag: Annotated[list[str] | None, Query()] = None, limit: int = 1) -> dict[str, Any]:
        return {"tag": tag, "limit": limit}

    client = TestClient(app)
    assert client.get("/probe?tag=a&tag=b&limit=2").json() == {"tag": ["a", "b"], "limit": 2}
    repeated = client.get("/probe?tag=a&limit=2&limit=3")
    assert (repeated.status_code, repeated.json()["error"]["details"]["parameters"]) == (400, ["limit"])

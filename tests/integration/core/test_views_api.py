"""Saved views through the agent tools function's real lambda_handler, on moto: their tickets and counts."""

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tests.conftest import claims, http_event
from tests.fakes import seed_directory

if TYPE_CHECKING:
    from helpdesk.kernel.clock import FixedClock
    from helpdesk.tickets.model import Ticket

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

AGENT = claims("a1", "acme", "agent")
OTHER_AGENT = claims("a2", "acme", "agent")
SHIPPING_AGENT = claims("a4", "acme", "agent", groups=["shipping"])
ADMIN = claims("root", "acme", "admin")
FOREIGN_ADMIN = claims("z1", "zeta", "admin")
CUSTOMER = claims("c1", "acme", "customer")

BILLING_AT_RISK = {"name": "Billing, SLA at risk", "scope": "tenant",
                   "filters": {"group": "billing", "sla": "at_risk"}}


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any] | None, body: Any = None,
         query: dict[str, str] | None = None) -> dict[str, Any]:
    return invoke("agent_tools", http_event(method, path, body=body, claims_=who, query=query))


def view(invoke: Invoke, who: dict[str, Any], body: dict[str, Any]) -> str:
    response = call(invoke, "POST", "/views", who, body)
    assert response["statusCode"] == 201, response["json"]
    return str(response["json"]["id"])


def world(clock: "FixedClock") -> dict[str, "Ticket"]:
    """Tickets in two groups at two priorities; 45 minutes later the urgent ones are in their SLA warning
    window (first response due after 60, warning 30 before) and the others are not."""
    from helpdesk.bootstrap import container
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.tickets.model import Priority, Requester
    from helpdesk.tickets.service import CreateTicket, UpdateTicket

    seed_directory(container().directory_store, "acme", groups={"billing": ["a2"], "shipping": []})
    service = container().ticket_service
    agent = Principal(user_id="a1", role=Role.AGENT, tenant_id="acme")
    made = {name: service.create(agent, CreateTicket(subject=name, description="d", group=group, priority=priority,
                                                    requester=Requester(email="dana@customer.example")))
            for name, group, priority in [("billing-urgent", "billing", Priority.URGENT),
                                          ("billing-low", "billing", Priority.LOW),
                                          ("shipping-urgent", "shipping", Priority.URGENT),
                                          ("billing-urgent-2", "billing", Priority.URGENT)]}
    clock.advance(timedelta(minutes=45))
    for ticket in made.values():  # any change recomputes the SLA state the list filters on
        service.add_message(agent, ticket.id, "looking", public=False)
    service.update(Principal(user_id="root", role=Role.ADMIN, tenant_id="acme"), made["billing-urgent-2"].id,
                   UpdateTicket(assignee_id="a2"))
    return made


def test_a_shared_view_returns_its_tickets_and_count(aws: None, clock: "FixedClock", invoke: Invoke) -> None:
    made = world(clock)
    at_risk = view(invoke, ADMIN, BILLING_AT_RISK)
    mine = view(invoke, OTHER_AGENT, {"name": "Mine", "filters": {"assignee": "me"}, "order": "oldest"})
    listed = call(invoke, "GET", f"/views/{at_risk}/tickets", AGENT)
    assert listed["statusCode"] == 200, listed["json"]
    assert [t["subject"] for t in listed["json"]["items"]] == ["billing-urgent-2", "billing-urgent"]
    assert {t["sla"] for t in listed["json"]["items"]} == {"at_risk"}
    counts = call(invoke, "GET", "/views/counts", OTHER_AGENT)["json"]
    assert counts == [{"view_id": mine, "name": "Mine", "count": 1},
                      {"view_id": at_risk, "name": "Billing, SLA at risk", "count": 2}]
    assert call(invoke, "GET", "/views/counts", AGENT)["json"] == [
        {"view_id": at_risk, "name": "Billing, SLA at risk", "count": 2}]  # a2's personal view is a2's
    mine_tickets = call(invoke, "GET", f"/views/{mine}/tickets", OTHER_AGENT)["json"]["items"]
    assert [t["id"] for t in mine_tickets] == [made["billing-urgent-2"].id]
    # the same view through a group-restricted agent's eyes: only what they may open, counted the same way
    assert call(invoke, "GET", f"/views/{at_risk}/tickets", SHIPPING_AGENT)["json"]["items"] == []
    assert call(invoke, "GET", "/views/counts", SHIPPING_AGENT)["json"][0]["count"] == 0
    assert call(invoke, "GET", "/views/counts", FOREIGN_ADMIN)["json"] == []


def test_view_tickets_are_cursor_paged_in_the_view_order(aws: None, clock: "FixedClock", invoke: Invoke) -> None:
    world(clock)
    oldest = view(invoke, AGENT, {"name": "All, oldest first", "order": "oldest"})
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = call(invoke, "GET", f"/views/{oldest}/tickets", AGENT,
                    query={"limit": "3", **({"cursor": cursor} if cursor else {})})["json"]
        seen += [t["subject"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["billing-urgent", "billing-low", "shipping-urgent", "billing-urgent-2"]
    assert call(invoke, "GET", f"/views/{oldest}/tickets", AGENT, query={"sort": "x"})["statusCode"] == 400


def test_who_sees_and_changes_which_view(aws: None, invoke: Invoke) -> None:
    personal = view(invoke, AGENT, {"name": "Mine"})
    shipping = view(invoke, SHIPPING_AGENT, {"name": "Shipping", "scope": "group", "group": "shipping"})
    assert call(invoke, "GET", f"/views/{personal}", OTHER_AGENT)["statusCode"] == 404
    assert call(invoke, "GET", f"/views/{shipping}", OTHER_AGENT)["statusCode"] == 200  # no group restriction
    assert call(invoke, "POST", "/views", AGENT, BILLING_AT_RISK)["statusCode"] == 403  # tenant views: admins
    assert call(invoke, "GET", "/views", CUSTOMER)["statusCode"] == 403
    assert call(invoke, "GET", "/views/counts", CUSTOMER)["statusCode"] == 403
    renamed = call(invoke, "PUT", f"/views/{personal}", AGENT, {"name": "Renamed", "filters": {"status": "open"}})
    assert (renamed["statusCode"], renamed["json"]["version"]) == (200, 2)
    assert call(invoke, "POST", "/views", AGENT, {"name": "x", "filters": {"colour": "red"}})["statusCode"] == 422
    assert call(invoke, "POST", "/views", AGENT, {"name": "x", "scope": "group"})["statusCode"] == 400
    assert call(invoke, "DELETE", f"/views/{personal}", AGENT)["statusCode"] == 204
    assert call(invoke, "GET", f"/views/{personal}/tickets", AGENT)["statusCode"] == 404


def test_a_view_of_one_organisations_tickets(aws: None, invoke: Invoke) -> None:
    from helpdesk.bootstrap import container
    from helpdesk.directory.model import NewOrganization
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.tickets.model import Requester
    from helpdesk.tickets.service import CreateTicket

    admin = Principal(user_id="root", role=Role.ADMIN, tenant_id="acme")
    globex = container().directory.create_organization(admin, NewOrganization(name="Globex",
                                                                              domains=["globex.example"]))
    service = container().ticket_service
    for subject, email in [("jam", "hank@globex.example"), ("login", "lisa@globex.example"), ("other", "a@b.example")]:
        service.create(admin, CreateTicket(subject=subject, description="d", requester=Requester(email=email)))
    globex_view = view(invoke, ADMIN, {"name": "Globex", "scope": "tenant", "filters": {"organization": globex.id}})
    listed = call(invoke, "GET", f"/views/{globex_view}/tickets", AGENT)["json"]["items"]
    assert {t["subject"] for t in listed} == {"jam", "login"}
    assert call(invoke, "GET", "/views/counts", AGENT)["json"] == [
        {"view_id": globex_view, "name": "Globex", "count": 2}]
    refused = call(invoke, "POST", "/views", ADMIN, {"name": "x", "filters": {"organization": ""}})
    assert refused["statusCode"] == 422, refused["json"]


def test_a_view_of_the_tickets_each_viewer_follows(aws: None, clock: "FixedClock", invoke: Invoke) -> None:
    """`follower: "me"` in a shared view lists, and counts, the tickets whoever looks at it follows."""
    from helpdesk.bootstrap import container
    from helpdesk.kernel.principal import Principal, Role

    made = world(clock)
    seed_directory(container().directory_store, "acme", agents=["a1"])
    service = container().ticket_service
    for user_id, ticket in (("a1", "billing-low"), ("a2", "billing-urgent-2")):
        service.follow(Principal(user_id=user_id, role=Role.AGENT, tenant_id="acme"), made[ticket].id, user_id)
    following = view(invoke, ADMIN, {"name": "Following", "scope": "tenant", "filters": {"follower": "me"}})
    for who, ticket in ((AGENT, "billing-low"), (OTHER_AGENT, "billing-urgent-2")):
        assert [t["subject"] for t in call(invoke, "GET", f"/views/{following}/tickets", who)["json"]["items"]] == [
            ticket]
        assert call(invoke, "GET", "/views/counts", who)["json"][-1] == {"view_id": following, "name": "Following",
                                                                          "count": 1}
    assert call(invoke, "POST", "/views", AGENT, {"name": "x", "filters": {"follower": ""}})["statusCode"] == 422

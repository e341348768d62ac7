"""One customer, several addresses (`/customers/{key}/addresses` on ticket commands) through the real Lambda handlers
on moto: linking moves the address's tickets to the customer, new tickets from it follow, the person signing in with
either address sees them all, the team's list shows one person, and unlinking gives the address its tickets back."""

import json
from typing import Any
from urllib.parse import quote

from helpdesk import bootstrap
from tests.conftest import EVENTS, claims
from tests.iam_calls import Call, denied
from tests.integration.search.test_search_api import (
    AGENT,
    BILLING_AGENT,
    FOREIGN_AGENT,
    Invoke,
    call,
    index_streams,
    make_pollers,
)

ADMIN = claims("ad1", "acme", "admin")
HOME = "dana@example.com"
WORK = "dana.k@corp.example"
CUSTOMER = f"email:{HOME}"
ADDRESSES = f"/customers/{quote(CUSTOMER, safe='')}/addresses"


def signed_in(user: str, email: str) -> dict[str, Any]:
    """A customer whose identity provider verified their address (Cognito's `email_verified`)."""
    return {**claims(user, "acme", "customer", email=email), "email_verified": "true"}


def opened_for(invoke: Invoke, email: str, subject: str) -> dict[str, Any]:
    created = call(invoke, "ticket_commands", "POST", "/tickets", AGENT,
                   {"subject": subject, "description": "phoned in", "requester": {"email": email}})
    assert created["statusCode"] == 201, created["json"]
    ticket: dict[str, Any] = created["json"]
    return ticket


def link(invoke: Invoke, email: str, who: dict[str, Any] = ADMIN, path: str = ADDRESSES) -> dict[str, Any]:
    return call(invoke, "ticket_commands", "POST", path, who, {"email": email})


def listed(invoke: Invoke, who: dict[str, Any], **query: str) -> list[str]:
    response = call(invoke, "ticket_commands", "GET", "/tickets", who, query=query)
    assert response["statusCode"] == 200, response["json"]
    return sorted(t["subject"] for t in response["json"]["items"])


def test_a_linked_address_and_its_tickets_are_the_customers_until_unlinked(aws: None, invoke: Invoke,
                                                                           recorded: list[Call]) -> None:
    from_home = opened_for(invoke, HOME, "Printer jam")
    from_work = opened_for(invoke, WORK, "Invoice to the company")

    linked = link(invoke, "Dana.K@Corp.example")
    assert linked["statusCode"] == 200, linked["json"]
    assert (linked["json"]["moved"], linked["json"]["more"]) == (1, False)
    assert (linked["json"]["customer"]["id"], linked["json"]["customer"]["addresses"]) == (CUSTOMER, [WORK])

    # the team: one customer with both tickets; the work ticket still answers to the address it came from
    assert listed(invoke, AGENT, requester=quote(CUSTOMER)) == ["Invoice to the company", "Printer jam"]
    moved = call(invoke, "ticket_commands", "GET", f"/tickets/{from_work['id']}", AGENT)["json"]
    assert (moved["requester"]["email"], moved["requester_key"], moved["requester"]["linked_to"]) == \
        (WORK, CUSTOMER, CUSTOMER)
    history = call(invoke, "ticket_commands", "GET", f"/tickets/{from_work['id']}/events", AGENT)["json"]
    relinked = [e for e in history if e["type"] == "requester_changed"]
    assert [(e["actor"], e["data"]["linked_to"]) for e in relinked] == [("ad1", CUSTOMER)]
    # a new ticket from the work address is hers at once
    later = opened_for(invoke, WORK, "Second invoice")
    assert later["requester_key"] == CUSTOMER
    # her work address's page is hers
    by_work = call(invoke, "ticket_commands", "GET", f"/customers/{quote('email:' + WORK, safe='')}/addresses", AGENT)
    assert by_work["json"]["id"] == CUSTOMER

    # Dana sees all her tickets whichever address she signs in with; the change of customer is not shown to her
    everything = ["Invoice to the company", "Printer jam", "Second invoice"]
    assert listed(invoke, signed_in("c-home", HOME)) == everything
    assert listed(invoke, signed_in("c-work", WORK)) == everything
    assert listed(invoke, signed_in("c-work", WORK), requester=quote(f"email:{WORK}")) == everything  # her own address
    theirs = call(invoke, "ticket_commands", "GET", f"/tickets/{from_work['id']}/events", signed_in("c-home", HOME))
    assert theirs["statusCode"] == 200
    assert "requester_changed" not in [e["type"] for e in theirs["json"]]
    assert listed(invoke, signed_in("c-erin", "erin@example.com")) == []
    # hers to mark solved from either address, as the portal's `own` says
    at_work = signed_in("c-work", WORK)
    assert call(invoke, "ticket_commands", "GET", f"/tickets/{from_home['id']}", at_work)["json"]["own"] is True
    solved = call(invoke, "ticket_commands", "PATCH", f"/tickets/{from_home['id']}", at_work, {"status": "resolved"})
    assert solved["statusCode"] == 200, solved["json"]
    assert call(invoke, "ticket_commands", "GET", f"/tickets/{from_home['id']}", AGENT)["json"]["own"] is False

    assert denied("TicketCommandsFunction", recorded) == []

    # unlinked: the address and its tickets are its own again
    unlinked = call(invoke, "ticket_commands", "DELETE", f"{ADDRESSES}/{quote(WORK, safe='@')}", ADMIN)
    assert unlinked["statusCode"] == 200, unlinked["json"]
    assert (unlinked["json"]["moved"], unlinked["json"]["customer"]["addresses"]) == (2, [])
    assert listed(invoke, AGENT, requester=quote(CUSTOMER)) == ["Printer jam"]
    assert listed(invoke, signed_in("c-work", WORK)) == ["Invoice to the company", "Second invoice"]
    assert call(invoke, "ticket_commands", "GET", f"/tickets/{from_home['id']}", at_work)["statusCode"] == 404
    assert opened_for(invoke, WORK, "Third")["requester_key"] == f"email:{WORK}"
    again = call(invoke, "ticket_commands", "DELETE", f"{ADDRESSES}/{quote(WORK, safe='@')}", ADMIN)
    assert (again["statusCode"], again["json"]["error"]["code"]) == (404, "not_found")


def test_who_may_link_and_what_cannot_be_linked(aws: None, invoke: Invoke) -> None:
    opened_for(invoke, WORK, "Invoice")
    assert link(invoke, WORK)["statusCode"] == 200
    assert link(invoke, WORK)["json"]["moved"] == 0  # sent again: nothing more to move, nothing changes

    def refused(response: dict[str, Any]) -> tuple[int, str]:
        return response["statusCode"], response["json"]["error"]["code"]

    other = f"/customers/{quote('email:erin@example.com', safe='')}/addresses"
    assert refused(link(invoke, WORK, path=other)) == (409, "address_linked_elsewhere")  # it is Dana's
    assert refused(link(invoke, "erin@example.com", path=f"/customers/{quote('email:' + WORK, safe='')}/addresses")) \
        == (409, "address_linked_elsewhere")  # the work address is itself linked: link to Dana
    assert refused(link(invoke, HOME, path=other)) == (409, "address_has_addresses")  # Dana has addresses of her own
    assert refused(link(invoke, HOME)) == (400, "invalid_input")  # her own address
    assert refused(link(invoke, "x@y.example", path="/customers/chat%3Aabc/addresses")) == (400, "invalid_input")
    assert link(invoke, "not an address")["statusCode"] == 422
    claimed = call(invoke, "ticket_commands", "POST", "/tickets", AGENT, {
        "subject": "x", "description": "y", "requester": {"email": "eve@example.com", "linked_to": CUSTOMER}})
    assert claimed["statusCode"] == 422  # whose an address is, is the team's link, not a ticket's say
    assert refused(link(invoke, "x@y.example", who=BILLING_AGENT)) == (403, "forbidden")  # sees some tickets only
    assert refused(link(invoke, "x@y.example", who=signed_in("c-home", HOME))) == (403, "forbidden")
    assert refused(call(invoke, "ticket_commands", "GET", ADDRESSES, signed_in("c-home", HOME))) == (403, "forbidden")
    assert link(invoke, "x@y.example", who=AGENT)["statusCode"] == 200  # an agent who sees every ticket
    # another tenant's team links nothing of this one's and reads none of it
    foreign = call(invoke, "ticket_commands", "GET", ADDRESSES, FOREIGN_AGENT)["json"]
    assert (foreign["id"], foreign["addresses"]) == (CUSTOMER, [])
    assert bootstrap.container().customer_address_store.customer_of("zeta", f"email:{WORK}") is None


def test_the_customers_list_and_a_customers_search_see_one_person(aws: None, invoke: Invoke) -> None:
    pollers = make_pollers()
    opened_for(invoke, HOME, "Printer jam")
    opened_for(invoke, WORK, "Invoice to the company")
    assert link(invoke, WORK)["statusCode"] == 200
    index_streams(pollers)

    rows = call(invoke, "ticket_search", "GET", "/customers", AGENT)["json"]["items"]
    # one person, named by her own address although her latest ticket came from work
    assert [(r["key"], r["email"], r["tickets"]) for r in rows] == [(CUSTOMER, HOME, 2)]
    found = call(invoke, "ticket_search", "GET", "/tickets/search", signed_in("c-work", WORK),
                 query={"q": "printer"})
    assert found["statusCode"] == 200, found["json"]
    assert [hit["ticket"]["subject"] for hit in found["json"]["items"]] == ["Printer jam"]


def test_the_sample_event_links_an_address(aws: None, invoke: Invoke) -> None:
    """`events/ticket_commands/link_customer_address.json` (for `sam local invoke`) is a request the handler takes."""
    event = json.loads((EVENTS / "ticket_commands" / "link_customer_address.json").read_text())
    answer = invoke("ticket_commands", event)
    assert answer["statusCode"] == 200, answer["json"]
    assert answer["json"]["customer"]["addresses"] == [json.loads(event["body"])["email"]]

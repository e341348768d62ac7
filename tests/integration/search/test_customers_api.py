"""The team's list of customers (`GET /customers` on the search function) through the real Lambda handlers on
moto: tickets opened by the ticket commands API, both streams delivered to the ticket indexer, listed from the
index, named from DynamoDB."""

from typing import Any
from urllib.parse import quote

from helpdesk import bootstrap
from tests.conftest import claims
from tests.fakes import seed_directory
from tests.integration.search.test_search_api import (
    AGENT,
    BILLING_AGENT,
    DANA,
    FOREIGN_AGENT,
    Invoke,
    call,
    index_streams,
    make_pollers,
)

ADMIN = claims("ad1", "acme", "admin")


def opened_for(invoke: Invoke, email: str, name: str, subject: str, **fields: Any) -> str:
    created = call(invoke, "ticket_commands", "POST", "/tickets", AGENT,
                   {"subject": subject, "description": "phoned in", "requester": {"email": email, "name": name},
                    **fields})
    assert created["statusCode"] == 201, created["json"]
    return str(created["json"]["id"])


def get_customers(invoke: Invoke, who: dict[str, Any], **query: str) -> dict[str, Any]:
    """The raw query string percent-encoded, as API Gateway passes it (`http_event` takes it as given)."""
    return call(invoke, "ticket_search", "GET", "/customers", who,
                query={k: quote(v, safe="") for k, v in query.items()})


def customers(invoke: Invoke, who: dict[str, Any], **query: str) -> dict[str, Any]:
    response = get_customers(invoke, who, **query)
    assert response["statusCode"] == 200, response["json"]
    listed: dict[str, Any] = response["json"]
    return listed


def keys(listed: dict[str, Any]) -> list[str]:
    return [item["key"] for item in listed["items"]]


def test_the_team_lists_everyone_with_a_ticket_counted_and_named_by_their_latest(aws: None, invoke: Invoke) -> None:
    pollers = make_pollers()
    first = opened_for(invoke, "jana.mueller@example.com", "Müller, Jana", "Printer jam")
    latest = opened_for(invoke, "Jana.Mueller@example.com", "Jana Müller", "Invoice twice")
    opened_for(invoke, "bob@builder.example", "Bob Builder", "Scaffold")
    assert call(invoke, "ticket_commands", "PATCH", f"/tickets/{first}", AGENT,
                {"status": "resolved"})["statusCode"] == 200
    assert call(invoke, "ticket_commands", "PATCH", f"/tickets/{latest}", AGENT,
                {"priority": "high"})["statusCode"] == 200  # updated last
    index_streams(pollers)

    listed = customers(invoke, AGENT)
    assert keys(listed) == ["email:bob@builder.example", "email:jana.mueller@example.com"]  # A-Z by address
    jana = listed["items"][1]
    assert (jana["name"], jana["email"], jana["tickets"], jana["unsolved"]) == \
        ("Jana Müller", "Jana.Mueller@example.com", 2, 1)
    assert (jana["latest_ticket"]["id"], jana["latest_ticket"]["subject"], jana["latest_ticket"]["number"]) == \
        (latest, "Invoice twice", "T-000002")
    assert listed["next_cursor"] is None
    assert keys(customers(invoke, FOREIGN_AGENT)) == []  # another tenant's team sees none of them


def test_words_find_a_customer_by_name_or_address_as_one_types(aws: None, invoke: Invoke) -> None:
    pollers = make_pollers()
    opened_for(invoke, "jana.mueller@example.com", "Jana Müller", "Printer jam")
    opened_for(invoke, "bob@builder.example", "Bob Builder", "Scaffold")
    ticket_mentioning_jana = opened_for(invoke, "carl@example.org", "Carl", "Jana told me to write")
    assert ticket_mentioning_jana
    index_streams(pollers)

    def found(q: str) -> list[str]:
        return keys(customers(invoke, AGENT, q=q))

    assert found("jana") == ["email:jana.mueller@example.com"]  # her name, not a ticket that names her
    assert found("Jana  mü") == ["email:jana.mueller@example.com"]  # the last word is a beginning
    assert found("MÜLLER") == ["email:jana.mueller@example.com"]
    assert found("builder") == ["email:bob@builder.example"]  # a word of the address
    assert found("example") == ["email:bob@builder.example", "email:carl@example.org",
                                "email:jana.mueller@example.com"]
    assert found("mü jana") == []  # every word but the last is a whole one
    assert found("42") == []  # no letters: nobody
    too_long = get_customers(invoke, AGENT, q="x" * 513)
    assert too_long["statusCode"] == 400
    assert too_long["json"]["error"]["details"] == {"q": 513, "max": 512}


def test_pages_follow_the_cursor_which_belongs_to_its_own_words(aws: None, invoke: Invoke) -> None:
    pollers = make_pollers()
    for letter in "edcba":
        opened_for(invoke, f"{letter}@example.com", f"Person {letter.upper()}", f"About {letter}")
    index_streams(pollers)

    page = customers(invoke, AGENT, limit="2")
    seen, cursor = keys(page), page["next_cursor"]
    while cursor:
        page = customers(invoke, AGENT, limit="2", cursor=cursor)
        seen, cursor = seen + keys(page), page["next_cursor"]
    assert seen == [f"email:{letter}@example.com" for letter in "abcde"]

    other = customers(invoke, AGENT, q="person", limit="2")["next_cursor"]
    assert get_customers(invoke, AGENT, limit="2", cursor=other)["statusCode"] == 400
    assert get_customers(invoke, AGENT, cursor="%%%")["statusCode"] == 400
    assert get_customers(invoke, AGENT, limit="101")["statusCode"] == 400


def test_an_agent_limited_to_groups_lists_and_counts_their_groups_customers_only(aws: None, invoke: Invoke) -> None:
    seed_directory(bootstrap.container().directory_store, "acme", groups={"billing": []})
    pollers = make_pollers()
    opened_for(invoke, "jana@example.com", "Jana", "Invoice twice", group="billing")
    opened_for(invoke, "jana@example.com", "Jana", "Printer jam")
    opened_for(invoke, "bob@example.com", "Bob", "Scaffold")
    index_streams(pollers)

    mine = customers(invoke, BILLING_AGENT)["items"]
    assert [(c["key"], c["tickets"], c["latest_ticket"]["subject"]) for c in mine] == \
        [("email:jana@example.com", 1, "Invoice twice")]
    assert [(c["key"], c["tickets"]) for c in customers(invoke, ADMIN)["items"]] == \
        [("email:bob@example.com", 1), ("email:jana@example.com", 2)]


def test_customers_may_not_list_the_customers(aws: None, invoke: Invoke) -> None:
    refused = get_customers(invoke, DANA)
    assert refused["statusCode"] == 403
    assert "only the team" in refused["json"]["error"]["message"]


def test_the_local_stack_reindexes_tickets_an_older_release_indexed_without_the_requesters_words(
        aws: None, invoke: Invoke) -> None:
    """An older release's documents lack the words: on start the local stack re-indexes them (AWS: `helpdesk
    tickets reindex`), so a name typed finds their customers."""
    from dataclasses import replace
    from pathlib import Path

    from helpdesk.local.extensions import LocalStackContext
    from helpdesk.local.stack import StackInfo
    from helpdesk.search.adapters.embedded import EmbeddedTicketIndex
    from helpdesk.search.local import reconcile_index

    pollers = make_pollers()
    jana = opened_for(invoke, "jana@example.com", "Jana Müller", "Printer jam")
    opened_for(invoke, "bob@example.com", "Bob", "Scaffold")
    index_streams(pollers)
    c = bootstrap.container()
    index = c.ticket_index
    assert isinstance(index, EmbeddedTicketIndex)
    older = replace(c.ticket_indexer.document(c.ticket_repository.get_many("acme", [jana])[0]), requester_words=None)
    index.upsert_many([older])
    assert keys(customers(invoke, AGENT, q="müller")) == []
    assert index.outdated("acme") == [jana]

    ctx = LocalStackContext(root=Path(__file__).resolve().parents[3],
                            info=StackInfo(api_url="http://x", aws_endpoint="http://y"), host="127.0.0.1", container=c)
    assert reconcile_index(ctx) == 1
    assert keys(customers(invoke, AGENT, q="müller")) == ["email:jana@example.com"]
    assert reconcile_index(ctx) == 0


def test_the_sample_event_for_sam_local_is_a_request_the_handler_takes(aws: None, invoke: Invoke) -> None:
    """`events/ticket_search/list_customers.json`: an agent of acme looking for "jana"."""
    import json

    from tests.conftest import EVENTS

    pollers = make_pollers()
    opened_for(invoke, "jana@example.com", "Jana Müller", "Printer jam")
    index_streams(pollers)
    answer = invoke("ticket_search", json.loads((EVENTS / "ticket_search/list_customers.json").read_text()))
    assert answer["statusCode"] == 200, answer["json"]
    assert keys(answer["json"]) == ["email:jana@example.com"]


def test_the_people_of_an_organisation(aws: None, invoke: Invoke) -> None:
    made = call(invoke, "directory_api", "POST", "/organizations", ADMIN,
                {"name": "Globex", "domains": ["globex.example"]})
    assert made["statusCode"] == 201, made["json"]
    globex = made["json"]["id"]
    pollers = make_pollers()
    for email in ("hank@globex.example", "ann@globex.example", "dana@example.com"):
        opened_for(invoke, email, email.split("@")[0].title(), "Printer on fire")
    index_streams(pollers)

    people = customers(invoke, AGENT, organization=globex)
    assert keys(people) == ["email:ann@globex.example", "email:hank@globex.example"]
    assert {c["organization_id"] for c in people["items"]} == {globex}
    assert keys(customers(invoke, AGENT, organization=globex, q="hank")) == ["email:hank@globex.example"]
    assert keys(customers(invoke, AGENT, organization="org-nobody")) == []
    first = customers(invoke, AGENT, organization=globex, limit="1")
    assert get_customers(invoke, AGENT, limit="1", cursor=first["next_cursor"])["statusCode"] == 400  # its own list
    assert keys(customers(invoke, AGENT, organization=globex, limit="1", cursor=first["next_cursor"])) == \
        ["email:hank@globex.example"]
    assert get_customers(invoke, AGENT, organization="o" * 65)["statusCode"] == 400

"""The OpenSearch ticket index at the HTTP level, like the knowledge adapter's test: `responses` stands in for
the service; we assert the requests opensearch-py sends (tenant and access filters, sort, search_after,
highlighting, bulk NDJSON) and parse responses shaped like the real service's."""

import json
import re
from typing import Any

import pytest
import responses

from helpdesk.search.adapters.opensearch import OpenSearchTicketIndex, index_body
from helpdesk.search.model import CustomerQuery, IndexQuery, SearchFilters, TicketDocument

ENDPOINT = "https://abc123xyz.us-east-1.aoss.amazonaws.com"


def url(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(ENDPOINT) + "(:443)?" + re.escape(path) + "$")


def ndjson(body: Any) -> list[dict[str, Any]]:
    text = body.decode() if isinstance(body, bytes) else str(body or "")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def doc(ticket_id: str, version: int = 2) -> TicketDocument:
    return TicketDocument(tenant_id="acme", ticket_id=ticket_id, number=7, version=version, status="open",
                          priority="high", channel="email", group="billing", assignee_id=None, requester_id="c1",
                          requester_key="email:dana@example.com", tags=("vip",), sla_state="warning",
                          created_at=1_700_000_000_000, updated_at=1_700_000_100_000,
                          public=("Invoice wrong", "my zeppelin invoice"), internal=("known fraudster",))


def sent_json(call: int) -> dict[str, Any]:
    body = responses.calls[call].request.body
    assert isinstance(body, bytes | str)
    loaded: dict[str, Any] = json.loads(body)
    return loaded


def hits(*items: dict[str, Any]) -> dict[str, Any]:
    return {"took": 2, "timed_out": False, "hits": {"total": {"value": len(items), "relation": "eq"},
                                                   "max_score": None, "hits": list(items)}}


@pytest.fixture
def index() -> OpenSearchTicketIndex:
    opened = OpenSearchTicketIndex.connect(ENDPOINT, index="tickets", service="aoss", region="us-east-1")
    opened._ready = True
    return opened


@responses.activate
def test_a_customer_search_is_signed_tenant_and_requester_filtered_and_public_only(
        index: OpenSearchTicketIndex) -> None:
    responses.post(url("/tickets/_search"), json=hits(
        {"_index": "tickets", "_id": "d1", "_score": 3.5, "_source": {"ticket_id": "t1"},
         "sort": [3.5, 1_700_000_100_000, "t1"],
         "highlight": {"public": ["my <mark>zeppelin</mark> invoice"]}},
        {"_index": "tickets", "_id": "d2", "_score": 1.5, "_source": {"ticket_id": "t2"},
         "sort": [1.5, 1_700_000_000_000, "t2"]}))
    query = IndexQuery(tenant_id="acme", text="zeppelin", requesters=("c1", "email:dana@example.com"), limit=1,
                       filters=SearchFilters(statuses=("open", "on_hold"), tag="VIP"),
                       after=(9.0, 1_700_000_200_000, "t0"))

    page = index.search(query)

    assert [h.ticket_id for h in page.hits] == ["t1"]
    assert page.more
    assert page.hits[0].sort == (3.5, 1_700_000_100_000, "t1")
    assert page.hits[0].snippets[0].text == "my <mark>zeppelin</mark> invoice"
    sent = responses.calls[0].request
    assert str(sent.headers["Authorization"]).startswith("AWS4-HMAC-SHA256 Credential=")
    body = sent_json(0)
    assert body["size"] == 2
    assert body["query"]["bool"]["must"] == [{"multi_match": {"query": "zeppelin", "fields": ["public"]}}]
    filters = body["query"]["bool"]["filter"]
    assert filters[0] == {"term": {"tenant_id": "acme"}}
    assert {"terms": {"status": ["open", "on_hold"]}} in filters  # a customer's "open"
    assert {"term": {"tags": "vip"}} in filters
    assert {"bool": {"should": [{"terms": {"requester_id": ["c1", "email:dana@example.com"]}},
                                {"terms": {"requester_key": ["c1", "email:dana@example.com"]}}],
                     "minimum_should_match": 1}} in filters
    assert body["sort"] == [{"_score": "desc"}, {"updated_at": "desc"}, {"ticket_id": "asc"}]
    assert body["search_after"] == [9.0, 1_700_000_200_000, "t0"]
    assert set(body["highlight"]["fields"]) == {"public"}
    assert body["highlight"]["encoder"] == "html"


@responses.activate
def test_staff_search_internal_text_and_agents_with_groups_see_their_groups(index: OpenSearchTicketIndex) -> None:
    responses.post(url("/tickets/_search"), json=hits(
        {"_index": "tickets", "_id": "d1", "_score": 2.0, "_source": {"ticket_id": "t1"}, "sort": [2.0, 5, "t1"],
         "highlight": {"internal": ["known <mark>fraudster</mark>"]}}))
    query = IndexQuery(tenant_id="acme", text="fraudster", internal=True, groups=("billing",), visible_to="a2",
                       filters=SearchFilters(organization_id="org-globex", field_terms=("plan=pro", "vip=true"),
                                             form="billing", unassigned=True, follower="a7",
                                             status="on_hold", link_type="child"))

    page = index.search(query)

    assert page.hits[0].snippets[0].internal is True
    body = sent_json(0)
    assert body["query"]["bool"]["must"][0]["multi_match"]["fields"] == ["public", "internal"]
    assert {"bool": {"should": [{"terms": {"group": ["billing"]}}, {"term": {"assignee_id": "a2"}}],
                     "minimum_should_match": 1}} in body["query"]["bool"]["filter"]
    assert {"term": {"organization_id": "org-globex"}} in body["query"]["bool"]["filter"]
    assert {"term": {"form": "billing"}} in body["query"]["bool"]["filter"]
    assert {"term": {"status": "on_hold"}} in body["query"]["bool"]["filter"]
    assert {"term": {"followers": "a7"}} in body["query"]["bool"]["filter"]
    assert {"term": {"link_types": "child"}} in body["query"]["bool"]["filter"]
    assert {"bool": {"must_not": [{"exists": {"field": "assignee_id"}}]}} in body["query"]["bool"]["filter"]
    for term in ("plan=pro", "vip=true"):  # every custom field value asked for
        assert {"term": {"field_terms": term}} in body["query"]["bool"]["filter"]


@responses.activate
def test_without_words_it_sorts_newest_first_and_a_missing_index_is_no_hits(index: OpenSearchTicketIndex) -> None:
    responses.post(url("/tickets/_search"), status=404, json={"error": {"type": "index_not_found_exception"},
                                                              "status": 404})
    page = index.search(IndexQuery(tenant_id="acme", text="", order="newest"))
    assert page.hits == []
    assert not page.more
    body = sent_json(0)
    assert body["sort"] == [{"created_at": "desc"}, {"ticket_id": "asc"}]
    assert "highlight" not in body
    assert "must" not in body["query"]["bool"]


@responses.activate
def test_upsert_indexes_the_new_version_then_deletes_the_old_and_skips_older_versions(
        index: OpenSearchTicketIndex) -> None:
    responses.post(url("/tickets/_search"), json=hits(
        {"_index": "tickets", "_id": "old-t1", "_score": 0, "_source": {"ticket_id": "t1", "version": 1}},
        {"_index": "tickets", "_id": "new-t2", "_score": 0, "_source": {"ticket_id": "t2", "version": 9}}))
    responses.post(url("/tickets/_bulk"), json={"took": 1, "errors": False, "items": [
        {"index": {"_index": "tickets", "_id": "x1", "status": 201}}]})
    responses.post(url("/tickets/_bulk"), json={"took": 1, "errors": False, "items": [
        {"delete": {"_index": "tickets", "_id": "old-t1", "status": 200}}]})

    index.upsert_many([doc("t1", version=2), doc("t2", version=3)])

    lookup = sent_json(0)
    assert {"terms": {"ticket_id": ["t1", "t2"]}} in lookup["query"]["bool"]["filter"]
    written = ndjson(responses.calls[1].request.body)
    assert written[0] == {"index": {"_index": "tickets"}}
    assert written[1]["ticket_id"] == "t1"
    assert written[1]["internal"] == ["known fraudster"]
    assert len(written) == 2  # t2 is indexed at a newer version already
    assert ndjson(responses.calls[2].request.body) == [{"delete": {"_index": "tickets", "_id": "old-t1"}}]


def test_the_mapping_is_strict_and_every_document_field_is_mapped() -> None:
    mapping = index_body()["mappings"]
    assert mapping["dynamic"] == "strict"
    assert set(doc("t1").to_json()) == set(mapping["properties"])
    assert mapping["properties"]["public"]["analyzer"] == "english"


def test_the_reviewed_mapping_file_is_the_one_the_adapter_creates() -> None:
    from pathlib import Path

    stored = Path(__file__).resolve().parents[3] / "infra" / "opensearch" / "tickets.json"
    assert json.loads(stored.read_text()) == index_body()


@responses.activate
def test_an_index_of_an_older_release_gets_the_new_fields_before_the_first_write() -> None:
    """Its mapping is strict: without the PUT _mapping every document with a newer field would be refused."""
    responses.head(url("/tickets"), status=200)
    responses.put(url("/tickets/_mapping"), json={"acknowledged": True})
    index = OpenSearchTicketIndex.connect(ENDPOINT, index="tickets", service="aoss", region="us-east-1")
    index.ensure_index()
    index.ensure_index()  # once per container
    assert len(responses.calls) == 2
    assert sent_json(1) == {"properties": index_body()["mappings"]["properties"]}
    assert sent_json(1)["properties"]["organization_id"] == {"type": "keyword"}
    assert sent_json(1)["properties"]["form"] == {"type": "keyword"}


def customer_bucket(key: str, tickets: int, unsolved: int, latest: str, at: int) -> dict[str, Any]:
    return {"key": {"key": key}, "doc_count": tickets, "unsolved": {"doc_count": unsolved},
            "latest": {"hits": {"total": {"value": tickets, "relation": "eq"}, "max_score": None, "hits": [
                {"_index": "tickets", "_id": f"d-{latest}", "_score": None,
                 "_source": {"ticket_id": latest}, "sort": [at, latest]}]}}}


@responses.activate
def test_customers_are_a_composite_aggregation_over_the_callers_tickets(index: OpenSearchTicketIndex) -> None:
    buckets = [customer_bucket("email:bob@example.com", 3, 1, "t9", 1_700_000_300_000),
               customer_bucket("email:jana@example.com", 1, 0, "t4", 1_700_000_100_000)]
    responses.post(url("/tickets/_search"), json={**hits(), "aggregations": {"customers": {
        "after_key": {"key": "email:jana@example.com"}, "buckets": buckets}}})
    tickets = IndexQuery(tenant_id="acme", text="", internal=True, groups=("billing",), visible_to="a2")

    page = index.customers(CustomerQuery(tickets=tickets, words="jana mü", limit=1, after="email:anna@example.com"))

    assert page.more
    assert [(b.requester_key, b.tickets, b.unsolved, b.latest_ticket_id) for b in page.buckets] == \
        [("email:bob@example.com", 3, 1, "t9")]
    body = sent_json(0)
    assert body["size"] == 0
    assert body["query"]["bool"]["must"] == [
        {"match_bool_prefix": {"requester_words": {"query": "jana mü", "operator": "and"}}}]
    filters = body["query"]["bool"]["filter"]
    assert filters[0] == {"term": {"tenant_id": "acme"}}
    assert {"bool": {"should": [{"terms": {"group": ["billing"]}}, {"term": {"assignee_id": "a2"}}],
                     "minimum_should_match": 1}} in filters
    composite = body["aggs"]["customers"]["composite"]
    assert composite == {"size": 2, "sources": [{"key": {"terms": {"field": "requester_key"}}}],
                         "after": {"key": "email:anna@example.com"}}
    inner = body["aggs"]["customers"]["aggs"]
    assert inner["latest"]["top_hits"]["sort"] == [{"updated_at": "desc"}, {"ticket_id": "asc"}]
    assert inner["unsolved"] == {"filter": {"terms": {"status": ["new", "open", "pending", "on_hold"]}}}


@responses.activate
def test_customers_without_words_match_every_ticket_and_a_missing_index_lists_none(
        index: OpenSearchTicketIndex) -> None:
    responses.post(url("/tickets/_search"), json={**hits(), "aggregations": {"customers": {"buckets": []}}})
    page = index.customers(CustomerQuery(tickets=IndexQuery(tenant_id="acme", text="", internal=True)))
    assert (page.buckets, page.more) == ([], False)
    assert "must" not in sent_json(0)["query"]["bool"]
    assert "after" not in sent_json(0)["aggs"]["customers"]["composite"]

    responses.replace(responses.POST, url("/tickets/_search"), status=404, json={
        "error": {"type": "index_not_found_exception", "reason": "no such index [tickets]"}, "status": 404})
    assert index.customers(CustomerQuery(tickets=IndexQuery(tenant_id="acme", text=""))).buckets == []

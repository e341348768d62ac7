"""The knowledge API end to end through its real lambda_handler: DynamoDB on moto, embedded index."""

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import claims, http_event, rebuild

Invoke = Callable[..., dict[str, Any]]
AGENT = claims("agent-1", "acme", "agent")
CUSTOMER = claims("cust-1", "acme", "customer")
OTHER_TENANT_AGENT = claims("agent-9", "globex", "agent")
TEMPLATE = "knowledge_api/create_article.json"

PASSWORD = {
    "title": "Reset your password",
    "body": "# Reset your password\n\nOpen Settings > Security and choose Reset password. We email you a link "
            "that works for one hour.\n\n## The email never arrived\n\nCheck your spam folder, then resend it.",
    "tags": ["account"],
}
REFUNDS = {
    "title": "Refunds",
    "body": "Annual plans are refunded in full within 30 days of purchase. Monthly plans are not refunded.",
}
OVERRIDE = {
    "title": "Refund overrides (agents only)",
    "body": "Agents may approve a refund of up to 200 EUR outside the 30-day window without a manager.",
    "visibility": "internal",
}


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any] | None, body: Any = None,
         query: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> dict[str, Any]:
    encoded = {k: quote(v, safe="") for k, v in (query or {}).items()}
    response: dict[str, Any] = invoke("knowledge_api", http_event(method, path, body=body, claims_=who, query=encoded,
                                              headers=headers, template=TEMPLATE))
    return response


def create(invoke: Invoke, article: dict[str, Any], status: str = "published") -> dict[str, Any]:
    response = call(invoke, "POST", "/kb/articles", AGENT, {**article, "status": status})
    assert response["statusCode"] == 201, response["json"]
    created: dict[str, Any] = response["json"]
    return created


def search(invoke: Invoke, q: str, who: dict[str, Any] = CUSTOMER, k: int = 5) -> list[str]:
    response = call(invoke, "GET", "/kb/search", who, query={"q": q, "k": str(k)})
    assert response["statusCode"] == 200, response["json"]
    return [hit["title"] for hit in response["json"]["hits"]]


def test_published_article_is_found_and_disappears_when_archived(kb: Path, invoke: Invoke) -> None:
    article = create(invoke, PASSWORD)
    create(invoke, REFUNDS)
    assert article["status"] == "published"
    assert article["published_version"] == 1

    assert search(invoke, "I forgot my password")[0] == "Reset your password"
    archived = call(invoke, "POST", f"/kb/articles/{article['id']}/archive", AGENT)
    assert archived["json"]["status"] == "archived"
    assert "Reset your password" not in search(invoke, "I forgot my password")
    # and a customer can no longer read it
    assert call(invoke, "GET", f"/kb/articles/{article['id']}", CUSTOMER)["statusCode"] == 404


def test_search_results_link_where_customers_read_the_article(kb: Path, invoke: Invoke,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """What an agent pastes into a reply: the public page, the portal's page after sign-in where the help centre
    is not public, no link at all for an article only agents read."""
    monkeypatch.setenv("HELPDESK_REPORTS_PORTAL_URL", "https://help.acme.example/portal/")
    rebuild()
    public, internal = create(invoke, REFUNDS), create(invoke, OVERRIDE)
    hits = call(invoke, "GET", "/kb/search", AGENT, query={"q": "refund outside the 30 days"})["json"]["hits"]
    links = {hit["article_id"]: hit["link"] for hit in hits}
    assert links == {public["id"]: f"https://help.acme.example/portal/#/help/acme/{public['id']}",
                     internal["id"]: None}

    monkeypatch.setenv("HELPDESK_KB_PUBLIC_TENANTS", "globex")
    rebuild()
    hits = call(invoke, "GET", "/kb/search", CUSTOMER, query={"q": "refund annual plan"})["json"]["hits"]
    assert [hit["link"] for hit in hits] == [f"https://help.acme.example/portal/#/kb/{public['id']}"]


def test_drafts_are_not_searchable_until_published(kb: Path, invoke: Invoke) -> None:
    draft = create(invoke, PASSWORD, status="draft")
    assert search(invoke, "reset password", AGENT) == []
    assert call(invoke, "GET", f"/kb/articles/{draft['id']}", CUSTOMER)["statusCode"] == 404
    published = call(invoke, "POST", f"/kb/articles/{draft['id']}/publish", AGENT,
                     headers={"if-match": '"1"'})
    assert published["statusCode"] == 200
    assert published["json"]["version"] == 2
    assert search(invoke, "reset password", CUSTOMER) == ["Reset your password"]


def test_customers_see_public_only_agents_see_internal(kb: Path, invoke: Invoke) -> None:
    create(invoke, REFUNDS)
    internal = create(invoke, OVERRIDE)
    assert "Refund overrides (agents only)" in search(invoke, "refund outside the 30 day window", AGENT)
    assert search(invoke, "refund outside the 30 day window", CUSTOMER) == ["Refunds"]
    assert call(invoke, "GET", f"/kb/articles/{internal['id']}", CUSTOMER)["statusCode"] == 404
    listed = call(invoke, "GET", "/kb/articles", CUSTOMER)["json"]["items"]
    assert [a["title"] for a in listed] == ["Refunds"]
    assert listed[0]["created_by"] is None


def test_anyone_reads_a_published_public_article_of_a_public_help_center(
        kb: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page a chat citation or a reply's footnote opens, without signing in: the article's content only, and
    nothing else (drafts, internal articles, another tenant's id, a tenant whose help centre is not public)."""
    from tests.conftest import rebuild

    published = create(invoke, PASSWORD)
    draft = create(invoke, REFUNDS, status="draft")
    internal = create(invoke, OVERRIDE)
    read = call(invoke, "GET", f"/kb/public/acme/articles/{published['id']}", None)
    assert read["statusCode"] == 200, read["json"]
    assert read["json"] == {"id": published["id"], "title": "Reset your password", "body": PASSWORD["body"],
                            "language": "en", "section": "", "updated_at": published["updated_at"], "translations": []}
    assert read["headers"]["cache-control"] == "public, max-age=300"
    for path in (f"/kb/public/acme/articles/{draft['id']}", f"/kb/public/acme/articles/{internal['id']}",
                 f"/kb/public/globex/articles/{published['id']}", "/kb/public/acme/articles/kb_missing"):
        missing = call(invoke, "GET", path, None)
        assert missing["statusCode"] == 404, path
        assert missing["json"]["error"]["code"] == "not_found"
    assert call(invoke, "GET", "/kb/public/ac%20me/articles/x", None)["statusCode"] in (404, 422)

    monkeypatch.setenv("HELPDESK_KB_PUBLIC_TENANTS", "globex")
    rebuild()
    assert call(invoke, "GET", f"/kb/public/acme/articles/{published['id']}", None)["statusCode"] == 404
    assert call(invoke, "GET", f"/kb/articles/{published['id']}", CUSTOMER)["statusCode"] == 200  # signed in


def test_anyone_searches_a_public_help_center(kb: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    """The help centre's own search without signing in: what a signed-in customer finds, never a draft or an
    internal article, never another tenant's; a tenant whose help centre is not public has none."""
    from tests.conftest import rebuild

    create(invoke, PASSWORD)
    create(invoke, REFUNDS, status="draft")
    create(invoke, OVERRIDE)

    def public(tenant: str, q: str) -> dict[str, Any]:
        return call(invoke, "GET", f"/kb/public/{tenant}/search", None, query={"q": q})

    found = public("acme", "forgot my password")
    assert found["statusCode"] == 200, found["json"]
    assert [h["title"] for h in found["json"]["hits"]] == search(invoke, "forgot my password", CUSTOMER)
    assert "Reset your password" in [h["title"] for h in found["json"]["hits"]]
    assert found["headers"]["cache-control"] == "public, max-age=60"
    for q in ("refund outside the 30 day window", "override a refund"):
        assert {h["title"] for h in public("acme", q)["json"]["hits"]} <= {"Reset your password"}
    assert public("globex", "forgot my password")["json"]["hits"] == []  # a public tenant without articles
    assert call(invoke, "GET", "/kb/public/acme/search", None, query={"q": ""})["statusCode"] == 400

    # browsing it: the published public articles only, page by page
    listed = call(invoke, "GET", "/kb/public/acme/articles", None)
    assert listed["statusCode"] == 200, listed["json"]
    assert [a["title"] for a in listed["json"]["items"]] == ["Reset your password"]
    assert set(listed["json"]["items"][0]) == {"id", "title", "language", "section", "updated_at"}
    assert listed["headers"]["cache-control"] == "public, max-age=60"
    seen: list[str] = []
    page = call(invoke, "GET", "/kb/public/acme/articles", None, query={"limit": "1"})["json"]
    while True:
        seen += [a["title"] for a in page["items"]]
        if not page["next_cursor"]:
            break
        page = call(invoke, "GET", "/kb/public/acme/articles", None,
                    query={"limit": "1", "cursor": page["next_cursor"]})["json"]
    assert seen == ["Reset your password"]
    assert call(invoke, "GET", "/kb/public/globex/articles", None)["json"]["items"] == []

    monkeypatch.setenv("HELPDESK_KB_PUBLIC_TENANTS", "globex")
    rebuild()
    private = public("acme", "forgot my password")
    assert (private["statusCode"], private["json"]["error"]["code"]) == (404, "not_found")
    assert call(invoke, "GET", "/kb/public/acme/articles", None)["statusCode"] == 404


def test_readers_answer_was_this_article_helpful(kb: Path, invoke: Invoke) -> None:
    """Counted per article, from the public page (no sign-in) and signed in; authors read the counts; nothing is
    counted for a draft, an internal article a customer cannot read, another tenant, or a bad body."""
    published = create(invoke, PASSWORD)
    draft = create(invoke, REFUNDS, status="draft")
    internal = create(invoke, OVERRIDE)

    def vote(path: str, who: dict[str, Any] | None, helpful: Any) -> int:
        return int(call(invoke, "POST", path, who, {"helpful": helpful})["statusCode"])

    public = f"/kb/public/acme/articles/{published['id']}/feedback"
    assert [vote(public, None, True), vote(public, None, True), vote(public, None, False)] == [204, 204, 204]
    assert vote(f"/kb/articles/{published['id']}/feedback", CUSTOMER, False) == 204
    assert vote(f"/kb/articles/{internal['id']}/feedback", CUSTOMER, True) == 404
    assert vote(f"/kb/articles/{draft['id']}/feedback", AGENT, True) == 404
    assert vote(f"/kb/public/acme/articles/{draft['id']}/feedback", None, True) == 404
    assert vote(f"/kb/public/globex/articles/{published['id']}/feedback", None, True) == 404
    assert vote(public, None, "very") == 422
    counts = call(invoke, "GET", f"/kb/articles/{published['id']}/feedback", AGENT)
    assert (counts["statusCode"], counts["json"]) == (200, {"helpful": 2, "not_helpful": 2})
    assert call(invoke, "GET", f"/kb/articles/{published['id']}/feedback", CUSTOMER)["statusCode"] == 403
    assert call(invoke, "GET", f"/kb/articles/{draft['id']}/feedback", AGENT)["json"] == {"helpful": 0,
                                                                                       "not_helpful": 0}
    # the counters live beside the articles: listings are unchanged
    listed = sorted(str(a["title"]) for a in call(invoke, "GET", "/kb/articles", AGENT)["json"]["items"])
    assert listed == sorted(str(article["title"]) for article in (PASSWORD, REFUNDS, OVERRIDE))


def test_tenants_never_see_each_other(kb: Path, invoke: Invoke) -> None:
    article = create(invoke, PASSWORD)
    assert search(invoke, "reset password", OTHER_TENANT_AGENT) == []
    assert call(invoke, "GET", f"/kb/articles/{article['id']}", OTHER_TENANT_AGENT)["statusCode"] == 404
    assert call(invoke, "GET", "/kb/articles", OTHER_TENANT_AGENT)["json"]["items"] == []


def test_update_replaces_the_chunks_and_keeps_versions(kb: Path, invoke: Invoke) -> None:
    article = create(invoke, REFUNDS)
    changed = call(invoke, "PATCH", f"/kb/articles/{article['id']}", AGENT,
                   {"title": "Cancel a subscription", "body": "Cancel any time under Billing > Plan > Cancel."},
                   headers={"if-match": '"1"'})
    assert changed["statusCode"] == 200, changed["json"]
    assert changed["json"]["published_version"] == 2
    hits = call(invoke, "GET", "/kb/search", CUSTOMER, query={"q": "cancel my subscription"})["json"]["hits"]
    assert [h["title"] for h in hits] == ["Cancel a subscription"]
    assert "30 days" not in hits[0]["text"]  # the old chunks are gone
    stale = call(invoke, "PATCH", f"/kb/articles/{article['id']}", AGENT, {"title": "x"},
                 headers={"if-match": '"1"'})
    assert stale["statusCode"] == 409
    versions = call(invoke, "GET", f"/kb/articles/{article['id']}/versions", AGENT)["json"]
    assert [(v["version"], v["title"]) for v in versions] == [(1, "Refunds"), (2, "Cancel a subscription")]


def test_search_hit_carries_the_section(kb: Path, invoke: Invoke) -> None:
    create(invoke, PASSWORD)
    hits = call(invoke, "GET", "/kb/search", CUSTOMER, query={"q": "the reset email never arrived"})["json"]["hits"]
    assert hits[0]["heading"] == "The email never arrived"
    assert hits[0]["anchor"] == "the-email-never-arrived"


def test_customers_cannot_write(kb: Path, invoke: Invoke) -> None:
    response = call(invoke, "POST", "/kb/articles", CUSTOMER, PASSWORD)
    assert response["statusCode"] == 403
    assert response["json"]["error"]["code"] == "forbidden"


def test_bad_input_gets_a_clear_4xx(kb: Path, invoke: Invoke) -> None:
    def status(body: Any) -> tuple[int, str]:
        response = call(invoke, "POST", "/kb/articles", AGENT, body)
        return response["statusCode"], response["json"]["error"]["code"]

    assert status({"title": "Empty", "body": "   "}) == (422, "validation_error")
    assert status({"title": "", "body": "text"}) == (422, "validation_error")
    assert status({"title": "Huge", "body": "x" * 100_001}) == (413, "payload_too_large")
    assert status({"title": "Lang", "body": "text", "language": "english!"}) == (422, "validation_error")
    assert status({"title": "Extra", "body": "text", "author": "me"}) == (422, "validation_error")
    assert status("{not json") == (400, "malformed_json")
    assert status({"title": "\u0000\u0007", "body": "text"}) == (400, "invalid_input")
    assert status({"title": "Body of controls", "body": "\u0001\u0002"}) == (422, "validation_error")  # blank
    assert status({"title": "\u200b\u200b", "body": "text"}) == (400, "invalid_input")  # zero-width spaces only
    assert call(invoke, "GET", "/kb/articles/..%2f..", AGENT)["statusCode"] in (404, 422)
    assert call(invoke, "GET", "/kb/articles", AGENT)["json"]["items"] == []  # nothing half-written


def test_odd_queries_answer_sanely(kb: Path, invoke: Invoke) -> None:
    create(invoke, PASSWORD)
    assert call(invoke, "GET", "/kb/search", CUSTOMER, query={"q": "p" * 10_001})["statusCode"] == 400
    assert call(invoke, "GET", "/kb/search", CUSTOMER, query={"q": "password " * 1100})["statusCode"] == 200
    assert search(invoke, "\x00\x07\x1b   ") == []
    assert search(invoke, "") == []
    assert search(invoke, "\u200b\u2060\ufeff") == []  # invisible only: it found the closest article to nothing
    # another language: MiniLM is English-only, so any answer is fine as long as it is a sane one
    assert call(invoke, "GET", "/kb/search", CUSTOMER, query={"q": "Wie setze ich mein Passwort zurück?"})[
        "statusCode"] == 200


def test_markdown_oddities_are_stored_and_indexed(kb: Path, invoke: Invoke) -> None:
    body = ("<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\n# not a heading\n```\n\n"
            "#### Deep heading\n\n[[wiki link]] ~~strike~~ \x01control\x02 emoji 🎉 and the word zanzibar")
    article = create(invoke, {"title": "Odd markdown", "body": body})
    stored = call(invoke, "GET", f"/kb/articles/{article['id']}", AGENT)["json"]
    assert "\x01" not in stored["body"]
    assert stored["body"].startswith("<script>")  # stored as written: rendering is the client's job
    assert search(invoke, "zanzibar") == ["Odd markdown"]


def test_an_indexing_failure_changes_nothing(kb: Path, invoke: Invoke) -> None:
    article = create(invoke, REFUNDS)
    # Break the index for real: its folder becomes a file, so the next write cannot happen.
    for path in kb.rglob("*.npz"):
        path.unlink()
    for folder in sorted((p for p in kb.rglob("*") if p.is_dir()), reverse=True):
        folder.rmdir()
        folder.write_text("not a folder")
    response = call(invoke, "PATCH", f"/kb/articles/{article['id']}", AGENT,
                    {"body": "Refunds are no longer offered."})
    assert response["statusCode"] == 503
    assert response["json"]["error"]["code"] == "index_unavailable"
    assert response["headers"]["retry-after"] == "5"
    stored = call(invoke, "GET", f"/kb/articles/{article['id']}", AGENT)["json"]
    assert (stored["version"], stored["body"]) == (1, REFUNDS["body"])
    hits = call(invoke, "GET", "/kb/search", CUSTOMER, query={"q": "refund annual plan"})["json"]["hits"]
    assert "30 days" in hits[0]["text"]  # the previous published chunks still answer


def test_every_sample_event_is_served(kb: Path, invoke: Invoke) -> None:
    """events/knowledge_api/*.json drive the real handler: a 500 there means a broken sample or route."""
    import json

    from tests.conftest import EVENTS

    statuses = {}
    for path in sorted((EVENTS / "knowledge_api").glob("*.json")):
        statuses[path.stem] = invoke("knowledge_api", json.loads(path.read_text()))["statusCode"]
    assert statuses["create_article"] == 201
    assert statuses["search"] == 200
    assert statuses["search_public"] == 200  # the sample tenant's help centre is public by default
    assert statuses["list_public_articles"] == 200
    assert statuses["list_articles"] == 200
    # the samples name an article id that does not exist in a fresh table
    assert {statuses[name] for name in ("get_article", "update_article", "publish_article", "archive_article",
                                        "list_versions", "read_public_article", "give_public_feedback")} == {404}


def test_admins_order_the_help_centres_sections(kb: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    """`PUT /kb/sections` (admins, If-Match): the order and a line for each section, read by anyone signed in and by
    the public help centre; a name twice, a 51st section or a stale version are refused, nothing changed."""
    admin = claims("admin-1", "acme", "admin")
    empty = call(invoke, "GET", "/kb/sections", CUSTOMER)
    assert (empty["statusCode"], empty["json"], empty["headers"]["etag"]) == (
        200, {"sections": [], "version": 0}, '"0"')
    order = {"sections": [{"name": "Getting started", "description": "Your first day"},
                          {"name": " Account and\n sign-in "}]}
    assert call(invoke, "PUT", "/kb/sections", AGENT, order)["statusCode"] == 403
    saved = call(invoke, "PUT", "/kb/sections", admin, order, headers={"if-match": '"0"'})
    assert saved["statusCode"] == 200, saved["json"]
    assert [(x["name"], x["description"]) for x in saved["json"]["sections"]] == [
        ("Getting started", "Your first day"), ("Account and sign-in", "")]
    assert saved["json"]["version"] == 1
    stale = call(invoke, "PUT", "/kb/sections", admin, {"sections": []}, headers={"if-match": '"0"'})
    assert stale["statusCode"] == 409
    for bad in ({"sections": [{"name": "A"}, {"name": "a"}]}, {"sections": [{"name": "x"}] * 51},
                {"sections": [{"name": ""}]}, {"sections": [{"name": "A", "order": 1}]}):
        assert call(invoke, "PUT", "/kb/sections", admin, bad)["statusCode"] == 422, bad
    invisible = call(invoke, "PUT", "/kb/sections", admin, {"sections": [{"name": "\u200b\u2060"}]})
    assert (invisible["statusCode"], invisible["json"]["error"]["details"]) == (400, {"field": "sections[0].name"})
    assert call(invoke, "GET", "/kb/sections", CUSTOMER)["json"]["version"] == 1
    public = call(invoke, "GET", "/kb/public/acme/sections", None)
    assert [x["name"] for x in public["json"]["sections"]] == ["Getting started", "Account and sign-in"]
    monkeypatch.setenv("HELPDESK_KB_PUBLIC_TENANTS", "globex")
    rebuild()
    assert call(invoke, "GET", "/kb/public/acme/sections", None)["statusCode"] == 404  # not a public centre now


def test_articles_are_listed_under_their_section(kb: Path, invoke: Invoke) -> None:
    """An author files an article under a section ("Account and sign-in"): the help centre's lists (signed in and
    public) carry it, a pasted line break is one space, "" takes it out again; the versions keep it."""
    filed = create(invoke, {**PASSWORD, "section": " Account and\n sign-in "})
    assert filed["section"] == "Account and sign-in"
    public = call(invoke, "GET", "/kb/public/acme/articles", None)["json"]["items"]
    assert [(a["title"], a["section"]) for a in public] == [("Reset your password", "Account and sign-in")]
    listed = call(invoke, "GET", "/kb/articles", CUSTOMER, query={"status": "published"})["json"]["items"]
    assert [a["section"] for a in listed] == ["Account and sign-in"]

    moved = call(invoke, "PATCH", f"/kb/articles/{filed['id']}", AGENT, {"section": ""})
    assert (moved["statusCode"], moved["json"]["section"], moved["json"]["version"]) == (200, "", filed["version"] + 1)
    versions = call(invoke, "GET", f"/kb/articles/{filed['id']}/versions", AGENT)["json"]
    assert sorted(v["section"] for v in versions) == ["", "Account and sign-in"]
    too_long = call(invoke, "POST", "/kb/articles", AGENT, {**REFUNDS, "section": "x" * 101})
    assert too_long["statusCode"] == 422

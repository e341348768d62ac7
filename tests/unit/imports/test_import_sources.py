"""The Zendesk and Zammad adapters' HTTP behaviour (httpx's MockTransport: neither can run here) and the rule that
keeps imported history away from the stream consumers that do not ask for it."""

from typing import Any

import httpx
import pytest

from helpdesk.imports.adapters.zendesk import ZendeskSource
from helpdesk.imports.model import SourceTicket
from helpdesk.imports.ports import SourceUnavailable
from helpdesk.platform.stream_batches import process_dynamodb_batch
from helpdesk.tickets.model import Channel, Priority, Status


def source(answers: list[httpx.Response], sleeps: list[float]) -> tuple[ZendeskSource, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers.pop(0)

    return ZendeskSource("https://acme.zendesk.com", "admin@acme.example", "t0k", transport=httpx.MockTransport(handle),
                         sleep=sleeps.append), seen


def test_rate_limits_are_waited_out_as_retry_after_asks_and_pages_are_followed() -> None:
    sleeps: list[float] = []
    page_one = {"tickets": [{"id": 7, "subject": "Hi", "status": "hold", "priority": "urgent",
                             "via": {"channel": "chat"}, "requester_id": 3, "created_at": "2025-01-01T00:00:00Z",
                             "updated_at": "2025-01-02T00:00:00Z"}],
                "end_of_stream": False, "after_url": "https://acme.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=x"}
    page_two = {"tickets": [{"id": 8, "subject": "Gone", "status": "deleted", "requester_id": 3,
                             "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}],
                "end_of_stream": True}
    zendesk, seen = source([httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json=page_one),
                            httpx.Response(503), httpx.Response(200, json=page_two)], sleeps)
    tickets = [t for t in zendesk.tickets(None) if isinstance(t, SourceTicket)]
    assert [(t.id, t.status, t.priority, t.channel) for t in tickets] == [
        ("7", Status.ON_HOLD, Priority.URGENT, Channel.CHAT), ("8", None, Priority.NORMAL, Channel.API)]
    assert tickets[0].url == "https://acme.zendesk.com/agent/tickets/7"
    assert sleeps == [7.0, 2.0]  # Retry-After, else 2^attempt (each request its own count)
    assert seen[0].url.params["start_time"] == "0"
    assert seen[-1].url.params["cursor"] == "x"
    assert seen[0].headers["Authorization"].startswith("Basic ")  # admin@acme.example/token:t0k


def test_refused_credentials_and_lasting_failures_stop_the_import() -> None:
    zendesk, _ = source([httpx.Response(401, json={"error": "Couldn't authenticate you"})], [])
    with pytest.raises(SourceUnavailable, match="refused the credentials"):
        list(zendesk.groups())
    sleeps: list[float] = []
    zendesk, seen = source([httpx.Response(500) for _ in range(6)], sleeps)
    with pytest.raises(SourceUnavailable, match="answered 500"):
        list(zendesk.organizations())
    assert len(seen) == 6
    assert len(sleeps) == 5


def _record(event_name: str, imported: bool | None) -> dict[str, Any]:
    image: dict[str, Any] = {"ticket_key": {"S": "acme#t1"}, "seq": {"N": "1000"}}
    if imported is not None:
        image["imported"] = {"BOOL": imported}
    return {"eventID": f"{event_name}-{imported}", "eventName": event_name,
            "dynamodb": {"NewImage": image, "SequenceNumber": "1"}}


@pytest.mark.parametrize(("imported_too", "handled"), [
    (False, ["INSERT-None", "MODIFY-True", "INSERT-False"]),
    (True, ["INSERT-None", "INSERT-True", "MODIFY-True", "INSERT-False"])])
def test_only_the_insert_of_imported_history_is_left_out_and_only_for_consumers_that_do_not_ask(
        imported_too: bool, handled: list[str]) -> None:
    records = [_record("INSERT", None), _record("INSERT", True), _record("MODIFY", True), _record("INSERT", False)]
    got: list[str] = []

    def handle(record: Any) -> None:  # Powertools passes it by this name
        got.append(record.event_id)

    result = process_dynamodb_batch({"Records": records}, None, handle, imported_too=imported_too)
    assert got == handled
    assert result == {"batchItemFailures": []}


def test_files_are_fetched_with_the_token_only_from_the_account_and_no_larger_than_allowed() -> None:
    from helpdesk.imports.model import SourceFile
    from helpdesk.imports.ports import FileUnavailable

    zendesk, seen = source([httpx.Response(200, content=b"%PDF-1.4"), httpx.Response(200, content=b"%PDF-1.4"),
                            httpx.Response(200, content=b"x" * 11)], [])
    own = SourceFile(name="a.pdf", content_type="application/pdf", size=8,
                     url="https://acme.zendesk.com/attachments/token/abc/?name=a.pdf")
    elsewhere = own.model_copy(update={"url": "https://files.example/a.pdf"})
    assert zendesk.download(own, 100) == b"%PDF-1.4"
    assert zendesk.download(elsewhere, 100) == b"%PDF-1.4"
    assert "Authorization" in seen[0].headers
    assert "Authorization" not in seen[1].headers  # the token never leaves the account's host
    with pytest.raises(FileUnavailable, match="larger than 10 bytes"):
        zendesk.download(own, 10)


def test_zammad_pages_until_a_short_page_and_takes_a_state_of_its_own_as_open() -> None:
    from helpdesk.imports.adapters.zammad import ZammadSource

    seen: list[httpx.Request] = []
    ticket = {"id": 5, "title": "Custom", "state": "waiting for parts", "priority": "4 very high", "owner_id": 1,
              "customer_id": 9, "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z",
              "due": "2025-02-01"}
    attributes = [{"object": "Ticket", "name": "title", "data_type": "input", "editable": False},
                  {"object": "Ticket", "name": "due", "display": "Due", "data_type": "date", "editable": True},
                  {"object": "Organization", "name": "tier", "data_type": "input", "editable": True}]
    answers = [[{"id": 1, "roles": ["Agent"], "email": "a@x.example", "firstname": "A"}, {"id": 2, "roles": []}],
               [{"id": 3, "roles": ["Customer"], "login": "c@x.example"}], [ticket], {"tags": []}, attributes,
               {"links": [], "assets": {}},
               [{"time_unit": "1.5", "created_by_id": 1, "created_at": "2025-01-01T00:00:00Z"},
                {"time_unit": "?", "created_by_id": 1, "created_at": "2025-01-01T00:00:00Z"}]]

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answers.pop(0))

    zammad = ZammadSource("https://support.x.example", "tok", transport=httpx.MockTransport(handle), per_page=2)
    people = list(zammad.people())
    assert [(p.id, p.staff, p.name) for p in people] == [("1", True, "A"), ("2", False, ""),
                                                         ("3", False, "c@x.example")]
    assert [r.url.params["page"] for r in seen] == ["1", "2"]  # the second page was short: the last
    assert seen[0].headers["Authorization"] == "Token token=tok"
    [imported] = list(zammad.tickets(None))
    assert isinstance(imported, SourceTicket)
    assert (imported.status, imported.priority, imported.assignee_id) == (Status.OPEN, Priority.NORMAL, None)
    assert imported.fields == {"due": "2025-02-01"}  # a custom attribute's value is the ticket's key by its name
    assert [(e.author_id, e.minutes) for e in imported.time_entries] == [("1", 2)]  # units as minutes; "?" is none
    assert [(f.id, f.kind) for f in zammad.ticket_fields()] == [("due", "date")]  # read once
    assert not answers


def test_freescout_follows_total_pages_and_a_system_without_custom_fields_has_none() -> None:
    from helpdesk.imports.adapters.freescout import FreeScoutSource

    seen: list[httpx.Request] = []
    mailbox = {"id": 1, "name": "Support"}
    conversation = {"id": 7, "number": 70, "status": "active", "state": "published", "type": "email",
                    "subject": "Hi", "mailboxId": 1, "customer": {"id": 3}, "createdAt": "2025-01-01T00:00:00Z",
                    "updatedAt": "2025-01-02T00:00:00Z"}  # listed without its threads
    thread = {"id": 1, "type": "customer", "state": "published", "body": "<p>Hello</p>", "customer": {"id": 3},
              "createdBy": {"id": 3, "type": "customer"}, "createdAt": "2025-01-01T00:00:00Z"}
    answers: list[httpx.Response] = [
        httpx.Response(200, json={"_embedded": {"mailboxes": [mailbox]}, "page": {"totalPages": 2}}),
        httpx.Response(200, json={"_embedded": {"mailboxes": [{"id": 2, "name": "Sales"}]}, "page": {"totalPages": 2}}),
        httpx.Response(404, json={"message": "Not found"}), httpx.Response(404, json={"message": "Not found"}),
        httpx.Response(200, json={"_embedded": {"conversations": [conversation]}, "page": {"totalPages": 1}}),
        httpx.Response(200, json={"_embedded": {"conversations": []}, "page": {"totalPages": 0}}),
        httpx.Response(200, json={"_embedded": {"conversations": []}, "page": {"totalPages": 0}}),
        httpx.Response(200, json={**conversation, "_embedded": {"threads": [thread]}})]

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers.pop(0)

    freescout = FreeScoutSource("https://help.x.example", "k3y", transport=httpx.MockTransport(handle), page_size=1)
    assert list(freescout.ticket_fields()) == []  # the Custom Fields module is not installed there: 404s
    assert [r.url.path for r in seen[:4]] == ["/api/mailboxes", "/api/mailboxes", "/api/mailboxes/1/custom_fields",
                                              "/api/mailboxes/2/custom_fields"]
    assert seen[0].headers["X-FreeScout-API-Key"] == "k3y"
    [ticket] = list(freescout.tickets(None))
    assert isinstance(ticket, SourceTicket)
    assert (ticket.id, ticket.status, ticket.requester_id, ticket.number, ticket.group_id) == (
        "7", Status.OPEN, "customer:3", "70", "1")
    [comment] = list(freescout.comments("7"))  # its threads were not listed with it: asked for
    assert (comment.author_id, comment.body, comment.public) == ("customer:3", "Hello", True)
    assert seen[-1].url.path == "/api/conversations/7"
    assert seen[-1].url.params["embed"] == "threads"
    assert not answers


@pytest.mark.parametrize("answer", [httpx.Response(200, json=[]), httpx.Response(404, json={"error": "Not Found"})])
def test_a_zammad_without_a_knowledge_base_has_no_articles(answer: httpx.Response) -> None:
    """Zammad answers `[]` to a token that may not read the knowledge base, and an older Zammad has no such route."""
    from helpdesk.imports.adapters.zammad import ZammadSource

    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer

    zammad = ZammadSource("https://support.x.example", "tok", transport=httpx.MockTransport(handle))
    assert list(zammad.articles()) == []
    assert [(r.method, r.url.path) for r in seen] == [("POST", "/api/v1/knowledge_bases/init")]


def test_a_conversation_freescout_sent_without_its_dates_is_named_and_the_next_comes() -> None:
    from helpdesk.imports.adapters.freescout import FreeScoutSource
    from helpdesk.imports.model import UnreadableTicket

    odd = {"id": 8, "status": "active", "subject": "Odd", "mailboxId": 1, "customer": {"id": 3}}  # no createdAt
    fine = {**odd, "id": 9, "subject": "Fine", "createdAt": "2025-01-01T00:00:00Z"}

    def handle(request: httpx.Request) -> httpx.Response:  # the active ones are these two; none pending or closed
        listed = [odd, fine] if request.url.params["status"] == "active" else []
        return httpx.Response(200, json={"_embedded": {"conversations": listed}, "page": {"totalPages": 1}})

    freescout = FreeScoutSource("https://help.x.example", "k3y", transport=httpx.MockTransport(handle))
    found = list(freescout.tickets(None))
    assert found[0] == UnreadableTicket(id="8", reason="not readable: 'createdAt' missing")
    assert isinstance(found[1], SourceTicket)
    assert found[1].subject == "Fine"


def test_zammad_and_freescout_records_that_cannot_be_read_are_named_and_the_others_come() -> None:
    from helpdesk.imports.adapters.freescout import FreeScoutSource
    from helpdesk.imports.adapters.zammad import ZammadSource

    zammad_lists: dict[str, list[Any]] = {
        "/api/v1/organizations": [{"name": "No id"}, {"id": 2, "name": "Umbrella"}],
        "/api/v1/users": [{"id": 5, "firstname": "Ann", "email": ["not", "text"]}, {"id": 6, "firstname": "Bo"}],
        "/api/v1/calendars": [{"id": 3, "name": "Odd", "timezone": "Europe/Berlin", "business_hours": "none"}],
    }

    def zammad_api(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        return httpx.Response(200, json=zammad_lists.get(request.url.path, []) if page == 1 else [])

    zammad = ZammadSource("https://support.x.example", "tok", transport=httpx.MockTransport(zammad_api))
    assert [o.name for o in zammad.organizations()] == ["Umbrella"]
    assert [p.name for p in zammad.people()] == ["Bo"]
    assert list(zammad.calendars()) == []
    assert zammad.unreadable() == ["organization ?: not readable: 'id' missing",
                                   "user 5: not readable: email: Input should be a valid string",
                                   "calendar 3: not readable: 'str' object has no attribute 'items'"]

    def freescout_api(request: httpx.Request) -> httpx.Response:
        listed = {"/api/users": ("users", [{"firstName": "No id"}, {"id": 1, "firstName": "Ada"}]),
                  "/api/customers": ("customers", [{"id": 3, "firstName": "Dana", "email": "dana@x.example"}])}
        key, items = listed.get(request.url.path, ("x", []))
        return httpx.Response(200, json={"_embedded": {key: items}, "page": {"totalPages": 1}})

    freescout = FreeScoutSource("https://help.x.example", "k3y", transport=httpx.MockTransport(freescout_api))
    assert [p.name for p in freescout.people()] == ["Ada", "Dana"]
    assert freescout.unreadable() == ["user ?: not readable: 'id' missing"]


def test_a_zendesk_article_that_cannot_be_read_is_named_and_the_next_comes_with_its_translation() -> None:
    pages: dict[str, dict[str, Any]] = {
        "/api/v2/help_center/sections.json": {"sections": [{"id": 1, "name": "Billing"}, {"name": "no id"}]},
        "/api/v2/help_center/articles.json": {"articles": [
            {"title": "No id", "body": "<p>x</p>"},
            {"id": 7, "title": "Refunds", "body": "<p>Within 5 days.</p>", "section_id": 1, "source_locale": "en-us"}]},
        "/api/v2/help_center/articles/7/translations.json": {"translations": [
            {"locale": "en-us", "title": "Refunds"}, {"locale": "de", "title": "Erstattungen", "body": "<p>5</p>"}]}}

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={**pages.get(request.url.path, {}), "meta": {"has_more": False}})

    zendesk = ZendeskSource("https://acme.zendesk.com", "admin@acme.example", "t0k",
                            transport=httpx.MockTransport(handle))
    assert [(a.id, a.title, a.section, a.locale) for a in zendesk.articles()] == [
        ("7", "Refunds", "Billing", "en-us"), ("7-de", "Erstattungen", "Billing", "de")]
    assert zendesk.unreadable() == ["article ?: not readable: 'id' missing"]


def test_an_import_jobs_source_reaches_no_private_address_a_page_a_file_or_a_redirect_names() -> None:
    """The worker checks every request its source makes as it checked the address the admin gave: a helpdesk's
    answers (a next page's link, a file's address, a redirect) cannot point it at its own network."""
    from helpdesk.imports.adapters.opening import open_source
    from helpdesk.imports.jobs import ImportJob, ImportOptions
    from helpdesk.imports.model import SourceFile
    from helpdesk.imports.ports import FileUnavailable

    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/api/v2/groups.json":  # the next page is on the instance metadata address
            return httpx.Response(200, json={"groups": [{"id": 1, "name": "Billing"}], "meta": {"has_more": True},
                                             "links": {"next": "http://169.254.169.254/latest/meta-data/"}})
        if request.url.path == "/attachments/moved":  # a file that redirects to loopback (Lambda's runtime API)
            return httpx.Response(302, headers={"Location": "https://127.0.0.1:9001/2018-06-01/runtime/invocation/next"})
        return httpx.Response(200, content=b"%PDF-1.4")

    job = ImportJob(id="j1", tenant_id="acme", source="zendesk", url="https://8.8.8.8", email="a@acme.example",
                    options=ImportOptions(), created_at="2026-12-05T00:00:00Z", created_by="ada")
    zendesk = open_source(job, "t0k", allow_loopback=False)
    assert isinstance(zendesk, ZendeskSource)
    zendesk._api._http._transport = httpx.MockTransport(handle)  # the checks run before the transport is asked
    with pytest.raises(SourceUnavailable, match=r"address the import may not reach.*169\.254\.169\.254"):
        list(zendesk.groups())
    moved = SourceFile(name="a.pdf", content_type="application/pdf", size=8, url="https://8.8.8.8/attachments/moved")
    with pytest.raises(FileUnavailable, match=r"private or reserved address \(127\.0\.0\.1\)"):
        zendesk.download(moved, 100)
    private = moved.model_copy(update={"url": "https://10.0.0.5/a.pdf"})
    with pytest.raises(FileUnavailable, match="private or reserved"):
        zendesk.download(private, 100)
    assert zendesk.download(moved.model_copy(update={"url": "https://1.1.1.1/a.pdf"}), 100) == b"%PDF-1.4"
    assert not [u for u in seen if "169.254" in u or "127.0.0.1" in u or "10.0.0.5" in u]  # never sent

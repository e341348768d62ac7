"""Reports and CSAT through the real lambda_handlers on moto: the overview and AI reports (JSON, CSV, errors),
the rating mail sent by email_send when a ticket is resolved, the rating through its link, and what the ticket
and the report then show."""

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from helpdesk import bootstrap
from helpdesk.kernel.principal import Principal, Role
from helpdesk.tickets.model import Requester, Status
from helpdesk.tickets.service import CreateTicket, UpdateTicket
from tests.conftest import claims, ensure_event_loop, http_event, load_function, rebuild
from tests.fakes import seed_directory
from tests.integration.mail.conftest import MailWorld

ADMIN = claims("ada", "acme", "admin")
AGENT = claims("alex", "acme", "agent")
BILLING = claims("bo", "acme", "agent", groups=["billing"])
CUSTOMER = claims("cy", "acme", "customer", email="cy@example.com")
SECRET = "integration-csat-secret-0123456789abcdef0123"
Invoke = Callable[..., dict[str, Any]]
STAFF = Principal(user_id="alex", tenant_id="acme", role=Role.AGENT, name="Alex")


Call = Callable[..., dict[str, Any]]


@pytest.fixture
def api(lambda_context: Any) -> Call:
    """Call reports_api's real lambda_handler; `json` is the parsed body when it is JSON (CSV stays text)."""

    def call(method: str, path: str, who: dict[str, Any] | None, body: Any = None,
             query: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> dict[str, Any]:
        event = http_event(method, path, body=body, claims_=who, query=query, headers=headers,
                           template="reports_api/overview_report.json")
        ensure_event_loop()  # Mangum asks for the thread's loop; an earlier test on this worker may have left none
        response: dict[str, Any] = load_function("reports_api").lambda_handler(event, lambda_context)
        text = response.get("body") or ""
        is_json = response.get("headers", {}).get("content-type", "").startswith("application/json")
        response["json"] = json.loads(text) if text and is_json else None
        return response

    return call


def range_query(**more: str) -> dict[str, str]:
    now = datetime.now(UTC)
    return {"from": (now - timedelta(days=1)).isoformat().replace("+00:00", "Z"),
            "to": (now + timedelta(hours=1)).isoformat().replace("+00:00", "Z"), **more}


@pytest.fixture
def csat(mail: MailWorld, monkeypatch: pytest.MonkeyPatch) -> MailWorld:
    monkeypatch.setenv("HELPDESK_REPORTS_CSAT_SECRET", SECRET)
    monkeypatch.setenv("HELPDESK_REPORTS_PORTAL_URL", "https://portal.acme.example")
    rebuild()
    return mail


def seed(group: str = "billing", channel: str = "email", subject: str = "Invoice is wrong",
         description: str = "Charged twice") -> str:
    c = bootstrap.container()
    if c.directory_store.get_group("acme", group) is None:  # tickets take the directory's groups only
        seed_directory(c.directory_store, "acme", groups={group: []})
    admin = Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN)
    ticket = c.ticket_service.create(admin, CreateTicket.model_validate({
        "subject": subject, "description": description, "group": group, "channel": channel,
        "requester": Requester(id="cy", email="cy@example.com").model_dump()}))
    c.ticket_service.add_message(STAFF, ticket.id, "Refunded the second charge.", public=True)
    return ticket.id


def test_the_overview_answers_json_and_csv_and_refuses_bad_input(aws: None, api: Call) -> None:
    first, second = seed(), seed(group="tech", channel="web")
    rebuild().ticket_service.update(Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN), first,
                                    UpdateTicket(status=Status.RESOLVED))

    report = api("GET", "/reports/overview", AGENT, query=range_query(period="week"))
    assert report["statusCode"] == 200, report
    totals = report["json"]["totals"]
    assert (totals["tickets"], totals["backlog"], totals["resolved"], totals["first_response"]["count"]) == (2, 1, 1, 2)
    assert totals["by_channel"]["email"] == 1
    assert [r["key"] for r in report["json"]["by_group"]] == ["billing", "tech"]
    limited = api("GET", "/reports/overview", BILLING, query=range_query())
    assert limited["json"]["totals"]["tickets"] == 1  # an agent with groups sees their groups only
    assert second

    as_csv = api("GET", "/reports/overview", ADMIN, query=range_query(format="csv"))
    assert as_csv["headers"]["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv["body"])))
    assert [(r["breakdown"], r["key"], r["tickets"]) for r in rows[:3]] == [
        ("total", "", "2"), ("group", "billing", "1"), ("group", "tech", "1")]
    by_accept = api("GET", "/reports/overview", ADMIN, query=range_query(),
                     headers={"accept": "text/csv"})
    assert by_accept["body"].splitlines()[0] == as_csv["body"].splitlines()[0]

    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    errors = {
        "reversed": api("GET", "/reports/overview", ADMIN, query={"from": now, "to": now}),
        "unknown": api("GET", "/reports/overview", ADMIN, query={"grup": "x"}),
        "period": api("GET", "/reports/overview", ADMIN, query={"period": "year"}),
        "naive": api("GET", "/reports/overview", ADMIN, query={"from": "2026-11-01T00:00:00"}),
        # the range's default start, 30 days before, was before year 1 (a 500, found by the contract fuzz)
        "year one": api("GET", "/reports/overview", ADMIN, query={"to": "0001-01-01T00:00:00Z"}),
        # past 9999 in UTC (the timesheet's days were a 500)
        "year 10000": api("GET", "/reports/time", ADMIN, query={"to": "9999-12-31T23:59:59-12:00"}),
        "offset": api("GET", "/reports/ai", ADMIN, query={"from": "0001-01-01T00:00:00+14:00"}),
    }
    assert {k: (r["statusCode"], r["json"]["error"]["code"]) for k, r in errors.items()} == {
        "reversed": (400, "invalid_input"), "unknown": (400, "unknown_query_parameter"),
        "period": (400, "invalid_query_parameter"), "naive": (400, "invalid_query_parameter"),
        "year one": (400, "invalid_query_parameter"), "year 10000": (400, "invalid_query_parameter"),
        "offset": (400, "invalid_query_parameter")}
    assert "from 1970 up to the year 9000" in errors["year one"]["body"]
    assert api("GET", "/reports/overview", CUSTOMER)["statusCode"] == 403
    assert api("GET", "/reports/overview", None)["statusCode"] == 401


def test_the_overview_breaks_tickets_down_by_a_custom_fields_value(aws: None, api: Call) -> None:
    """"How many tickets per plan": `by_field=plan` adds a row per value (40 and 40.0 one, none as `(none)`), in
    JSON and in the CSV; without it the report has no such part."""
    admin = Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN)
    tickets = rebuild().ticket_service
    for values in ({"plan": "pro"}, {"plan": "pro", "seats": 40}, {"plan": "enterprise", "seats": 40.0}, {}):
        ticket_id = seed()
        if values:
            tickets.update(admin, ticket_id, UpdateTicket(custom_fields=values))

    plain = api("GET", "/reports/overview", AGENT, query=range_query())
    assert (plain["json"]["by_field"], plain["json"]["field"]) == (None, None)
    by_plan = api("GET", "/reports/overview", AGENT, query=range_query(by_field="plan"))
    assert by_plan["json"]["field"] == "plan"
    assert [(r["key"], r["tickets"]) for r in by_plan["json"]["by_field"]] == [
        ("(none)", 1), ("enterprise", 1), ("pro", 2)]
    by_seats = api("GET", "/reports/overview", AGENT, query=range_query(by_field="seats"))
    assert [(r["key"], r["tickets"]) for r in by_seats["json"]["by_field"]] == [("(none)", 2), ("40", 2)]
    as_csv = api("GET", "/reports/overview", AGENT, query=range_query(by_field="plan", format="csv"))
    rows = [(r["breakdown"], r["key"], r["tickets"]) for r in csv.DictReader(io.StringIO(as_csv["body"]))]
    assert ("field:plan", "pro", "2") in rows
    assert api("GET", "/reports/overview", AGENT, query=range_query(by_field="two words"))["statusCode"] == 400


def test_the_overview_breaks_tickets_down_by_request_form_and_filters_by_one(aws: None, api: Call) -> None:
    """"How many billing questions came through the portal": a row per form (tickets opened without one under
    `(none)`), `form=` keeps one form's tickets, and the CSV has the rows too."""
    from helpdesk.tickets.fields import TicketField, TicketFields, TicketForm

    c = rebuild()
    admin = Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN)
    seed_directory(c.directory_store, "acme", groups={"billing": [], "support": []})
    c.ticket_fields.replace(admin, TicketFields(
        fields=[TicketField(key="order_number", label="Order number", type="text", customer_editable=True)],
        forms=[TicketForm(key="billing", name="Billing question", fields=["order_number"], group="billing"),
               TicketForm(key="bug", name="Something is not working", group="support")]))
    customer = Principal(user_id="cy", tenant_id="acme", role=Role.CUSTOMER, email="cy@example.com",
                         email_verified=True)
    for form in ("billing", "billing", "bug"):
        c.ticket_service.create(customer, CreateTicket(subject="Invoice", description="Charged twice", form=form))
    seed()  # opened by mail: no form

    report = api("GET", "/reports/overview", AGENT, query=range_query())["json"]
    assert [(r["key"], r["tickets"]) for r in report["by_form"]] == [("(none)", 1), ("billing", 2), ("bug", 1)]
    billing = api("GET", "/reports/overview", AGENT, query=range_query(form="billing"))["json"]
    assert (billing["filters"]["form"], billing["totals"]["tickets"]) == ("billing", 2)
    assert [r["key"] for r in billing["by_group"]] == ["billing"]
    as_csv = api("GET", "/reports/overview", AGENT, query=range_query(format="csv"))
    rows = [(r["breakdown"], r["key"], r["tickets"]) for r in csv.DictReader(io.StringIO(as_csv["body"]))]
    assert ("form", "bug", "1") in rows
    assert api("GET", "/reports/overview", AGENT, query=range_query(form="x" * 41))["statusCode"] == 400


def test_the_overview_breaks_tickets_down_by_tag_and_filters_by_one(aws: None, api: Call) -> None:
    """"How many tickets about the outage, and how fast were they solved": a ticket counts in the row of each of its
    tags (not triage's `category:` tags, which have their own breakdown), untagged ones under `(none)`."""
    c = rebuild()
    admin = Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN)
    for tags in (["outage", "vip"], ["outage"], ["category:billing"]):
        c.ticket_service.create(admin, CreateTicket(subject="Down", description="Nothing loads", tags=tags,
                                                    requester=Requester(id="cy", email="cy@example.com")))
    report = api("GET", "/reports/overview", AGENT, query=range_query())["json"]
    assert [(r["key"], r["tickets"]) for r in report["by_tag"]] == [("(none)", 1), ("outage", 2), ("vip", 1)]
    assert report["totals"]["tickets"] == 3
    outage = api("GET", "/reports/overview", AGENT, query=range_query(tag="outage"))["json"]
    assert (outage["filters"]["tag"], outage["totals"]["tickets"]) == ("outage", 2)
    as_csv = api("GET", "/reports/overview", AGENT, query=range_query(format="csv"))
    rows = [(r["breakdown"], r["key"], r["tickets"]) for r in csv.DictReader(io.StringIO(as_csv["body"]))]
    assert ("tag", "vip", "1") in rows
    assert api("GET", "/reports/overview", AGENT, query=range_query(tag=""))["statusCode"] == 400


def test_the_ai_report_counts_chat_sessions_against_hand_overs(aws: None, api: Call,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_CHAT_TOKEN_SECRET", "integration-chat-secret-0123456789abcdef")
    c = rebuild()
    for _ in range(3):
        c.chat_service.start_anonymous("acme")
    c.chat_service.start_anonymous("globex")
    seed(channel="chat")

    report = api("GET", "/reports/ai", AGENT, query=range_query())
    assert report["statusCode"] == 200, report
    assert report["json"]["chat"] == {"sessions": 3, "handed_over": 1, "answered_without_ticket": 2,
                                      "share_answered": 0.6667, "rated_helpful": 0, "rated_not_helpful": 0,
                                      "share_helpful": None}  # ratings: tests/integration/chat/test_answer_feedback
    as_csv = api("GET", "/reports/ai", AGENT, query=range_query(format="csv"))
    assert as_csv["body"].splitlines()[0] == "from,to,section,name,measure,value"


def test_the_ai_report_names_the_pages_chats_were_handed_over_from(aws: None, api: Call) -> None:
    """"Where does the help centre not answer": chat tickets by the last page their visitor wrote from, most first;
    other channels and chats without pages are not counted."""
    from helpdesk.tickets.model import AiContext, Channel, VisitedPage

    c = rebuild()
    system = Principal(user_id="ai", tenant_id="acme", role=Role.ADMIN)
    pricing = VisitedPage(url="https://www.acme.example/pricing", title="Pricing")
    checkout = VisitedPage(url="https://www.acme.example/checkout", title="Checkout")
    for pages, channel in (([pricing, checkout], Channel.CHAT), ([checkout], Channel.CHAT),
                           ([pricing.model_copy(update={"title": "Plans and pricing"})], Channel.CHAT),
                           ([pricing], Channel.CHAT), ([], Channel.CHAT), ([checkout], Channel.EMAIL)):
        c.ticket_service.create(system, CreateTicket(
            subject="Chat", description="I want to talk to a person", channel=channel, ai=AiContext(pages=pages),
            requester=Requester(id="cy", email="cy@example.com")))
    report = api("GET", "/reports/ai", AGENT, query=range_query())["json"]
    assert [(p["url"], p["handed_over"]) for p in report["handover_pages"]] == [
        ("https://www.acme.example/checkout", 2), ("https://www.acme.example/pricing", 2)]
    assert report["handover_pages"][1]["title"] in ("Pricing", "Plans and pricing")  # the latest ticket's
    as_csv = api("GET", "/reports/ai", AGENT, query=range_query(format="csv"))
    rows = [(r["section"], r["name"], r["value"]) for r in csv.DictReader(io.StringIO(as_csv["body"]))]
    assert ("handover_page", "https://www.acme.example/checkout", "2") in rows


def test_the_ai_report_counts_the_thank_yous_that_kept_a_ticket_solved(aws: None, api: Call) -> None:
    """How often the thank-you rule spared the team a reopened ticket; thanks with more in it is not counted."""
    c = rebuild()
    customer = Principal(user_id="cy", tenant_id="acme", role=Role.CUSTOMER, email="cy@example.com",
                         email_verified=True)
    for reply in ("Thanks, that fixed it!", "Thanks, but the export is still empty."):
        ticket = c.ticket_service.create(customer, CreateTicket(subject="Export empty", description="No rows"))
        c.ticket_service.add_message(STAFF, ticket.id, "Fixed on our side.", public=True, status=Status.RESOLVED)
        c.ticket_service.add_message(customer, ticket.id, reply, public=True)
    report = api("GET", "/reports/ai", AGENT, query=range_query())["json"]
    assert report["thanks_kept_solved"] == 1
    as_csv = api("GET", "/reports/ai", AGENT, query=range_query(format="csv"))
    rows = [(r["section"], r["measure"], r["value"]) for r in csv.DictReader(io.StringIO(as_csv["body"]))]
    assert ("thanks", "kept_solved", "1") in rows


def test_a_resolved_ticket_mails_a_rating_link_that_rates_it_once_and_shows_everywhere(
        csat: MailWorld, invoke: Invoke, api: Call) -> None:
    ticket_id = seed()
    csat.stream()  # the agent's reply goes out
    before = len(csat.sent())
    bootstrap.container().ticket_service.update(Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN),
                                                ticket_id, UpdateTicket(status=Status.RESOLVED))
    csat.stream()
    csat.stream(redeliver=True)  # a retried batch sends nothing twice
    mails = csat.sent()[before:]
    assert len(mails) == 1
    body = mails[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert mails[0]["To"] == "cy@example.com"
    links = re.findall(r"https://portal\.acme\.example/#/csat/([^?\s]+)\?rating=(good|bad)", body)
    assert [rating for _, rating in links] == ["good", "bad"]
    token = links[0][0]

    page = api("GET", f"/csat/{token}", None)
    assert (page["statusCode"], page["json"]["subject"], page["json"]["rating"]) == (200, "Invoice is wrong", None)
    assert api("POST", f"/csat/{token}", None, {"rating": "bad"})["statusCode"] == 200
    rated = api("POST", f"/csat/{token}", None, {"rating": "good", "comment": "Thanks!"})
    assert (rated["statusCode"], rated["json"]["rating"], rated["json"]["comment"]) == (200, "good", "Thanks!")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert api("POST", f"/csat/{forged}", None, {"rating": "good"})["statusCode"] == 401
    assert api("POST", f"/csat/{token}", None, {"rating": "great"})["statusCode"] in (400, 422)

    stranger = claims("zed", "acme", "customer", email="zed@example.com")
    assert api("POST", f"/tickets/{ticket_id}/csat", stranger, {"rating": "bad"})["statusCode"] == 404
    portal = api("POST", f"/tickets/{ticket_id}/csat", CUSTOMER, {"rating": "good", "comment": "Thanks!"})
    assert (portal["statusCode"], portal["json"]["rating"], portal["json"]["expires_at"]) == (200, "good", None)
    shown = invoke("ticket_commands", http_event("GET", f"/tickets/{ticket_id}", claims_=AGENT))
    assert shown["json"]["csat"]["rating"] == "good"
    report = api("GET", "/reports/overview", AGENT, query=range_query())
    assert report["json"]["totals"]["csat"] == {"good": 1, "bad": 0, "count": 1, "score": 1.0}


def test_the_rating_mail_is_written_in_the_language_the_customer_wrote_in(csat: MailWorld) -> None:
    """It was English for every customer."""
    ticket_id = seed(subject="Rechnung ist falsch", description="Uns wurde die Rechnung zweimal abgebucht, bitte "
                     "erstatten Sie den doppelten Betrag.")
    csat.stream()
    before = len(csat.sent())
    bootstrap.container().ticket_service.update(Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN),
                                                ticket_id, UpdateTicket(status=Status.RESOLVED))
    csat.stream()
    [rating] = csat.sent()[before:]
    body = rating.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert body.startswith("Ihre Anfrage T-000001 (Rechnung ist falsch) ist gelöst."), body
    assert re.search(r"Gut: https://portal\.acme\.example/#/csat/\S+\?rating=good&lang=de\s", body), body


def test_a_customer_who_marks_the_ticket_solved_is_not_mailed_for_the_rating(csat: MailWorld, invoke: Invoke) -> None:
    """The portal's "My problem is solved" asks for the rating on the spot; a rating mail on top asks twice. When
    the ticket is resolved by the team, the mail goes as before (test above)."""
    ticket_id = seed()
    csat.stream()
    before = len(csat.sent())
    solved = invoke("ticket_commands", http_event("PATCH", f"/tickets/{ticket_id}", body={"status": "resolved"},
                                                  claims_=CUSTOMER))
    assert (solved["statusCode"], solved["json"]["status"]) == (200, "resolved")
    csat.stream()
    assert csat.sent()[before:] == []
    *_, event = [e for e in bootstrap.container().ticket_service.events(
        Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN), ticket_id) if e.type.value == "status_changed"]
    assert event.data == {"from": "open", "to": "resolved", "by_customer": True}


def test_a_ticket_its_own_requester_solves_asks_nobody_for_a_rating(csat: MailWorld) -> None:
    """An agent's ticket for themselves (a problem ticket opened for an outage, answered to its incidents): solving it
    mails no "How did we do?" to the agent who solved it."""
    agent = Principal(user_id="alex", tenant_id="acme", role=Role.AGENT, email="alex@acme.example",
                      email_verified=True)
    service = bootstrap.container().ticket_service
    own = service.create(agent, CreateTicket(subject="Sync outage", description="Sync is down since 08:40."))
    assert (own.requester.id, own.requester.email) == ("alex", "alex@acme.example")
    service.add_message(agent, own.id, "Fixed: an expired certificate.", public=True, status=Status.RESOLVED)
    csat.stream()
    assert [m["Subject"] for m in csat.sent() if "csat" in m.get_body(("plain",)).get_content()] == []  # type: ignore[union-attr]

    theirs = seed()  # another's ticket, solved by the agent: asked as before
    service.update(agent, theirs, UpdateTicket(status="resolved"))
    csat.stream()
    assert len([m for m in csat.sent() if "csat" in m.get_body(("plain",)).get_content()]) == 1  # type: ignore[union-attr]


def test_the_sla_report_downloads_as_csv_too(aws: None, lambda_context: Any) -> None:
    seed()
    event = http_event("GET", "/reports/sla", claims_=AGENT, headers={"accept": "text/csv"},
                       template="sla_api/sla_report.json")
    response = load_function("sla_api").lambda_handler(event, lambda_context)
    assert response["headers"]["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response["body"])))
    assert [r["target"] for r in rows] == ["first_response", "next_response", "resolution"]
    assert (rows[0]["tickets"], rows[0]["met"]) == ("1", "1")


def test_a_bad_rating_sets_off_the_teams_trigger_in_the_ratings_own_write(aws: None, api: Call,
                                                                          invoke: Invoke) -> None:
    """"Rated bad: reopen it, tag it and mail the group" (Zendesk's "satisfaction is bad"): the customer's rating in
    the portal (the real reports_api handler) reopens the ticket in the rating's own write; a good rating does not."""
    from helpdesk.triggers.model import TriggerList

    ticket_id, pleased_id = seed(), seed(subject="Address change")
    admin = Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN)
    c = bootstrap.container()
    c.triggers.replace(admin, TriggerList.model_validate({"triggers": [{
        "id": "unhappy", "name": "Rated bad: look again", "on": ["customer_rated"], "conditions": {"ratings": ["bad"]},
        "actions": {"status": "open", "add_tags": ["unhappy"], "notify": ["group"]}}]}))
    for solved in (ticket_id, pleased_id):
        c.ticket_service.update(admin, solved, UpdateTicket(status=Status.RESOLVED))
    bad = api("POST", f"/tickets/{ticket_id}/csat", CUSTOMER, {"rating": "bad", "comment": "Still charged twice."})
    assert bad["statusCode"] == 200, bad["json"]
    after = invoke("ticket_commands", http_event("GET", f"/tickets/{ticket_id}", claims_=AGENT))["json"]
    assert (after["status"], after["tags"], after["csat"]["rating"]) == ("open", ["unhappy"], "bad")
    log = invoke("ticket_commands", http_event("GET", f"/tickets/{ticket_id}/events", claims_=AGENT))["json"]
    assert [(e["type"], e["data"]["trigger"]["id"]) for e in log if e["actor"] == "trigger"] == [
        ("tags_changed", "unhappy"), ("status_changed", "unhappy"), ("triggered", "unhappy")]
    good = api("POST", f"/tickets/{pleased_id}/csat", CUSTOMER, {"rating": "good"})
    assert good["statusCode"] == 200
    pleased = invoke("ticket_commands", http_event("GET", f"/tickets/{pleased_id}", claims_=AGENT))["json"]
    assert (pleased["status"], pleased["tags"]) == ("resolved", [])

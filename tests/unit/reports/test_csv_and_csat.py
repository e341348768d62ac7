"""CSV rendering of the reports, CSAT rating links (forged, altered, expired), and the metrics the hook emits."""

import csv
import io
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from helpdesk.bootstrap import build
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import Forbidden, Gone, InvalidTransition, NotFound, Unauthorized
from helpdesk.kernel.principal import Principal, Role
from helpdesk.reports.csat import CsatLinks, CsatService
from helpdesk.reports.csv_export import overview_csv, to_csv
from helpdesk.reports.metrics import ReportMetricsHook
from helpdesk.reports.model import CsatInput
from helpdesk.tickets.history import EventType
from helpdesk.tickets.model import Status
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket
from helpdesk.tickets.time_spent import log_time
from tests.fakes import (
    InMemoryDirectoryStore,
    InMemoryTicketFieldStore,
    InMemoryTicketRepository,
    seed_directory,
    settings_stores,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ADMIN = Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN)
SECRET = "csat-test-secret-0123456789abcdef0123456789"


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_header_row_flattened_columns_and_no_formulas() -> None:
    text = to_csv([{"key": "=HYPERLINK(\"http://evil\")", "time": {"median": 1.5, "p90": None}},
                   {"key": "b", "extra": 3}])
    lines = text.splitlines()
    assert lines[0] == "key,time_median,time_p90,extra"
    assert parse(text) == [{"key": "'=HYPERLINK(\"http://evil\")", "time_median": "1.5", "time_p90": "", "extra": ""},
                           {"key": "b", "time_median": "", "time_p90": "", "extra": "3"}]


@pytest.fixture
def world() -> tuple[TicketService, CsatService, FixedClock, InMemoryTicketRepository]:
    repo, clock = InMemoryTicketRepository(), FixedClock(T0)
    c = build(ticket_repository=repo, **settings_stores(), clock=clock,
              ticket_field_store=InMemoryTicketFieldStore(),
              directory_store=seed_directory(InMemoryDirectoryStore(), ADMIN.tenant_id, groups={"billing": []}))
    links = CsatLinks(lambda: SECRET, "https://portal.example/", 30, clock=clock)
    return c.ticket_service, CsatService(c.ticket_service, links, clock=clock), clock, repo


def test_the_overview_csv_has_the_totals_and_a_line_per_breakdown_row(
        world: tuple[TicketService, CsatService, FixedClock, InMemoryTicketRepository]) -> None:
    tickets, _, clock, repo = world
    tickets.create(ADMIN, CreateTicket(subject="A", description="a", group="billing"))
    c = build(ticket_repository=repo, **settings_stores(), clock=clock,
              ticket_field_store=InMemoryTicketFieldStore(),
              directory_store=InMemoryDirectoryStore())
    rows = parse(overview_csv(c.reports.overview(ADMIN, T0 - timedelta(days=1), T0 + timedelta(days=1))))
    assert [(r["breakdown"], r["key"], r["tickets"]) for r in rows] == [
        ("total", "", "1"), ("group", "billing", "1"), ("agent", "(none)", "1"), ("category", "(none)", "1"),
        ("organization", "(none)", "1"), ("form", "(none)", "1"), ("tag", "(none)", "1"), ("day", "2026-11-02", "1")]
    assert {"first_response_median_minutes", "csat_score", "by_channel_email", "reopen_rate"} <= set(rows[0])


def test_a_rating_link_rates_the_ticket_and_a_second_rating_replaces_the_first(
        world: tuple[TicketService, CsatService, FixedClock, InMemoryTicketRepository]) -> None:
    tickets, csat, clock, repo = world
    ticket = tickets.create(ADMIN, CreateTicket(subject="Printer jams", description="help",
                                                requester={"id": "cy", "email": "cy@example.com"}))
    tickets.update(ADMIN, ticket.id, UpdateTicket(status=Status.RESOLVED))
    link = csat.links.link("acme", ticket.id)
    assert link.startswith("https://portal.example/#/csat/ey")
    token = link.rsplit("/", 1)[1]

    shown = csat.show(token)
    assert (shown.ticket, shown.subject, shown.rating) == (ticket.key, "Printer jams", None)
    csat.rate(token, CsatInput(rating="bad", comment="  slow  "))
    clock.advance(timedelta(minutes=5))
    again = csat.rate(token, CsatInput(rating="good"))

    assert (again.rating, again.comment) == ("good", None)
    stored = repo.stored("acme", ticket.id)
    assert stored.csat is not None
    assert stored.csat.rating == "good"
    rated = [e for e in repo.events("acme", ticket.id) if e.type == EventType.CSAT_RATED]
    assert [(e.data["rating"], e.data["previous"], e.actor) for e in rated] == [("bad", None, "cy"),
                                                                                ("good", "bad", "cy")]
    assert rated[0].data["comment"] == "slow"
    assert not rated[0].is_internal  # the customer sees their own rating in the history


def test_forged_altered_and_expired_links_are_refused(
        world: tuple[TicketService, CsatService, FixedClock, InMemoryTicketRepository]) -> None:
    tickets, csat, clock, _ = world
    ticket = tickets.create(ADMIN, CreateTicket(subject="A", description="a"))
    token = csat.links.token("acme", ticket.id)
    forged = jwt.encode({"tid": "acme", "sub": ticket.id, "iss": "helpdesk-csat", "aud": "helpdesk-csat",
                         "exp": int((T0 + timedelta(days=1)).timestamp())}, "another-secret-0123456789abcdef0123",
                        algorithm="HS256")
    header, _payload, signature = token.split(".")
    other_tenant = jwt.encode({"tid": "globex", "sub": ticket.id}, "x" * 32, algorithm="HS256").split(".")[1]
    for bad in (forged, f"{header}.{other_tenant}.{signature}", "not-a-token-at-all", token + "x"):
        with pytest.raises(Unauthorized):
            csat.rate(bad, CsatInput(rating="good"))
    with pytest.raises(NotFound):  # a real link of a ticket that does not exist (any more)
        csat.show(csat.links.token("acme", "0" * 32))
    clock.advance(timedelta(days=30))
    with pytest.raises(Gone):
        csat.show(token)
    assert tickets.get(ADMIN, ticket.id).csat is None


def test_the_metrics_hook_emits_created_first_response_resolved_reopened_csat_and_time() -> None:
    seen: list[tuple[str, str, float]] = []
    repo, clock = InMemoryTicketRepository(), FixedClock(T0)
    service = TicketService(repo, hooks=[ReportMetricsHook(lambda *m: seen.append(m))], clock=clock)
    agent = Principal(user_id="alex", tenant_id="acme", role=Role.AGENT)
    ticket = service.create(ADMIN, CreateTicket(subject="A", description="a"))
    clock.advance(timedelta(minutes=2))
    service.add_message(agent, ticket.id, "hello", public=True)
    clock.advance(timedelta(minutes=3))
    service.add_message(agent, ticket.id, "again", public=True)  # not a first response
    service.update(ADMIN, ticket.id, UpdateTicket(status=Status.RESOLVED))
    service.update(ADMIN, ticket.id, UpdateTicket(status=Status.OPEN))
    service.apply_system_change(ADMIN, ticket.id, lambda t: t.rate("good", None, "cy", clock()))
    log_time(service, agent, ticket.id, 25)
    log_time(service, agent, ticket.id, -5)

    assert seen == [("TicketsCreated", "Count", 1), ("FirstResponseSeconds", "Seconds", 120.0),
                    ("TicketsResolved", "Count", 1), ("ResolutionSeconds", "Seconds", 300.0),
                    ("TicketsReopened", "Count", 1), ("CsatGood", "Count", 1),
                    ("TimeLoggedMinutes", "Count", 25.0), ("TimeLoggedMinutes", "Count", -5.0)]


def test_the_signed_in_requester_rates_a_resolved_ticket_and_nobody_else_does(
        world: tuple[TicketService, CsatService, FixedClock, InMemoryTicketRepository]) -> None:
    tickets, csat, _, _ = world
    cy = Principal(user_id="cy", tenant_id="acme", role=Role.CUSTOMER, email="cy@example.com", email_verified=True)
    other = Principal(user_id="zed", tenant_id="acme", role=Role.CUSTOMER)
    ticket = tickets.create(cy, CreateTicket(subject="A", description="a"))
    with pytest.raises(InvalidTransition):  # not resolved yet
        csat.rate_signed_in(cy, ticket.id, CsatInput(rating="good"))
    tickets.update(ADMIN, ticket.id, UpdateTicket(status=Status.RESOLVED))
    with pytest.raises(NotFound):
        csat.rate_signed_in(other, ticket.id, CsatInput(rating="good"))
    with pytest.raises(Forbidden):
        csat.rate_signed_in(ADMIN, ticket.id, CsatInput(rating="good"))

    rated = csat.rate_signed_in(cy, ticket.id, CsatInput(rating="bad", comment="too slow"))

    assert rated.csat is not None
    assert (rated.csat.rating, rated.csat.comment) == ("bad", "too slow")
    assert tickets.get(cy, ticket.id).status == Status.RESOLVED  # rating does not reopen

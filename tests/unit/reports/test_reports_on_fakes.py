"""The overview and AI reports on the in-memory ports: the figures (median and p90, backlog, reopen rate, CSAT),
their breakdowns, who sees what, and the range checks."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from helpdesk.bootstrap import Container, build
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import Forbidden, InvalidInput
from helpdesk.kernel.principal import Principal, Role
from helpdesk.reports.model import OverviewFilters, Period, RatedArticle
from helpdesk.reports.service import MAX_RATED_ARTICLES, duration, nearest_rank, period_key
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Status, Ticket
from helpdesk.tickets.service import CreateTicket, UpdateTicket
from tests.fakes import (
    InMemoryDirectoryStore,
    InMemoryTicketFieldStore,
    InMemoryTicketRepository,
    seed_directory,
    settings_stores,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday
TENANT = "acme"
ADMIN = Principal(user_id="ada", tenant_id=TENANT, role=Role.ADMIN)
ALEX = Principal(user_id="alex", tenant_id=TENANT, role=Role.AGENT, name="Alex")
BILLING_AGENT = Principal(user_id="bo", tenant_id=TENANT, role=Role.AGENT, groups=("billing",))
CUSTOMER = Principal(user_id="cy", tenant_id=TENANT, role=Role.CUSTOMER, email="cy@example.com",
                     email_verified=True)


@dataclass
class Chats:
    """`ChatActivity` in memory: sessions started and answers rated (helpful, not) per tenant and day, and per
    article cited (`articles[(tenant, day, article)] = (helpful, not helpful, title)`), read in the store's key
    order (day, verdict, article)."""

    days: dict[tuple[str, date], int] = field(default_factory=dict)
    ratings: dict[tuple[str, date], tuple[int, int]] = field(default_factory=dict)
    articles: dict[tuple[str, date, str], tuple[int, int, str]] = field(default_factory=dict)

    def sessions_started(self, tenant_id: str, first_day: date, last_day: date) -> int:
        return sum(n for (t, d), n in self.days.items() if t == tenant_id and first_day <= d <= last_day)

    def answers_rated(self, tenant_id: str, first_day: date, last_day: date) -> tuple[int, int]:
        rated = [r for (t, d), r in self.ratings.items() if t == tenant_id and first_day <= d <= last_day]
        return sum(h for h, _ in rated), sum(n for _, n in rated)

    def articles_rated(self, tenant_id: str, first_day: date, last_day: date,
                       max_counts: int) -> tuple[list[RatedArticle], bool]:
        counts = sorted((day, verdict, article, n, title)
                        for (t, day, article), (yes, no, title) in self.articles.items()
                        if t == tenant_id and first_day <= day <= last_day
                        for verdict, n in (("HELPFUL", yes), ("UNHELPFUL", no)) if n)
        found: dict[str, RatedArticle] = {}
        for _day, verdict, article, n, title in counts[:max_counts]:
            rated = found.setdefault(article, RatedArticle(article_id=article, title=title, helpful=0, not_helpful=0))
            rated.title = title
            if verdict == "HELPFUL":
                rated.helpful += n
            else:
                rated.not_helpful += n
        return list(found.values()), len(counts) > max_counts

    def article_rated(self, tenant_id: str, article_id: str) -> tuple[int, int]:
        rated = [(yes, no) for (t, _, a), (yes, no, _title) in self.articles.items()
                 if (t, a) == (tenant_id, article_id)]
        return sum(y for y, _ in rated), sum(n for _, n in rated)


@dataclass
class World:
    c: Container
    clock: FixedClock
    repo: InMemoryTicketRepository
    chats: Chats

    def ticket(self, *, group: str | None = None, assignee: str | None = None, channel: str = "api",
               category: str | None = None, tenant: str = TENANT) -> Ticket:
        caller = ADMIN if tenant == TENANT else ADMIN.model_copy(update={"tenant_id": tenant})
        tags = [f"category:{category}"] if category else []
        ticket = self.c.ticket_service.create(caller, CreateTicket.model_validate(
            {"subject": "Printer jams", "description": "help", "requester": {"id": "cy", "email": "cy@example.com"},
             "group": group, "channel": channel, "tags": tags}))
        if assignee:
            ticket = self.c.ticket_service.update(caller, ticket.id, UpdateTicket(assignee_id=assignee))
        return ticket

    def reply(self, ticket: Ticket, after: timedelta) -> None:
        self.clock.set(ticket.created_at + after)
        self.c.ticket_service.add_message(ALEX, ticket.id, "Try turning it off and on.", public=True)

    def status(self, ticket: Ticket, status: Status, at: datetime) -> None:
        self.clock.set(at)
        self.c.ticket_service.update(ADMIN, ticket.id, UpdateTicket(status=status))


@pytest.fixture
def world() -> World:
    repo, clock, chats = InMemoryTicketRepository(), FixedClock(T0), Chats()
    directory = seed_directory(InMemoryDirectoryStore(), TENANT, groups={"billing": ["alex"], "tech": ["alex", "bo"]})
    c = build(ticket_repository=repo, **settings_stores(), clock=clock,
              ticket_field_store=InMemoryTicketFieldStore(),
              chat_activity=chats, directory_store=directory)
    return World(c, clock, repo, chats)


def test_median_and_p90_are_nearest_rank_over_the_sorted_minutes() -> None:
    assert nearest_rank([float(n) for n in range(1, 11)], 90) == 9.0
    assert nearest_rank([5.0], 90) == 5.0
    got = duration([30.0, 10.0, 20.0, 40.0])
    assert (got.count, got.median_minutes, got.p90_minutes) == (4, 25.0, 40.0)
    assert duration([]).median_minutes is None


def test_periods_are_days_iso_weeks_by_their_monday_and_months() -> None:
    thursday = datetime(2026, 11, 5, 23, 0, tzinfo=UTC)
    assert period_key(thursday, Period.DAY) == "2026-11-05"
    assert period_key(thursday, Period.WEEK) == "2026-11-02"
    assert period_key(thursday, Period.MONTH) == "2026-11"


def test_the_overview_measures_volume_backlog_times_reopens_and_csat_by_group_agent_category(world: World) -> None:
    a = world.ticket(group="billing", assignee="alex", channel="email", category="invoice")
    world.reply(a, timedelta(minutes=10))
    world.status(a, Status.RESOLVED, T0 + timedelta(hours=2))
    world.clock.set(T0 + timedelta(hours=3))
    b = world.ticket(group="billing", assignee="alex", channel="chat", category="invoice")
    world.reply(b, timedelta(minutes=30))
    world.status(b, Status.RESOLVED, b.created_at + timedelta(hours=4))
    world.status(b, Status.OPEN, b.created_at + timedelta(hours=5))  # the customer came back
    world.clock.set(T0 + timedelta(days=1))
    c = world.ticket(group="tech", channel="email")  # nobody answered yet: backlog
    world.clock.set(T0 + timedelta(days=3))
    world.ticket(tenant="globex")  # another tenant's ticket is never counted
    for ticket, rating in ((a, "good"), (b, "bad")):
        world.c.ticket_service.apply_system_change(ADMIN, ticket.id,
                                                   lambda t, r=rating: t.rate(r, None, "cy", world.clock()))  # type: ignore[misc]

    report = world.c.reports.overview(ADMIN, T0 - timedelta(days=1), T0 + timedelta(days=7))

    totals = report.totals
    assert (totals.tickets, totals.backlog, totals.resolved, totals.reopened, totals.reopen_rate) == (3, 2, 2, 1, 0.5)
    assert totals.by_channel == {"chat": 1, "email": 2, "api": 0, "web": 0}
    assert (totals.first_response.count, totals.first_response.median_minutes,
            totals.first_response.p90_minutes) == (2, 20.0, 30.0)
    assert (totals.resolution.count, totals.resolution.median_minutes) == (1, 120.0)  # b was reopened
    assert (totals.csat.good, totals.csat.bad, totals.csat.score) == (1, 1, 0.5)
    assert [(r.key, r.tickets, r.backlog) for r in report.by_group] == [("billing", 2, 1), ("tech", 1, 1)]
    assert [(r.key, r.tickets, r.csat.count) for r in report.by_agent] == [("(none)", 1, 0), ("alex", 2, 2)]
    assert [(r.key, r.tickets) for r in report.by_category] == [("(none)", 1), ("invoice", 2)]
    assert [(r.key, r.tickets) for r in report.by_period] == [("2026-11-02", 2), ("2026-11-03", 1)]
    assert c.id not in {a.id, b.id}

    weekly = world.c.reports.overview(ADMIN, T0 - timedelta(days=1), T0 + timedelta(days=7), period=Period.WEEK)
    assert [(r.key, r.tickets) for r in weekly.by_period] == [("2026-11-02", 3)]
    email_only = world.c.reports.overview(ADMIN, T0 - timedelta(days=1), T0 + timedelta(days=7),
                                          OverviewFilters(channel="email", agent="alex"))
    assert email_only.totals.tickets == 1


def test_the_backlog_is_what_was_open_at_the_end_of_the_range(world: World) -> None:
    old = world.ticket(group="tech")  # created before the range, still open: in the backlog
    world.clock.set(T0 + timedelta(days=2))
    late = world.ticket(group="tech")
    world.status(late, Status.RESOLVED, T0 + timedelta(days=5))  # resolved after the range ended: open at its end

    report = world.c.reports.overview(ADMIN, T0 + timedelta(days=1), T0 + timedelta(days=3))

    assert (report.totals.tickets, report.totals.backlog) == (1, 2)
    assert old.created_at < report.since
    assert [(r.key, r.backlog) for r in report.by_group] == [("tech", 2)]


def test_agents_with_groups_see_their_groups_and_their_own_tickets_only(world: World) -> None:
    world.ticket(group="billing")
    world.ticket(group="tech")
    world.ticket(group="tech", assignee="bo")

    report = world.c.reports.overview(BILLING_AGENT, T0 - timedelta(days=1), T0 + timedelta(days=1))

    assert report.totals.tickets == 2
    assert [r.key for r in report.by_group] == ["billing", "tech"]


def test_ranges_are_checked_and_customers_get_no_reports(world: World) -> None:
    with pytest.raises(InvalidInput):
        world.c.reports.overview(ADMIN, T0, T0)
    with pytest.raises(InvalidInput):
        world.c.reports.overview(ADMIN, T0 - timedelta(days=400), T0)
    with pytest.raises(InvalidInput):
        world.c.reports.ai(ADMIN, T0 + timedelta(days=1), T0)
    with pytest.raises(Forbidden):
        world.c.reports.overview(CUSTOMER)
    default = world.c.reports.overview(ADMIN)
    assert default.until - default.since == timedelta(days=30)


def test_the_ai_report_counts_chats_without_a_ticket_triage_decisions_and_drafts(world: World) -> None:
    world.chats.days[(TENANT, T0.date())] = 5
    world.chats.days[("globex", T0.date())] = 50
    world.chats.ratings[(TENANT, T0.date())] = (3, 1)
    world.chats.ratings[(TENANT, T0.date() - timedelta(days=9))] = (7, 7)  # out of range
    world.chats.ratings[("globex", T0.date())] = (0, 9)
    chat = world.ticket(channel="chat")
    mail = world.ticket(channel="email")

    def triaged(ticket: Ticket, at: datetime) -> list[TicketEvent]:
        events = ticket.set_field("priority", "high", "ai", at)
        for event in events:
            event.data.update({"ai": "auto", "ai_field": "priority"})
        return events

    def rejected(ticket: Ticket, at: datetime) -> list[TicketEvent]:
        events = ticket.set_field("priority", "normal", "alex", at)
        for event in events:
            event.data.update({"ai": "rejected", "ai_field": "priority", "revert_of": "ai"})
        return events

    for change in (triaged, rejected):
        world.c.ticket_service.apply_system_change(ADMIN, mail.id, lambda t, f=change: f(t, world.clock()))  # type: ignore[misc]
    draft = {"ai_draft": True, "edited": False}
    world.c.ticket_service.add_message(ALEX, chat.id, "As drafted", public=True, meta=draft)
    world.c.ticket_service.add_message(ALEX, mail.id, "Rewritten", public=True, meta={**draft, "edited": True})
    world.c.ticket_service.add_message(ALEX, mail.id, "By hand", public=True)

    report = world.c.reports.ai(ADMIN, T0 - timedelta(days=1), T0 + timedelta(days=1))

    assert report.chat.model_dump() == {"sessions": 5, "handed_over": 1, "answered_without_ticket": 4,
                                        "share_answered": 0.8, "rated_helpful": 3, "rated_not_helpful": 1,
                                        "share_helpful": 0.75}
    priority = next(f for f in report.triage if f.field == "priority")
    assert (priority.applied, priority.rejected, priority.accepted) == (1, 1, 0)
    assert report.drafts.model_dump() == {"sent": 2, "unchanged": 1, "edited": 1, "share_unchanged": 0.5}
    assert [e.type for e in world.repo.events(TENANT, chat.id)].count(EventType.PUBLIC_MESSAGE) == 1


def test_the_ai_report_lists_the_articles_rated_not_helpful_first_in_its_range_and_tenant(world: World) -> None:
    from helpdesk.reports.csv_export import ai_csv

    day = T0.date()
    world.chats.articles.update({
        (TENANT, day, "kb-refunds"): (5, 1, "Refunds"),
        (TENANT, day, "kb-reset"): (0, 3, "Reset your password (old title)"),
        (TENANT, day + timedelta(days=1), "kb-reset"): (1, 0, "Reset your password"),  # the newest title wins
        (TENANT, day, "kb-ship"): (0, 1, "Shipping"),  # as many "no" as refunds, fewer "yes": before it
        (TENANT, day - timedelta(days=9), "kb-old"): (0, 50, "Out of range"),
        ("globex", day, "kb-theirs"): (0, 99, "Another tenant's"),
    })

    report = world.c.reports.ai(ADMIN, T0 - timedelta(days=1), T0 + timedelta(days=2))

    assert [(a.article_id, a.title, a.helpful, a.not_helpful) for a in report.rated_articles] == [
        ("kb-reset", "Reset your password", 1, 3), ("kb-ship", "Shipping", 0, 1), ("kb-refunds", "Refunds", 5, 1)]
    assert (report.rated_articles_count, report.rated_articles_truncated) == (3, False)
    assert "rated_article,kb-reset,not_helpful,3" in ai_csv(report)
    just_the_first_day = world.c.reports.ai(ADMIN, T0 - timedelta(days=1), T0 + timedelta(hours=1))
    assert just_the_first_day.rated_articles[0].title == "Reset your password (old title)"
    assert world.c.reports.article_chat_ratings(ALEX, "kb-reset").model_dump() == {
        "article_id": "kb-reset", "helpful": 1, "not_helpful": 3}
    with pytest.raises(Forbidden):
        world.c.reports.article_chat_ratings(CUSTOMER, "kb-reset")


def test_the_ai_reports_article_list_is_bounded(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(MAX_RATED_ARTICLES + 5):
        world.chats.articles[(TENANT, T0.date(), f"kb-{n:02d}")] = (1, n, f"Article {n}")

    report = world.c.reports.ai(ADMIN, T0 - timedelta(days=1), T0 + timedelta(days=1))
    monkeypatch.setattr("helpdesk.reports.service.MAX_RATED_ARTICLE_COUNTS", 10)
    assert world.c.reports.ai(ADMIN, T0 - timedelta(days=1), T0 + timedelta(days=1)).rated_articles_truncated

    assert len(report.rated_articles) == MAX_RATED_ARTICLES
    assert report.rated_articles_count == MAX_RATED_ARTICLES + 5
    assert report.rated_articles[0].article_id == f"kb-{MAX_RATED_ARTICLES + 4:02d}"  # the most "no" first
    assert [a.not_helpful for a in report.rated_articles] == sorted((a.not_helpful for a in report.rated_articles),
                                                                    reverse=True)


def test_the_overview_breaks_tickets_down_by_the_requesters_organisation(world: World) -> None:
    from helpdesk.directory.model import Organization
    from helpdesk.reports.csv_export import overview_csv

    globex = Organization(id="globex", tenant_id=TENANT, name="Globex", domains=["globex.example"], created_at=T0,
                          updated_at=T0)
    world.c.directory_store.add_organization(globex)
    for email in ("hank@globex.example", "lisa@globex.example", "cy@example.com"):
        world.c.ticket_service.create(ADMIN, CreateTicket.model_validate(
            {"subject": "Printer jams", "description": "help", "requester": {"email": email}}))

    report = world.c.reports.overview(ADMIN, T0 - timedelta(days=1), T0 + timedelta(days=1))

    assert sorted((r.key, r.tickets) for r in report.by_organization) == [("(none)", 1), (globex.id, 2)]
    assert f"organization,{globex.id},2," in overview_csv(report)

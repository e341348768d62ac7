"""`GET /reports/overview` and `GET /reports/ai`: computed from the tickets created in a range.

Tickets are read like the SLA report reads them: through `TicketService.query` (so an agent with groups sees
the tickets of their groups and their own, nobody sees another tenant's), newest first on the tenant's number
index, stopping at the start of the range. Times are wall-clock minutes (not business hours: the SLA report
has those). What a ticket needs for the overview is on the ticket itself (first response, resolution, reopen
count, CSAT), so the overview reads no event log; the AI report reads the logs of the range's tickets.
"""

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Forbidden, InvalidInput
from helpdesk.kernel.principal import Principal
from helpdesk.reports.model import (
    NONE_KEY,
    AiReport,
    ArticleChatRatings,
    ChatOutcomes,
    Csat,
    DraftOutcomes,
    Duration,
    FieldDecisions,
    HandoverPage,
    Metrics,
    OverviewFilters,
    OverviewReport,
    Period,
    RatedArticle,
    Row,
    TimeReport,
)
from helpdesk.reports.ports import ChatActivity
from helpdesk.reports.timesheet import time_entry, timesheet
from helpdesk.tickets.fields import field_text, scalar_values
from helpdesk.tickets.history import KEPT_SOLVED, EventType
from helpdesk.tickets.model import Channel, Status, Ticket
from helpdesk.tickets.ports import TicketQuery

if TYPE_CHECKING:
    from helpdesk.tickets.service import TicketService

MAX_REPORT_TICKETS = 5000  # tickets a report reads in its range; past this it says `truncated`
MAX_AI_REPORT_TICKETS = 1000  # the AI report reads each ticket's log as well
MAX_TIME_ENTRIES = 10_000  # time entries a timesheet reads in its range
MAX_REPORT_DAYS = 366
MAX_RATED_ARTICLES = 20  # the AI report's "Articles whose chat answers were rated": the worst ones
MAX_HANDOVER_PAGES = 10  # the AI report's "Handed to a person from": the pages most chats came from
# Day counts (one per article, day and verdict) the AI report reads in its range: a year of 20 articles rated both
# ways every day is under 15,000; a few MB at most
MAX_RATED_ARTICLE_COUNTS = 20_000
DEFAULT_DAYS = 30
CATEGORY_TAG = "category:"
TRIAGE_FIELDS = ("category", "priority", "group")  # triage's fields that go onto the ticket (APPLICABLE_FIELDS)
OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD)


def nearest_rank(ordered: list[float], p: float) -> float:
    """The p-th percentile by nearest rank (the SLA report's definition): ceil(n * p / 100), at least the first."""
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def duration(minutes: Iterable[float]) -> Duration:
    ordered = sorted(minutes)
    if not ordered:
        return Duration(count=0, median_minutes=None, p90_minutes=None)
    return Duration(count=len(ordered), median_minutes=round(statistics.median(ordered), 2),
                    p90_minutes=round(nearest_rank(ordered, 90), 2))


def _minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def category_of(ticket: Ticket) -> str | None:
    """Triage's category: its `category:` tag (what an agent may correct), else what AI recorded."""
    for tag in ticket.tags:
        if tag.startswith(CATEGORY_TAG):
            return tag[len(CATEGORY_TAG):] or None
    return ticket.ai.category


def period_key(at: datetime, period: Period) -> str:
    day = at.date()
    if period == Period.DAY:
        return day.isoformat()
    if period == Period.WEEK:
        return (day - timedelta(days=day.weekday())).isoformat()
    return day.strftime("%Y-%m")


def open_at(ticket: Ticket, until: datetime) -> bool:
    """Created before `until` and not resolved by then (a ticket resolved later was still open at `until`)."""
    if ticket.created_at >= until:
        return False
    return ticket.resolved_at is None or ticket.resolved_at >= until


def metrics(tickets: list[Ticket], until: datetime, backlog_only: Iterable[Ticket] = ()) -> Metrics:
    """Every figure over `tickets` (created in the range); `backlog_only`: older tickets counted in the backlog."""
    by_channel = {c.value: 0 for c in Channel}
    for ticket in tickets:
        by_channel[ticket.channel.value] += 1
    resolved = [t for t in tickets if t.resolved_at is not None or t.reopen_count]
    reopened = sum(1 for t in resolved if t.reopen_count)
    good = sum(1 for t in tickets if t.csat is not None and t.csat.rating == "good")
    bad = sum(1 for t in tickets if t.csat is not None and t.csat.rating == "bad")
    return Metrics(
        tickets=len(tickets),
        by_channel=by_channel,
        backlog=sum(1 for t in [*tickets, *backlog_only] if open_at(t, until)),
        first_response=duration(_minutes(t.created_at, t.first_response_at) for t in tickets
                                if t.first_response_at is not None),
        resolution=duration(_minutes(t.created_at, t.resolved_at) for t in tickets if t.resolved_at is not None),
        resolved=len(resolved),
        reopened=reopened,
        reopen_rate=round(reopened / len(resolved), 4) if resolved else None,
        csat=Csat(good=good, bad=bad, count=good + bad,
                  score=round(good / (good + bad), 4) if good + bad else None),
        time_spent_minutes=sum(t.time_spent_minutes for t in tickets),
    )


def breakdown(tickets: list[Ticket], key: Callable[[Ticket], str | None], until: datetime,
              older: Iterable[Ticket] = ()) -> list[Row]:
    """One row per key, in key order; `older` (open tickets from before the range) count in the backlog only."""
    return breakdown_by_each(tickets, lambda ticket: [key(ticket) or NONE_KEY], until, older)


def breakdown_by_each(tickets: list[Ticket], keys: Callable[[Ticket], Sequence[str]], until: datetime,
                      older: Iterable[Ticket] = ()) -> list[Row]:
    """`breakdown` where a ticket may have several keys (its tags): it counts in the row of each (so the rows add
    up to more than the total), and in `(none)` without any."""
    groups: dict[str, list[Ticket]] = defaultdict(list)
    backlog: dict[str, list[Ticket]] = defaultdict(list)
    for ticket in tickets:
        for name in dict.fromkeys(keys(ticket)) or [NONE_KEY]:
            groups[name].append(ticket)
    for ticket in older:
        for name in dict.fromkeys(keys(ticket)) or [NONE_KEY]:
            backlog[name].append(ticket)
    return [Row(key=name, **metrics(groups.get(name, []), until, backlog.get(name, [])).model_dump())
            for name in sorted({*groups, *backlog})]


def tags_of(ticket: Ticket) -> list[str]:
    """The tags a report counts: the team's and the rules', not triage's `category:` (its own breakdown)."""
    return [tag for tag in ticket.tags if not tag.startswith(CATEGORY_TAG)]


def field_value(ticket: Ticket, key: str) -> str | None:
    """A ticket's value of one custom field as a report's row names it (`field_text`: 40 for 40.0, a checkbox as
    true/false); None without one, or for an integration's object."""
    value = scalar_values(ticket.custom_fields).get(key)
    return (field_text(value) or None) if value is not None else None


def most_misleading(articles: list[RatedArticle]) -> list[RatedArticle]:
    """The most answers rated not helpful first; of as many, the fewer helpful first (then by id, stable)."""
    return sorted(articles, key=lambda a: (-a.not_helpful, a.helpful, a.article_id))


class Reports:
    """The overview and AI reports, for agents and admins (and API clients with `reports:read`)."""

    def __init__(self, tickets: "TicketService", chat: ChatActivity | None = None,
                 clock: Clock = system_clock) -> None:
        self._tickets = tickets
        self._chat = chat
        self._clock = clock

    def overview(self, caller: Principal, since: datetime | None = None, until: datetime | None = None,
                 filters: OverviewFilters | None = None, period: Period = Period.DAY,
                 by_field: str | None = None) -> OverviewReport:
        since, until = self._range(caller, since, until)
        filters = filters or OverviewFilters()
        keep = _matcher(filters)
        created, truncated = self.tickets_created(caller, since, until)
        tickets = [t for t in created if keep(t)]
        older, more = self._open_before(caller, since)
        older = [t for t in older if keep(t)]
        return OverviewReport(
            since=since, until=until, period=period, filters=filters, truncated=truncated or more,
            totals=metrics(tickets, until, older),
            by_group=breakdown(tickets, lambda t: t.group, until, older),
            by_agent=breakdown(tickets, lambda t: t.assignee_id, until, older),
            by_category=breakdown(tickets, category_of, until, older),
            by_organization=breakdown(tickets, lambda t: t.organization_id, until, older),
            by_form=breakdown(tickets, lambda t: t.form, until, older),
            by_tag=breakdown_by_each(tickets, tags_of, until, older),
            by_period=breakdown(tickets, lambda t: period_key(t.created_at, period), until),
            by_field=(breakdown(tickets, lambda t: field_value(t, by_field), until, older)
                      if by_field is not None else None),
            field=by_field,
        )

    def ai(self, caller: Principal, since: datetime | None = None, until: datetime | None = None) -> AiReport:
        since, until = self._range(caller, since, until)
        tickets, truncated = self.tickets_created(caller, since, until, MAX_AI_REPORT_TICKETS)
        decisions = {name: dict.fromkeys(("auto", "accepted", "corrected", "rejected", "reverted"), 0)
                     for name in TRIAGE_FIELDS}
        sent = edited = kept_solved = 0
        for ticket in tickets:
            for event in self._tickets.repository.events(ticket.tenant_id, ticket.id):
                how, name = event.data.get("ai"), event.data.get("ai_field")
                if isinstance(name, str) and isinstance(how, str):
                    counts = decisions.setdefault(name, dict.fromkeys(decisions["category"], 0))
                    if how in counts:
                        counts[how] += 1
                if event.type == EventType.PUBLIC_MESSAGE and event.data.get("ai_draft"):
                    sent += 1
                    edited += 1 if event.data.get("edited") else 0
                if event.type == EventType.PUBLIC_MESSAGE and event.data.get(KEPT_SOLVED):
                    kept_solved += 1
        handed_over = sum(1 for t in tickets if t.channel == Channel.CHAT)
        days = (since.date(), (until - timedelta(microseconds=1)).date())  # the chat's day counters in range
        sessions = self._chat.sessions_started(caller.tenant_id, *days) if self._chat else 0
        sessions = max(sessions, handed_over)  # a hand-over always had a session (one counted before a restart)
        answered = sessions - handed_over
        helpful, not_helpful = self._chat.answers_rated(caller.tenant_id, *days) if self._chat else (0, 0)
        rated = helpful + not_helpful
        articles, articles_truncated = (self._chat.articles_rated(caller.tenant_id, *days, MAX_RATED_ARTICLE_COUNTS)
                                        if self._chat else ([], False))
        return AiReport(
            since=since, until=until, tickets=len(tickets), truncated=truncated,
            chat=ChatOutcomes(sessions=sessions, handed_over=handed_over, answered_without_ticket=answered,
                              share_answered=round(answered / sessions, 4) if sessions else None,
                              rated_helpful=helpful, rated_not_helpful=not_helpful,
                              share_helpful=round(helpful / rated, 4) if rated else None),
            rated_articles=most_misleading(articles)[:MAX_RATED_ARTICLES], rated_articles_count=len(articles),
            rated_articles_truncated=articles_truncated,
            triage=[FieldDecisions(field=name, applied=c["auto"], accepted=c["accepted"], corrected=c["corrected"],
                                   rejected=c["rejected"], reverted=c["reverted"]) for name, c in decisions.items()],
            drafts=DraftOutcomes(sent=sent, unchanged=sent - edited, edited=edited,
                                 share_unchanged=round((sent - edited) / sent, 4) if sent else None),
            handover_pages=handover_pages(tickets)[:MAX_HANDOVER_PAGES], thanks_kept_solved=kept_solved,
        )

    def article_chat_ratings(self, caller: Principal, article_id: str) -> ArticleChatRatings:
        """The rated chat answers that cited one article, in all (the knowledge base's article page)."""
        if not caller.is_staff:
            raise Forbidden("reports are for agents and admins")
        helpful, not_helpful = self._chat.article_rated(caller.tenant_id, article_id) if self._chat else (0, 0)
        return ArticleChatRatings(article_id=article_id, helpful=helpful, not_helpful=not_helpful)

    def time(self, caller: Principal, since: datetime | None = None, until: datetime | None = None,
             agent: str | None = None, organization: str | None = None) -> TimeReport:
        """The timesheet of [since, until): the time logged then, by whom and on what (`reports.timesheet`)."""
        since, until = self._range(caller, since, until)
        entries, truncated = self._tickets.time_logged(caller, since, until, MAX_TIME_ENTRIES)
        lines = [line for line in map(time_entry, entries)
                 if (agent is None or line.agent == agent)
                 and (organization is None or line.organization_id == organization)]
        filters = {k: v for k, v in (("agent", agent), ("organization", organization)) if v is not None}
        return timesheet(since, until, lines, truncated, filters)

    # -- reading ---------------------------------------------------------------------------

    def _range(self, caller: Principal, since: datetime | None, until: datetime | None) -> tuple[datetime, datetime]:
        if not caller.is_staff:
            raise Forbidden("reports are for agents and admins")
        until = until or self._clock()
        since = since or until - timedelta(days=DEFAULT_DAYS)
        if since >= until or until - since > timedelta(days=MAX_REPORT_DAYS):
            raise InvalidInput(f"`from` must be before `to`, at most {MAX_REPORT_DAYS} days apart",
                               {"from": since.isoformat(), "to": until.isoformat()})
        return since, until

    def tickets_created(self, caller: Principal, since: datetime, until: datetime,
                        limit: int = MAX_REPORT_TICKETS) -> tuple[list[Ticket], bool]:
        """Newest first through the tenant's number index (numbers grow with time): stops at `since`."""
        return self._read(caller, TicketQuery(tenant_id=caller.tenant_id, limit=100),
                          lambda t: t.created_at < since, lambda t: t.created_at < until, limit)

    def _open_before(self, caller: Principal, since: datetime) -> tuple[list[Ticket], bool]:
        """Tickets created before the range and open now: the backlog the range started with (a ticket open at
        the end of the range but resolved since is not among them; see NOTES)."""
        found: list[Ticket] = []
        truncated = False
        for status in OPEN_STATUSES:
            page, more = self._read(caller, TicketQuery(tenant_id=caller.tenant_id, status=status, limit=100),
                                    lambda _t: False, lambda t: t.created_at < since, MAX_REPORT_TICKETS)
            found += page
            truncated = truncated or more
        return found, truncated

    def _read(self, caller: Principal, query: TicketQuery, stop: Callable[[Ticket], bool],
              keep: Callable[[Ticket], bool], limit: int) -> tuple[list[Ticket], bool]:
        found: list[Ticket] = []
        read = 0
        while True:
            page = self._tickets.query(caller, query)
            for ticket in page.items:
                read += 1
                if stop(ticket):
                    return found, False
                if keep(ticket):
                    found.append(ticket)
            if page.next_cursor is None:
                return found, False
            if read >= limit:
                return found, True
            query = replace(query, cursor=page.next_cursor)


def _matcher(filters: OverviewFilters) -> Callable[[Ticket], bool]:
    def keep(ticket: Ticket) -> bool:
        return ((filters.group is None or ticket.group == filters.group)
                and (filters.agent is None or ticket.assignee_id == filters.agent)
                and (filters.category is None or category_of(ticket) == filters.category)
                and (filters.channel is None or ticket.channel == filters.channel)
                and (filters.form is None or ticket.form == filters.form)
                and (filters.tag is None or filters.tag in ticket.tags))
    return keep


def handover_pages(tickets: Iterable[Ticket]) -> list[HandoverPage]:
    """Chat tickets by the last page their visitor wrote from, most first (ties by address); the title is the latest
    ticket's (a page may be renamed)."""
    counts: dict[str, int] = defaultdict(int)
    titles: dict[str, tuple[datetime, str]] = {}
    for ticket in tickets:
        if ticket.channel != Channel.CHAT or not ticket.ai.pages:
            continue
        page = ticket.ai.pages[-1]
        counts[page.url] += 1
        if page.url not in titles or titles[page.url][0] < ticket.created_at:
            titles[page.url] = (ticket.created_at, page.title)
    return [HandoverPage(url=url, title=titles[url][1], handed_over=n)
            for url, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]

"""What the reports answer: the overview of tickets (volume, backlog, response and resolution times, reopen
rate, CSAT) broken down by group, agent, category and period, and what AI did (chats answered without a ticket,
triage suggestions kept or undone, reply drafts sent as written or edited)."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from helpdesk.tickets.model import MAX_CSAT_COMMENT_CHARS, Channel, CsatValue

NONE_KEY = "(none)"  # a breakdown's row of the tickets (or time entries) without the key: no group, no form...


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"  # ISO weeks, named by their Monday
    MONTH = "month"


class Duration(BaseModel):
    """Wall-clock minutes (not business hours) over the tickets that have the time."""

    count: int
    median_minutes: float | None
    p90_minutes: float | None


class Csat(BaseModel):
    good: int
    bad: int
    count: int
    score: float | None  # good / (good + bad)


class Metrics(BaseModel):
    tickets: int  # created in the range (and matching the filters)
    by_channel: dict[str, int] = Field(default_factory=lambda: {c.value: 0 for c in Channel})
    backlog: int  # not resolved at the end of the range
    first_response: Duration
    resolution: Duration
    resolved: int  # ever resolved (reopened ones included)
    reopened: int  # resolved, then opened again
    reopen_rate: float | None  # reopened / resolved
    csat: Csat
    time_spent_minutes: int = 0  # the time the team logged on these tickets (their totals, whenever logged)


class Row(Metrics):
    key: str  # the group, agent, category or period; `(none)` for tickets without one


class OverviewFilters(BaseModel):
    group: str | None = None
    agent: str | None = None
    category: str | None = None
    channel: Channel | None = None
    form: str | None = None  # the request form the ticket was opened through (`Ticket.form`)
    tag: str | None = None  # tickets with this tag


class OverviewReport(BaseModel):
    since: datetime
    until: datetime
    period: Period
    filters: OverviewFilters
    truncated: bool  # more tickets in the range than a report reads
    totals: Metrics
    by_group: list[Row]
    by_agent: list[Row]
    by_category: list[Row]
    by_organization: list[Row]  # the requester's company (`Ticket.organization_id`)
    by_form: list[Row]  # the request form picked (`(none)`: opened without one, by mail, chat or before forms)
    # a ticket in the row of each of its tags (`category:` tags are `by_category`), `(none)` without: the rows add
    # up to more than the total
    by_tag: list[Row]
    by_period: list[Row]
    by_field: list[Row] | None = None  # by one custom field's value (`?by_field=<key>`: "how many per plan")
    field: str | None = None  # that field's key


class TimeRow(BaseModel):
    key: str  # the agent, organisation, group or ticket number; `(none)` for entries without one
    minutes: int  # corrections included
    entries: int


class TimeEntry(BaseModel):
    """One line of the timesheet: who logged how long on which ticket, and where the ticket stood then."""

    at: datetime
    agent: str  # the user id of who logged it
    ticket_id: str
    ticket: str  # its number, T-000042
    organization_id: str | None
    group: str | None
    minutes: int  # negative: a correction


class TimeReport(BaseModel):
    """The time logged in [since, until) (when it was logged, whichever tickets): a timesheet to bill or staff by."""

    since: datetime
    until: datetime
    filters: dict[str, str]  # agent / organization asked for
    truncated: bool  # more entries in the range than a report reads
    minutes: int
    entries: int
    by_agent: list[TimeRow]
    by_organization: list[TimeRow]
    by_group: list[TimeRow]
    by_ticket: list[TimeRow]
    lines: list[TimeEntry]  # every entry, in time order


class ChatOutcomes(BaseModel):
    sessions: int  # chat sessions started in the range
    handed_over: int  # chat tickets made in the range (a hand-over to the team)
    answered_without_ticket: int
    share_answered: float | None  # answered_without_ticket / sessions
    # "Did this answer your question?": the assistant's answers visitors rated in the range, and the share
    # helpful (None: none rated); an unhelpful rating offers the visitor a person
    rated_helpful: int = 0
    rated_not_helpful: int = 0
    share_helpful: float | None = None


class HandoverPage(BaseModel):
    """A page of the tenant's site chats were handed to a person from (the last page the visitor wrote from): where
    the help centre did not answer, so where an article or a clearer page would save the team a ticket."""

    url: str  # without query or fragment, as the widget sends it
    title: str  # as the latest of those chats saw it
    handed_over: int


class RatedArticle(BaseModel):
    """An article the assistant's rated answers cited: how often those answers helped, and how often not (an
    answer citing two articles counts for both)."""

    article_id: str
    title: str  # as the latest rated answer cited it (reports do not read the knowledge base)
    helpful: int
    not_helpful: int


class ArticleChatRatings(BaseModel):
    """The rated chat answers that cited one article, since ratings were counted per article."""

    article_id: str
    helpful: int
    not_helpful: int


class FieldDecisions(BaseModel):
    """What happened to triage's suggestion for one field, counted from the ticket events triage writes."""

    field: str
    applied: int  # AI set it (auto-apply)
    accepted: int  # an agent took the suggestion
    corrected: int  # an agent took it with another value
    rejected: int  # an agent took it off again
    reverted: int  # an agent undid everything AI applied


class DraftOutcomes(BaseModel):
    sent: int  # replies sent from an AI draft
    unchanged: int
    edited: int
    share_unchanged: float | None


class AiReport(BaseModel):
    since: datetime
    until: datetime
    tickets: int  # tickets created in the range whose events were read
    truncated: bool
    chat: ChatOutcomes
    # "Articles whose chat answers were rated": the range's, most rated not helpful first, at most
    # `MAX_RATED_ARTICLES`; `rated_articles_count` is how many there were, `rated_articles_truncated` that the
    # range held more day counts than a report reads (the list then covers its first days only)
    rated_articles: list[RatedArticle] = Field(default_factory=list)
    rated_articles_count: int = 0
    rated_articles_truncated: bool = False
    triage: list[FieldDecisions]
    drafts: DraftOutcomes
    # "Handed to a person from": the chat tickets of the range by the page they came from, most first, at most
    # `MAX_HANDOVER_PAGES` (chats from before pages were recorded, or from clients that send none, are not counted)
    handover_pages: list[HandoverPage] = Field(default_factory=list)
    # Customers' replies that only thanked and left their solved ticket solved (`tickets.thanks`), on the range's
    # tickets: how often the rule spared the team a reopened ticket
    thanks_kept_solved: int = 0


class CsatView(BaseModel):
    """What the rating page shows: which ticket, and the rating given so far."""

    ticket: str  # its number, T-000123
    subject: str
    rating: CsatValue | None
    comment: str | None
    rated_at: datetime | None
    expires_at: datetime | None  # when the link stops working (none for the signed-in portal route)


class CsatInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: CsatValue
    comment: str | None = Field(default=None, max_length=MAX_CSAT_COMMENT_CHARS)

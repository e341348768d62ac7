"""Reports and customer satisfaction.

GET  /reports/overview   volume by channel, backlog, first-response and resolution times (median, p90), reopen
                         rate and CSAT, by group, agent, category and period (staff; agents see their groups)
GET  /reports/time       the timesheet: time logged in the range by agent, organisation, group and ticket, and
                         every entry (the CSV is one line per entry)
GET  /reports/ai         chats answered without a ticket, answers rated and the articles they cited, triage
                         suggestions kept or undone, drafts sent as is
GET  /reports/ai/articles/{article_id}   the rated chat answers that cited one article, in all (its page)
GET  /csat/{token}       the rating page's data: the ticket's subject and the current rating (no sign-in)
POST /csat/{token}       {rating: good|bad, comment?}: rate; a second rating replaces the first (no sign-in)
POST /tickets/{ticket_id}/csat   the same for the signed-in requester (the portal's buttons on a resolved ticket)

Every report answers CSV too: `?format=csv` or `Accept: text/csv` (one header row).
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Request, Response

from helpdesk.bootstrap import container
from helpdesk.kernel.principal import Principal
from helpdesk.knowledge.articles import ARTICLE_ID_PATTERN
from helpdesk.platform.observability import http_handler
from helpdesk.reports.csat import csat_view
from helpdesk.reports.csv_export import ai_csv, overview_csv, time_csv
from helpdesk.reports.model import (
    AiReport,
    ArticleChatRatings,
    CsatInput,
    CsatView,
    OverviewFilters,
    OverviewReport,
    Period,
    TimeReport,
)
from helpdesk.tickets.model import Channel
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.validation import Instant

app = create_app("Helpdesk reports", description="Ticket and AI reports for agents and admins (JSON, or CSV with "
                 "`?format=csv` / `Accept: text/csv`), and the customer's satisfaction rating behind the link "
                 "mailed when a ticket is resolved (no sign-in: the signed link is the credential).",
                 openapi_url="/reports/openapi.json", docs_url=None)
Caller = Annotated[Principal, Depends(current_principal)]
Since = Annotated[Instant | None, Query(alias="from", description="start of the range (default: 30 days "
                                                                    "before `to`)")]
Until = Annotated[Instant | None, Query(alias="to", description="end of the range, exclusive (default: now)")]
Format = Annotated[Literal["json", "csv"] | None,
                   Query(alias="format", description="`csv`: text/csv (also `Accept: text/csv`)")]
Token = Annotated[str, Path(min_length=16, max_length=1024, pattern=r"^[A-Za-z0-9_.\-]+$",
                            description="the signed token of the rating link")]
Name = Annotated[str | None, Query(min_length=1, max_length=128)]
TicketId = Annotated[str, Path(min_length=1, max_length=64)]
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                      "description": "the report (CSV with `?format=csv` or `Accept: text/csv`)"}}


def wants_csv(request: Request, fmt: str | None) -> bool:
    if fmt is not None:
        return fmt == "csv"
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept


def csv_response(text: str, name: str) -> Response:
    return Response(content=text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@app.get("/reports/overview", response_model=OverviewReport, responses=CSV_RESPONSE, tags=["reports"])
def overview_report(
    request: Request,
    caller: Caller,
    since: Since = None,
    until: Until = None,
    group: Name = None,
    agent: Name = None,
    category: Name = None,
    channel: Channel | None = None,
    form: Annotated[str | None, Query(max_length=40, description="only tickets opened through this request form "
                                                                 "(its key)")] = None,
    tag: Annotated[str | None, Query(min_length=1, max_length=100, description="only tickets with this tag")] = None,
    period: Period = Period.DAY,
    by_field: Annotated[str | None, Query(max_length=100, pattern=r"^\S+$",
                                          description="also break down by this custom field's value (its key, "
                                                      "e.g. `plan`)")] = None,
    fmt: Format = None,
) -> OverviewReport | Response:
    """Tickets created in [from, to) and the backlog at `to`, broken down by group, agent, category, organisation,
    request form, tag (a ticket in the row of each of its tags) and period (and by a custom field's value with
    `by_field`)."""
    report = container().reports.overview(caller, since, until,
                                          OverviewFilters(group=group, agent=agent, category=category,
                                                          channel=channel, form=form, tag=tag), period, by_field)
    if wants_csv(request, fmt):
        return csv_response(overview_csv(report), f"overview-{_day(report.since)}-{_day(report.until)}")
    return report


@app.get("/reports/time", response_model=TimeReport, responses=CSV_RESPONSE, tags=["reports"])
def time_report(request: Request, caller: Caller, since: Since = None, until: Until = None, agent: Name = None,
                organization: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
                fmt: Format = None) -> TimeReport | Response:
    """The time logged in [from, to) (`POST /tickets/{id}/time`, when it was logged), by agent, organisation, group
    and ticket, with every entry; `agent` / `organization` keep one's. Agents limited to groups see the entries of
    their groups' tickets and their own. The CSV is the timesheet: one line per entry."""
    report = container().reports.time(caller, since, until, agent, organization)
    if wants_csv(request, fmt):
        return csv_response(time_csv(report), f"time-{_day(report.since)}-{_day(report.until)}")
    return report


@app.get("/reports/ai", response_model=AiReport, responses=CSV_RESPONSE, tags=["reports"])
def ai_report(request: Request, caller: Caller, since: Since = None, until: Until = None,
              fmt: Format = None) -> AiReport | Response:
    """What AI did for the tickets created in [from, to) and the chats started then."""
    report = container().reports.ai(caller, since, until)
    if wants_csv(request, fmt):
        return csv_response(ai_csv(report), f"ai-{_day(report.since)}-{_day(report.until)}")
    return report


@app.get("/reports/ai/articles/{article_id}", response_model=ArticleChatRatings, tags=["reports"])
def article_chat_ratings(caller: Caller,
                         article_id: Annotated[str, Path(pattern=ARTICLE_ID_PATTERN, max_length=128)]
                         ) -> ArticleChatRatings:
    """"Did this answer your question?" for the assistant's answers that cited this article: rated helpful and not,
    in all (since ratings were counted per article). An article never cited counts none (no 404: reports do not
    read the knowledge base)."""
    return container().reports.article_chat_ratings(caller, article_id)


@app.get("/csat/{token}", response_model=CsatView, tags=["csat"],
         responses={401: {"description": "not a valid rating link"}, 410: {"description": "the link expired"}})
def csat_page(token: Token, response: Response) -> CsatView:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the link is the credential
    return container().csat_service.show(token)


@app.post("/csat/{token}", response_model=CsatView, tags=["csat"],
          responses={401: {"description": "not a valid rating link"}, 410: {"description": "the link expired"}})
def rate(token: Token, body: CsatInput, response: Response) -> CsatView:
    """Rate the help; rating again replaces the rating (the ticket's log keeps both)."""
    response.headers["Cache-Control"] = "no-store"
    return container().csat_service.rate(token, body)


@app.post("/tickets/{ticket_id}/csat", response_model=CsatView, tags=["csat"],
          responses={409: {"description": "the ticket is not resolved yet"}})
def rate_signed_in(ticket_id: TicketId, body: CsatInput, caller: Caller) -> CsatView:
    """The signed-in requester rates their resolved ticket (the portal); a second rating replaces the first."""
    return csat_view(container().csat_service.rate_signed_in(caller, ticket_id, body))


def _day(at: datetime) -> str:
    return at.date().isoformat()


lambda_handler = http_handler(app)

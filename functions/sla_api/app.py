"""SLA admin and reporting API: policies, business-hours calendars, attainment reports.

Admins create, update and delete policies and calendars; agents and admins read them and the report. Each
policy and calendar carries its version (`version`, also the ETag): PUT and DELETE with `If-Match` naming
another version answer 409 `concurrent_update` and change nothing; without If-Match the last write wins.
"""

from typing import Annotated, Literal

from fastapi import Depends, Query, Request, Response

from helpdesk.bootstrap import container
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import http_handler
from helpdesk.sla.admin import SlaAdmin
from helpdesk.sla.calendar import BusinessCalendar
from helpdesk.sla.policy import SlaPolicy
from helpdesk.sla.report import SlaReport
from helpdesk.tickets.model import Priority
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.errors import ApiError
from helpdesk.web.validation import Instant
from helpdesk.web.versioning import IfMatch, expected_version, set_etag

app = create_app("Helpdesk SLA", description="SLA policies, business-hours calendars and attainment reports.",
                 openapi_url="/sla/openapi.json", docs_url=None)
Caller = Annotated[Principal, Depends(current_principal)]

def admin() -> SlaAdmin:
    return container().sla_admin


def _versioned[T: (SlaPolicy, BusinessCalendar)](item: T, response: Response) -> T:
    set_etag(response, item.version)
    return item


def _same_id(path_id: str, body_id: str) -> None:
    if path_id != body_id:
        raise ApiError(400, "id_mismatch", "the id in the body must match the id in the path",
                       {"path": path_id, "body": body_id})


# -- policies ------------------------------------------------------------------------------

@app.get("/sla/policies", response_model=list[SlaPolicy], tags=["policies"])
def list_policies(caller: Caller) -> list[SlaPolicy]:
    """In the order they are tried; each with its `version`, the ETag a PUT or DELETE of it may name."""
    return admin().policies(caller)


@app.post("/sla/policies", status_code=201, response_model=SlaPolicy, tags=["policies"])
def create_policy(body: SlaPolicy, caller: Caller, response: Response) -> SlaPolicy:
    """A `version` in the body is ignored: the new policy is version 1 (the ETag)."""
    policy = admin().put_policy(caller, body, create=True)
    response.headers["Location"] = f"/sla/policies/{policy.id}"
    return _versioned(policy, response)


@app.get("/sla/policies/{policy_id}", response_model=SlaPolicy, tags=["policies"])
def get_policy(policy_id: str, caller: Caller, response: Response) -> SlaPolicy:
    return _versioned(admin().policy(caller, policy_id), response)


@app.put("/sla/policies/{policy_id}", response_model=SlaPolicy, tags=["policies"])
def update_policy(policy_id: str, body: SlaPolicy, caller: Caller, response: Response,
                  if_match: IfMatch = None) -> SlaPolicy:
    """The whole policy. `If-Match: "<version>"` (the ETag of a GET, or a listed `version`) turns a change saved
    meanwhile into 409 `concurrent_update`; a `version` in the body is ignored."""
    _same_id(policy_id, body.id)
    return _versioned(admin().put_policy(caller, body, create=False, expected_version=expected_version(if_match)),
                      response)


@app.delete("/sla/policies/{policy_id}", status_code=204, tags=["policies"])
def delete_policy(policy_id: str, caller: Caller, if_match: IfMatch = None) -> Response:
    """`If-Match: "<version>"`: only while the policy is still at that version (409 `concurrent_update` else)."""
    admin().delete_policy(caller, policy_id, expected_version(if_match))
    return Response(status_code=204)


# -- calendars -----------------------------------------------------------------------------

@app.get("/sla/calendars", response_model=list[BusinessCalendar], tags=["calendars"])
def list_calendars(caller: Caller) -> list[BusinessCalendar]:
    """By id; each with its `version`, the ETag a PUT or DELETE of it may name."""
    return admin().calendars(caller)


@app.post("/sla/calendars", status_code=201, response_model=BusinessCalendar, tags=["calendars"])
def create_calendar(body: BusinessCalendar, caller: Caller, response: Response) -> BusinessCalendar:
    """A `version` in the body is ignored: the new calendar is version 1 (the ETag)."""
    calendar = admin().put_calendar(caller, body, create=True)
    response.headers["Location"] = f"/sla/calendars/{calendar.id}"
    return _versioned(calendar, response)


@app.get("/sla/calendars/{calendar_id}", response_model=BusinessCalendar, tags=["calendars"])
def get_calendar(calendar_id: str, caller: Caller, response: Response) -> BusinessCalendar:
    return _versioned(admin().calendar(caller, calendar_id), response)


@app.put("/sla/calendars/{calendar_id}", response_model=BusinessCalendar, tags=["calendars"])
def update_calendar(calendar_id: str, body: BusinessCalendar, caller: Caller, response: Response,
                    if_match: IfMatch = None) -> BusinessCalendar:
    """The whole calendar. `If-Match: "<version>"` (the ETag of a GET, or a listed `version`) turns a change
    saved meanwhile into 409 `concurrent_update`; a `version` in the body is ignored."""
    _same_id(calendar_id, body.id)
    calendar = admin().put_calendar(caller, body, create=False, expected_version=expected_version(if_match))
    return _versioned(calendar, response)


@app.delete("/sla/calendars/{calendar_id}", status_code=204, tags=["calendars"])
def delete_calendar(calendar_id: str, caller: Caller, if_match: IfMatch = None) -> Response:
    """`If-Match: "<version>"`: only while the calendar is still at that version (409 `concurrent_update` else)."""
    admin().delete_calendar(caller, calendar_id, expected_version(if_match))
    return Response(status_code=204)


# -- report --------------------------------------------------------------------------------

@app.get("/reports/sla", response_model=SlaReport, tags=["reports"],
         responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                          "description": "the report (CSV with `?format=csv` or `Accept: text/csv`)"}})
def sla_report(
    request: Request,
    caller: Caller,
    since: Annotated[Instant | None, Query(alias="from")] = None,
    until: Annotated[Instant | None, Query(alias="to")] = None,
    group: Annotated[str | None, Query(max_length=128)] = None,
    priority: Priority | None = None,
    fmt: Annotated[Literal["json", "csv"] | None, Query(alias="format")] = None,
) -> SlaReport | Response:
    """Attainment of the tickets created in [from, to) (default: the last 30 days); one CSV line per target."""
    report = container().sla_reporting.report(caller, since, until, group, priority)
    accept = request.headers.get("accept", "")
    if fmt == "csv" or (fmt is None and "text/csv" in accept and "application/json" not in accept):
        from helpdesk.reports.csv_export import rows_csv

        text = rows_csv(report.targets, **{"from": report.since.isoformat(), "to": report.until.isoformat(),
                                           "group": report.group, "priority": report.priority,
                                           "tickets": report.tickets, "truncated": report.truncated})
        return Response(content=text, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="sla.csv"'})
    return report


lambda_handler = http_handler(app)

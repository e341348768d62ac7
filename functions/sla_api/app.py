"""SLA admin and reporting API: policies, business-hours calendars, attainment reports.

Admins create, update and delete policies and calendars; agents and admins read them and the report.
"""

from typing import Annotated, Literal

from fastapi import Depends, Query, Request, Response
from pydantic import AwareDatetime

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

app = create_app("Helpdesk SLA", description="SLA policies, business-hours calendars and attainment reports.",
                 openapi_url="/sla/openapi.json", docs_url=None)
Caller = Annotated[Principal, Depends(current_principal)]

def admin() -> SlaAdmin:
    return container().sla_admin


def _same_id(path_id: str, body_id: str) -> None:
    if path_id != body_id:
        raise ApiError(400, "id_mismatch", "the id in the body must match the id in the path",
                       {"path": path_id, "body": body_id})


# -- policies ------------------------------------------------------------------------------

@app.get("/sla/policies", response_model=list[SlaPolicy], tags=["policies"])
def list_policies(caller: Caller) -> list[SlaPolicy]:
    return admin().policies(caller)


@app.post("/sla/policies", status_code=201, response_model=SlaPolicy, tags=["policies"])
def create_policy(body: SlaPolicy, caller: Caller, response: Response) -> SlaPolicy:
    policy = admin().put_policy(caller, body, create=True)
    response.headers["Location"] = f"/sla/policies/{policy.id}"
    return policy


@app.get("/sla/policies/{policy_id}", response_model=SlaPolicy, tags=["policies"])
def get_policy(policy_id: str, caller: Caller) -> SlaPolicy:
    return admin().policy(caller, policy_id)


@app.put("/sla/policies/{policy_id}", response_model=SlaPolicy, tags=["policies"])
def update_policy(policy_id: str, body: SlaPolicy, caller: Caller) -> SlaPolicy:
    _same_id(policy_id, body.id)
    return admin().put_policy(caller, body, create=False)


@app.delete("/sla/policies/{policy_id}", status_code=204, tags=["policies"])
def delete_policy(policy_id: str, caller: Caller) -> Response:
    admin().delete_policy(caller, policy_id)
    return Response(status_code=204)


# -- calendars -----------------------------------------------------------------------------

@app.get("/sla/calendars", response_model=list[BusinessCalendar], tags=["calendars"])
def list_calendars(caller: Caller) -> list[BusinessCalendar]:
    return admin().calendars(caller)


@app.post("/sla/calendars", status_code=201, response_model=BusinessCalendar, tags=["calendars"])
def create_calendar(body: BusinessCalendar, caller: Caller, response: Response) -> BusinessCalendar:
    calendar = admin().put_calendar(caller, body, create=True)
    response.headers["Location"] = f"/sla/calendars/{calendar.id}"
    return calendar


@app.get("/sla/calendars/{calendar_id}", response_model=BusinessCalendar, tags=["calendars"])
def get_calendar(calendar_id: str, caller: Caller) -> BusinessCalendar:
    return admin().calendar(caller, calendar_id)


@app.put("/sla/calendars/{calendar_id}", response_model=BusinessCalendar, tags=["calendars"])
def update_calendar(calendar_id: str, body: BusinessCalendar, caller: Caller) -> BusinessCalendar:
    _same_id(calendar_id, body.id)
    return admin().put_calendar(caller, body, create=False)


@app.delete("/sla/calendars/{calendar_id}", status_code=204, tags=["calendars"])
def delete_calendar(calendar_id: str, caller: Caller) -> Response:
    admin().delete_calendar(caller, calendar_id)
    return Response(status_code=204)


# -- report --------------------------------------------------------------------------------

@app.get("/reports/sla", response_model=SlaReport, tags=["reports"],
         responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                          "description": "the report (CSV with `?format=csv` or `Accept: text/csv`)"}})
def sla_report(
    request: Request,
    caller: Caller,
    since: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    until: Annotated[AwareDatetime | None, Query(alias="to")] = None,
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

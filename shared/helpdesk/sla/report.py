"""SLA attainment: share of targets met, median and p90 business time to meet them.

Two outputs: CloudWatch metrics (EMF through Powertools) the moment a target is met, so dashboards
and alarms need no query; and `attainment()` over a period's tickets for `GET /reports/sla`.
"""

import statistics
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Forbidden, InvalidInput
from helpdesk.kernel.principal import Principal
from helpdesk.tickets.model import Priority, Ticket
from helpdesk.tickets.ports import TicketQuery
from helpdesk.tickets.sla_state import SlaTarget, TargetKind, TargetState

if TYPE_CHECKING:
    from helpdesk.tickets.service import TicketService

_METRIC_PREFIX = {TargetKind.FIRST_RESPONSE: "SlaFirstResponse", TargetKind.NEXT_RESPONSE: "SlaNextResponse",
                  TargetKind.RESOLUTION: "SlaResolution"}


def record_finished_target(ticket: Ticket, target: SlaTarget) -> None:
    """Hook sink: `SlaFirstResponseMet`/`...Breached` counts and `...BusinessSeconds` (for p50/p90)."""
    from helpdesk.platform.observability import metrics

    prefix = _METRIC_PREFIX[target.kind]
    metrics.add_metric(name=f"{prefix}{'Met' if target.state == TargetState.MET else 'Breached'}",
                       unit="Count", value=1)
    if target.elapsed_minutes is not None:
        metrics.add_metric(name=f"{prefix}BusinessSeconds", unit="Seconds", value=target.elapsed_minutes * 60)


class TargetAttainment(BaseModel):
    target: TargetKind
    measured: int  # targets that finished (met or breached) in the period
    met: int
    breached: int
    running: int  # still on the clock
    attainment: float | None  # met / measured
    median_minutes: float | None  # business minutes to meet, met targets only (in time or late)
    p90_minutes: float | None


class SlaReport(BaseModel):
    since: datetime
    until: datetime
    group: str | None
    priority: str | None
    tickets: int
    truncated: bool
    targets: list[TargetAttainment]


def attainment(tickets: Iterable[Ticket]) -> tuple[int, list[TargetAttainment]]:
    by_kind: dict[TargetKind, list[SlaTarget]] = {kind: [] for kind in TargetKind}
    count = 0
    for ticket in tickets:
        count += 1
        if ticket.sla is None:
            continue
        for target in [*ticket.sla.targets, *ticket.sla.answered_cycles]:  # every next-response wait counts
            by_kind[target.kind].append(target)
    rows = []
    for kind, targets in by_kind.items():
        met = sum(1 for t in targets if t.state == TargetState.MET)
        breached = sum(1 for t in targets if t.state == TargetState.BREACHED)
        times = sorted(t.elapsed_minutes for t in targets if t.elapsed_minutes is not None)
        measured = met + breached
        rows.append(TargetAttainment(
            target=kind, measured=measured, met=met, breached=breached, running=len(targets) - measured,
            attainment=round(met / measured, 4) if measured else None,
            median_minutes=round(statistics.median(times), 2) if times else None,
            p90_minutes=round(_nearest_rank(times, 90), 2) if times else None,
        ))
    return count, rows


def _nearest_rank(ordered: list[float], p: float) -> float:
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100), at least the first
    return ordered[int(rank) - 1]


MAX_REPORT_TICKETS = 5000  # a report reads the period's tickets; past this it says `truncated`
MAX_REPORT_DAYS = 366


class SlaReporting:
    """`GET /reports/sla`: attainment of the tickets created in a period, for agents and admins."""

    def __init__(self, tickets: "TicketService", clock: Clock = system_clock) -> None:
        self._tickets = tickets
        self._clock = clock

    def report(self, caller: Principal, since: datetime | None = None, until: datetime | None = None,
               group: str | None = None, priority: Priority | None = None) -> SlaReport:
        """Attainment of the tickets created in [since, until) (default: the last 30 days)."""
        if not caller.is_staff:
            raise Forbidden("SLA reports are for agents and admins")
        until = until or self._clock()
        since = since or until - timedelta(days=30)
        if since >= until or until - since > timedelta(days=MAX_REPORT_DAYS):
            raise InvalidInput(f"`from` must be before `to`, at most {MAX_REPORT_DAYS} days apart",
                               {"from": since.isoformat(), "to": until.isoformat()})
        tickets, truncated = self._tickets_created(caller, since, until, group, priority)
        count, rows = attainment(tickets)
        return SlaReport(since=since, until=until, group=group, priority=priority.value if priority else None,
                         tickets=count, truncated=truncated, targets=rows)

    def _tickets_created(self, caller: Principal, since: datetime, until: datetime, group: str | None,
                         priority: Priority | None) -> tuple[list[Ticket], bool]:
        """Newest first through the tenant's number index (numbers grow with time): stops at `since`."""
        found: list[Ticket] = []
        cursor: str | None = None
        read = 0
        while True:
            page = self._tickets.query(caller, TicketQuery(tenant_id=caller.tenant_id, priority=priority,
                                                           limit=100, cursor=cursor))
            for ticket in page.items:
                read += 1
                if ticket.created_at < since:
                    return found, False
                if ticket.created_at < until and (group is None or ticket.group == group):
                    found.append(ticket)
            if page.next_cursor is None:
                return found, False
            if read >= MAX_REPORT_TICKETS:
                return found, True
            cursor = page.next_cursor

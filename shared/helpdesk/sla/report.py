"""SLA attainment: share of targets met, median and p90 business time to meet them.

Two outputs: CloudWatch metrics (EMF through Powertools) the moment a target is met, so dashboards
and alarms need no query; and `attainment()` over a period's tickets for `GET /reports/sla`.
"""

import statistics
from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel

from helpdesk.domain.ticket import Ticket
from helpdesk.sla.model import SlaTarget, TargetKind, TargetState

_METRIC_PREFIX = {TargetKind.FIRST_RESPONSE: "SlaFirstResponse", TargetKind.NEXT_RESPONSE: "SlaNextResponse",
                  TargetKind.RESOLUTION: "SlaResolution"}


def record_finished_target(ticket: Ticket, target: SlaTarget) -> None:
    """Hook sink: `SlaFirstResponseMet`/`...Breached` counts and `...BusinessSeconds` (for p50/p90)."""
    from helpdesk.observability import metrics

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

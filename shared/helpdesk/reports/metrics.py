"""The report's figures as CloudWatch metrics (EMF through Powertools), emitted the moment they happen, so the
dashboard and alarms need no query: `TicketsCreated`, `TicketsResolved`, `TicketsReopened`,
`FirstResponseSeconds`, `ResolutionSeconds`, `CsatGood`, `CsatBad`, `TimeLoggedMinutes` (a correction counts
negative).

A ticket hook (like the SLA's `record_finished_target`): it sees every change just before the write. A write
that loses a race is retried and its hook runs again, so a count can be one too high under contention; the
reports (`GET /reports/overview`) are the exact figures.
"""

from collections.abc import Callable
from datetime import datetime

from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Status, Ticket

MetricSink = Callable[[str, str, float], None]  # name, unit, value


def powertools_sink(name: str, unit: str, value: float) -> None:
    from helpdesk.platform.observability import metrics

    metrics.add_metric(name=name, unit=unit, value=value)


def ticket_metrics(ticket: Ticket, events: list[TicketEvent]) -> list[tuple[str, str, float]]:
    """The metrics a change's events make (pure: what the hook emits, and what tests check)."""
    found: list[tuple[str, str, float]] = []
    for event in events:
        if event.type == EventType.CREATED:
            found.append(("TicketsCreated", "Count", 1))
        elif event.type == EventType.STATUS_CHANGED:
            before, after = event.data.get("from"), event.data.get("to")
            if after == Status.RESOLVED.value:
                found.append(("TicketsResolved", "Count", 1))
                found.append(("ResolutionSeconds", "Seconds", (event.at - ticket.created_at).total_seconds()))
            elif after == Status.OPEN.value and before in (Status.RESOLVED.value, Status.CLOSED.value):
                found.append(("TicketsReopened", "Count", 1))
        elif (event.type == EventType.PUBLIC_MESSAGE and not event.data.get("from_customer")
              and ticket.first_response_at == event.at):
            found.append(("FirstResponseSeconds", "Seconds", (event.at - ticket.created_at).total_seconds()))
        elif event.type == EventType.CSAT_RATED:
            found.append(("CsatGood" if event.data.get("rating") == "good" else "CsatBad", "Count", 1))
        elif event.type == EventType.TIME_LOGGED:
            found.append(("TimeLoggedMinutes", "Count", float(event.data.get("minutes", 0))))
    return found


class ReportMetricsHook:
    """`TicketHook`: emits the change's metrics; adds no events."""

    def __init__(self, sink: MetricSink = powertools_sink) -> None:
        self._sink = sink

    def before_save(self, ticket: Ticket, events: list[TicketEvent], now: datetime) -> list[TicketEvent]:
        for name, unit, value in ticket_metrics(ticket, events):
            self._sink(name, unit, value)
        return []

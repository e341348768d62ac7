"""The scheduled round: what runs on the SLA scan's schedule (every five minutes in AWS, every minute on the local
stack, once for `helpdesk sla scan`), composed once so the three run the same work: the SLA scan, the agents'
reminders due by then and the time triggers' hourly sweeps, all as of one time."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.reminders.service import Reminders
    from helpdesk.sla.scan import SlaScan
    from helpdesk.triggers.sweep import TimeTriggerSweep


@dataclass
class RoundSummary:
    scan: dict[str, int]  # `ScanSummary.as_dict()`
    reminders_sent: int
    time_triggers: dict[str, int]  # `SweepSummary.as_dict()`

    @property
    def errors(self) -> int:
        return self.scan["errors"] + self.time_triggers["errors"]

    @property
    def did_anything(self) -> bool:  # the local stack logs only the rounds that did something
        return any(self.scan.values()) or self.reminders_sent > 0 or any(self.time_triggers.values())

    def as_dict(self) -> dict[str, Any]:
        return {**self.scan, "reminders_sent": self.reminders_sent, "time_triggers": self.time_triggers}


@dataclass
class ScheduledRound:
    sla_scan: "SlaScan"
    reminders: "Reminders"
    time_triggers: "TimeTriggerSweep"

    def run(self, now: datetime | None = None, max_tickets: int | None = None,
            seconds_left: Callable[[], float] | None = None) -> RoundSummary:
        """One round as of `now` (the CLI's `--now`, a replayed schedule; default: the clock's time). `max_tickets`:
        the scan's due tickets; `seconds_left`: asked when the sweep, which runs last, starts, what it may take at
        most (the function's invocation's time left, less a margin)."""
        scan = self.sla_scan.run(now, max_tickets)
        reminded = self.reminders.send_due(now)
        limit = None if seconds_left is None else max(0.0, seconds_left())
        swept = self.time_triggers.run(now, max_seconds=limit)
        return RoundSummary(scan.as_dict(), reminded, swept.as_dict())

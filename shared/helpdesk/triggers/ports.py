"""Ports of the triggers capability."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from helpdesk.tickets.model import Ticket
from helpdesk.triggers.model import TriggerList

# The instant some business minutes after a time, in the ticket's business hours (its SLA policy's calendar; raises
# ValueError when the calendar has no such time ahead): what a time trigger in business hours waits for.
BusinessTime = Callable[[Ticket, datetime, float], datetime]


class TriggerStore(Protocol):
    def get(self, tenant_id: str) -> tuple[TriggerList, int]:
        """The tenant's triggers and their version (0: none saved), read now."""
        ...

    def cached(self, tenant_id: str) -> TriggerList:
        """The tenant's triggers as read at most a little while ago: the hook reads them on every ticket change."""
        ...

    def put(self, tenant_id: str, triggers: TriggerList, expected_version: int | None) -> int:
        """Save the list; with `expected_version`, only if no one saved since (`ConcurrentUpdate` otherwise)."""
        ...


@dataclass(frozen=True)
class PlannedSweep:
    tenant_id: str
    at: datetime  # when it is due
    cursor: str | None = None  # where a sweep cut short goes on (`TimeTriggerSweep`'s own format)
    stamp: int | None = None  # which writing of the plan this is (None: one from before stamps were kept)


class SweepPlan(Protocol):
    """The tenants with time triggers and when each is swept next: tenants are not listed anywhere else, and only
    these need their tickets read hourly."""

    def plan(self, tenant_id: str, at: datetime, cursor: str | None = None, over: PlannedSweep | None = None) -> bool:
        """Sweep the tenant at `at` (from `cursor`; None: from the start). `over`: the plan a sweep read, written over
        only if it is still the tenant's plan (False, nothing written: an admin's save planned it anew meanwhile, and
        that plan stands: a new time trigger is swept at the next scan, not an hour later)."""
        ...

    def drop(self, tenant_id: str, over: PlannedSweep | None = None) -> bool:
        """The tenant has no time triggers (any more); `over` as for `plan`."""
        ...

    def due(self, now: datetime, limit: int) -> list[PlannedSweep]:
        """The sweeps due by `now`, longest due first."""
        ...

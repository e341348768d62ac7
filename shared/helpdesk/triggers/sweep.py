"""The hourly sweep of time triggers (Zendesk's automations, Zammad's schedulers): for each tenant with time triggers,
read its tickets that can still change and let the triggers due on them act, run on the SLA scan's schedule.

Why a sweep and not a due index as the SLA's: a time trigger an admin adds or changes applies to tickets that have not
changed since (all of them, the first time), so every ticket would need its index entry rewritten on each save. The
tickets a sweep reads are the tenant's backlog (the `by_status` partitions of unsolved and resolved tickets: their
size follows the open work, not the history), once an hour, and only for tenants that have time triggers
(`SweepPlan`). A sweep cut short by its budget (tickets read, seconds spent) goes on from where it stopped at the
next scan.

Once, and only once: a trigger records the time it waited from on the ticket in the same conditional write as its
change (`timers.fire_due`, applied on a fresh read and retried on a race), so overlapping sweeps do not act twice."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.principal import system_principal
from helpdesk.platform.observability import logger
from helpdesk.tickets.history import TicketEvent
from helpdesk.tickets.model import Status, Ticket
from helpdesk.tickets.ports import AssignmentPolicy, TicketQuery
from helpdesk.tickets.service import TicketService
from helpdesk.triggers.firing import assignable_by
from helpdesk.triggers.model import TRIGGER_ACTOR, Trigger
from helpdesk.triggers.ports import BusinessTime, PlannedSweep, SweepPlan, TriggerStore
from helpdesk.triggers.timers import any_due, fire_due

SWEEP_EVERY = timedelta(hours=1)
# Of the scheduled function's 120 s, after the SLA scan: many tickets due at once (a new "close the solved ones" on a
# backlog) are written over several runs, five minutes apart, rather than past the function's timeout.
MAX_SECONDS = 60.0
# Closed tickets take no change; resolved ones still do ("resolved for 4 days: close it").
SWEPT_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD, Status.RESOLVED)
PAGE_SIZE = 100
MAX_TENANTS_PER_RUN = 100


@dataclass
class SweepSummary:
    tenants: int = 0  # tenants swept (or swept on) in this run
    examined: int = 0  # tickets read
    acted: int = 0  # tickets a time trigger changed or mailed about
    errors: int = 0
    unfinished: int = 0  # tenants whose sweep goes on at the next run (the budget ran out)

    def as_dict(self) -> dict[str, int]:
        return {"tenants": self.tenants, "examined": self.examined, "acted": self.acted, "errors": self.errors,
                "unfinished": self.unfinished}


@dataclass
class _Budget:
    """What one run may read: tickets, and time (writes take the time)."""

    tickets: int
    deadline: float
    timer: Callable[[], float]

    def out_of_time(self) -> bool:
        return self.timer() >= self.deadline

    def spent(self, summary: SweepSummary) -> bool:
        return summary.examined >= self.tickets or self.out_of_time()


class TimeTriggerSweep:
    def __init__(self, store: TriggerStore, plan: SweepPlan, tickets: TicketService, max_tickets: int = 2000, *,
                 max_seconds: float = MAX_SECONDS, assignments: AssignmentPolicy | None = None,
                 business: BusinessTime | None = None, clock: Clock = system_clock,
                 timer: Callable[[], float] = time.monotonic) -> None:
        self._store, self._plan, self._tickets = store, plan, tickets
        self.max_seconds, self._timer = max_seconds, timer
        self._assignable = assignable_by(assignments)
        self._business = business  # the tickets' business hours, for the time triggers that count them
        self.max_tickets = max_tickets
        self._clock = clock

    def run(self, now: datetime | None = None, max_tickets: int | None = None,
            max_seconds: float | None = None) -> SweepSummary:
        """Sweep the tenants due by `now` (the scan's time), reading at most `max_tickets` tickets in all, for at most
        `max_seconds` (the function passes what its invocation has left) and never more than its own `max_seconds`."""
        now = now if now is not None else self._clock()
        seconds = self.max_seconds if max_seconds is None else min(self.max_seconds, max_seconds)
        budget = _Budget(max_tickets or self.max_tickets, self._timer() + seconds, self._timer)
        summary = SweepSummary()
        for planned in self._plan.due(now, MAX_TENANTS_PER_RUN):
            if budget.spent(summary):
                break
            # All of them: `fire_due` acts with the active time triggers and keeps what the others did (one turned off
            # for a while does not act again for a time it acted for).
            triggers = self._store.get(planned.tenant_id)[0].triggers
            if not any(t.timed for t in triggers):  # removed meanwhile (or a save died between its two writes)
                self._plan.drop(planned.tenant_id, over=planned)
                continue
            summary.tenants += 1
            cursor = self._sweep(planned, triggers, now, budget, summary)
            if cursor is not None:
                summary.unfinished += 1
            # Over the plan it read only: a save that planned the tenant anew meanwhile (a new time trigger) keeps its
            # "now" rather than waiting for the next hour.
            self._plan.plan(planned.tenant_id, now if cursor is not None else now + SWEEP_EVERY, cursor, over=planned)
        return summary

    def _sweep(self, planned: PlannedSweep, triggers: list[Trigger], now: datetime, budget: "_Budget",
               summary: SweepSummary) -> str | None:
        """Read the tenant's tickets from `planned.cursor` on and act on the due ones; where to go on when the budget
        ran out (None: done). Cut short within a page, it goes on from that page (the tickets acted on keep their
        record: read again, they wait)."""
        caller = system_principal(planned.tenant_id, TRIGGER_ACTOR)
        status_name, _, page = (planned.cursor or "").partition("|")
        statuses = list(SWEPT_STATUSES)
        first = next((i for i, s in enumerate(statuses) if s.value == status_name), 0)
        cursor: str | None = page or None
        for status in statuses[first:]:
            while True:
                here = f"{status.value}|{cursor or ''}"
                if budget.spent(summary):
                    return here
                result = self._tickets.query(caller, TicketQuery(
                    tenant_id=planned.tenant_id, status=status, oldest_first=True, cursor=cursor,
                    limit=min(PAGE_SIZE, budget.tickets - summary.examined)))
                for ticket in result.items:
                    if budget.out_of_time():
                        return here
                    summary.examined += 1
                    if any_due(triggers, ticket, now, self._business):
                        self._act(caller.tenant_id, ticket.id, triggers, now, summary)
                cursor = result.next_cursor
                if cursor is None:
                    break
        return None

    def _act(self, tenant_id: str, ticket_id: str, triggers: list[Trigger], now: datetime,
             summary: SweepSummary) -> None:
        try:  # on a fresh read: a change since the page was read may have made it wait again
            acted = False

            def change(fresh: Ticket) -> list[TicketEvent]:
                nonlocal acted
                events = fire_due(triggers, fresh, now, self._assignable, self._business)
                acted = bool(events)
                return events

            self._tickets.apply_system_change(system_principal(tenant_id, TRIGGER_ACTOR), ticket_id, change, now=now)
            summary.acted += int(acted)
        except Exception as exc:  # one ticket must not stop the others (the next sweep tries it again)
            summary.errors += 1
            logger.warning("time trigger sweep skipped a ticket", extra={"ticket_id": ticket_id,
                                                                        "error": type(exc).__name__})

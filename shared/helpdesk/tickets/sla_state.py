"""What a ticket carries about its SLA: per-target due times and states, pauses, and the next action.

Also the scan policy: which tickets the SLA scan must look at (for the SLA, or a snooze to end), when, and in which
shard of its index.

Pure pydantic with no import of the ticket module (the ticket imports this one).
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class TargetKind(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"


class TargetState(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BREACHED = "breached"  # the deadline passed, whether or not the target was met later
    MET = "met"  # met before its deadline


class SlaTarget(BaseModel):
    kind: TargetKind
    state: TargetState = TargetState.OK
    started_at: datetime
    budget_minutes: int  # business minutes the policy allows
    due_at: datetime | None = None  # None while the clock is paused or stopped
    met_at: datetime | None = None
    elapsed_minutes: float | None = None  # business minutes from start to met_at, paused time excluded
    warned: bool = False  # the scan has handled the warning of this clock (or it was skipped)
    breach_handled: bool = False  # the scan has handled the breach of this clock

    @property
    def running(self) -> bool:
        return self.met_at is None and self.due_at is not None


class Pause(BaseModel):
    start: datetime
    end: datetime


class TicketSla(BaseModel):
    policy_id: str
    calendar_id: str
    targets: list[SlaTarget] = Field(default_factory=list)
    paused_since: datetime | None = None  # pending (or resolved): every clock stands still
    pauses: list[Pause] = Field(default_factory=list)  # finished pauses; never counted as elapsed
    awaiting_since: datetime | None = None  # the customer's oldest unanswered public message
    answered_cycles: list[SlaTarget] = Field(default_factory=list)  # earlier next-response cycles, for reports
    auto_close_at: datetime | None = None
    # A pending ticket's reminder to the customer and its resolution for want of a reply (`SlaPolicy.pending_*`).
    pending_reminder_at: datetime | None = None
    pending_resolve_at: datetime | None = None
    pending_reminded_for: datetime | None = None  # the pause (its `paused_since`) whose reminder went out
    next_action_at: datetime | None = None  # when the scan must next look at this ticket (the index key)

    def target(self, kind: TargetKind) -> SlaTarget | None:
        return next((t for t in self.targets if t.kind == kind), None)

    def answer_due(self) -> datetime | None:
        """When the team's next answer is due at the latest: the earliest running first- or next-response
        deadline (None: no such target runs)."""
        running = [t.due_at for t in self.targets
                   if t.kind in (TargetKind.FIRST_RESPONSE, TargetKind.NEXT_RESPONSE) and t.running and t.due_at]
        return min(running, default=None)


class SlaStanding(StrEnum):
    """A ticket's SLA at a glance, for lists and saved views: the worst of its current targets."""

    OK = "ok"  # clocks running (or met), none near or past its deadline
    AT_RISK = "at_risk"  # a running clock is in its warning window
    BREACHED = "breached"  # a deadline passed


def sla_standing(sla: TicketSla | None) -> SlaStanding | None:
    """None when no SLA applies to the ticket."""
    if sla is None or not sla.targets:
        return None
    states = {t.state for t in sla.targets}
    if TargetState.BREACHED in states:
        return SlaStanding.BREACHED
    if any(t.state == TargetState.WARNING and t.running for t in sla.targets):
        return SlaStanding.AT_RISK
    return SlaStanding.OK


SLA_SHARDS = 4  # fixed write shards of the SLA scan's index; the scan queries each


@dataclass(frozen=True)
class SlaScanEntry:
    """Where a ticket waits for the SLA scan: its shard (0 <= shard < SLA_SHARDS) and when it is due."""

    shard: int
    due: datetime


def sla_scan_entry(ticket_id: str, sla: TicketSla | None,
                   snoozed_until: datetime | None = None) -> SlaScanEntry | None:
    """Set only while the scan has a future action for the ticket: the SLA's next one, or the end of a snooze (the
    scan wakes it and tells whoever has it), whichever comes first. The shard is stable per ticket and spreads writes
    over the shards."""
    due = min((t for t in (sla.next_action_at if sla is not None else None, snoozed_until) if t is not None),
              default=None)
    if due is None:
        return None
    return SlaScanEntry(shard=sum(ticket_id.encode()) % SLA_SHARDS, due=due)

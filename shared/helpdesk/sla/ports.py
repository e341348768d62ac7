"""Ports of the SLA capability: where policies live, the exactly-once ledger, the due index, the notifier."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from helpdesk.sla.calendar import ALWAYS_OPEN_ID, BusinessCalendar, always_open_calendar
from helpdesk.sla.policy import SlaPolicy, choose


@dataclass
class SlaSettings:
    """One tenant's policies and calendars, as stored (the built-in default and 24x7 fill the gaps)."""

    policies: list[SlaPolicy] = field(default_factory=list)
    calendars: dict[str, BusinessCalendar] = field(default_factory=dict)

    def calendar(self, calendar_id: str) -> BusinessCalendar:
        found = self.calendars.get(calendar_id)
        if found is not None:
            return found
        if calendar_id != ALWAYS_OPEN_ID and ALWAYS_OPEN_ID in self.calendars:
            return self.calendars[ALWAYS_OPEN_ID]
        return always_open_calendar()  # a policy never points at a missing calendar (the API refuses it)

    def has_policy(self, policy_id: str) -> bool:
        return any(p.id == policy_id for p in self.policies)

    def resolve(self, priority: str, channel: str, group: str | None,
                tags: list[str]) -> tuple[SlaPolicy, BusinessCalendar]:
        policy = choose(self.policies, priority, channel, group, tags)
        return policy, self.calendar(policy.calendar_id)


class SlaSettingsStore(Protocol):
    """Each policy and calendar is stored with its version (`version` of what `load` returns; one saved before
    items had versions reads as 1). A write with `expected_version` happens only while the stored item is still
    at it (0: none stored), else `ConcurrentUpdate`; without, it is made on whatever is stored then (last write
    wins), retried when another write of the same item races it."""

    def load(self, tenant_id: str, *, fresh: bool = False) -> SlaSettings:
        """`fresh`: from the table, not from a cache (what an admin edits must carry the stored versions)."""
        ...

    def put_policy(self, tenant_id: str, policy: SlaPolicy, expected_version: int | None = None) -> int:
        """Store it (its `version` is ignored); its new version."""
        ...

    def delete_policy(self, tenant_id: str, policy_id: str, expected_version: int | None = None) -> bool:
        """Whether one was stored (and is now deleted)."""
        ...

    def put_calendar(self, tenant_id: str, calendar: BusinessCalendar, expected_version: int | None = None) -> int:
        ...

    def delete_calendar(self, tenant_id: str, calendar_id: str, expected_version: int | None = None) -> bool: ...


class Claim(StrEnum):
    WON = "won"  # this caller sends, then confirms (or releases when the send failed)
    SENT = "sent"  # confirmed before: record it on the ticket, send nothing
    BUSY = "busy"  # another caller holds a claim whose lease is still running: leave it to them


class NotificationLedger(Protocol):
    """Notifications sent once, and never recorded as sent before they were: a caller claims a key for
    `lease`, sends, then confirms. A claim whose holder died before confirming (a timed-out scan) lapses
    after its lease and the next caller sends it; only a holder that sent but could not confirm makes a
    duplicate possible, never a loss."""

    def claim(self, tenant_id: str, key: str, at: datetime, lease: timedelta) -> Claim: ...

    def confirm(self, tenant_id: str, key: str, at: datetime) -> None: ...

    def release(self, tenant_id: str, key: str) -> None: ...


@dataclass(frozen=True)
class DueTicket:
    tenant_id: str
    ticket_id: str


@dataclass
class DueBatch:
    items: list[DueTicket]
    examined: int  # index items read to find them


class DueIndex(Protocol):
    """Tickets whose next SLA action time is at or before `now`, oldest first."""

    def due(self, now: datetime, limit: int) -> DueBatch: ...


@dataclass(frozen=True)
class SlaReader:
    address: str
    language: str | None = None
    time_zone: str | None = None


@dataclass(frozen=True)
class SlaNotification:
    kind: str  # "warning" | "breached"
    tenant_id: str
    ticket_id: str
    ticket_number: str
    target: str
    due_at: datetime
    priority: str
    group: str | None
    recipients: tuple[str, ...]  # e-mail addresses of the group(s) and the assignee
    subject: str
    # The recipients the directory knows (the assignee): each is mailed in their language and time zone; the group
    # addresses (shared mailboxes) in `team_language` and `team_time_zone`.
    readers: tuple[SlaReader, ...] = ()
    # The time zone of the policy's business calendar: the hours the team keeps, so the times a shared mailbox reads
    # (None: UTC, as the 24x7 calendar).
    team_time_zone: str | None = None
    team_language: str = "en"  # the policy's `group_email_language`

    def as_message(self) -> dict[str, Any]:
        return {"kind": self.kind, "tenant_id": self.tenant_id, "ticket_id": self.ticket_id,
                "ticket": self.ticket_number, "target": self.target, "due_at": self.due_at.isoformat(),
                "priority": self.priority, "group": self.group}


class Notifier(Protocol):
    def notify(self, notification: SlaNotification) -> list[str]:
        """Send it; the channels that accepted it ("sns", "ses"): empty when none is configured or it has no
        recipient. Raises when a configured channel failed."""
        ...

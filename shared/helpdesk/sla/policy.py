"""SLA policies: targets per priority, the calendar they run on, the conditions that pick them.

A tenant's policies are tried in `position` order and the first whose conditions all match wins;
the default policy (id `default`) catches the rest. A fresh tenant gets `default_policy()` on the
24x7 calendar, so SLAs run from its first ticket.
"""

import re

from pydantic import BaseModel, ConfigDict, Field, model_validator

from helpdesk.kernel.i18n import Language
from helpdesk.sla.calendar import ALWAYS_OPEN_ID, StoredVersion
from helpdesk.tickets.sla_state import TargetKind

DEFAULT_POLICY_ID = "default"
PRIORITIES = ("urgent", "high", "normal", "low")  # mirrors helpdesk.tickets.model.Priority (no import: cycle)
CHANNELS = ("chat", "email", "api", "web")
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_ID = r"^[A-Za-z0-9_.-]+$"


class PriorityTargets(BaseModel):
    """Business minutes allowed per target; a missing target is not measured."""

    model_config = ConfigDict(extra="forbid")

    first_response_minutes: int | None = Field(default=None, gt=0, le=365 * 24 * 60)
    next_response_minutes: int | None = Field(default=None, gt=0, le=365 * 24 * 60)
    resolution_minutes: int | None = Field(default=None, gt=0, le=365 * 24 * 60)

    def budget(self, kind: TargetKind) -> int | None:
        value: int | None = getattr(self, f"{kind.value}_minutes")
        return value


class Conditions(BaseModel):
    """Each listed field must match (any of its values); an empty field matches everything."""

    model_config = ConfigDict(extra="forbid")

    priorities: list[str] = Field(default_factory=list, max_length=4)
    channels: list[str] = Field(default_factory=list, max_length=4)
    groups: list[str] = Field(default_factory=list, max_length=50)
    tags: list[str] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _known(self) -> "Conditions":
        bad = [p for p in self.priorities if p not in PRIORITIES] + [c for c in self.channels if c not in CHANNELS]
        if bad:
            raise ValueError(f"unknown priority or channel {bad}; priorities {list(PRIORITIES)}, "
                             f"channels {list(CHANNELS)}")
        self.tags = [t.strip().lower() for t in self.tags]
        return self

    def match(self, priority: str, channel: str, group: str | None, tags: list[str]) -> bool:
        return ((not self.priorities or priority in self.priorities)
                and (not self.channels or channel in self.channels)
                and (not self.groups or group in self.groups)
                and (not self.tags or bool(set(self.tags) & set(tags))))


class Escalation(BaseModel):
    """What a breach does besides notifying: raise the priority one step, move to a group."""

    model_config = ConfigDict(extra="forbid")

    raise_priority: bool = True
    group: str | None = Field(default=None, min_length=1, max_length=128)


class SlaPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=64, pattern=_ID)
    name: str = Field(min_length=1, max_length=200)
    position: int = Field(default=100, ge=0, le=100_000)  # lower is tried first
    calendar_id: str = Field(default=ALWAYS_OPEN_ID, min_length=1, max_length=64, pattern=_ID)
    conditions: Conditions = Field(default_factory=Conditions)
    targets: dict[str, PriorityTargets]
    warning_minutes: int = Field(default=30, gt=0, le=7 * 24 * 60)  # wall-clock minutes before a deadline
    escalation: Escalation = Field(default_factory=Escalation)
    auto_close_days: int | None = Field(default=7, gt=0, le=365)  # resolved tickets close after this
    # A ticket left `pending` (the team waits for the customer) after the team's public reply: the scan reminds the
    # customer after `pending_reminder_days` (a public message in their language) and marks the ticket resolved
    # after `pending_resolve_days` (then the rating mail and the auto-close follow). Calendar days from the moment
    # it became pending; a customer's reply reopens it and stops both. None: off (the default: a team opts in).
    pending_reminder_days: int | None = Field(default=None, gt=0, le=365)
    pending_resolve_days: int | None = Field(default=None, gt=0, le=365)
    # Group name -> addresses that get the warning and breach mails of that group's tickets.
    group_emails: dict[str, list[str]] = Field(default_factory=dict, max_length=100)
    # The language of those mails: a shared mailbox has none of its own (an agent's mails follow their profile).
    group_email_language: Language = "en"
    version: StoredVersion = 0

    @model_validator(mode="after")
    def _check(self) -> "SlaPolicy":
        unknown = sorted(set(self.targets) - set(PRIORITIES))
        if unknown:
            raise ValueError(f"targets for unknown priorities {unknown}; use {list(PRIORITIES)}")
        for group, addresses in self.group_emails.items():
            bad = [a for a in addresses if not re.match(_EMAIL, a)]
            if bad or len(addresses) > 20:
                raise ValueError(f"group_emails[{group!r}]: up to 20 valid addresses, got {bad or len(addresses)}")
        if self.pending_reminder_days and self.pending_resolve_days and \
                self.pending_reminder_days >= self.pending_resolve_days:
            raise ValueError("pending_reminder_days must be fewer than pending_resolve_days: the reminder comes first")
        return self

    def budget(self, priority: str, kind: TargetKind) -> int | None:
        targets = self.targets.get(priority)
        return targets.budget(kind) if targets else None


def default_policy() -> SlaPolicy:
    """Urgent: first response 1 h, resolution 4 h ... low: 24 h / 5 days, around the clock."""
    hour, day = 60, 24 * 60
    return SlaPolicy(
        id=DEFAULT_POLICY_ID,
        name="Default",
        position=100_000,
        targets={
            "urgent": PriorityTargets(first_response_minutes=1 * hour, next_response_minutes=1 * hour,
                                      resolution_minutes=4 * hour),
            "high": PriorityTargets(first_response_minutes=4 * hour, next_response_minutes=4 * hour,
                                    resolution_minutes=1 * day),
            "normal": PriorityTargets(first_response_minutes=8 * hour, next_response_minutes=8 * hour,
                                      resolution_minutes=3 * day),
            "low": PriorityTargets(first_response_minutes=1 * day, next_response_minutes=1 * day,
                                   resolution_minutes=5 * day),
        },
    )


def choose(policies: list[SlaPolicy], priority: str, channel: str, group: str | None,
           tags: list[str]) -> SlaPolicy:
    """First match by position wins; the default policy (stored or built in) catches the rest."""
    default = next((p for p in policies if p.id == DEFAULT_POLICY_ID), None) or default_policy()
    for policy in sorted(policies, key=lambda p: (p.position, p.id)):
        if policy.id != DEFAULT_POLICY_ID and policy.conditions.match(priority, channel, group, tags):
            return policy
    return default

"""The old helpdesk's SLA policies (Zendesk's SLA policies, Zammad's SLAs) and the business hours they count on
(Zendesk's schedules, Zammad's calendars), as SLA policies and calendars here.

A policy is brought over only when every condition it has there has a counterpart here (priorities, channels,
groups the directory has, tags): left out, a condition would put other tickets under it. Its targets are minutes per
priority; a target with no counterpart here (Zendesk's periodic updates, group ownership time) is named, not
kept. Imported policies are tried after the tenant's own ones, in their order there; a breach notifies as here but
does not raise the priority (nothing did there). Only the calendars the policies count on come over. Ids here come
from the ids there, so a rerun skips what it made (and leaves edits made here since alone).
"""

import re
from collections.abc import Mapping
from functools import partial

from pydantic import ValidationError

from helpdesk.directory.ports import DirectoryStore
from helpdesk.imports.catalog import SourceCatalog
from helpdesk.imports.counterparts import matched_groups
from helpdesk.imports.model import ItemImportReport, SourceCalendar, SourceSlaPolicy
from helpdesk.imports.ports import HelpdeskSource
from helpdesk.kernel.principal import Principal
from helpdesk.sla.admin import SlaAdmin
from helpdesk.sla.calendar import ALWAYS_OPEN_ID, BusinessCalendar, OpeningSpan
from helpdesk.sla.policy import CHANNELS, Conditions, Escalation, PriorityTargets, SlaPolicy

FIRST_POSITION = 1_000  # after the tenant's own policies (100 unless they chose otherwise)


def imported_sla_id(source: str, source_id: str) -> str:
    """A policy's or calendar's id here from its id there (ids here are `[A-Za-z0-9_.-]`, at most 64)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", f"{source}-{source_id}")[:64]


class SlaImport:
    def __init__(self, admin: SlaAdmin, directory_store: DirectoryStore) -> None:
        self._admin, self._store = admin, directory_store

    def run(self, caller: Principal, source: HelpdeskSource, *, dry_run: bool = False,
            catalog: SourceCatalog | None = None) -> tuple[ItemImportReport, ItemImportReport]:
        """The calendars and the policies; `catalog`: the source's lists as the ticket import read them."""
        catalog = catalog or SourceCatalog(source)
        policies = list(source.sla_policies())
        used = {p.calendar_id for p in policies if p.calendar_id}
        calendars, calendar_report = ({}, ItemImportReport()) if not used else \
            self._calendars(caller, source, used, dry_run)  # the account's schedules are read only when used
        groups = matched_groups(self._store, caller.tenant_id, catalog.groups)
        existing = {p.id for p in self._admin.policies(caller)}
        report = ItemImportReport()
        for index, old in enumerate(policies):
            policy_id = imported_sla_id(source.name, old.id)
            if policy_id in existing:
                report.already_imported += 1
                continue
            changed = list(old.targets_unsupported)
            try:
                policy, why_not = _policy(old, policy_id, FIRST_POSITION + 10 * index, calendars, groups)
            except ValidationError as exc:  # a target longer than a year, say
                policy, why_not = None, str(exc.errors()[0]["msg"])[:300]
            if policy is None:
                report.skipped[old.title] = why_not
                continue
            report.record(old.title, None if dry_run else partial(self._admin.put_policy, caller, policy, create=True),
                          changed)
        return calendar_report, report

    def _calendars(self, caller: Principal, source: HelpdeskSource, used: set[str],
                   dry_run: bool) -> tuple[dict[str, str | None], ItemImportReport]:
        """Old calendar id -> its id here (None: it could not come), for the calendars the policies count on."""
        report = ItemImportReport()
        existing = {c.id for c in self._admin.calendars(caller)}
        found: dict[str, str | None] = {}
        for old in source.calendars():
            if old.id not in used:
                continue
            calendar_id = imported_sla_id(source.name, f"calendar-{old.id}")
            found[old.id] = calendar_id
            if calendar_id in existing:
                report.already_imported += 1
                continue
            try:
                calendar = _calendar(old, calendar_id)
            except (ValidationError, ValueError) as exc:
                found[old.id] = None
                report.skipped[old.name] = (str(exc.errors()[0]["msg"]) if isinstance(exc, ValidationError)
                                            else str(exc))[:300]
                continue
            if not report.record(old.name, None if dry_run else
                                 partial(self._admin.put_calendar, caller, calendar, create=True), []):
                found[old.id] = None
        return found, report


def _calendar(old: SourceCalendar, calendar_id: str) -> BusinessCalendar:
    if old.unsupported:
        raise ValueError(old.unsupported)
    return BusinessCalendar(id=calendar_id, name=old.name[:200] or calendar_id, timezone=old.timezone,
                            hours={day: [OpeningSpan(start=start, end=end) for start, end in spans]
                                   for day, spans in old.hours.items()},
                            holidays=sorted(set(old.holidays))[:1000])


def _policy(old: SourceSlaPolicy, policy_id: str, position: int, calendars: Mapping[str, str | None],
            groups: Mapping[str, str]) -> tuple[SlaPolicy | None, str]:
    """The policy for `old`, or None and why not."""
    if old.conditions_unsupported:
        return None, "a condition has no counterpart here: " + "; ".join(old.conditions_unsupported)
    calendar = calendars.get(old.calendar_id) if old.calendar_id else ALWAYS_OPEN_ID
    if calendar is None:
        return None, "its business hours did not come over (see `calendars`)"
    missing = [g for g in old.group_ids if g not in groups]
    if missing:
        return None, "its group is not in the directory"
    channels = [c.value for c in old.channels]
    if any(c not in CHANNELS for c in channels):
        return None, "it applies to a channel tickets here do not come by"
    targets = {priority.value: PriorityTargets(**{f"{kind}_minutes": minutes for kind, minutes in kinds.items()})
               for priority, kinds in old.targets.items() if kinds}
    if not targets:
        return None, "it has no target a policy here measures"
    return SlaPolicy(id=policy_id, name=old.title[:200] or policy_id, position=position, calendar_id=calendar,
                     conditions=Conditions(priorities=[p.value for p in old.priorities], channels=channels,
                                           groups=[groups[g] for g in old.group_ids], tags=old.tags),
                     targets=targets, escalation=Escalation(raise_priority=False)), ""

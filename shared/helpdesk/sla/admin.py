"""Managing a tenant's SLA policies and calendars: admins write, staff read.

Rules beyond field validation: a policy must name a calendar that exists; a calendar a policy uses
cannot be deleted; the default policy and the 24x7 calendar always exist (built in until overridden,
deleting the override restores the built-in one).
"""

from typing import TYPE_CHECKING

from helpdesk.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from helpdesk.kernel.principal import Principal, Role
from helpdesk.sla.calendar import ALWAYS_OPEN_ID, BusinessCalendar, always_open_calendar
from helpdesk.sla.policy import DEFAULT_POLICY_ID, SlaPolicy, default_policy
from helpdesk.sla.ports import SlaSettingsStore

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail


class SlaAdmin:
    def __init__(self, store: SlaSettingsStore, audit: "AuditTrail | None" = None) -> None:
        self.store = store
        self._audit = audit

    # -- policies --------------------------------------------------------------------------

    def policies(self, caller: Principal) -> list[SlaPolicy]:
        _staff(caller)
        stored = self.store.load(caller.tenant_id).policies
        if not any(p.id == DEFAULT_POLICY_ID for p in stored):
            stored = [*stored, default_policy()]
        return sorted(stored, key=lambda p: (p.position, p.id))

    def policy(self, caller: Principal, policy_id: str) -> SlaPolicy:
        found = next((p for p in self.policies(caller) if p.id == policy_id), None)
        if found is None:
            raise NotFound(f"SLA policy {policy_id} not found")
        return found

    def put_policy(self, caller: Principal, policy: SlaPolicy, create: bool) -> SlaPolicy:
        _admin(caller)
        settings = self.store.load(caller.tenant_id)
        exists = settings.has_policy(policy.id) or policy.id == DEFAULT_POLICY_ID
        if create and exists:
            raise Conflict(f"SLA policy {policy.id} already exists", {"id": policy.id})
        if not create and not exists:
            raise NotFound(f"SLA policy {policy.id} not found")
        if policy.calendar_id != ALWAYS_OPEN_ID and policy.calendar_id not in settings.calendars:
            raise InvalidInput(f"calendar {policy.calendar_id} does not exist",
                               {"calendar_id": policy.calendar_id})
        before = next((p for p in self.policies(caller) if p.id == policy.id), None) if self._audit else None
        self.store.put_policy(caller.tenant_id, policy)
        if self._audit:
            self._audit.record(caller, "sla.policy", policy.id, before, policy)
        return policy

    def delete_policy(self, caller: Principal, policy_id: str) -> None:
        _admin(caller)
        before = next((p for p in self.policies(caller) if p.id == policy_id), None) if self._audit else None
        if not self.store.delete_policy(caller.tenant_id, policy_id) and policy_id != DEFAULT_POLICY_ID:
            raise NotFound(f"SLA policy {policy_id} not found")
        if self._audit and before is not None:
            self._audit.record(caller, "sla.policy", policy_id, before, None)

    # -- calendars -------------------------------------------------------------------------

    def calendars(self, caller: Principal) -> list[BusinessCalendar]:
        _staff(caller)
        stored = dict(self.store.load(caller.tenant_id).calendars)
        stored.setdefault(ALWAYS_OPEN_ID, always_open_calendar())
        return [stored[k] for k in sorted(stored)]

    def calendar(self, caller: Principal, calendar_id: str) -> BusinessCalendar:
        found = next((c for c in self.calendars(caller) if c.id == calendar_id), None)
        if found is None:
            raise NotFound(f"calendar {calendar_id} not found")
        return found

    def put_calendar(self, caller: Principal, calendar: BusinessCalendar, create: bool) -> BusinessCalendar:
        _admin(caller)
        exists = calendar.id in self.store.load(caller.tenant_id).calendars or calendar.id == ALWAYS_OPEN_ID
        if create and exists:
            raise Conflict(f"calendar {calendar.id} already exists", {"id": calendar.id})
        if not create and not exists:
            raise NotFound(f"calendar {calendar.id} not found")
        before = next((c for c in self.calendars(caller) if c.id == calendar.id), None) if self._audit else None
        self.store.put_calendar(caller.tenant_id, calendar)
        if self._audit:
            self._audit.record(caller, "sla.calendar", calendar.id, before, calendar)
        return calendar

    def delete_calendar(self, caller: Principal, calendar_id: str) -> None:
        _admin(caller)
        users = [p.id for p in self.policies(caller) if p.calendar_id == calendar_id]
        if users:
            raise Conflict(f"calendar {calendar_id} is used by SLA policies {users}", {"policies": users})
        before = next((c for c in self.calendars(caller) if c.id == calendar_id), None) if self._audit else None
        if not self.store.delete_calendar(caller.tenant_id, calendar_id) and calendar_id != ALWAYS_OPEN_ID:
            raise NotFound(f"calendar {calendar_id} not found")
        if self._audit and before is not None:
            self._audit.record(caller, "sla.calendar", calendar_id, before, None)


def _staff(caller: Principal) -> None:
    if not caller.is_staff:
        raise Forbidden("SLA settings are for agents and admins")


def _admin(caller: Principal) -> None:
    if caller.role != Role.ADMIN:
        raise Forbidden("only admins change SLA settings")

"""Managing a tenant's SLA policies and calendars: admins write, staff read.

Rules beyond field validation: a policy must name a calendar that exists; a calendar a policy uses
cannot be deleted; the default policy and the 24x7 calendar always exist (built in until overridden,
deleting the override restores the built-in one).

Each policy and calendar has a version (0 while built in). A write naming the version it was read at
(`expected_version`, the API's If-Match) is refused with `ConcurrentUpdate` once another write moved it, so two
admins cannot overwrite each other unseen; a write naming none replaces what is stored (the last write wins).
"""

from typing import TYPE_CHECKING, Any

from helpdesk.kernel.errors import ConcurrentUpdate, Conflict, Forbidden, InvalidInput, NotFound
from helpdesk.kernel.principal import Principal, Role
from helpdesk.sla.calendar import ALWAYS_OPEN_ID, BusinessCalendar, always_open_calendar
from helpdesk.sla.policy import DEFAULT_POLICY_ID, SlaPolicy, default_policy
from helpdesk.sla.ports import SlaSettings, SlaSettingsStore

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail


class SlaAdmin:
    def __init__(self, store: SlaSettingsStore, audit: "AuditTrail | None" = None) -> None:
        self.store = store
        self._audit = audit

    def _settings(self, tenant_id: str) -> SlaSettings:
        return self.store.load(tenant_id, fresh=True)  # what an admin is shown to edit: the stored versions

    # -- policies --------------------------------------------------------------------------

    def policies(self, caller: Principal) -> list[SlaPolicy]:
        _staff(caller)
        return _policies(self._settings(caller.tenant_id))

    def policy(self, caller: Principal, policy_id: str) -> SlaPolicy:
        found = next((p for p in self.policies(caller) if p.id == policy_id), None)
        if found is None:
            raise NotFound(f"SLA policy {policy_id} not found")
        return found

    def put_policy(self, caller: Principal, policy: SlaPolicy, create: bool,
                   expected_version: int | None = None) -> SlaPolicy:
        """The policy as stored, with its new version (the one in `policy` is ignored)."""
        _admin(caller)
        settings = self._settings(caller.tenant_id)
        before = next((p for p in _policies(settings) if p.id == policy.id), None)
        if create and before is not None:
            raise Conflict(f"SLA policy {policy.id} already exists", {"id": policy.id})
        if not create and before is None:
            raise NotFound(f"SLA policy {policy.id} not found")
        if policy.calendar_id != ALWAYS_OPEN_ID and policy.calendar_id not in settings.calendars:
            raise InvalidInput(f"calendar {policy.calendar_id} does not exist",
                               {"calendar_id": policy.calendar_id})
        _still_at(before, expected_version)
        try:
            version = self.store.put_policy(caller.tenant_id, policy, 0 if create else expected_version)
        except ConcurrentUpdate as exc:
            if create:  # another admin created it since it was looked up
                raise Conflict(f"SLA policy {policy.id} already exists", {"id": policy.id}) from exc
            raise
        saved = policy.model_copy(update={"version": version})
        if self._audit:
            self._audit.record(caller, "sla.policy", policy.id, _audited(before), _audited(saved))
        return saved

    def delete_policy(self, caller: Principal, policy_id: str, expected_version: int | None = None) -> None:
        _admin(caller)
        before = next((p for p in _policies(self._settings(caller.tenant_id)) if p.id == policy_id), None)
        if before is None:
            raise NotFound(f"SLA policy {policy_id} not found")
        _still_at(before, expected_version)
        deleted = self.store.delete_policy(caller.tenant_id, policy_id, expected_version)
        if not deleted and policy_id != DEFAULT_POLICY_ID:  # deleted by someone else since it was read
            raise NotFound(f"SLA policy {policy_id} not found")
        if self._audit:
            self._audit.record(caller, "sla.policy", policy_id, _audited(before), None)

    # -- calendars -------------------------------------------------------------------------

    def calendars(self, caller: Principal) -> list[BusinessCalendar]:
        _staff(caller)
        return _calendars(self._settings(caller.tenant_id))

    def calendar(self, caller: Principal, calendar_id: str) -> BusinessCalendar:
        found = next((c for c in self.calendars(caller) if c.id == calendar_id), None)
        if found is None:
            raise NotFound(f"calendar {calendar_id} not found")
        return found

    def put_calendar(self, caller: Principal, calendar: BusinessCalendar, create: bool,
                     expected_version: int | None = None) -> BusinessCalendar:
        """The calendar as stored, with its new version (the one in `calendar` is ignored)."""
        _admin(caller)
        before = next((c for c in _calendars(self._settings(caller.tenant_id)) if c.id == calendar.id), None)
        if create and before is not None:
            raise Conflict(f"calendar {calendar.id} already exists", {"id": calendar.id})
        if not create and before is None:
            raise NotFound(f"calendar {calendar.id} not found")
        _still_at(before, expected_version)
        try:
            version = self.store.put_calendar(caller.tenant_id, calendar, 0 if create else expected_version)
        except ConcurrentUpdate as exc:
            if create:  # another admin created it since it was looked up
                raise Conflict(f"calendar {calendar.id} already exists", {"id": calendar.id}) from exc
            raise
        saved = calendar.model_copy(update={"version": version})
        if self._audit:
            self._audit.record(caller, "sla.calendar", calendar.id, _audited(before), _audited(saved))
        return saved

    def delete_calendar(self, caller: Principal, calendar_id: str, expected_version: int | None = None) -> None:
        _admin(caller)
        settings = self._settings(caller.tenant_id)
        users = [p.id for p in _policies(settings) if p.calendar_id == calendar_id]
        if users:
            raise Conflict(f"calendar {calendar_id} is used by SLA policies {users}", {"policies": users})
        before = next((c for c in _calendars(settings) if c.id == calendar_id), None)
        if before is None:
            raise NotFound(f"calendar {calendar_id} not found")
        _still_at(before, expected_version)
        deleted = self.store.delete_calendar(caller.tenant_id, calendar_id, expected_version)
        if not deleted and calendar_id != ALWAYS_OPEN_ID:  # deleted by someone else since it was read
            raise NotFound(f"calendar {calendar_id} not found")
        if self._audit:
            self._audit.record(caller, "sla.calendar", calendar_id, _audited(before), None)


def _policies(settings: SlaSettings) -> list[SlaPolicy]:
    """The stored policies and the built-in default unless it is overridden, in the order they are tried."""
    policies = settings.policies
    if not any(p.id == DEFAULT_POLICY_ID for p in policies):
        policies = [*policies, default_policy()]
    return sorted(policies, key=lambda p: (p.position, p.id))


def _calendars(settings: SlaSettings) -> list[BusinessCalendar]:
    """The stored calendars and the built-in 24x7 unless it is overridden, by id."""
    calendars = dict(settings.calendars)
    calendars.setdefault(ALWAYS_OPEN_ID, always_open_calendar())
    return [calendars[k] for k in sorted(calendars)]


def _still_at(current: SlaPolicy | BusinessCalendar | None, expected_version: int | None) -> None:
    """Refuse, with both versions, a write naming a version the item has left; the store's conditional write
    catches a change made after this read."""
    version = 0 if current is None else current.version
    if expected_version is not None and expected_version != version:
        raise ConcurrentUpdate("it changed since it was read: read it again, then redo the change",
                               {"expected_version": expected_version, "current_version": version})


def _audited(item: SlaPolicy | BusinessCalendar | None) -> dict[str, Any] | None:
    """What the audit records: the item without its version, so a save that changes nothing else stays no entry."""
    return None if item is None else item.model_dump(mode="json", exclude={"version"})


def _staff(caller: Principal) -> None:
    if not caller.is_staff:
        raise Forbidden("SLA settings are for agents and admins")


def _admin(caller: Principal) -> None:
    if caller.role != Role.ADMIN:
        raise Forbidden("only admins change SLA settings")

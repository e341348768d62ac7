"""The tenant's triggers as the team reads them and admins change them: versioned (a save made meanwhile is 409),
audited, only with groups the directory has (a trigger moving tickets to a group nobody is in would hide them) and
custom field values of the fields' types."""

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Forbidden, InvalidAssignment, NotFound
from helpdesk.kernel.principal import Principal, Role
from helpdesk.macros.rendering import check_template
from helpdesk.tickets.model import Ticket
from helpdesk.tickets.ports import AssignmentPolicy
from helpdesk.triggers.firing import act, assignable_by, opening, unmet
from helpdesk.triggers.model import TriggerChange, TriggerEvent, TriggerList, TriggersView, TriggerTrial, TriggerTry
from helpdesk.triggers.ports import BusinessTime, SweepPlan, TriggerStore
from helpdesk.triggers.timers import due_at, waiting

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail


class TriggerSettings:
    def __init__(self, store: TriggerStore, assignments: AssignmentPolicy | None = None,
                 audit: "AuditTrail | None" = None,
                 check_field_values: Callable[[str, Mapping[str, Any], str], None] | None = None,
                 ticket_by_number: Callable[[Principal, int], Ticket] | None = None,
                 sweeps: SweepPlan | None = None, business: BusinessTime | None = None,
                 clock: Clock = system_clock) -> None:
        """`check_field_values`: `TicketService.check_field_values` (InvalidFieldValue for a value of a defined key
        that is not of its type, named at the place given); `ticket_by_number`: `TicketService.get_by_number`
        (NotFound for one the caller may not open); `sweeps`: where the tenants with time triggers are planned;
        `business`: the tickets' business hours."""
        self._store, self._assignments, self._audit = store, assignments, audit
        self._check_field_values = check_field_values
        self._ticket_by_number = ticket_by_number
        self._sweeps = sweeps
        self._business = business  # the tickets' business hours, to try a time trigger that counts them
        self._clock = clock

    def view(self, caller: Principal) -> TriggersView:
        if not caller.is_staff:
            raise NotFound("not found")  # the team's configuration, not a customer's business
        triggers, version = self._store.get(caller.tenant_id)
        return TriggersView(triggers=triggers.triggers, rerun=triggers.rerun, version=version)

    def replace(self, caller: Principal, triggers: TriggerList, expected_version: int | None = None) -> TriggersView:
        if not caller.is_staff:
            raise NotFound("not found")
        if caller.role != Role.ADMIN:
            raise Forbidden("only admins change triggers")
        self._check_groups(caller.tenant_id, triggers)
        self._check_fields(caller.tenant_id, triggers)
        before, saved = self._store.get(caller.tenant_id) if self._audit else (None, 0)
        timed = any(t.timed for t in triggers.triggers)
        if timed and self._sweeps is not None:
            # Planned before the save and dropped after it, so a save that fails halfway leaves at most a plan
            # without time triggers (the sweep drops it), never time triggers nobody sweeps. Swept at once: the
            # tickets already due are acted on at the next scan.
            self._sweeps.plan(caller.tenant_id, self._clock())
        version = self._store.put(caller.tenant_id, triggers, expected_version)
        if not timed and self._sweeps is not None:
            self._sweeps.drop(caller.tenant_id)
        if self._audit:  # the first save creates them (version 0: none were ever saved)
            self._audit.record(caller, "triggers", caller.tenant_id, before if saved else None, triggers)
        return TriggersView(triggers=triggers.triggers, rerun=triggers.rerun, version=version)

    def _check_groups(self, tenant_id: str, triggers: TriggerList) -> None:
        if self._assignments is None:
            return
        for n, trigger in enumerate(triggers.triggers):
            named = [(f"triggers[{n}].conditions.groups", g) for g in trigger.conditions.groups]
            if trigger.actions.group:
                named.append((f"triggers[{n}].actions.group", trigger.actions.group))
            for field, group in named:
                try:
                    self._assignments.check(tenant_id, group=group)
                except InvalidAssignment as exc:
                    raise InvalidAssignment(f"{field}: no group {group!r} in this tenant (groups are made on the "
                                            "Team screen or with POST /groups)",
                                            {"field": field, "group": group}) from exc
            if trigger.actions.assignee_id:  # an active agent, of the group the trigger moves the ticket to if any
                field = f"triggers[{n}].actions.assignee_id"
                try:
                    self._assignments.check(tenant_id, assignee_id=trigger.actions.assignee_id,
                                            assignee_group=trigger.actions.group)
                except InvalidAssignment as exc:
                    raise InvalidAssignment(f"{field}: {exc}", {**exc.details, "field": field}) from exc

    def _check_fields(self, tenant_id: str, triggers: TriggerList) -> None:
        """The reply and note templates (placeholders only, as a macro's: 400 naming the field) and the values triggers
        set, against the tenant's field definitions as they are now (422 naming the field).
        A definition changed later is not checked again when a trigger fires: as with values set before, the ticket
        keeps what it was given and the console shows it read-only."""
        for n, trigger in enumerate(triggers.triggers):
            for name, template in (("reply", trigger.actions.reply), ("note", trigger.actions.note)):
                if template:  # placeholders only, as a macro's (422 naming the field)
                    check_template(template, f"triggers[{n}].actions.{name}")
            if self._check_field_values is not None:
                self._check_field_values(tenant_id, trigger.actions.custom_fields,
                                         f"triggers[{n}].actions.custom_fields")

    def try_on(self, caller: Principal, trial: TriggerTry) -> TriggerTrial:
        """Whether `trial.trigger` would act on the ticket as it stands now and what it would change, its `on` taken
        as having happened, by the caller (a time trigger: whether its hours have passed, `after` among the unmet
        otherwise): nothing is written (an admin checks a trigger before saving it)."""
        if not caller.is_staff or self._ticket_by_number is None:
            raise NotFound("not found")
        ticket = self._ticket_by_number(caller, trial.number)
        trigger = trial.trigger
        message = trial.message or (opening(ticket) if TriggerEvent.TICKET_CREATED in trigger.on else "")
        missing = waiting(trigger, ticket, self._clock(), self._business) if trigger.after is not None else \
            unmet(trigger.conditions, ticket, ticket.status, message)
        changes: list[TriggerChange] = []
        if not missing:
            events = act(trigger, ticket.model_copy(deep=True), self._clock(), trial.message,
                         assignable=assignable_by(self._assignments), actor=caller.user_id)  # as if they changed it
            changes = [TriggerChange(type=e.type.value, data=dict(e.data)) for e in events]
        return TriggerTrial(ticket_id=ticket.id, number=ticket.key, matches=not missing, unmet=missing,
                            changes=changes, due_at=due_at(trigger, ticket, self._business))

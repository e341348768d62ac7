"""The old helpdesk's rules on changes (Zendesk's and Zammad's triggers that run on updates) and on time (Zendesk's
automations that a time trigger can do: `SourceAutomation.trigger`) as triggers here (`helpdesk.triggers`): what
each waited for (or how long after what), the ticket's state it asked for (status, priority, group, tags, whether
someone has it, the channel, the requester's organisation, the request form, custom fields, the message's words)
and what it did (status, priority, group, tags, custom fields, no assignee or an agent of the directory here, a mail
to the team, a webhook as `ticket.triggered`).

A trigger is brought over only when every condition it has there has a counterpart here (left out, a condition would
make it change tickets it never changed) and only with groups, organisations, forms and fields found here (run after
the tickets, which bring the organisations, forms and fields over). Actions without a counterpart (a mail to the
requester or anyone outside the team, an agent not in the directory here or not in the group) are left out and
named. The triggers keep their order,
after the tenant's own; each keeps its id there (`zammad-trigger-104`), so a rerun adds only the ones not there
yet."""

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from helpdesk.directory.ports import DirectoryStore
from helpdesk.directory.service import AssignmentCheck
from helpdesk.imports.catalog import SourceCatalog
from helpdesk.imports.counterparts import directory_user_id, matched_groups, matched_organizations
from helpdesk.imports.fields import (
    FieldMapping,
    FieldPlan,
    field_conditions,
    plan_fields,
    plan_forms,
    ticket_values,
)
from helpdesk.imports.macros import TRANSLATORS, Translator, template_of
from helpdesk.imports.model import ItemImportReport, SourcePerson, SourceTrigger
from helpdesk.imports.ports import HelpdeskSource
from helpdesk.kernel.errors import InvalidAssignment, InvalidInput
from helpdesk.kernel.principal import Principal
from helpdesk.macros.rendering import check_template
from helpdesk.tickets.fields import TicketFieldDefinitions, TicketFields
from helpdesk.triggers.model import (
    MAX_TRIGGER_KEYWORDS,
    MAX_TRIGGER_ORGANIZATIONS,
    MAX_TRIGGER_TAGS,
    MAX_TRIGGERS,
    Trigger,
    TriggerList,
)
from helpdesk.triggers.service import TriggerSettings

_NOT_IN_ID = re.compile(r"[^a-z0-9_-]+")


def imported_trigger_id(source: str, old_id: str) -> str:
    """`zammad-trigger-104`, `zendesk-360001`: stable, so a rerun finds the trigger it made."""
    return _NOT_IN_ID.sub("-", f"{source}-{old_id}".lower()).strip("-")[:64]


class TriggerImport:
    def __init__(self, triggers: TriggerSettings, directory_store: DirectoryStore,
                 field_definitions: TicketFieldDefinitions) -> None:
        self._triggers, self._store, self._field_definitions = triggers, directory_store, field_definitions

    def run(self, caller: Principal, source: HelpdeskSource, *, dry_run: bool = False,
            catalog: SourceCatalog | None = None) -> ItemImportReport:
        """`catalog`: the source's lists as the ticket import read them."""
        catalog = catalog or SourceCatalog(source)
        report = ItemImportReport()
        view = self._triggers.view(caller)
        plan = self._field_plan(caller, source, catalog)
        counterparts = _Counterparts(
            groups=matched_groups(self._store, caller.tenant_id, catalog.groups),
            organizations=matched_organizations(self._store, caller.tenant_id, catalog.organizations),
            fields=plan.mappings, forms=plan.forms,
            agents=lambda old_id, group: self._agent(caller.tenant_id, catalog.people.get(old_id), group),
            translate=TRANSLATORS.get(source.name))
        kept = list(view.triggers)
        ids = {t.id for t in kept}
        timed = (a.trigger for a in source.automations() if a.trigger is not None)
        for old in itertools.chain(source.triggers(), timed):
            trigger_id = imported_trigger_id(source.name, old.id)
            if trigger_id in ids:
                report.already_imported += 1
                continue
            changed = list(old.actions_unsupported)
            trigger, why_not = _trigger(old, trigger_id, counterparts, changed)
            if trigger is None:
                report.skipped[old.title] = why_not
            elif len(kept) >= MAX_TRIGGERS:
                report.skipped[old.title] = f"the tenant has {MAX_TRIGGERS} triggers, the most it may"
            else:
                kept.append(trigger)
                ids.add(trigger_id)
                report.created += 1
                if changed:
                    report.changed[old.title] = changed
        # They run here as they ran there (Zendesk's again after one acted; Zammad's so when its setting says), unless
        # the tenant had triggers of its own: its choice stands, and is named.
        reran = source.triggers_rerun() if report.created else False
        rerun = view.rerun if view.triggers else reran
        if report.created and rerun != reran:
            report.notes.append(f"{source.name} ran its triggers " +
                                ("again after one acted" if reran else "once per change") +
                                "; here the list " + ("reruns" if rerun else "runs once per change") +
                                ", as the tenant's triggers before the import did (rerun on the Triggers screen)")
        if report.created and not dry_run:  # one audited save, as an admin's on the Triggers screen
            self._triggers.replace(caller, TriggerList(triggers=kept, rerun=rerun), view.version)
        return report

    def _agent(self, tenant_id: str, person: SourcePerson | None, group: str | None) -> str | None:
        """The directory's active agent with the old agent's address who may take tickets of `group` (None: none;
        a trigger saved with another would be refused)."""
        user_id = directory_user_id(self._store, tenant_id, person, staff_only=True)
        if user_id is None:
            return None
        try:
            AssignmentCheck(self._store).check(tenant_id, assignee_id=user_id, assignee_group=group)
        except InvalidAssignment:
            return None
        return user_id

    def _field_plan(self, caller: Principal, source: HelpdeskSource, catalog: SourceCatalog) -> FieldPlan:
        """The old fields and request forms as those here the ticket import made of them."""
        current = self._field_definitions.view(caller)
        return plan_forms(plan_fields(TicketFields(fields=current.fields, forms=current.forms), catalog.ticket_fields,
                                      source.name), source.ticket_forms())


@dataclass(frozen=True)
class _Counterparts:
    """Old ids -> ids here: groups, organisations, custom fields."""

    groups: Mapping[str, str]
    organizations: Mapping[str, str]
    fields: Mapping[str, FieldMapping]
    forms: Mapping[str, str]
    agents: Callable[[str, str | None], str | None]  # (old agent id, the group here it moves to) -> a user here
    translate: Translator | None  # the source's placeholders -> this helpdesk's (a reply's, a note's)


def _trigger(old: SourceTrigger, trigger_id: str, here: _Counterparts,
             changed: list[str]) -> tuple[Trigger | None, str]:
    """The trigger for `old`, or None and why not."""
    if old.conditions_unsupported:
        return None, "a condition has no counterpart here: " + "; ".join(old.conditions_unsupported)
    if not old.active:
        return None, "it was inactive there"
    groups = here.groups
    condition_groups = [groups.get(g) for g in old.group_ids]
    if None in condition_groups:
        return None, "a group it asks for is not in the directory (add the group, then import again)"
    organizations = [here.organizations.get(o) for o in old.organization_ids]
    if None in organizations:
        return None, "an organisation it asks for did not come over"
    forms = [here.forms.get(f) for f in old.form_ids]
    if None in forms:
        return None, "a ticket form it asks for did not come over"
    missing: list[str] = []
    field_terms = field_conditions(here.fields, old.field_values, missing)
    if missing:
        return None, "; ".join(missing)
    if len(old.keywords) > MAX_TRIGGER_KEYWORDS or len(organizations) > MAX_TRIGGER_ORGANIZATIONS:
        return None, f"it asks for more than {MAX_TRIGGER_KEYWORDS} words or {MAX_TRIGGER_ORGANIZATIONS} organisations"
    group = groups.get(old.group_id or "")
    if old.group_id and group is None:
        changed.append("does not set the group (no such group in the directory)")
    assignee = here.agents(old.assignee_id, group) if old.assignee_id else None
    if old.assignee_id and assignee is None:
        changed.append(f"does not assign agent {old.assignee_id} (no active agent with their address here"
                       + (f" in {group})" if group else ")"))
    values = _field_values(here.fields, old.set_field_values, changed)
    keys = {source_id: mapping.field.key for source_id, mapping in here.fields.items()}
    reply, note = (_checked(template_of(text, here.translate, keys, changed), name, changed)
                   for name, text in (("reply", old.reply), ("note", old.note)))
    for name, tags in (("adds", old.add_tags), ("removes", old.remove_tags)):
        if len(tags) > MAX_TRIGGER_TAGS:
            changed.append(f"{name} only its first {MAX_TRIGGER_TAGS} tags")
    try:
        return Trigger.model_validate({
            "id": trigger_id, "name": old.title.strip()[:200] or trigger_id, "on": old.on, "after": old.after,
            "conditions": {"statuses": old.statuses, "from_statuses": old.from_statuses,
                           "priorities": old.priorities, "groups": condition_groups,
                           "tags": old.tags[:MAX_TRIGGER_TAGS], "without_tags": old.without_tags[:MAX_TRIGGER_TAGS],
                           "assigned": old.assigned, "channels": old.channels, "organizations": organizations,
                           "fields": field_terms, "keywords": old.keywords, "forms": forms,
                           "ratings": old.ratings},
            "actions": {"group": group, "unassign": old.unassign, "assignee_id": assignee,
                        "assign_to_actor": old.assign_to_actor, "priority": old.priority,
                        "add_tags": old.add_tags[:MAX_TRIGGER_TAGS], "remove_tags": old.remove_tags[:MAX_TRIGGER_TAGS],
                        "reply": reply, "note": note, "status": old.status, "notify": old.notify,
                        "integrations": old.integrations,
                        "custom_fields": values}}), ""
    except ValidationError as exc:  # nothing left to do here, a tag longer than a trigger takes, ...
        first = exc.errors()[0]
        reason = str(first["msg"]).removeprefix("Value error, ")
        if "sets a group" in reason:
            return None, "it sets nothing a trigger sets here (" + ("; ".join(changed) or "no action") + ")"
        return None, reason[:300]


def _checked(template: str | None, name: str, changed: list[str]) -> str | None:
    """The template as a save takes it, else None and why in `changed` (a whole list's save would be refused)."""
    if template is None:
        return None
    try:
        check_template(template, name)
    except InvalidInput as exc:
        changed.append(f"does not add its {name} ({exc.message})")
        return None
    return template


def _field_values(fields: Mapping[str, FieldMapping], old: Mapping[str, Any], changed: list[str]) -> dict[str, Any]:
    """The custom field values an old trigger set, by the fields here; each that cannot come is named in `changed`."""
    problems: list[str] = []
    values = ticket_values(fields, old, problems)
    changed.extend(f"does not set {problem}" for problem in problems)
    changed.extend(f"does not set field {source_id} (the field was not brought over)"
                   for source_id in old if source_id not in fields)
    return values

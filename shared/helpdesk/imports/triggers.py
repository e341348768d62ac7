"""The old helpdesk's rules on changes (Zendesk's and Zammad's triggers that run on updates) as triggers here
(`helpdesk.triggers`): what each waited for, the ticket's state it asked for (status, priority, group, tags, whether
someone has it) and what it set (status, priority, group, tags, no assignee).

A trigger is brought over only when every condition it has there has a counterpart here (left out, a condition would
make it change tickets it never changed) and only with groups the directory has. Actions without a counterpart
(notify someone, a webhook, set the assignee) are left out and named. The triggers keep their order, after the
tenant's own; each keeps its id there (`zammad-trigger-104`), so a rerun adds only the ones not there yet."""

import re

from pydantic import ValidationError

from helpdesk.directory.ports import DirectoryStore
from helpdesk.imports.catalog import SourceCatalog
from helpdesk.imports.counterparts import matched_groups
from helpdesk.imports.model import ItemImportReport, SourceTrigger
from helpdesk.imports.ports import HelpdeskSource
from helpdesk.kernel.principal import Principal
from helpdesk.triggers.model import MAX_TRIGGER_TAGS, MAX_TRIGGERS, Trigger, TriggerList
from helpdesk.triggers.service import TriggerSettings

_NOT_IN_ID = re.compile(r"[^a-z0-9_-]+")


def imported_trigger_id(source: str, old_id: str) -> str:
    """`zammad-trigger-104`, `zendesk-360001`: stable, so a rerun finds the trigger it made."""
    return _NOT_IN_ID.sub("-", f"{source}-{old_id}".lower()).strip("-")[:64]


class TriggerImport:
    def __init__(self, triggers: TriggerSettings, directory_store: DirectoryStore) -> None:
        self._triggers, self._store = triggers, directory_store

    def run(self, caller: Principal, source: HelpdeskSource, *, dry_run: bool = False,
            catalog: SourceCatalog | None = None) -> ItemImportReport:
        """`catalog`: the source's lists as the ticket import read them."""
        catalog = catalog or SourceCatalog(source)
        report = ItemImportReport()
        view = self._triggers.view(caller)
        groups = matched_groups(self._store, caller.tenant_id, catalog.groups)
        kept = list(view.triggers)
        ids = {t.id for t in kept}
        for old in source.triggers():
            trigger_id = imported_trigger_id(source.name, old.id)
            if trigger_id in ids:
                report.already_imported += 1
                continue
            changed = list(old.actions_unsupported)
            trigger, why_not = _trigger(old, trigger_id, groups, changed)
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
        if report.created and not dry_run:  # one audited save, as an admin's on the Triggers screen
            self._triggers.replace(caller, TriggerList(triggers=kept), view.version)
        return report


def _trigger(old: SourceTrigger, trigger_id: str, groups: dict[str, str],
             changed: list[str]) -> tuple[Trigger | None, str]:
    """The trigger for `old`, or None and why not."""
    if old.conditions_unsupported:
        return None, "a condition has no counterpart here: " + "; ".join(old.conditions_unsupported)
    if not old.active:
        return None, "it was inactive there"
    condition_groups = [groups.get(g) for g in old.group_ids]
    if None in condition_groups:
        return None, "a group it asks for is not in the directory (add the group, then import again)"
    group = groups.get(old.group_id or "")
    if old.group_id and group is None:
        changed.append("does not set the group (no such group in the directory)")
    for name, tags in (("adds", old.add_tags), ("removes", old.remove_tags)):
        if len(tags) > MAX_TRIGGER_TAGS:
            changed.append(f"{name} only its first {MAX_TRIGGER_TAGS} tags")
    try:
        return Trigger.model_validate({
            "id": trigger_id, "name": old.title.strip()[:200] or trigger_id, "on": old.on,
            "conditions": {"statuses": old.statuses, "from_statuses": old.from_statuses,
                           "priorities": old.priorities, "groups": condition_groups,
                           "tags": old.tags[:MAX_TRIGGER_TAGS], "without_tags": old.without_tags[:MAX_TRIGGER_TAGS],
                           "assigned": old.assigned},
            "actions": {"group": group, "unassign": old.unassign, "priority": old.priority,
                        "add_tags": old.add_tags[:MAX_TRIGGER_TAGS], "remove_tags": old.remove_tags[:MAX_TRIGGER_TAGS],
                        "status": old.status, "notify": old.notify}}), ""
    except ValidationError as exc:  # nothing left to do here, a tag longer than a trigger takes, ...
        first = exc.errors()[0]
        reason = str(first["msg"]).removeprefix("Value error, ")
        if "sets a group" in reason:
            return None, "it sets nothing a trigger sets here (" + ("; ".join(changed) or "no action") + ")"
        return None, reason[:300]

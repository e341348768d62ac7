"""The old helpdesk's saved ticket lists (Zendesk's views, Zammad's overviews) as saved views here.

A view is brought over only when every condition it has there has a counterpart here (its group, assignee,
organisation, form and fields found here too): left out, a condition would make it list tickets it never listed.
Statuses are the one exception, named in the report: a view here filters by one status or by "unsolved", so "new or
open" lists every unsolved ticket here. Inactive views stay there. A view shared with groups there is the first
such group's here (the tenant's when the directory has none of them); one an agent kept for themselves is that
agent's, when the directory knows their address. Its id here comes from its id there, so a rerun skips the ones it
made (and leaves edits made here since alone).
"""

import uuid
from collections.abc import Mapping
from functools import partial

from pydantic import ValidationError

from helpdesk.directory.ports import DirectoryStore
from helpdesk.imports.catalog import SourceCatalog
from helpdesk.imports.counterparts import directory_user_id, matched_groups, matched_organizations
from helpdesk.imports.fields import FieldMapping, field_conditions, plan_fields, plan_forms
from helpdesk.imports.model import ItemImportReport, SourceView
from helpdesk.imports.ports import HelpdeskSource
from helpdesk.kernel.principal import Principal, Role
from helpdesk.kernel.sharing import Scope
from helpdesk.tickets.fields import TicketFieldDefinitions, TicketFields
from helpdesk.tickets.model import UNSOLVED, Status
from helpdesk.views.model import ViewDraft, ViewFilters, ViewOrder
from helpdesk.views.service import ViewService

# What a list of the unsolved tickets has there at least (Zammad has no "on hold"): no more than "unsolved" here.
_ALL_UNSOLVED = frozenset({Status.NEW, Status.OPEN, Status.PENDING})


def imported_view_id(tenant_id: str, source: str, source_id: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"helpdesk-import-view:{tenant_id}:{source}:{source_id}").hex


class ViewImport:
    def __init__(self, views: ViewService, directory_store: DirectoryStore,
                 field_definitions: TicketFieldDefinitions) -> None:
        self._views, self._store, self._field_definitions = views, directory_store, field_definitions

    def run(self, caller: Principal, source: HelpdeskSource, *, dry_run: bool = False,
            catalog: SourceCatalog | None = None) -> ItemImportReport:
        """Every view of `source` not imported before; run after the tickets, so the organisations, custom fields
        and request forms the views filter by exist here. `catalog`: the source's lists as the ticket import read
        them."""
        catalog = catalog or SourceCatalog(source)
        report = ItemImportReport()
        current = self._field_definitions.view(caller)
        plan = plan_forms(plan_fields(TicketFields(fields=current.fields, forms=current.forms), catalog.ticket_fields,
                                      source.name), source.ticket_forms())
        groups = matched_groups(self._store, caller.tenant_id, catalog.groups)
        organizations = matched_organizations(self._store, caller.tenant_id, catalog.organizations)
        for old in source.views():
            view_id = imported_view_id(caller.tenant_id, source.name, old.id)
            if self._views.store.get(caller.tenant_id, view_id) is not None:
                report.already_imported += 1
                continue
            if not old.active:
                report.skipped[old.title] = "it was inactive there"
                continue
            owner_id = self._staff_id(caller.tenant_id, catalog, old.owner_id)
            if old.owner_id and owner_id is None:
                report.skipped[old.title] = "the agent it belonged to is not in the directory"
                continue
            changed: list[str] = []
            try:
                draft, why_not = self._draft(old, catalog, groups, organizations, plan.mappings, plan.forms,
                                             owner_id, caller.tenant_id, changed)
            except ValidationError as exc:  # more than a view here holds
                draft, why_not = None, str(exc.errors()[0]["msg"])[:300]
            if draft is None:
                report.skipped[old.title] = why_not
                continue
            who = Principal(user_id=owner_id, tenant_id=caller.tenant_id, role=Role.AGENT) if owner_id else caller
            report.record(old.title, None if dry_run else partial(self._views.create, who, draft, view_id=view_id),
                          changed)
        return report

    def _staff_id(self, tenant_id: str, catalog: SourceCatalog, old_id: str | None) -> str | None:
        return directory_user_id(self._store, tenant_id, catalog.people.get(old_id or ""), staff_only=True)

    def _draft(self, old: SourceView, catalog: SourceCatalog, groups: Mapping[str, str],
               organizations: Mapping[str, str], fields: Mapping[str, FieldMapping], forms: Mapping[str, str],
               owner_id: str | None, tenant_id: str, changed: list[str]) -> tuple[ViewDraft | None, str]:
        """The view for `old`, or None and why not; what it does differently here goes to `changed`."""
        if old.conditions_unsupported:
            return None, "a condition has no counterpart here: " + "; ".join(old.conditions_unsupported)
        missing = []
        group = groups.get(old.group_id or "")
        if old.group_id and group is None:
            missing.append("its group is not in the directory")
        assignee = "me" if old.assignee == "me" else self._staff_id(tenant_id, catalog, old.assignee)
        if old.assignee and assignee is None:
            missing.append("the agent whose tickets it lists is not in the directory")
        organization = organizations.get(old.organization_id or "")
        if old.organization_id and organization is None:
            missing.append("its organisation did not come over")
        form = forms.get(old.form_id or "")
        if old.form_id and form is None:
            missing.append("its ticket form did not come over")
        terms = field_conditions(fields, old.field_values, missing)
        if missing:
            return None, "; ".join(missing)
        status, unsolved = _statuses(old.statuses, changed)
        scope_group = next((groups[g] for g in old.group_ids if g in groups), None)
        if old.group_ids and scope_group is None and not owner_id:
            changed.append("shared with the whole team (its group is not in the directory)")
        if old.order_unsupported:
            changed.append(f"ordered by creation, newest first (there: by {old.order_unsupported})")
        filters = ViewFilters(status=status, unsolved=unsolved, priority=old.priority, group=group,
                              my_groups=old.my_groups, assignee=assignee,
                              unassigned=old.unassigned, tag=old.tag, channel=old.channel, organization=organization,
                              form=form, fields=terms)
        scope = Scope.PERSONAL if owner_id else Scope.GROUP if scope_group else Scope.TENANT
        return ViewDraft(name=old.title[:200], scope=scope, group=scope_group if scope == Scope.GROUP else None,
                         filters=filters, order=ViewOrder.OLDEST if old.oldest_first else ViewOrder.NEWEST), ""


def _statuses(statuses: list[Status], changed: list[str]) -> tuple[Status | None, bool]:
    """A status filter here (`status`, `unsolved`) for a list of any of `statuses` there."""
    wanted = set(statuses)
    if len(wanted) == 1:
        return wanted.pop(), False
    if not wanted:
        return None, False
    named = ", ".join(s.value for s in Status if s in wanted)
    if wanted <= UNSOLVED:
        if not wanted >= _ALL_UNSOLVED:
            changed.append(f"lists every unsolved ticket (there: {named})")
        return None, True
    changed.append(f"lists every status (there: {named})")
    return None, False

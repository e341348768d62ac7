"""Saved views: keeping them (staff only; who sees and changes which: `kernel/sharing.py`; a view the caller may
not see answers 404), their tickets, and the counts of all of them in one call."""

import builtins
import uuid
from dataclasses import dataclass

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import ConcurrentUpdate, Conflict, NotFound
from helpdesk.kernel.principal import Principal
from helpdesk.kernel.sharing import SCOPE_ORDER, Scope, can_see, check_may_change, require_staff
from helpdesk.tickets.fields import field_filter
from helpdesk.tickets.model import UNSOLVED_STATUSES
from helpdesk.tickets.ports import TicketPage, TicketQuery
from helpdesk.tickets.service import TicketService
from helpdesk.views.model import MAX_VIEWS_PER_TENANT, View, ViewDraft, ViewOrder
from helpdesk.views.ports import ViewStore


@dataclass(frozen=True)
class ViewCount:
    view_id: str
    name: str
    count: int


class ViewService:
    def __init__(self, store: ViewStore, tickets: TicketService, *, clock: Clock = system_clock) -> None:
        self.store, self.tickets, self._clock = store, tickets, clock

    def list(self, caller: Principal) -> list[View]:
        require_staff(caller, "saved views")
        views = [v for v in self.store.list(caller.tenant_id) if _can_see(caller, v)]
        return sorted(views, key=lambda v: (SCOPE_ORDER[v.scope], v.name.casefold(), v.id))

    def get(self, caller: Principal, view_id: str) -> View:
        require_staff(caller, "saved views")
        view = self.store.get(caller.tenant_id, view_id)
        if view is None or not _can_see(caller, view):
            raise NotFound(f"view {view_id} not found")
        return view

    def create(self, caller: Principal, draft: ViewDraft, *, view_id: str | None = None) -> View:
        """`view_id`: one chosen by the caller (an import's, derived from the old view's, so a rerun finds it)."""
        require_staff(caller, "saved views")
        check_may_change(caller, draft.scope, draft.group, "view")
        if len(self.store.list(caller.tenant_id)) >= MAX_VIEWS_PER_TENANT:
            raise Conflict(f"a tenant has at most {MAX_VIEWS_PER_TENANT} views; delete one first")
        now = self._clock()
        view = View(**draft.model_dump(), id=view_id or uuid.uuid4().hex, tenant_id=caller.tenant_id,
                    owner_id=caller.user_id if draft.scope == Scope.PERSONAL else None,
                    created_by=caller.user_id, created_at=now, updated_at=now)
        self.store.add(view)
        return view

    def replace(self, caller: Principal, view_id: str, draft: ViewDraft,
                expected_version: int | None = None) -> View:
        current = self.get(caller, view_id)
        check_may_change(caller, current.scope, current.group, "view")
        check_may_change(caller, draft.scope, draft.group, "view")
        if expected_version is not None and expected_version != current.version:
            raise ConcurrentUpdate("the view changed since you read it",
                                   {"expected_version": expected_version, "current_version": current.version})
        owner = (current.owner_id or caller.user_id) if draft.scope == Scope.PERSONAL else None
        view = View.model_validate({**current.model_dump(), **draft.model_dump(), "owner_id": owner,
                                    "updated_at": self._clock(), "version": current.version + 1})
        self.store.replace(view, expected_version=current.version)
        return view

    def delete(self, caller: Principal, view_id: str) -> None:
        view = self.get(caller, view_id)
        check_may_change(caller, view.scope, view.group, "view")
        self.store.delete(caller.tenant_id, view.id)

    def tickets_of(self, caller: Principal, view_id: str, cursor: str | None = None, limit: int = 25) -> TicketPage:
        """The view's tickets as the caller may see them, in the view's order, cursor paged."""
        view = self.get(caller, view_id)
        return self.tickets.query(caller, _query(view, caller, cursor=cursor, limit=limit))

    def counts(self, caller: Principal) -> builtins.list[ViewCount]:
        """How many tickets each of the caller's views holds for the caller: one count per view on the index
        that drives it (see `TicketRepository.count`), no ticket read."""
        return [ViewCount(view_id=v.id, name=v.name, count=self.tickets.count(caller, _query(v, caller)))
                for v in self.list(caller)]


def _can_see(caller: Principal, view: View) -> bool:
    return can_see(caller, view.tenant_id, view.scope, view.owner_id, view.group)


def _query(view: View, caller: Principal, *, cursor: str | None = None, limit: int = 25) -> TicketQuery:
    f = view.filters
    return TicketQuery(tenant_id=caller.tenant_id, status=f.status, statuses=UNSOLVED_STATUSES if f.unsolved else (),
                       priority=f.priority, group=f.group, my_groups=f.my_groups,
                       assignee_id=caller.resolve(f.assignee) if f.assignee else None, unassigned=f.unassigned,
                       follower=caller.resolve(f.follower) if f.follower else None, requester_id=f.requester,
                       tag=f.tag, channel=f.channel, sla=f.sla, snoozed=f.snoozed, organization_id=f.organization,
                       form=f.form, link_type=f.link_type,
                       field_terms=tuple(field_filter(value) for value in f.fields), cursor=cursor,
                       limit=limit,
                       oldest_first=view.order == ViewOrder.OLDEST)

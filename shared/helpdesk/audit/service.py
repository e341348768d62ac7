"""Record administration changes (`AuditTrail`, handed to the admin services) and list them (`AuditLog`).

A change is recorded after it was written: a failure to record answers the request with an error although
the change stands (it is logged), which is preferred to a change made without a trace being refused. Secrets are
never recorded: callers pass what an admin may see (a webhook without its secret).
"""

import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from helpdesk.audit.model import AuditEntry, AuditPage
from helpdesk.audit.ports import AuditStore
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Forbidden
from helpdesk.kernel.principal import Principal, Role

Snapshot = BaseModel | Mapping[str, Any] | None


def _plain(value: Snapshot) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return dict(value)


class AuditTrail:
    def __init__(self, store: AuditStore, *, clock: Clock = system_clock) -> None:
        self._store, self._clock = store, clock

    def record(self, caller: Principal, kind: str, resource_id: str, before: Snapshot, after: Snapshot) -> None:
        """`before` None: created; `after` None: deleted. Nothing changed (a PUT of the same values): no entry."""
        old, new = _plain(before), _plain(after)
        if old == new:
            return
        action = "created" if old is None else "deleted" if new is None else "updated"
        self._store.append(AuditEntry(id=uuid.uuid4().hex, tenant_id=caller.tenant_id, at=self._clock(),
                                      actor=caller.user_id, kind=kind, resource_id=resource_id, action=action,
                                      before=old, after=new))


class AuditLog:
    def __init__(self, store: AuditStore) -> None:
        self._store = store

    def page(self, caller: Principal, *, kind: str | None = None, limit: int = 50,
             cursor: str | None = None) -> AuditPage:
        if caller.role != Role.ADMIN:
            raise Forbidden("only admins read the audit log")
        return self._store.page(caller.tenant_id, kind=kind, limit=limit, cursor=cursor)

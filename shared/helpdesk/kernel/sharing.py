"""Who sees and changes a shared item of the team (a macro, a saved view): one person's, one group's or the
whole tenant's. Staff only; customers never see such items.

A tenant item is seen by all the tenant's staff and changed by admins; a group item is seen and changed by
admins and the group's agents (agents without groups work every ticket, so they see every group's items);
a personal item by its owner alone.
"""

from enum import StrEnum

from helpdesk.kernel.errors import Forbidden, InvalidInput
from helpdesk.kernel.principal import Principal, Role


class Scope(StrEnum):
    PERSONAL = "personal"
    GROUP = "group"
    TENANT = "tenant"


SCOPE_ORDER = {Scope.PERSONAL: 0, Scope.GROUP: 1, Scope.TENANT: 2}  # how lists show them


def require_staff(caller: Principal, what: str) -> None:
    if not caller.is_staff:
        raise Forbidden(f"{what} are for agents and admins")


def can_see(caller: Principal, tenant_id: str, scope: Scope, owner_id: str | None, group: str | None) -> bool:
    if tenant_id != caller.tenant_id or not caller.is_staff:
        return False
    if scope == Scope.PERSONAL:
        return owner_id == caller.user_id
    if scope == Scope.GROUP:
        return caller.role == Role.ADMIN or not caller.groups or group in caller.groups
    return True


def check_may_change(caller: Principal, scope: Scope, group: str | None, what: str) -> None:
    """Raise `InvalidInput` for an inconsistent scope/group, `Forbidden` when the caller may not write it."""
    if (scope == Scope.GROUP) != (group is not None):
        raise InvalidInput(f"a group {what} names its group, and only a group {what} does", {"field": "group"})
    if scope == Scope.TENANT and caller.role != Role.ADMIN:
        raise Forbidden(f"only admins create or change tenant {what}s")
    if scope == Scope.GROUP and caller.role != Role.ADMIN and caller.groups and group not in caller.groups:
        raise Forbidden(f"agents create or change the {what}s of their own groups only")

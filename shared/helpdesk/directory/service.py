"""The team directory: admins manage a tenant's users, groups and organisations; agents read them (assignment
pickers); the ticket service asks it whether an assignment is valid (`AssignmentCheck`).

Every change is recorded in the audit trail with the record before and after. A change may name the version its
caller read (`expected_version`, an HTTP `If-Match`): another version is `ConcurrentUpdate` and nothing changes.
"""

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from helpdesk.directory.model import (
    MAX_GROUPS_PER_TENANT,
    MAX_ORGANIZATIONS_PER_TENANT,
    Group,
    GroupChange,
    NewGroup,
    NewOrganization,
    NewUser,
    Organization,
    OrganizationChange,
    ProfileChange,
    User,
    UserChange,
    UserPage,
    slug,
)
from helpdesk.directory.ports import DirectoryStore, Identities, QueueHandout
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import (
    AccountDeactivated,
    ConcurrentUpdate,
    Conflict,
    Forbidden,
    InvalidAssignment,
    InvalidInput,
    NotFound,
)
from helpdesk.kernel.mentions import handle_of
from helpdesk.kernel.principal import Principal, Role, TicketAccess
from helpdesk.platform.observability import logger

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail


class DirectoryService:
    def __init__(self, store: DirectoryStore, identities: Identities, *, clock: Clock = system_clock,
                 audit: "AuditTrail | None" = None, handout: QueueHandout | None = None) -> None:
        self._store, self._identities, self._clock, self._audit = store, identities, clock, audit
        self._handout = handout  # a group's waiting tickets handed out when it can take more (automatic assignment)

    # -- users -------------------------------------------------------------------------------------

    def users(self, caller: Principal, *, role: Role | None = None, active: bool | None = None, limit: int = 50,
              cursor: str | None = None) -> UserPage:
        _staff(caller)
        items, next_cursor = self._store.page_users(caller.tenant_id, role=role, active=active, limit=limit,
                                                    cursor=cursor)
        groups = self._store.list_groups(caller.tenant_id)
        return UserPage(items=[with_groups(u, groups) for u in items], next_cursor=next_cursor)

    def user(self, caller: Principal, user_id: str) -> User:
        """A user's record; `me`: the caller's own (what the console shows them as: role, groups, ticket access)."""
        user_id = caller.resolve(user_id)
        if not caller.is_staff and caller.user_id != user_id:
            raise NotFound("no such user")  # customers read their own record only
        return self._user(caller.tenant_id, user_id)

    def create_user(self, caller: Principal, new: NewUser) -> User:
        _admin(caller)
        groups = self._known_groups(caller.tenant_id, new.groups) if new.groups else []
        if groups and new.role == Role.CUSTOMER:
            raise InvalidInput("customers are not members of groups", {"field": "groups"})
        user_id = self._identities.invite(caller.tenant_id, new.email, new.name, new.role)
        now = self._clock()
        organization = self.organization_for_email(caller.tenant_id, new.email) if new.role == Role.CUSTOMER \
            else None
        user = User(id=user_id, tenant_id=caller.tenant_id, email=new.email, name=new.name, role=new.role,
                    language=new.language, time_zone=new.time_zone, signature=new.signature,
                    notify_by_mail=new.notify_by_mail,
                    ticket_access=new.ticket_access, organization_id=organization.id if organization else None,
                    created_at=now, updated_at=now)
        try:
            self._store.add_user(user)
        except Exception:
            self._identities.delete(new.email)  # no account that the directory does not know
            raise
        for group in groups:
            self._set_members(caller, group, [*group.members, user.id])
        created = self._user(caller.tenant_id, user.id)
        self._record(caller, "directory.user", created.id, None, created)
        self._hand_out(caller.tenant_id, created.groups)
        return created

    def update_user(self, caller: Principal, user_id: str, change: UserChange,
                    expected_version: int | None = None) -> User:
        """`expected_version` pins the user's own record; its groups are the groups' (versioned there)."""
        _admin(caller)
        before = self._user(caller.tenant_id, user_id)
        _check_version("user", before.id, before.version, expected_version)
        fields = change.model_dump(exclude_unset=True)
        if user_id == caller.user_id and (fields.get("active") is False or
                                          fields.get("role", Role.ADMIN) != Role.ADMIN):
            raise Conflict("admins cannot disable or demote themselves (another admin can)")
        role = change.role if change.role is not None else before.role
        if role == Role.CUSTOMER and (change.groups or ("groups" not in fields and before.groups)):
            raise InvalidInput("customers are not members of groups", {"field": "groups"})
        never_null = ["name", "role", "active", "notify_by_mail", "notify_new_tickets", "away", "ticket_access"]
        if None in (fields.get(f, "") for f in never_null):
            raise InvalidInput(f"{', '.join(never_null)} cannot be null", {"fields": never_null})
        wanted = {g.id for g in self._known_groups(caller.tenant_id, change.groups)} \
            if change.groups is not None else None
        updates = {k: v for k, v in fields.items()
                   if k in ("name", "role", "language", "time_zone", "signature", "active", "notify_by_mail",
                            "notify_new_tickets", "away", "ticket_access", "mail_bounced_at")}
        if "mail_bounced_at" in updates:  # cleared: the reason goes with it
            updates["mail_bounce"] = None
        if any(getattr(before, k) != v for k, v in updates.items()):
            if before.name != updates.get("name", before.name) or before.role != updates.get("role", before.role):
                self._identities.update(before.email, name=change.name, role=change.role)
            if before.active != updates.get("active", before.active):
                (self._identities.enable if change.active else self._identities.disable)(before.email)
            self._replace_user(before, updates)
        if wanted is not None:
            for group in self._store.list_groups(caller.tenant_id):
                if group.id in wanted and user_id not in group.members:
                    self._set_members(caller, group, [*group.members, user_id])
                elif group.id not in wanted and user_id in group.members:
                    self._set_members(caller, group, [m for m in group.members if m != user_id])
        updated = self._user(caller.tenant_id, user_id)
        self._record(caller, "directory.user", user_id, before, updated)
        self._hand_out_for(before, updated)
        return updated

    def update_profile(self, caller: Principal, change: ProfileChange) -> User:
        """An agent's or admin's own language and time zone (their notification mails'), reply signature, whether
        they get mail about their tickets and where the console goes after a reply. Recorded in the audit trail like
        an admin's change."""
        if not caller.is_staff:
            raise Forbidden("only agents and admins have settings here")
        before = self._user(caller.tenant_id, caller.user_id)
        fields = change.model_dump(exclude_unset=True)
        for flag in ("notify_by_mail", "notify_new_tickets", "away", "after_reply"):
            if fields.get(flag, "") is None:
                raise InvalidInput(f"{flag} cannot be null", {"field": flag})
        if any(getattr(before, k) != v for k, v in fields.items()):
            self._replace_user(before, fields)
        updated = self._user(caller.tenant_id, caller.user_id)
        self._record(caller, "directory.user", caller.user_id, before, updated)
        self._hand_out_for(before, updated)
        return updated

    def _replace_user(self, before: User, updates: dict[str, Any]) -> None:
        """The stored record with `updates`, one version up (the groups are read from the groups, not stored)."""
        after = before.model_copy(update={**updates, "groups": [], "updated_at": self._clock(),
                                          "version": before.version + 1})
        self._store.replace_user(after, expected_version=before.version)

    def _hand_out_for(self, before: User, after: User) -> None:
        """A person who now takes tickets (back from away, enabled, made staff) or joined groups: the queues of
        their groups that assign automatically are handed out."""
        from helpdesk.directory.rotation import takes_tickets

        if not takes_tickets(after):
            return
        groups = after.groups if not takes_tickets(before) else sorted(set(after.groups) - set(before.groups))
        self._hand_out(after.tenant_id, groups)

    def _hand_out(self, tenant_id: str, group_ids: Iterable[str]) -> None:
        """Ask for the waiting tickets of those of the groups that assign automatically to be handed out. The
        directory's change is saved already: a failure here is logged, and the tickets wait for the next trigger."""
        if self._handout is None:
            return
        for group_id in group_ids:
            group = self._store.get_group(tenant_id, group_id)
            if group is None or not group.auto_assign:
                continue
            try:
                self._handout.hand_out(tenant_id, group_id)
            except Exception:
                logger.exception("could not hand out a group's waiting tickets",
                                 extra={"tenant_id": tenant_id, "group": group_id})

    def _user(self, tenant_id: str, user_id: str) -> User:
        found = self._store.get_user(tenant_id, user_id)
        if found is None:
            raise NotFound("no such user")
        return with_groups(found, self._store.list_groups(tenant_id))

    # -- groups ------------------------------------------------------------------------------------

    def groups(self, caller: Principal) -> list[Group]:
        _staff(caller)
        return sorted(self._store.list_groups(caller.tenant_id), key=lambda g: g.name.lower())

    def group(self, caller: Principal, group_id: str) -> Group:
        _staff(caller)
        return self._group(caller.tenant_id, group_id)

    def create_group(self, caller: Principal, new: NewGroup) -> Group:
        _admin(caller)
        if len(self._store.list_groups(caller.tenant_id)) >= MAX_GROUPS_PER_TENANT:
            raise Conflict(f"a tenant has at most {MAX_GROUPS_PER_TENANT} groups")
        members = self._staff_members(caller.tenant_id, new.members)
        now = self._clock()
        group = Group(id=new.id or slug(new.name), tenant_id=caller.tenant_id, name=new.name,
                      description=new.description, members=members, auto_assign=new.auto_assign,
                      assignment=new.assignment, capacity=new.capacity, created_at=now, updated_at=now)
        self._store.add_group(group)
        self._record(caller, "directory.group", group.id, None, group)
        return group

    def update_group(self, caller: Principal, group_id: str, change: GroupChange,
                     expected_version: int | None = None) -> Group:
        _admin(caller)
        before = self._group(caller.tenant_id, group_id)
        _check_version("group", before.id, before.version, expected_version)
        fields = change.model_dump(exclude_unset=True)
        if any(fields.get(f, "") is None for f in ("name", "description", "members", "auto_assign", "assignment")):
            raise InvalidInput("name, description, members, auto_assign and assignment cannot be null")
        if "members" in fields:
            fields["members"] = self._staff_members(caller.tenant_id, change.members or [])
        after = before.model_copy(update={**fields, "updated_at": self._clock(), "version": before.version + 1})
        self._store.replace_group(after, expected_version=before.version)
        self._record(caller, "directory.group", group_id, before, after)
        if after.auto_assign and (not before.auto_assign or set(after.members) - set(before.members)
                                  or _roomier(before.capacity, after.capacity)):
            self._hand_out(caller.tenant_id, [after.id])
        return after

    def _group(self, tenant_id: str, group_id: str) -> Group:
        found = self._store.get_group(tenant_id, group_id)
        if found is None:
            raise NotFound("no such group")
        return found

    def _set_members(self, caller: Principal, group: Group, members: list[str]) -> None:
        after = group.model_copy(update={"members": list(dict.fromkeys(members)), "updated_at": self._clock(),
                                         "version": group.version + 1})
        self._store.replace_group(after, expected_version=group.version)
        self._record(caller, "directory.group", group.id, group, after)

    def _known_groups(self, tenant_id: str, group_ids: Iterable[str]) -> list[Group]:
        groups = {g.id: g for g in self._store.list_groups(tenant_id)}
        unknown = sorted(set(group_ids) - set(groups))
        if unknown:
            raise InvalidInput(f"unknown groups: {', '.join(unknown)}", {"field": "groups", "unknown": unknown})
        return [groups[g] for g in dict.fromkeys(group_ids)]

    def _staff_members(self, tenant_id: str, user_ids: list[str]) -> list[str]:
        members = list(dict.fromkeys(user_ids))
        users = [self._store.get_user(tenant_id, u) for u in members]
        unknown = [u for u, found in zip(members, users, strict=True) if found is None]
        if unknown:
            raise InvalidInput(f"unknown users: {', '.join(unknown)}", {"field": "members", "unknown": unknown})
        customers = [u.id for u in users if u is not None and not u.is_staff]
        if customers:
            raise InvalidInput("only agents and admins are members of groups",
                               {"field": "members", "customers": customers})
        return members

    # -- organisations -----------------------------------------------------------------------------

    def organizations(self, caller: Principal) -> list[Organization]:
        _staff(caller)
        return sorted(self._store.list_organizations(caller.tenant_id), key=lambda o: o.name.lower())

    def organization(self, caller: Principal, organization_id: str) -> Organization:
        _staff(caller)
        found = self._store.get_organization(caller.tenant_id, organization_id)
        if found is None:
            raise NotFound("no such organization")
        return found

    def create_organization(self, caller: Principal, new: NewOrganization) -> Organization:
        _admin(caller)
        if len(self._store.list_organizations(caller.tenant_id)) >= MAX_ORGANIZATIONS_PER_TENANT:
            raise Conflict(f"a tenant has at most {MAX_ORGANIZATIONS_PER_TENANT} organizations")
        self._unclaimed(caller.tenant_id, None, new.domains)
        now = self._clock()
        organization = Organization(id=uuid.uuid4().hex, tenant_id=caller.tenant_id, name=new.name,
                                    domains=new.domains, shared_tickets=new.shared_tickets, notes=new.notes,
                                    created_at=now, updated_at=now)
        self._store.add_organization(organization)
        self._record(caller, "directory.organization", organization.id, None, organization)
        return organization

    def update_organization(self, caller: Principal, organization_id: str, change: OrganizationChange,
                            expected_version: int | None = None) -> Organization:
        before = self.organization(caller, organization_id)
        fields = change.model_dump(exclude_unset=True)
        if set(fields) - {"notes"}:  # the team keeps notes on a company; its name, domains and sharing are admins'
            _admin(caller)
        _check_version("organization", before.id, before.version, expected_version)
        if any(fields.get(f, "") is None for f in ("name", "domains", "shared_tickets", "notes")):
            raise InvalidInput("name, domains, shared_tickets and notes cannot be null")
        self._unclaimed(caller.tenant_id, organization_id, change.domains or [])
        after = before.model_copy(update={**fields, "updated_at": self._clock(), "version": before.version + 1})
        self._store.replace_organization(after, before.version, before.domains)
        self._record(caller, "directory.organization", organization_id, before, after)
        return after

    def delete_organization(self, caller: Principal, organization_id: str,
                            expected_version: int | None = None) -> None:
        """Its domains are released (another organisation may claim them; mail from them maps to none). Tickets
        and customers keep its id as history: they were the organisation's when they were made."""
        _admin(caller)
        before = self.organization(caller, organization_id)
        _check_version("organization", before.id, before.version, expected_version)
        self._store.delete_organization(before)
        self._record(caller, "directory.organization", organization_id, before, None)

    def _unclaimed(self, tenant_id: str, organization_id: str | None, domains: list[str]) -> None:
        """Refuse (409, naming them) domains another organisation claims. The store's conditional write still
        decides a race between two admins; this says which domain and whose it is, which that write cannot."""
        claimed: dict[str, str] = {}
        for domain in domains:
            owner = self._store.organization_for_domain(tenant_id, domain)
            if owner is not None and owner != organization_id:
                claimed[domain] = owner
        if claimed:
            names = {owner: (found.name if (found := self._store.get_organization(tenant_id, owner)) else owner)
                     for owner in set(claimed.values())}
            listed = ", ".join(f"{domain} ({names[owner]})" for domain, owner in claimed.items())
            raise Conflict(f"domains: another organization claims {listed}",
                           {"field": "domains", "claimed": claimed})

    def organization_for_email(self, tenant_id: str, email: str | None) -> Organization | None:
        """The tenant's organisation whose domain the address is at (a customer's company)."""
        organization_id = OrganizationByDomain(self._store).organization_of(tenant_id, email or "")
        return self._store.get_organization(tenant_id, organization_id) if organization_id else None

    # -- for other capabilities --------------------------------------------------------------------

    def _record(self, caller: Principal, kind: str, resource_id: str, before: BaseModel | None,
                after: BaseModel | None) -> None:
        if self._audit is not None:
            self._audit.record(caller, kind, resource_id, before, after)


def _roomier(before: int | None, after: int | None) -> bool:
    """Whether a group's capacity change lets its members take more (raised, or cleared: no limit)."""
    return before is not None and (after is None or after > before)


def mail_domain(email: str) -> str:
    """The domain of an address as organisations claim it: lower case, no trailing dot ("" for none)."""
    return email.rpartition("@")[2].strip().lower().rstrip(".") if "@" in email else ""


class OrganizationByDomain:
    """`helpdesk.tickets.ports.OrganizationLookup` on the directory: the organisation claiming the address's
    domain (one read of the domain's record)."""

    def __init__(self, store: DirectoryStore) -> None:
        self._store = store

    def organization_of(self, tenant_id: str, email: str) -> str | None:
        domain = mail_domain(email)
        return self._store.organization_for_domain(tenant_id, domain) if domain else None

    def shared_organization_of(self, tenant_id: str, email: str) -> str | None:
        organization = self.claiming(tenant_id, email)
        return organization.id if organization is not None and organization.shared_tickets else None

    def claiming(self, tenant_id: str, email: str) -> Organization | None:
        """The organisation claiming the address's domain, whole (two reads: the domain's record, then it)."""
        found = self.organization_of(tenant_id, email)
        return self._store.get_organization(tenant_id, found) if found else None


MAX_BOUNCE_CHARS = 300  # the receiving server's words kept on the teammate's record


class TeammateBounces:
    """`helpdesk.mail.ports.TeammateBounces` on the directory: a bounced notification marks the teammate's record
    (the Team screen shows it), retried on a concurrent change of the record."""

    def __init__(self, store: DirectoryStore) -> None:
        self._store = store

    def note(self, tenant_id: str, user_id: str, at: datetime, why: str) -> None:
        for _ in range(3):
            user = self._store.get_user(tenant_id, user_id)
            if user is None:  # removed meanwhile
                return
            marked = user.model_copy(update={"mail_bounced_at": at, "mail_bounce": why[:MAX_BOUNCE_CHARS] or None,
                                             "groups": [], "version": user.version + 1})
            try:
                self._store.replace_user(marked, expected_version=user.version)
                return
            except ConcurrentUpdate:
                continue


class TeamAddresses:
    """Whether an address is one of the team's own (an agent's or admin's, active or not): marking a ticket as spam
    must not block a teammate's mail (an internal ticket opened from their address). Two reads: the address's
    entry, then its user."""

    def __init__(self, store: DirectoryStore) -> None:
        self._store = store

    def is_teammate(self, tenant_id: str, email: str) -> bool:
        user_id = self._store.user_id_for_email(tenant_id, email.strip().lower())
        user = self._store.get_user(tenant_id, user_id) if user_id else None
        return user is not None and user.is_staff


class AssignmentCheck:
    """`helpdesk.tickets.ports.AssignmentPolicy` on the directory: the group exists in the tenant, and the
    assignee is an active agent or admin of the tenant, a member of the ticket's group when it has one."""

    def __init__(self, store: DirectoryStore) -> None:
        self._store = store

    def check(self, tenant_id: str, *, group: str | None = None, assignee_id: str | None = None,
              assignee_group: str | None = None) -> None:
        if group is not None and self._store.get_group(tenant_id, group) is None:
            raise InvalidAssignment(f"no group {group!r} in this tenant", {"field": "group", "group": group})
        if assignee_id is None:
            return
        user = self._store.get_user(tenant_id, assignee_id)
        problem = _not_active_staff(user)
        if problem is None and assignee_group is not None:
            found = self._store.get_group(tenant_id, assignee_group)
            if found is None:
                raise InvalidAssignment(f"no group {assignee_group!r} in this tenant",
                                        {"field": "group", "group": assignee_group})
            if assignee_id not in found.members:
                problem = f"is not a member of the ticket's group {assignee_group!r}"
        if problem is not None:
            raise InvalidAssignment(f"assignee {assignee_id!r} {problem}",
                                    {"field": "assignee_id", "assignee_id": assignee_id, "group": assignee_group})

    def check_follower(self, tenant_id: str, user_id: str, *, group: str | None, assignee_id: str | None) -> None:
        user = self._store.get_user(tenant_id, user_id)
        problem = _not_active_staff(user)
        if problem is None and user is not None and user.role == Role.AGENT and assignee_id != user_id:
            # the notifications would mail them what they may not open (`tickets.service.can_see`)
            limits = as_caller(with_groups(user, self._store.list_groups(tenant_id))).limited_to
            if limits is not None and group not in limits:
                problem = "may not open this ticket (it is in none of their groups)"
        if problem is not None:
            raise InvalidAssignment(f"follower {user_id!r} {problem}", {"field": "followers", "user_id": user_id})

    def mentioned_staff(self, tenant_id: str, handles: Sequence[str]) -> list[str]:
        return [u.id for u in staff_by_handle(self._store, tenant_id, handles)]


def _not_active_staff(user: User | None) -> str | None:
    """Why a user may not take or follow tickets (None: an active agent or admin of the tenant)."""
    return ("is not a user of this tenant" if user is None
            else "is disabled" if not user.active
            else "is a customer, not an agent" if not user.is_staff
            else None)


def active_agent(store: DirectoryStore, tenant_id: str, user_id: str) -> User | None:
    """An active agent's or admin's record (the name and signature of their mail replies). Reads the store
    only: functions that send mail have no identity provider to talk to."""
    found = store.get_user(tenant_id, user_id)
    return found if found is not None and found.active and found.is_staff else None


def active_staff(store: DirectoryStore, tenant_id: str) -> list[User]:
    """The tenant's active agents and admins."""
    found: list[User] = []
    cursor: str | None = None
    while True:
        page, cursor = store.page_users(tenant_id, role=None, active=True, limit=100, cursor=cursor)
        found += [u for u in page if u.is_staff]
        if cursor is None:
            return found


def staff_by_handle(store: DirectoryStore, tenant_id: str, handles: Sequence[str]) -> list[User]:
    """The tenant's active agents and admins whose handle (`kernel.mentions.handle_of`) is among `handles`."""
    wanted = set(handles)
    return [u for u in active_staff(store, tenant_id) if u.email and handle_of(u.email) in wanted]


def staff_in_no_group(store: DirectoryStore, tenant_id: str) -> list[User]:
    """The tenant's active admins, and its active agents in no group: whose queue a ticket in no group is in (not
    an agent limited to their groups: they may not open it)."""
    grouped = {member for group in store.list_groups(tenant_id) for member in group.members}
    return [u for u in active_staff(store, tenant_id)
            if u.role == Role.ADMIN or (u.id not in grouped and u.ticket_access == TicketAccess.ALL)]


def with_groups(user: User, groups: list[Group]) -> User:
    """The user with the groups they are a member of (membership is kept on the groups)."""
    return user.model_copy(update={"groups": sorted(g.id for g in groups if user.id in g.members)})


def as_caller(user: User) -> Principal:
    """The person as their token names them (what their ticket access is checked against): role, groups (read
    with `with_groups`) and which tickets they may open. The directory decides all three; the pre token trigger
    and the local sign-in copy them into tokens."""
    return Principal(user_id=user.id, tenant_id=user.tenant_id, role=user.role, email=user.email,
                     email_verified=True, name=user.name, groups=tuple(user.groups), ticket_access=user.ticket_access)


def in_standing(person: Principal, user: User, groups: list[Group]) -> Principal:
    """A signed-in staff member as the directory has them (their `user` record and the tenant's `groups`): its
    role, groups and ticket access, whatever their token said. An account an admin deactivated is refused."""
    if not user.active:
        raise AccountDeactivated("this account was deactivated; an admin of the team can enable it again")
    caller = as_caller(with_groups(user, groups))
    return person.model_copy(update={"role": caller.role, "groups": caller.groups,
                                     "ticket_access": caller.ticket_access})


def _check_version(kind: str, record_id: str, current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise ConcurrentUpdate(f"the {kind} changed since you read it",
                               {"id": record_id, "expected_version": expected, "current_version": current})


def _staff(caller: Principal) -> None:
    if not caller.is_staff:
        raise Forbidden("only agents and admins read the directory")


def _admin(caller: Principal) -> None:
    if caller.role != Role.ADMIN:
        raise Forbidden("only admins change the directory")

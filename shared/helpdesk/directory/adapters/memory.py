"""The directory in memory, for tests that build containers on fakes (`directory_store=InMemoryDirectoryStore()`).
It behaves like `DynamoDirectoryStore` where a caller can tell: copies in and out, version conditions,
one address per tenant, one organisation per domain, pages in id order with an opaque cursor."""

from helpdesk.directory.model import Group, Organization, User
from helpdesk.kernel.errors import ConcurrentUpdate, Conflict, InvalidInput
from helpdesk.kernel.principal import Role


class InMemoryDirectoryStore:
    def __init__(self) -> None:
        self.users: dict[tuple[str, str], User] = {}
        self.groups: dict[tuple[str, str], Group] = {}
        self.organizations: dict[tuple[str, str], Organization] = {}
        self.domains: dict[tuple[str, str], str] = {}
        self.turns: dict[tuple[str, str], tuple[str, int]] = {}

    def add_user(self, user: User) -> None:
        if (user.tenant_id, user.id) in self.users or any(
                u.tenant_id == user.tenant_id and u.email == user.email for u in self.users.values()):
            raise Conflict("a user with this email (or id) exists in this tenant", {"email": user.email})
        self.users[(user.tenant_id, user.id)] = user.model_copy(update={"groups": []}, deep=True)

    def get_user(self, tenant_id: str, user_id: str) -> User | None:
        found = self.users.get((tenant_id, user_id))
        return found.model_copy(deep=True) if found else None

    def user_id_for_email(self, tenant_id: str, email: str) -> str | None:
        return next((u.id for u in self.users.values() if u.tenant_id == tenant_id and u.email == email), None)

    def replace_user(self, user: User, expected_version: int) -> None:
        current = self.users.get((user.tenant_id, user.id))
        if current is None or current.version != expected_version:
            raise ConcurrentUpdate("the user changed since it was read", {"id": user.id})
        self.users[(user.tenant_id, user.id)] = user.model_copy(update={"groups": []}, deep=True)

    def remove_user(self, user: User) -> None:
        self.users.pop((user.tenant_id, user.id), None)

    def page_users(self, tenant_id: str, *, role: Role | None, active: bool | None, limit: int,
                   cursor: str | None) -> tuple[list[User], str | None]:
        if cursor is not None and not cursor.startswith("after:"):
            raise InvalidInput("cursor is not valid", {"cursor": cursor[:64]})
        after = cursor.removeprefix("after:") if cursor else ""
        matching = sorted((u for (t, uid), u in self.users.items() if t == tenant_id and uid > after
                           and role in (None, u.role) and active in (None, u.active)), key=lambda u: u.id)
        page = [u.model_copy(deep=True) for u in matching[:limit]]
        return page, f"after:{page[-1].id}" if len(matching) > limit else None

    def list_groups(self, tenant_id: str) -> list[Group]:
        return [g.model_copy(deep=True) for (t, _), g in sorted(self.groups.items()) if t == tenant_id]

    def get_group(self, tenant_id: str, group_id: str) -> Group | None:
        found = self.groups.get((tenant_id, group_id))
        return found.model_copy(deep=True) if found else None

    def add_group(self, group: Group) -> None:
        if (group.tenant_id, group.id) in self.groups:
            raise Conflict(f"a group {group.id!r} exists", {"id": group.id})
        self.groups[(group.tenant_id, group.id)] = group.model_copy(deep=True)

    def replace_group(self, group: Group, expected_version: int) -> None:
        current = self.groups.get((group.tenant_id, group.id))
        if current is None or current.version != expected_version:
            raise ConcurrentUpdate("it changed since it was read", {"id": group.id})
        self.groups[(group.tenant_id, group.id)] = group.model_copy(deep=True)

    def list_organizations(self, tenant_id: str) -> list[Organization]:
        return [o.model_copy(deep=True) for (t, _), o in sorted(self.organizations.items()) if t == tenant_id]

    def get_organization(self, tenant_id: str, organization_id: str) -> Organization | None:
        found = self.organizations.get((tenant_id, organization_id))
        return found.model_copy(deep=True) if found else None

    def add_organization(self, organization: Organization) -> None:
        if (organization.tenant_id, organization.id) in self.organizations:
            raise Conflict("the organization exists")
        self._claim(organization, [])
        self.organizations[(organization.tenant_id, organization.id)] = organization.model_copy(deep=True)

    def replace_organization(self, organization: Organization, expected_version: int, old_domains: list[str]) -> None:
        current = self.organizations.get((organization.tenant_id, organization.id))
        if current is None or current.version != expected_version:
            raise Conflict("the organization changed since it was read")
        self._claim(organization, old_domains)
        self.organizations[(organization.tenant_id, organization.id)] = organization.model_copy(deep=True)

    def delete_organization(self, organization: Organization) -> None:
        key = (organization.tenant_id, organization.id)
        current = self.organizations.get(key)
        if current is None or current.version != organization.version:
            raise ConcurrentUpdate("the organization changed since it was read", {"id": organization.id})
        del self.organizations[key]
        for domain in current.domains:
            self.domains.pop((organization.tenant_id, domain), None)

    def _claim(self, organization: Organization, old_domains: list[str]) -> None:
        tenant = organization.tenant_id
        new = set(organization.domains) - set(old_domains)
        if any((tenant, d) in self.domains for d in new):
            raise Conflict("one of its domains belongs to another organization", {"domains": organization.domains})
        for domain in set(old_domains) - set(organization.domains):
            self.domains.pop((tenant, domain), None)
        for domain in new:
            self.domains[(tenant, domain)] = organization.id

    def organization_for_domain(self, tenant_id: str, domain: str) -> str | None:
        return self.domains.get((tenant_id, domain))

    def last_turn(self, tenant_id: str, group_id: str) -> tuple[str | None, int]:
        return self.turns.get((tenant_id, group_id), (None, 0))

    def take_turn(self, tenant_id: str, group_id: str, user_id: str, turns_before: int) -> bool:
        if self.last_turn(tenant_id, group_id)[1] != turns_before:
            return False
        self.turns[(tenant_id, group_id)] = (user_id, turns_before + 1)
        return True

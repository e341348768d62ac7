"""What the directory needs: where its records live, and the identity provider that signs its people in."""

from typing import Protocol

from helpdesk.directory.addresses import CustomerAddresses
from helpdesk.directory.model import CustomerNotes, Group, Organization, User
from helpdesk.directory.profiles import CustomerProfile
from helpdesk.kernel.principal import Role


class CustomerNotesStore(Protocol):
    """The team's notes on customers, one record per tenant and customer key."""

    def get(self, tenant_id: str, key: str) -> CustomerNotes | None: ...
    def put(self, notes: CustomerNotes, expected_version: int) -> None:
        """Written on the condition that the stored version is `expected_version` (0: none stored);
        `ConcurrentUpdate` otherwise."""
        ...
    def delete(self, tenant_id: str, key: str) -> bool:
        """Whether there was a record to delete."""
        ...


class CustomerProfileStore(Protocol):
    """Customers' profiles (name, phone, language), one record per tenant and customer key."""

    def get(self, tenant_id: str, key: str) -> CustomerProfile | None: ...
    def get_many(self, tenant_id: str, keys: list[str]) -> dict[str, CustomerProfile]:
        """The profiles of those of `keys` that have one (a page of the customers list: at most 100 keys)."""
        ...
    def put(self, profile: CustomerProfile, expected_version: int) -> None:
        """Written on the condition that the stored version is `expected_version` (0: none stored);
        `ConcurrentUpdate` otherwise."""
        ...
    def delete(self, tenant_id: str, key: str) -> bool:
        """Whether there was a record to delete."""
        ...


class CustomerAddressStore(Protocol):
    """Each customer's other addresses (`CustomerAddresses`, under the customer's key) and, for every linked address,
    whose it is: one read when a ticket opens."""

    def addresses(self, tenant_id: str, key: str) -> CustomerAddresses | None: ...
    def customer_of(self, tenant_id: str, address_key: str) -> str | None:
        """The key of the customer the address (`email:<address>`) is linked to; None for an address of its own."""
        ...
    def link(self, customer: CustomerAddresses, expected_version: int, address_key: str) -> None:
        """`customer` written (on the condition that `expected_version` is stored, 0: none) together with the
        address's link to it: `Conflict` when the address is linked to someone meanwhile, `ConcurrentUpdate` when
        the customer's addresses changed."""
        ...
    def unlink(self, customer: CustomerAddresses, expected_version: int, address_key: str) -> None:
        """`customer` written without the address, and the address's link deleted, in one write."""
        ...
    def delete(self, tenant_id: str, key: str) -> list[str]:
        """The customer's addresses record and the links of its addresses deleted (an erasure); the addresses
        that were linked."""
        ...


class DirectoryStore(Protocol):
    """Users, groups and organisations of each tenant. Every read and write names the tenant. Writes of a
    changed record are conditioned on the version read (`ConcurrentUpdate` otherwise); `add_*` on no record
    with that id (or, for users, that email in the tenant) existing (`Conflict` otherwise)."""

    def add_user(self, user: User) -> None: ...
    def get_user(self, tenant_id: str, user_id: str) -> User | None: ...
    def user_id_for_email(self, tenant_id: str, email: str) -> str | None:
        """The id of the tenant's user with this (lower-case) address, if any: one read."""
    def replace_user(self, user: User, expected_version: int) -> None: ...
    def remove_user(self, user: User) -> None:
        """Undo `add_user` (an invitation the identity provider refused)."""
    def page_users(self, tenant_id: str, *, role: Role | None, active: bool | None, limit: int,
                   cursor: str | None) -> tuple[list[User], str | None]:
        """Users in id order, filtered; the cursor of the next page (None: the last)."""

    def list_groups(self, tenant_id: str) -> list[Group]: ...
    def get_group(self, tenant_id: str, group_id: str) -> Group | None: ...
    def add_group(self, group: Group) -> None: ...
    def replace_group(self, group: Group, expected_version: int) -> None: ...

    def list_organizations(self, tenant_id: str) -> list[Organization]: ...
    def get_organization(self, tenant_id: str, organization_id: str) -> Organization | None: ...
    def add_organization(self, organization: Organization) -> None:
        """Also claims its domains (a domain belongs to one organisation of a tenant: `Conflict`)."""
    def replace_organization(self, organization: Organization, expected_version: int, old_domains: list[str]) -> None:
        """Also moves its domain claims from `old_domains` to its domains."""
    def delete_organization(self, organization: Organization) -> None:
        """Delete it as read (`ConcurrentUpdate` when another version is stored, or none) and release its
        domains, in one write."""
    def organization_for_domain(self, tenant_id: str, domain: str) -> str | None: ...

    def last_turn(self, tenant_id: str, group_id: str) -> tuple[str | None, int]:
        """Whom the group's automatic assignment gave a ticket last, and how many turns it has given (0, none)."""
    def take_turn(self, tenant_id: str, group_id: str, user_id: str, turns_before: int) -> bool:
        """Record `user_id` as the group's next turn, only if `turns_before` turns were given (False: another
        ticket took a turn meanwhile; read again)."""


class Identities(Protocol):
    """The accounts people sign in with (Cognito in AWS): role and tenant are attributes only admins set."""

    def invite(self, tenant_id: str, email: str, name: str, role: Role) -> str:
        """Create the account and send the invitation; returns its subject (the user's id)."""

    def update(self, email: str, *, name: str | None = None, role: Role | None = None) -> None: ...
    def disable(self, email: str) -> None:
        """No new sign-in and no new tokens."""
    def enable(self, email: str) -> None: ...
    def delete(self, email: str) -> None:
        """Undo `invite` (the directory could not record the user)."""


class QueueHandout(Protocol):
    """Ask for a group's waiting tickets to be handed out to its members in turn (`AutoAssignment.hand_out_waiting`):
    the auto_assign function invoked asynchronously in AWS (the directory API has no right to change tickets), a
    direct call in the local process. Fire and forget: the directory's change is saved whatever happens here."""

    def hand_out(self, tenant_id: str, group_id: str) -> None: ...


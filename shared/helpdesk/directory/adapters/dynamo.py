"""The directory in the Meta table, one partition per tenant and kind (one Query lists a kind):

  `TENANT#<t>#USER`      / `<user id>`        the user (no groups: membership is on the groups)
  `TENANT#<t>#USEREMAIL` / `<email>`          the user id of an address (one account per address and tenant)
  `TENANT#<t>#GROUP`     / `<group id>`       the group and its members
  `TENANT#<t>#ORG`       / `<organization id>`
  `TENANT#<t>#ORGDOMAIN` / `<domain>`         the organisation of a mail domain (a GetItem when a ticket opens)
  `TENANT#<t>#CUSTOMER`  / `<customer key>`   the team's notes on a customer (`DynamoCustomerNotes`)
  `TENANT#<t>#CUSTOMERPROFILE` / `<customer key>`  the customer's name, phone and language (`DynamoCustomerProfiles`)
  `TENANT#<t>#CUSTOMERADDRS` / `<customer key>`  the customer's other addresses (`DynamoCustomerAddresses`)
  `TENANT#<t>#CUSTOMERADDR`  / `<address key>`   the customer an address is linked to (a GetItem when a ticket opens)

Changed and deleted records are written on the condition that the version read is still stored (`value`).
"""

from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from helpdesk.directory.addresses import CustomerAddresses
from helpdesk.directory.model import (
    MAX_GROUPS_PER_TENANT,
    MAX_ORGANIZATIONS_PER_TENANT,
    CustomerNotes,
    Group,
    Organization,
    User,
)
from helpdesk.directory.profiles import CustomerProfile
from helpdesk.kernel.errors import ConcurrentUpdate, Conflict, NotFound
from helpdesk.kernel.principal import Role
from helpdesk.platform.dynamo.cursor import decode_cursor, encode_cursor
from helpdesk.platform.dynamo.models import Tables
from helpdesk.platform.dynamo.tenant_records import TenantRecords
from helpdesk.tickets.model import email_key


def _pk(tenant_id: str, kind: str) -> str:
    return f"TENANT#{tenant_id}#{kind}"


def _conflict(exc: PutError | TransactWriteError) -> bool:
    reasons = getattr(exc, "cancellation_reasons", None) or []
    return exc.cause_response_code in ("ConditionalCheckFailedException", "TransactionCanceledException") or any(
        r is not None and r.code == "ConditionalCheckFailed" for r in reasons)


class _RecordsOfCustomers[R: CustomerNotes | CustomerProfile]:
    """One record per tenant and customer key (`TENANT#<t>#<kind>` / `<customer key>`), read one at a time, written
    on the version read: a teammate's write meanwhile, the first included, is `ConcurrentUpdate`."""

    def __init__(self, tables: Tables, kind: str, model: type[R]) -> None:
        self._records = TenantRecords(tables, kind, model, 1)  # never listed

    def get(self, tenant_id: str, key: str) -> R | None:
        return self._records.get(tenant_id, key)

    def put(self, record: R, expected_version: int) -> None:
        if expected_version:
            self._records.replace(record, expected_version)
            return
        try:
            self._records.add(record)
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise ConcurrentUpdate("it changed since it was read", {"id": record.id}) from exc
            raise

    def delete(self, tenant_id: str, key: str) -> bool:
        try:
            self._records.delete(tenant_id, key)
        except NotFound:
            return False
        return True


class DynamoCustomerProfiles(_RecordsOfCustomers[CustomerProfile]):
    """`CustomerProfileStore` in the Meta table (`TENANT#<t>#CUSTOMERPROFILE`)."""

    def __init__(self, tables: Tables) -> None:
        super().__init__(tables, "CUSTOMERPROFILE", CustomerProfile)

    def get_many(self, tenant_id: str, keys: list[str]) -> dict[str, CustomerProfile]:
        return self._records.get_many(tenant_id, keys)


class DynamoCustomerNotes(_RecordsOfCustomers[CustomerNotes]):
    """`CustomerNotesStore` in the Meta table (`TENANT#<t>#CUSTOMER`)."""

    def __init__(self, tables: Tables) -> None:
        super().__init__(tables, "CUSTOMER", CustomerNotes)


class DynamoCustomerAddresses:
    """`CustomerAddressStore` in the Meta table: a customer's record and one small item per linked address, written
    together, so an address is never linked to two customers."""

    def __init__(self, tables: Tables) -> None:
        self._meta = tables.meta
        self._connection = Connection(region=tables.meta.Meta.region)
        self._records = TenantRecords(tables, "CUSTOMERADDRS", CustomerAddresses, 1)  # never listed

    def addresses(self, tenant_id: str, key: str) -> CustomerAddresses | None:
        return self._records.get(tenant_id, key)

    def customer_of(self, tenant_id: str, address_key: str) -> str | None:
        try:
            item = self._meta.get(_pk(tenant_id, "CUSTOMERADDR"), address_key, consistent_read=True)
        except self._meta.DoesNotExist:
            return None
        return str(item.data.get("customer") or "") or None

    def link(self, customer: CustomerAddresses, expected_version: int, address_key: str) -> None:
        meta = self._meta
        self._write(customer, expected_version, lambda tx: tx.save(
            meta(_pk(customer.tenant_id, "CUSTOMERADDR"), address_key, data={"customer": customer.id}),
            condition=meta.pk.does_not_exist()))

    def unlink(self, customer: CustomerAddresses, expected_version: int, address_key: str) -> None:
        meta = self._meta
        self._write(customer, expected_version, lambda tx: tx.delete(
            meta(_pk(customer.tenant_id, "CUSTOMERADDR"), address_key), condition=meta.pk.exists()))

    def _write(self, customer: CustomerAddresses, expected_version: int, also: Any) -> None:
        meta = self._meta
        record = meta(_pk(customer.tenant_id, "CUSTOMERADDRS"), customer.id, value=customer.version,
                      data=customer.model_dump(mode="json"))
        try:
            with TransactWrite(connection=self._connection) as tx:
                tx.save(record, condition=meta.value == expected_version if expected_version
                        else meta.pk.does_not_exist())
                also(tx)
        except TransactWriteError as exc:
            if _conflict(exc):
                raise ConcurrentUpdate("the customer's addresses changed meanwhile, or the address was linked "
                                       "elsewhere", {"id": customer.id}) from exc
            raise

    def delete(self, tenant_id: str, key: str) -> list[str]:
        found = self.addresses(tenant_id, key)
        if found is None:
            return []
        meta = self._meta
        with TransactWrite(connection=self._connection) as tx:
            tx.delete(meta(_pk(tenant_id, "CUSTOMERADDRS"), key))
            for address in found.addresses:
                tx.delete(meta(_pk(tenant_id, "CUSTOMERADDR"), email_key(address)))
        return found.addresses


class DynamoDirectoryStore:
    def __init__(self, tables: Tables) -> None:
        self._meta = tables.meta
        self._connection = Connection(region=tables.meta.Meta.region)
        self._groups = TenantRecords(tables, "GROUP", Group, MAX_GROUPS_PER_TENANT)
        self._organizations = TenantRecords(tables, "ORG", Organization, MAX_ORGANIZATIONS_PER_TENANT)

    # -- users ---------------------------------------------------------------------------------------

    def add_user(self, user: User) -> None:
        meta = self._meta
        try:
            with TransactWrite(connection=self._connection) as tx:
                tx.save(meta(_pk(user.tenant_id, "USEREMAIL"), user.email, data={"user_id": user.id}),
                        condition=meta.pk.does_not_exist())
                tx.save(meta(_pk(user.tenant_id, "USER"), user.id, value=user.version, data=_stored(user)),
                        condition=meta.pk.does_not_exist())
        except TransactWriteError as exc:
            if _conflict(exc):
                raise Conflict("a user with this email (or id) exists in this tenant", {"email": user.email}) from exc
            raise

    def get_user(self, tenant_id: str, user_id: str) -> User | None:
        try:
            item = self._meta.get(_pk(tenant_id, "USER"), user_id, consistent_read=True)
        except self._meta.DoesNotExist:
            return None
        return User.model_validate(item.data)

    def replace_user(self, user: User, expected_version: int) -> None:
        meta = self._meta
        try:
            meta(_pk(user.tenant_id, "USER"), user.id, value=user.version, data=_stored(user)).save(
                condition=meta.value == expected_version)
        except PutError as exc:
            if _conflict(exc):
                raise ConcurrentUpdate("the user changed since it was read", {"id": user.id}) from exc
            raise

    def user_id_for_email(self, tenant_id: str, email: str) -> str | None:
        try:
            item = self._meta.get(_pk(tenant_id, "USEREMAIL"), email)
        except self._meta.DoesNotExist:
            return None
        return str(item.data.get("user_id") or "") or None

    def remove_user(self, user: User) -> None:
        self._meta(_pk(user.tenant_id, "USER"), user.id).delete()
        self._meta(_pk(user.tenant_id, "USEREMAIL"), user.email).delete()

    def page_users(self, tenant_id: str, *, role: Role | None, active: bool | None, limit: int,
                   cursor: str | None) -> tuple[list[User], str | None]:
        pk = _pk(tenant_id, "USER")
        last: dict[str, Any] | None = decode_cursor(cursor, {"pk": pk}, {"pk", "sk"})
        found: list[User] = []
        while True:  # filters may leave a page short: read on until it is full or the partition ends
            results = self._meta.query(pk, limit=limit, last_evaluated_key=last, consistent_read=True)
            for item in results:
                user = User.model_validate(item.data)
                if role in (None, user.role) and active in (None, user.active):
                    found.append(user)
                    if len(found) == limit:
                        return found, encode_cursor({"pk": {"S": pk}, "sk": {"S": item.sk}})
            last = results.last_evaluated_key
            if not last:
                return found, None

    # -- groups --------------------------------------------------------------------------------------

    def list_groups(self, tenant_id: str) -> list[Group]:
        return self._groups.list(tenant_id)

    def get_group(self, tenant_id: str, group_id: str) -> Group | None:
        return self._groups.get(tenant_id, group_id)

    def add_group(self, group: Group) -> None:
        try:
            self._groups.add(group)
        except PutError as exc:
            if _conflict(exc):
                raise Conflict(f"a group {group.id!r} exists", {"id": group.id}) from exc
            raise

    def replace_group(self, group: Group, expected_version: int) -> None:
        self._groups.replace(group, expected_version)

    # -- organisations -------------------------------------------------------------------------------

    def list_organizations(self, tenant_id: str) -> list[Organization]:
        return self._organizations.list(tenant_id)

    def get_organization(self, tenant_id: str, organization_id: str) -> Organization | None:
        return self._organizations.get(tenant_id, organization_id)

    def add_organization(self, organization: Organization) -> None:
        self._write_organization(organization, None, [])

    def replace_organization(self, organization: Organization, expected_version: int, old_domains: list[str]) -> None:
        self._write_organization(organization, expected_version, old_domains)

    def _write_organization(self, org: Organization, expected_version: int | None, old_domains: list[str]) -> None:
        meta = self._meta
        domains_pk = _pk(org.tenant_id, "ORGDOMAIN")
        try:
            with TransactWrite(connection=self._connection) as tx:
                item = meta(_pk(org.tenant_id, "ORG"), org.id, value=org.version, data=org.model_dump(mode="json"))
                tx.save(item, condition=meta.pk.does_not_exist() if expected_version is None
                        else meta.value == expected_version)
                for domain in sorted(set(org.domains) - set(old_domains)):
                    tx.save(meta(domains_pk, domain, data={"organization_id": org.id}),
                            condition=meta.pk.does_not_exist())
                for domain in sorted(set(old_domains) - set(org.domains)):
                    tx.delete(meta(domains_pk, domain))
        except TransactWriteError as exc:
            if _conflict(exc):
                raise Conflict("the organization changed since it was read, or one of its domains belongs to "
                               "another organization", {"domains": org.domains}) from exc
            raise

    def delete_organization(self, organization: Organization) -> None:
        meta = self._meta
        domains_pk = _pk(organization.tenant_id, "ORGDOMAIN")
        try:
            with TransactWrite(connection=self._connection) as tx:
                tx.delete(meta(_pk(organization.tenant_id, "ORG"), organization.id),
                          condition=meta.value == organization.version)
                for domain in organization.domains:  # the version read says which domains it still claims
                    tx.delete(meta(domains_pk, domain))
        except TransactWriteError as exc:
            if _conflict(exc):
                raise ConcurrentUpdate("the organization changed since it was read", {"id": organization.id}) from exc
            raise

    def organization_for_domain(self, tenant_id: str, domain: str) -> str | None:
        try:
            item = self._meta.get(_pk(tenant_id, "ORGDOMAIN"), domain)
        except self._meta.DoesNotExist:
            return None
        return str(item.data.get("organization_id") or "") or None


    # -- automatic assignment's turns ------------------------------------------------------------------

    def last_turn(self, tenant_id: str, group_id: str) -> tuple[str | None, int]:
        try:
            item = self._meta.get(_pk(tenant_id, "TURN"), group_id, consistent_read=True)
        except self._meta.DoesNotExist:
            return None, 0
        return str(item.data.get("user_id") or "") or None, int(item.value or 0)

    def take_turn(self, tenant_id: str, group_id: str, user_id: str, turns_before: int) -> bool:
        meta = self._meta
        # one small item per group, apart from the group's record: an admin's edit of the group and a ticket's
        # turn never make each other retry
        condition = meta.value == turns_before if turns_before else meta.pk.does_not_exist()
        try:
            meta(_pk(tenant_id, "TURN"), group_id, value=turns_before + 1, data={"user_id": user_id}).save(
                condition=condition)
        except PutError as exc:
            if _conflict(exc):
                return False
            raise
        return True


def _stored(user: User) -> dict[str, Any]:
    return user.model_dump(mode="json", exclude={"groups"})

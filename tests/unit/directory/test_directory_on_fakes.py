"""The team directory and the assignment check on the in-memory fakes (no moto): which group and assignee a
ticket may get (422 `invalid_assignment` naming the field), and the directory's own rules."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from helpdesk.bootstrap import build
from helpdesk.directory.adapters.local_idp import LocalIdentities
from helpdesk.directory.enrolment import Enrolment
from helpdesk.directory.model import GroupChange, NewGroup, NewOrganization, NewUser, OrganizationChange, UserChange
from helpdesk.directory.service import DirectoryService, OrganizationByDomain, TeamAddresses, mail_domain
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import ConcurrentUpdate, Conflict, Forbidden, InvalidAssignment, InvalidInput, NotFound
from helpdesk.kernel.principal import Principal, Role
from helpdesk.kernel.sharing import Scope
from helpdesk.macros.model import Macro, MacroActions, MacroDraft
from helpdesk.macros.service import MacroService
from helpdesk.tickets.bulk import bulk_update
from helpdesk.tickets.model import Requester
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket
from helpdesk.web.errors import STATUS_BY_ERROR
from tests.fakes import (
    InMemoryAuditStore,
    InMemoryDirectoryStore,
    InMemoryTicketRepository,
    seed_directory,
    settings_stores,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)
AGENT = Principal(user_id="ann", tenant_id="acme", role=Role.AGENT)
FOREIGN_ADMIN = Principal(user_id="root", tenant_id="zeta", role=Role.ADMIN)


@dataclass
class World:
    tickets: TicketService
    directory: DirectoryService
    enrol: Enrolment
    store: InMemoryDirectoryStore
    audit: InMemoryAuditStore


@pytest.fixture
def world() -> World:
    store = seed_directory(InMemoryDirectoryStore(), "acme", agents=["bob"], groups={"billing": ["ann"]})
    seed_directory(store, "zeta", groups={"billing": ["zed"]})
    audit = InMemoryAuditStore()
    c = build(ticket_repository=InMemoryTicketRepository(), directory_store=store,
              directory_identities=LocalIdentities(), audit_store=audit, clock=FixedClock(T0),
              **settings_stores())
    return World(c.ticket_service, c.directory, c.enrolment, store, audit)


def ticket_in(w: World, group: str | None = "billing") -> str:
    return w.tickets.create(ADMIN, CreateTicket(subject="s", description="d", group=group,
                                                requester=Requester(id="c1", email="c1@example.com"))).id


def refused(w: World, ticket_id: str, **change: object) -> InvalidAssignment:
    with pytest.raises(InvalidAssignment) as caught:
        w.tickets.update(ADMIN, ticket_id, UpdateTicket.model_validate(change))
    return caught.value


def test_invalid_assignment_is_a_422_naming_the_field() -> None:
    assert dict(STATUS_BY_ERROR)[InvalidAssignment] == 422
    assert InvalidAssignment.code == "invalid_assignment"


def test_an_unknown_group_is_refused_on_create_and_update(world: World) -> None:
    with pytest.raises(InvalidAssignment) as caught:
        ticket_in(world, group="nope")
    assert caught.value.details["field"] == "group"
    assert refused(world, ticket_in(world), group="nope").details["field"] == "group"


@pytest.mark.parametrize(("assignee", "why"), [
    ("nobody", "not a user"),  # unknown user
    ("zed", "not a user"),  # another tenant's agent
    ("bob", "not a member"),  # an agent outside the ticket's group
])
def test_assignees_outside_the_tenant_or_the_group_are_refused(world: World, assignee: str, why: str) -> None:
    error = refused(world, ticket_in(world), assignee_id=assignee)
    assert error.details["field"] == "assignee_id"
    assert why in error.message


def test_disabled_agents_and_customers_are_not_assignees(world: World) -> None:
    customer = world.directory.create_user(ADMIN, NewUser(email="dana@example.com", name="Dana",
                                                          role=Role.CUSTOMER))
    ticket = ticket_in(world, group=None)
    assert "customer" in refused(world, ticket, assignee_id=customer.id).message
    world.directory.update_user(ADMIN, "bob", UserChange(active=False))
    assert "disabled" in refused(world, ticket, assignee_id="bob").message
    world.directory.update_user(ADMIN, "bob", UserChange(active=True))
    assert world.tickets.update(ADMIN, ticket, UpdateTicket(assignee_id="bob")).assignee_id == "bob"


def test_a_member_is_assigned_and_the_group_and_assignee_can_change_together(world: World) -> None:
    ticket = ticket_in(world)
    assert world.tickets.update(ADMIN, ticket, UpdateTicket(assignee_id="ann")).assignee_id == "ann"
    world.directory.create_group(ADMIN, NewGroup(id="tier2", name="Tier 2", members=["bob"]))
    moved = world.tickets.update(ADMIN, ticket, UpdateTicket(group="tier2", assignee_id="bob"))
    assert (moved.group, moved.assignee_id) == ("tier2", "bob")
    assert refused(world, ticket, group="billing", assignee_id="bob").details["field"] == "assignee_id"
    # the group alone: the assignee the ticket keeps must be in the new group too
    assert refused(world, ticket, group="billing").details["field"] == "assignee_id"
    assert world.tickets.update(ADMIN, ticket, UpdateTicket(group="billing", assignee_id=None)).assignee_id is None


def test_bulk_and_macros_are_checked_too(world: World) -> None:
    ticket = ticket_in(world)
    results = bulk_update(world.tickets, ADMIN, [ticket], UpdateTicket(assignee_id="bob"), {})
    assert [r.code for r in results] == ["invalid_assignment"]
    macros = MacroService(MacroMemory(), world.tickets, clock=FixedClock(T0))
    to_nowhere = macros.create(ADMIN, MacroDraft(name="to nowhere", scope=Scope.TENANT,
                                                 actions=MacroActions(group="nope")))
    with pytest.raises(InvalidAssignment):
        macros.apply(ADMIN, ticket, to_nowhere.id)
    take_it = macros.create(AGENT, MacroDraft(name="take it", actions=MacroActions(assign_to_me=True)))
    assert macros.apply(AGENT, ticket, take_it.id).ticket.assignee_id == "ann"  # a member of billing
    with pytest.raises(InvalidAssignment):  # the admin is not in the directory: not an assignee
        macros.apply(ADMIN, ticket, to_nowhere.id, dry_run=True)


def test_internal_callers_routing_is_not_checked(world: World) -> None:
    from helpdesk.kernel.principal import system_principal

    ticket = ticket_in(world)
    changed = world.tickets.apply_system_change(system_principal("acme", "ai"), ticket,
                                                lambda t: t.set_field("group", "from-triage-config", "ai", T0))
    assert changed.group == "from-triage-config"


def test_only_admins_change_the_directory_and_agents_read_it(world: World) -> None:
    with pytest.raises(Forbidden):
        world.directory.create_user(AGENT, NewUser(email="x@acme.example", name="X", role=Role.ADMIN))
    with pytest.raises(Forbidden):
        world.directory.update_group(AGENT, "billing", GroupChange(members=[]))
    assert [g.id for g in world.directory.groups(AGENT)] == ["billing"]
    with pytest.raises(Forbidden):
        world.directory.users(Principal(user_id="c1", tenant_id="acme", role=Role.CUSTOMER))
    with pytest.raises(NotFound):
        world.directory.user(FOREIGN_ADMIN, "ann")


def test_admins_cannot_lock_themselves_out_and_groups_hold_staff_only(world: World) -> None:
    me = world.directory.create_user(ADMIN, NewUser(email="root@acme.example", name="Root", role=Role.ADMIN))
    admin_me = Principal(user_id=me.id, tenant_id="acme", role=Role.ADMIN)
    with pytest.raises(Conflict):
        world.directory.update_user(admin_me, me.id, UserChange(active=False))
    with pytest.raises(Conflict):
        world.directory.update_user(admin_me, me.id, UserChange(role=Role.AGENT))
    customer = world.directory.create_user(ADMIN, NewUser(email="dana@example.com", name="Dana",
                                                          role=Role.CUSTOMER))
    with pytest.raises(InvalidInput):
        world.directory.update_group(ADMIN, "billing", GroupChange(members=[customer.id]))
    with pytest.raises(InvalidInput):
        world.directory.create_group(ADMIN, NewGroup(name="Ghosts", members=["nobody"]))


def test_every_directory_change_is_audited_with_before_and_after(world: World) -> None:
    user = world.directory.create_user(ADMIN, NewUser(email="cy@acme.example", name="Cy", role=Role.AGENT,
                                                      groups=["billing"]))
    world.directory.update_user(ADMIN, user.id, UserChange(signature="Cy\nAcme"))
    org = world.directory.create_organization(ADMIN, NewOrganization(name="Globex", domains=["globex.example"]))
    entries = [(e.kind, e.resource_id, e.action) for e in world.audit.entries]
    assert ("directory.user", user.id, "created") in entries
    assert ("directory.group", "billing", "updated") in entries  # the new member
    assert ("directory.organization", org.id, "created") in entries
    signed = next(e for e in world.audit.entries if e.kind == "directory.user" and e.action == "updated")
    assert (signed.before or {}).get("signature") is None
    assert (signed.after or {}).get("signature") == "Cy\nAcme"


class MacroMemory:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Macro] = {}

    def list(self, tenant_id: str) -> list[Macro]:
        return [v for (t, _), v in self.items.items() if t == tenant_id]

    def get(self, tenant_id: str, macro_id: str) -> Macro | None:
        return self.items.get((tenant_id, macro_id))

    def add(self, macro: Macro) -> None:
        self.items[(macro.tenant_id, macro.id)] = macro

    def replace(self, macro: Macro, expected_version: int) -> None:
        self.add(macro)

    def delete(self, tenant_id: str, macro_id: str) -> None:
        self.items.pop((tenant_id, macro_id), None)


def test_a_lambda_without_the_user_pool_reads_signatures_and_checks_assignments_but_invites_nobody(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The mail and ticket functions have no HELPDESK_DIRECTORY_USER_POOL_ID: they read the directory only."""
    from helpdesk.bootstrap import ConfigurationError
    from helpdesk.settings import Settings

    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "email-send")
    monkeypatch.delenv("HELPDESK_DIRECTORY_USER_POOL_ID", raising=False)
    store = seed_directory(InMemoryDirectoryStore(), "acme", groups={"billing": ["ann"]})
    store.replace_user(store.users[("acme", "ann")].model_copy(update={"signature": "Ann", "version": 2}), 1)
    c = build(Settings.from_env(), directory_store=store)
    assert c.agent_signature("acme", "ann") == ("ann", "Ann")
    assert c.agent_signature("acme", "nobody") is None
    c.assignment_policy.check("acme", group="billing", assignee_id="ann", assignee_group="billing")
    with pytest.raises(ConfigurationError):
        _ = c.directory


def test_staff_who_sign_in_unknown_are_enrolled_and_known_records_are_left_alone(world: World) -> None:
    newcomer = Principal(user_id="cara", tenant_id="acme", role=Role.AGENT, email="Cara@Acme.example", name="Cara")
    enrolled = world.enrol(newcomer)
    assert enrolled is not None
    assert (enrolled.email, enrolled.name, enrolled.role, enrolled.active) == ("cara@acme.example", "Cara",
                                                                             Role.AGENT, True)
    assert [e.after["id"] for e in world.audit.entries if e.kind == "directory.user" and e.after] == ["cara"]
    world.tickets.update(ADMIN, ticket_in(world, None), UpdateTicket(assignee_id="cara"))  # assignable now

    world.directory.update_user(ADMIN, "bob", UserChange(active=False))
    again = world.enrol(Principal(user_id="bob", tenant_id="acme", role=Role.ADMIN))
    assert again is not None
    assert (again.role, again.active) == (Role.AGENT, False)  # the directory decides, not the token
    nameless = world.enrol(Principal(user_id="dev-1", tenant_id="acme", role=Role.AGENT))
    assert nameless is not None
    assert nameless.email == "dev-1@users.invalid"
    assert world.enrol(Principal(user_id="c9", tenant_id="acme", role=Role.CUSTOMER)) is None
    assert world.store.get_user("acme", "c9") is None


def test_a_new_ticket_takes_the_organisation_of_the_requesters_domain_once(world: World) -> None:
    assert mail_domain(" Hank@Globex.Example. ") == "globex.example"
    assert mail_domain("no-address") == ""
    org = world.directory.create_organization(ADMIN, NewOrganization(name="Globex", domains=["globex.example"]))
    lookup = OrganizationByDomain(world.store)
    assert lookup.organization_of("acme", "HANK@GLOBEX.EXAMPLE") == org.id
    assert lookup.organization_of("zeta", "hank@globex.example") is None  # another tenant's organisation
    assert lookup.organization_of("acme", "globex.example") is None  # a domain alone is no address

    def opened(email: str | None) -> str | None:
        requester = Requester(id="x", email=email) if email else Requester(id="x")
        return world.tickets.create(ADMIN, CreateTicket(subject="s", description="d",
                                                        requester=requester)).organization_id

    assert opened("lisa@globex.example") == org.id
    assert opened("a@initech.example") is None
    assert opened(None) is None  # no address, no lookup
    # Set when the ticket opens: a domain moved to another organisation later does not move existing tickets.
    first = world.tickets.create(ADMIN, CreateTicket(subject="s", description="d",
                                                     requester=Requester(email="m@globex.example")))
    world.directory.update_organization(ADMIN, org.id, OrganizationChange(domains=[]))
    assert world.tickets.get(ADMIN, first.id).organization_id == org.id
    assert opened("n@globex.example") is None


def test_a_deleted_organisation_releases_its_domains_and_a_stale_version_changes_nothing(world: World) -> None:
    org = world.directory.create_organization(ADMIN, NewOrganization(name="Globex", domains=["globex.example"]))
    renamed = world.directory.update_organization(ADMIN, org.id, OrganizationChange(name="Globex Corp"),
                                                  expected_version=org.version)
    with pytest.raises(ConcurrentUpdate):  # read before the rename
        world.directory.update_organization(ADMIN, org.id, OrganizationChange(domains=[]), expected_version=1)
    with pytest.raises(ConcurrentUpdate):
        world.directory.delete_organization(ADMIN, org.id, expected_version=1)
    assert world.directory.organization(ADMIN, org.id).domains == ["globex.example"]
    with pytest.raises(Forbidden):
        world.directory.delete_organization(AGENT, org.id)
    with pytest.raises(NotFound):
        world.directory.delete_organization(FOREIGN_ADMIN, org.id)

    world.directory.delete_organization(ADMIN, org.id, expected_version=renamed.version)
    with pytest.raises(NotFound):
        world.directory.organization(ADMIN, org.id)
    assert OrganizationByDomain(world.store).organization_of("acme", "hank@globex.example") is None
    again = world.directory.create_organization(ADMIN, NewOrganization(name="Globex", domains=["globex.example"]))
    assert OrganizationByDomain(world.store).organization_of("acme", "hank@globex.example") == again.id
    deleted = [e for e in world.audit.entries if e.action == "deleted"]
    assert [(e.kind, e.resource_id, (e.before or {}).get("name"), e.after) for e in deleted] == [
        ("directory.organization", org.id, "Globex Corp", None)]


def test_the_teams_addresses_are_its_agents_and_admins_in_their_tenant_only(world: World) -> None:
    world.directory.create_user(ADMIN, NewUser(email="dana@example.com", name="Dana", role=Role.CUSTOMER))
    world.directory.update_user(ADMIN, "bob", UserChange(active=False))  # still a teammate's address
    team = TeamAddresses(world.store)
    assert team.is_teammate("acme", "ann@acme.example")
    assert team.is_teammate("acme", " Bob@ACME.example ")
    assert not team.is_teammate("acme", "dana@example.com")  # a customer in the directory
    assert not team.is_teammate("acme", "nobody@acme.example")
    assert not team.is_teammate("zeta", "ann@acme.example")  # another tenant's agent

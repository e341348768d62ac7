"""SlaAdmin built by the composition root on the in-memory settings store (no moto): admins write, staff read,
ids are unique, policies point at calendars that exist, and the built-in default and 24x7 always exist."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from helpdesk.bootstrap import build
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import ConcurrentUpdate, Conflict, Forbidden, InvalidInput, NotFound
from helpdesk.kernel.principal import Principal, Role
from helpdesk.sla.admin import SlaAdmin
from helpdesk.sla.calendar import ALWAYS_OPEN_ID, BusinessCalendar, OpeningSpan
from helpdesk.sla.policy import DEFAULT_POLICY_ID, Conditions, PriorityTargets, SlaPolicy, default_policy
from helpdesk.tickets.model import Requester
from helpdesk.tickets.service import CreateTicket, TicketService
from tests.fakes import InMemoryAuditStore, InMemorySlaSettingsStore, InMemoryTicketRepository, InMemoryTriggerStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TENANT = "acme"
ADMIN = Principal(user_id="ad", tenant_id=TENANT, role=Role.ADMIN)
AGENT = Principal(user_id="a1", tenant_id=TENANT, role=Role.AGENT, groups=("billing",))
CUSTOMER = Principal(user_id="c1", tenant_id=TENANT, role=Role.CUSTOMER)
FOREIGN_ADMIN = Principal(user_id="ad", tenant_id="globex", role=Role.ADMIN)


@dataclass
class World:
    admin: SlaAdmin
    tickets: TicketService
    store: InMemorySlaSettingsStore
    audit: InMemoryAuditStore


@pytest.fixture
def world() -> World:
    store = InMemorySlaSettingsStore()
    audit = InMemoryAuditStore()
    container = build(ticket_repository=InMemoryTicketRepository(), sla_settings_store=store,
                      trigger_store=InMemoryTriggerStore(), clock=FixedClock(T0),
                      audit_store=audit)
    return World(container.sla_admin, container.ticket_service, store, audit)


def policy(id_: str = "vip", calendar_id: str = ALWAYS_OPEN_ID, position: int = 10,
           name: str | None = None) -> SlaPolicy:
    return SlaPolicy(id=id_, name=name or id_, position=position, calendar_id=calendar_id,
                     conditions=Conditions(tags=["vip"]),
                     targets={"normal": PriorityTargets(first_response_minutes=30)})


def office(id_: str = "office") -> BusinessCalendar:
    return BusinessCalendar(id=id_, name="Office", timezone="Europe/Berlin",
                            hours={d: [OpeningSpan(start="09:00", end="17:00")] for d in ("mon", "tue", "wed")})


# -- reading ------------------------------------------------------------------------------------------


def test_a_fresh_tenant_has_the_built_in_default_and_24x7(world: World) -> None:
    for caller in (ADMIN, AGENT):
        assert [p.id for p in world.admin.policies(caller)] == [DEFAULT_POLICY_ID]
        assert world.admin.policy(caller, DEFAULT_POLICY_ID) == default_policy()
        assert [c.id for c in world.admin.calendars(caller)] == [ALWAYS_OPEN_ID]
        assert world.admin.calendar(caller, ALWAYS_OPEN_ID).always_open


def test_customers_read_nothing(world: World) -> None:
    with pytest.raises(Forbidden):
        world.admin.policies(CUSTOMER)
    with pytest.raises(Forbidden):
        world.admin.policy(CUSTOMER, DEFAULT_POLICY_ID)
    with pytest.raises(Forbidden):
        world.admin.calendars(CUSTOMER)


def test_unknown_ids_are_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.admin.policy(ADMIN, "nope")
    with pytest.raises(NotFound):
        world.admin.calendar(ADMIN, "nope")


def test_policies_are_listed_in_position_order_with_the_default_last(world: World) -> None:
    world.admin.put_policy(ADMIN, policy("b", position=20), create=True)
    world.admin.put_policy(ADMIN, policy("a", position=30), create=True)
    world.admin.put_policy(ADMIN, policy("c", position=20), create=True)
    assert [p.id for p in world.admin.policies(AGENT)] == ["b", "c", "a", DEFAULT_POLICY_ID]


# -- writing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", [AGENT, CUSTOMER], ids=["agent", "customer"])
def test_only_admins_change_settings(world: World, caller: Principal) -> None:
    world.admin.put_calendar(ADMIN, office("used"), create=True)
    world.admin.put_policy(ADMIN, policy("kept"), create=True)
    changes: list[Callable[[], object]] = [
        lambda: world.admin.put_policy(caller, policy(), create=True),
        lambda: world.admin.put_policy(caller, policy("kept", name="renamed"), create=False),
        lambda: world.admin.delete_policy(caller, "kept"),
        lambda: world.admin.put_calendar(caller, office(), create=True),
        lambda: world.admin.delete_calendar(caller, "used"),
    ]
    for change in changes:
        with pytest.raises(Forbidden):
            change()
    settings = world.store.load(TENANT)
    assert [p.id for p in settings.policies] == ["kept"]
    assert settings.policies[0].name == "kept"
    assert set(settings.calendars) == {"used"}


def test_create_conflicts_with_an_existing_policy_and_update_needs_one(world: World) -> None:
    created = world.admin.put_policy(ADMIN, policy(), create=True)
    assert world.admin.policy(AGENT, "vip") == created
    with pytest.raises(Conflict) as taken:
        world.admin.put_policy(ADMIN, policy(name="again"), create=True)
    assert taken.value.details == {"id": "vip"}
    assert world.admin.policy(ADMIN, "vip").name == "vip"
    with pytest.raises(NotFound):
        world.admin.put_policy(ADMIN, policy("ghost"), create=False)
    world.admin.put_policy(ADMIN, policy(name="VIP customers"), create=False)
    assert world.admin.policy(ADMIN, "vip").name == "VIP customers"


def test_the_default_policy_exists_before_it_is_stored(world: World) -> None:
    ours = default_policy().model_copy(update={"name": "Ours"})
    with pytest.raises(Conflict):
        world.admin.put_policy(ADMIN, ours, create=True)
    world.admin.put_policy(ADMIN, ours, create=False)
    assert [(p.id, p.name) for p in world.admin.policies(ADMIN)] == [(DEFAULT_POLICY_ID, "Ours")]
    # Deleting the override restores the built-in one; deleting the built-in one is not an error.
    world.admin.delete_policy(ADMIN, DEFAULT_POLICY_ID)
    assert world.admin.policies(ADMIN) == [default_policy()]
    world.admin.delete_policy(ADMIN, DEFAULT_POLICY_ID)
    assert world.store.load(TENANT).policies == []


def test_deleting_a_missing_policy_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.admin.delete_policy(ADMIN, "ghost")
    world.admin.put_policy(ADMIN, policy(), create=True)
    world.admin.delete_policy(ADMIN, "vip")
    with pytest.raises(NotFound):
        world.admin.policy(ADMIN, "vip")


def test_a_policy_must_name_a_calendar_that_exists(world: World) -> None:
    with pytest.raises(InvalidInput) as missing:
        world.admin.put_policy(ADMIN, policy(calendar_id="office"), create=True)
    assert missing.value.details == {"calendar_id": "office"}
    assert world.store.load(TENANT).policies == []
    world.admin.put_calendar(ADMIN, office(), create=True)
    assert world.admin.put_policy(ADMIN, policy(calendar_id="office"), create=True).calendar_id == "office"


def test_calendar_ids_are_unique_and_24x7_is_built_in(world: World) -> None:
    world.admin.put_calendar(ADMIN, office(), create=True)
    with pytest.raises(Conflict):
        world.admin.put_calendar(ADMIN, office(), create=True)
    always = world.admin.calendar(ADMIN, ALWAYS_OPEN_ID)
    with pytest.raises(Conflict):
        world.admin.put_calendar(ADMIN, always, create=True)
    with pytest.raises(NotFound):
        world.admin.put_calendar(ADMIN, office("ghost"), create=False)
    world.admin.put_calendar(ADMIN, always.model_copy(update={"name": "Always"}), create=False)
    assert world.admin.calendar(AGENT, ALWAYS_OPEN_ID).name == "Always"
    assert [c.id for c in world.admin.calendars(AGENT)] == [ALWAYS_OPEN_ID, "office"]


def test_a_calendar_in_use_cannot_be_deleted(world: World) -> None:
    world.admin.put_calendar(ADMIN, office(), create=True)
    world.admin.put_policy(ADMIN, policy("b", calendar_id="office"), create=True)
    world.admin.put_policy(ADMIN, policy("a", calendar_id="office"), create=True)
    with pytest.raises(Conflict) as in_use:
        world.admin.delete_calendar(ADMIN, "office")
    assert in_use.value.details == {"policies": ["a", "b"]}
    # The built-in default policy runs on 24x7: that calendar cannot go either.
    with pytest.raises(Conflict):
        world.admin.delete_calendar(ADMIN, ALWAYS_OPEN_ID)
    world.admin.delete_policy(ADMIN, "a")
    world.admin.delete_policy(ADMIN, "b")
    world.admin.delete_calendar(ADMIN, "office")
    assert "office" not in world.store.load(TENANT).calendars
    with pytest.raises(NotFound):
        world.admin.delete_calendar(ADMIN, "office")


def test_settings_are_per_tenant(world: World) -> None:
    world.admin.put_calendar(ADMIN, office(), create=True)
    world.admin.put_policy(ADMIN, policy(calendar_id="office"), create=True)
    assert [p.id for p in world.admin.policies(FOREIGN_ADMIN)] == [DEFAULT_POLICY_ID]
    with pytest.raises(InvalidInput):  # acme's calendar is not globex's
        world.admin.put_policy(FOREIGN_ADMIN, policy(calendar_id="office"), create=True)
    world.admin.put_policy(FOREIGN_ADMIN, policy(), create=True)  # the same id is free in another tenant
    with pytest.raises(NotFound):
        world.admin.delete_calendar(FOREIGN_ADMIN, "office")


def test_new_tickets_follow_the_policies_the_admin_writes(world: World) -> None:
    def open_vip() -> str | None:
        ticket = world.tickets.create(ADMIN, CreateTicket(subject="s", description="d", tags=["vip"],
                                                          requester=Requester(id="c1")))
        return ticket.sla.policy_id if ticket.sla is not None else None

    assert open_vip() == DEFAULT_POLICY_ID
    world.admin.put_policy(ADMIN, policy(), create=True)
    assert open_vip() == "vip"
    world.admin.delete_policy(ADMIN, "vip")
    assert open_vip() == DEFAULT_POLICY_ID


def test_policy_changes_are_audited_with_before_and_after(world: World) -> None:
    world.admin.put_policy(ADMIN, policy("vip", name="VIP"), create=True)
    world.admin.put_policy(ADMIN, policy("vip", name="VIP"), create=False)  # nothing changed: no entry
    world.admin.put_policy(ADMIN, policy("vip", name="Gold"), create=False)
    world.admin.delete_policy(ADMIN, "vip")
    entries = world.audit.entries
    assert [(e.kind, e.action, e.actor) for e in entries] == [
        ("sla.policy", "created", "ad"), ("sla.policy", "updated", "ad"), ("sla.policy", "deleted", "ad")]
    assert entries[1].before is not None
    assert entries[1].after is not None
    assert (entries[1].before["name"], entries[1].after["name"]) == ("VIP", "Gold")
    assert "version" not in entries[1].after  # a version is no change of its own
    assert entries[2].after is None


# -- versions -----------------------------------------------------------------------------------------


def test_a_policy_write_naming_a_version_it_left_is_refused_and_changes_nothing(world: World) -> None:
    created = world.admin.put_policy(ADMIN, policy(name="VIP"), create=True)
    assert (created.version, world.admin.policy(AGENT, "vip").version) == (1, 1)
    saved = world.admin.put_policy(ADMIN, policy(name="Gold"), create=False, expected_version=1)
    assert saved.version == 2
    with pytest.raises(ConcurrentUpdate) as stale:
        world.admin.put_policy(ADMIN, policy(name="Silver"), create=False, expected_version=1)
    assert stale.value.details == {"expected_version": 1, "current_version": 2}
    with pytest.raises(ConcurrentUpdate):
        world.admin.delete_policy(ADMIN, "vip", expected_version=1)
    kept = world.admin.policy(ADMIN, "vip")
    assert (kept.name, kept.version) == ("Gold", 2)
    assert [e.action for e in world.audit.entries] == ["created", "updated"]  # the refused writes left no entry
    world.admin.delete_policy(ADMIN, "vip", expected_version=2)
    assert world.store.load(TENANT).policies == []


def test_a_calendar_write_naming_a_version_it_left_is_refused_and_changes_nothing(world: World) -> None:
    assert world.admin.put_calendar(ADMIN, office(), create=True).version == 1
    renamed = office().model_copy(update={"name": "Berlin"})
    assert world.admin.put_calendar(ADMIN, renamed, create=False, expected_version=1).version == 2
    with pytest.raises(ConcurrentUpdate):
        world.admin.put_calendar(ADMIN, office(), create=False, expected_version=1)
    with pytest.raises(ConcurrentUpdate):
        world.admin.delete_calendar(ADMIN, "office", expected_version=1)
    kept = world.admin.calendar(ADMIN, "office")
    assert (kept.name, kept.version) == ("Berlin", 2)
    world.admin.delete_calendar(ADMIN, "office", expected_version=2)
    assert "office" not in world.store.load(TENANT).calendars


def test_the_built_in_default_and_24x7_are_version_0_until_saved(world: World) -> None:
    assert world.admin.policy(ADMIN, DEFAULT_POLICY_ID).version == 0
    assert world.admin.calendar(ADMIN, ALWAYS_OPEN_ID).version == 0
    ours = default_policy().model_copy(update={"name": "Ours"})
    assert world.admin.put_policy(ADMIN, ours, create=False, expected_version=0).version == 1
    with pytest.raises(ConcurrentUpdate):  # another admin saved the built-in one meanwhile
        world.admin.put_policy(ADMIN, ours, create=False, expected_version=0)
    world.admin.delete_policy(ADMIN, DEFAULT_POLICY_ID, expected_version=1)
    assert world.admin.policy(ADMIN, DEFAULT_POLICY_ID) == default_policy()  # built in again, at version 0
    always = world.admin.calendar(ADMIN, ALWAYS_OPEN_ID).model_copy(update={"name": "Always"})
    assert world.admin.put_calendar(ADMIN, always, create=False, expected_version=0).version == 1


def test_a_version_sent_in_the_body_is_ignored(world: World) -> None:
    claimed = policy().model_copy(update={"version": 41})
    assert world.admin.put_policy(ADMIN, claimed, create=True).version == 1
    assert world.admin.put_policy(ADMIN, claimed, create=False).version == 2  # no expected version: last write wins
    assert world.store.load(TENANT).policies[0].version == 2


class RacingStore(InMemorySlaSettingsStore):
    """Another admin saves the same item between the service's read and its write."""

    def put_policy(self, tenant_id: str, item: SlaPolicy, expected_version: int | None = None) -> int:
        super().put_policy(tenant_id, item.model_copy(update={"name": "theirs"}))
        return super().put_policy(tenant_id, item, expected_version)


def test_a_change_made_after_the_read_is_caught_by_the_stores_condition() -> None:
    store = RacingStore()
    admin = build(ticket_repository=InMemoryTicketRepository(), sla_settings_store=store,
                  trigger_store=InMemoryTriggerStore(), clock=FixedClock(T0),
                  audit_store=InMemoryAuditStore()).sla_admin
    with pytest.raises(Conflict):  # created by the other admin first: this create is refused
        admin.put_policy(ADMIN, policy(name="ours"), create=True)
    with pytest.raises(ConcurrentUpdate):  # read at version 1, saved over by theirs (2) before this write
        admin.put_policy(ADMIN, policy(name="ours"), create=False, expected_version=1)
    assert admin.policy(ADMIN, "vip").name == "theirs"
    assert admin.put_policy(ADMIN, policy(name="ours"), create=False).name == "ours"  # no If-Match: the last wins

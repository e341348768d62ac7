"""TicketService built by the composition root on the in-memory fakes (no moto): who sees what, and the
read -> apply -> hooks -> conditional write loop under concurrent writers."""

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.bootstrap import build
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import ConcurrentUpdate, Conflict, Forbidden, InvalidInput, NotFound
from helpdesk.kernel.principal import Principal, Role, TicketAccess, system_principal
from helpdesk.sla.policy import Conditions, PriorityTargets, SlaPolicy
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Priority, Requester, Status, Ticket
from helpdesk.tickets.ports import TicketQuery
from helpdesk.tickets.service import CreateTicket, RetryPolicy, TicketService, UpdateTicket, can_see
from helpdesk.web.errors import STATUS_BY_ERROR
from tests.fakes import (
    InMemoryCustomerAddresses,
    InMemoryDirectoryStore,
    InMemorySlaSettingsStore,
    InMemoryTicketFieldStore,
    InMemoryTicketRepository,
    InMemoryTriggerStore,
    InterleavingTicketRepository,
    seed_directory,
    settings_stores,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TENANT = "acme"

CUSTOMER = Principal(user_id="c1", tenant_id=TENANT, role=Role.CUSTOMER, email="c1@example.com",
                     email_verified=True)
OTHER_CUSTOMER = Principal(user_id="c2", tenant_id=TENANT, role=Role.CUSTOMER, email="c2@example.com",
                           email_verified=True)
BILLING_AGENT = Principal(user_id="a1", tenant_id=TENANT, role=Role.AGENT, groups=("billing",))
AGENT = Principal(user_id="a2", tenant_id=TENANT, role=Role.AGENT)
ADMIN = Principal(user_id="ad", tenant_id=TENANT, role=Role.ADMIN)
FOREIGN_ADMIN = Principal(user_id="ad", tenant_id="globex", role=Role.ADMIN)
SYSTEM = system_principal(TENANT, "sla")


@dataclass
class World:
    service: TicketService
    repo: InMemoryTicketRepository
    sla: InMemorySlaSettingsStore
    clock: FixedClock


@pytest.fixture
def world() -> World:
    repo, sla, clock = InMemoryTicketRepository(), InMemorySlaSettingsStore(), FixedClock(T0)
    directory = seed_directory(InMemoryDirectoryStore(), TENANT, agents=["a2", "ad"],
                               groups={"billing": ["a1"], "support": ["a1"]})
    container = build(ticket_repository=repo, sla_settings_store=sla,
                      trigger_store=InMemoryTriggerStore(), clock=clock, directory_store=directory,
                      ticket_field_store=InMemoryTicketFieldStore(), customer_address_store=InMemoryCustomerAddresses())
    return World(container.ticket_service, repo, sla, clock)


def open_ticket(w: World, requester: Principal = CUSTOMER, group: str | None = None, **kw: object) -> Ticket:
    """A ticket opened by staff on behalf of `requester` (so it can carry a group)."""
    cmd = CreateTicket.model_validate({"subject": "printer on fire", "description": "help", "group": group,
                                       "requester": Requester(id=requester.user_id, email=requester.email), **kw})
    return w.service.create(ADMIN if requester.tenant_id == TENANT else FOREIGN_ADMIN, cmd)


def visible_ids(w: World, caller: Principal, q: TicketQuery | None = None) -> set[str]:
    page = w.service.query(caller, q or TicketQuery(tenant_id=caller.tenant_id, limit=100))
    return {t.id for t in page.items}


# -- creation ---------------------------------------------------------------------------------------


def test_create_numbers_versions_and_runs_the_sla_hook(world: World) -> None:
    first = world.service.create(CUSTOMER, CreateTicket(subject="s", description="d", group="billing"))
    world.clock.advance(timedelta(minutes=5))
    second = open_ticket(world, group="billing")
    assert (first.number, second.number) == (1, 2)
    assert first.key == "T-000001"
    assert first.version == 1
    assert first.requester.id == "c1"
    assert first.group is None  # customers do not route their own tickets
    assert second.group == "billing"
    assert first.created_at == T0
    assert second.created_at == T0 + timedelta(minutes=5)
    assert first.sla is not None
    assert first.sla.policy_id == "default"
    events = world.repo.events(TENANT, first.id)
    assert [e.type for e in events] == [EventType.CREATED]
    assert events[0].seq == 1000
    assert world.sla.loads >= 2  # the hook read the injected store


def test_the_sla_hook_uses_the_injected_settings_store(world: World) -> None:
    world.sla.put_policy(TENANT, SlaPolicy(id="vip", name="VIP", position=1, conditions=Conditions(tags=["vip"]),
                                           targets={"normal": PriorityTargets(first_response_minutes=15)}))
    vip = open_ticket(world, tags=["VIP"])
    plain = open_ticket(world)
    assert vip.sla is not None
    assert plain.sla is not None
    assert (vip.sla.policy_id, plain.sla.policy_id) == ("vip", "default")


def test_customers_open_tickets_for_themselves_only(world: World) -> None:
    with pytest.raises(Forbidden):
        world.service.create(CUSTOMER, CreateTicket(subject="s", description="d", requester=Requester(id="c2")))
    with pytest.raises(Forbidden):
        world.service.create(CUSTOMER, CreateTicket(subject="s", description="d", id="abcdef0123"))
    with pytest.raises(Forbidden):
        world.service.create(CUSTOMER, CreateTicket(subject="s", description="d", event_data={"message_id": "x"}))


def test_a_retried_create_with_a_chosen_id_fails_instead_of_duplicating(world: World) -> None:
    cmd = CreateTicket(subject="s", description="d", id="abcdef0123", requester=Requester(id="c1"))
    world.service.create(SYSTEM, cmd)
    with pytest.raises(ConcurrentUpdate):
        world.service.create(SYSTEM, cmd)
    assert len(world.service.query(ADMIN, TicketQuery(tenant_id=TENANT)).items) == 1


# -- who sees what ----------------------------------------------------------------------------------


def test_customers_see_only_their_own_tickets(world: World) -> None:
    mine, theirs = open_ticket(world), open_ticket(world, OTHER_CUSTOMER)
    assert world.service.get(CUSTOMER, mine.id).id == mine.id
    with pytest.raises(NotFound):
        world.service.get(CUSTOMER, theirs.id)
    with pytest.raises(NotFound):
        world.service.get_by_number(CUSTOMER, theirs.number)
    with pytest.raises(NotFound):
        world.service.events(CUSTOMER, theirs.id)
    assert visible_ids(world, CUSTOMER) == {mine.id}
    # Asking for someone else's tickets gives an empty page, not theirs.
    assert visible_ids(world, CUSTOMER, TicketQuery(tenant_id=TENANT, requester_id="c2")) == set()


def test_a_hidden_ticket_answers_exactly_like_a_missing_one(world: World) -> None:
    theirs = open_ticket(world, OTHER_CUSTOMER)
    with pytest.raises(NotFound) as hidden:
        world.service.get(CUSTOMER, theirs.id)
    with pytest.raises(NotFound) as missing:
        world.service.get(CUSTOMER, "0" * 32)
    assert type(hidden.value) is type(missing.value)
    assert hidden.value.message.replace(theirs.id, "X") == missing.value.message.replace("0" * 32, "X")


def test_agents_with_groups_see_their_groups_and_what_is_assigned_to_them(world: World) -> None:
    billing = open_ticket(world, group="billing")
    support = open_ticket(world, group="support")
    ungrouped = open_ticket(world)
    assigned = open_ticket(world, group="support")
    world.service.update(ADMIN, assigned.id, UpdateTicket(assignee_id="a1"))

    assert world.service.get(BILLING_AGENT, billing.id).id == billing.id
    assert world.service.get(BILLING_AGENT, assigned.id).id == assigned.id
    for hidden in (support, ungrouped):
        with pytest.raises(NotFound):
            world.service.get(BILLING_AGENT, hidden.id)
    with pytest.raises(NotFound):
        world.service.update(BILLING_AGENT, support.id, UpdateTicket(priority=Priority.HIGH))
    assert visible_ids(world, BILLING_AGENT) == {billing.id, assigned.id}
    # A group filter in the request cannot widen what the agent may see.
    assert visible_ids(world, BILLING_AGENT, TicketQuery(tenant_id=TENANT, groups=("support",))) == {
        billing.id, assigned.id}


def test_agents_without_groups_and_admins_see_the_whole_tenant(world: World) -> None:
    ids = {open_ticket(world, group=g).id for g in ("billing", "support", None)}
    assert visible_ids(world, AGENT) == ids
    assert visible_ids(world, ADMIN) == ids
    for ticket_id in ids:
        world.service.get(AGENT, ticket_id)


def test_the_directory_s_ticket_access_decides_what_an_agent_in_groups_sees(world: World) -> None:
    """Tokens carry the directory's `ticket_access`: members of groups who may open every ticket see every ticket;
    an agent limited to their groups who is in none sees only what is assigned to them, not the whole tenant."""
    ids = {open_ticket(world, group=g).id for g in ("billing", "support", None)}
    every = BILLING_AGENT.model_copy(update={"ticket_access": TicketAccess.ALL})
    assert visible_ids(world, every) == ids
    limited = BILLING_AGENT.model_copy(update={"ticket_access": TicketAccess.GROUPS})
    assert len(visible_ids(world, limited)) == 1
    in_no_group = AGENT.model_copy(update={"ticket_access": TicketAccess.GROUPS})
    assert visible_ids(world, in_no_group) == set()
    mine = open_ticket(world)
    world.service.update(ADMIN, mine.id, UpdateTicket(assignee_id=in_no_group.user_id))
    assert visible_ids(world, in_no_group) == {mine.id}
    assert world.service.get(in_no_group, mine.id).id == mine.id
    with pytest.raises(NotFound):
        world.service.get(in_no_group, next(iter(ids)))


def test_another_tenant_is_invisible_even_to_its_admin(world: World) -> None:
    acme = open_ticket(world)
    foreign = Principal(user_id="c1", tenant_id="globex", role=Role.CUSTOMER)  # same user id, other tenant
    globex = open_ticket(world, foreign)
    for caller in (FOREIGN_ADMIN, foreign):
        with pytest.raises(NotFound):
            world.service.get(caller, acme.id)
        with pytest.raises(NotFound):
            world.service.update(caller, acme.id, UpdateTicket(status=Status.RESOLVED))
    with pytest.raises(NotFound):
        world.service.get_by_number(FOREIGN_ADMIN, 999)
    # Each tenant numbers from 1, and a query names the caller's tenant whatever the request says.
    assert (acme.number, globex.number) == (1, 1)
    assert world.service.get_by_number(FOREIGN_ADMIN, 1).id == globex.id
    assert visible_ids(world, FOREIGN_ADMIN, TicketQuery(tenant_id=TENANT, limit=100)) == {globex.id}
    # The rule itself, for a repository that would hand out another tenant's ticket.
    assert not can_see(FOREIGN_ADMIN, acme)
    assert not can_see(foreign, acme)
    assert can_see(ADMIN, acme)


def test_customers_may_only_resolve_and_never_see_internal_notes(world: World) -> None:
    ticket = open_ticket(world)
    with pytest.raises(Forbidden):
        world.service.update(CUSTOMER, ticket.id, UpdateTicket(priority=Priority.URGENT))
    with pytest.raises(Forbidden):
        world.service.update(CUSTOMER, ticket.id, UpdateTicket(status=Status.CLOSED))
    with pytest.raises(Forbidden):
        world.service.add_message(CUSTOMER, ticket.id, "psst", public=False)
    world.service.add_message(AGENT, ticket.id, "looks like a toner issue", public=False)
    world.service.add_message(AGENT, ticket.id, "we are on it", public=True)

    staff_view = [e.type for e in world.service.events(AGENT, ticket.id)]
    customer_view = [e.type for e in world.service.events(CUSTOMER, ticket.id)]
    assert EventType.INTERNAL_NOTE in staff_view
    assert EventType.INTERNAL_NOTE not in customer_view
    assert EventType.PUBLIC_MESSAGE in customer_view

    resolved = world.service.update(CUSTOMER, ticket.id, UpdateTicket(status=Status.RESOLVED))
    assert resolved.status == Status.RESOLVED
    assert world.repo.stored(TENANT, ticket.id).status == Status.RESOLVED


# -- the write loop ---------------------------------------------------------------------------------


def _tag_by_other_writer(ticket: Ticket) -> None:
    ticket.tags = [*ticket.tags, "touched-by-other"]


def test_internal_callers_back_off_with_full_jitter_until_the_write_lands(world: World) -> None:
    ticket = open_ticket(world)
    sleeps: list[float] = []
    service = TicketService(world.repo, hooks=world.service.hooks, clock=world.clock, sleep=sleeps.append)
    lost = 20  # far more races than five immediate tries survive
    world.repo.interfere(times=lost, change=_tag_by_other_writer)

    def escalate(t: Ticket) -> list[TicketEvent]:
        return t.set_field("priority", Priority.URGENT, "sla", T0)

    saved = service.apply_system_change(SYSTEM, ticket.id, escalate)
    assert world.repo.save_attempts == lost + 1
    stored = world.repo.stored(TENANT, ticket.id)
    # Applied on a fresh read each time: the other writer's changes survive alongside ours.
    assert stored.priority == Priority.URGENT
    assert stored.tags == ["touched-by-other"] * lost
    assert saved.version == stored.version == 1 + lost + 1
    assert [e.type for e in world.repo.events(TENANT, ticket.id)] == [EventType.CREATED, EventType.PRIORITY_CHANGED]
    # A wait before every retry, each drawn from a window that doubles up to the cap (full jitter).
    policy = service.retry
    assert len(sleeps) == lost
    assert all(0 <= s <= min(policy.cap_s, policy.base_s * 2 ** n) for n, s in enumerate(sleeps))
    assert len(set(sleeps)) > 1


def test_internal_callers_give_up_at_the_deadline(world: World) -> None:
    ticket = open_ticket(world)
    # A second of retries (waits of at most 4 ms): a loaded CI machine once managed two attempts in 0.1 s.
    service = TicketService(world.repo, RetryPolicy(base_s=0.001, cap_s=0.004, deadline_s=1.0),
                            hooks=world.service.hooks, clock=world.clock)
    world.repo.interfere(times=100_000)  # someone always writes first
    with pytest.raises(ConcurrentUpdate):
        service.apply_system_change(SYSTEM, ticket.id, lambda t: t.change_status(Status.OPEN, "sla", T0))
    assert 5 < world.repo.save_attempts < 100_000  # tried on until the deadline, not a fixed five times
    assert world.repo.stored(TENANT, ticket.id).status == Status.NEW


@pytest.mark.parametrize("writers", [10, 50])
def test_concurrent_writers_without_a_version_never_see_a_conflict(writers: int) -> None:
    repo = InterleavingTicketRepository()
    container = build(ticket_repository=repo, **settings_stores(), clock=FixedClock(T0))
    service = container.ticket_service
    ticket = service.create(ADMIN, CreateTicket(subject="s", description="d"))
    start = threading.Barrier(writers)
    conflicts: list[BaseException] = []

    def write(n: int) -> None:
        start.wait(10)
        try:
            service.apply_system_change(SYSTEM, ticket.id, lambda t: t.set_field("tags", [*t.tags, f"w{n:02d}"],
                                                                                 "sla", T0))
        except ConcurrentUpdate as exc:
            conflicts.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert conflicts == []
    assert repo.conflicts > 0  # the writers did race
    assert sorted(repo.stored(TENANT, ticket.id).tags) == sorted(f"w{n:02d}" for n in range(writers))


def test_callers_without_a_version_are_retried_too(world: World) -> None:
    ticket = open_ticket(world)
    world.repo.interfere(times=2)
    world.service.add_message(AGENT, ticket.id, "on it", public=True)
    assert world.repo.save_attempts == 3
    stored = world.repo.stored(TENANT, ticket.id)
    assert stored.status == Status.OPEN
    assert stored.first_response_at == T0


def test_api_callers_pinning_a_version_get_the_conflict_without_retry(world: World) -> None:
    ticket = open_ticket(world)
    world.repo.interfere(times=1, change=_tag_by_other_writer)
    with pytest.raises(ConcurrentUpdate) as raced:
        world.service.update(AGENT, ticket.id, UpdateTicket(priority=Priority.HIGH), expected_version=ticket.version)
    assert world.repo.save_attempts == 1
    stored = world.repo.stored(TENANT, ticket.id)
    assert stored.priority == Priority.NORMAL  # ours was not written...
    assert stored.tags == ["touched-by-other"]  # ...theirs was
    assert next(status for cls, status in STATUS_BY_ERROR if isinstance(raced.value, cls)) == 409


def test_a_stale_expected_version_is_refused_before_any_write(world: World) -> None:
    ticket = open_ticket(world)
    world.service.update(AGENT, ticket.id, UpdateTicket(priority=Priority.LOW))
    attempts = world.repo.save_attempts
    with pytest.raises(ConcurrentUpdate) as stale:
        world.service.update(AGENT, ticket.id, UpdateTicket(priority=Priority.HIGH), expected_version=ticket.version)
    assert isinstance(stale.value, Conflict)
    assert stale.value.details == {"expected_version": 1, "current_version": 2}
    assert world.repo.save_attempts == attempts
    current = world.service.get(AGENT, ticket.id)
    updated = world.service.update(AGENT, ticket.id, UpdateTicket(priority=Priority.HIGH),
                                   expected_version=current.version)
    assert (updated.priority, updated.version) == (Priority.HIGH, 3)


def test_a_change_that_changes_nothing_writes_nothing(world: World) -> None:
    ticket = open_ticket(world)
    same = world.service.update(AGENT, ticket.id, UpdateTicket(priority=Priority.NORMAL))
    assert world.repo.save_attempts == 0
    assert same.version == ticket.version


@dataclass
class RecordingHook:
    """A TicketHook that notes the time it was given and adds one event of its own."""

    seen: list[datetime]

    def before_save(self, ticket: Ticket, events: list[TicketEvent], now: datetime) -> list[TicketEvent]:
        self.seen.append(now)
        return [TicketEvent(ticket_id=ticket.id, tenant_id=ticket.tenant_id, type=EventType.SLA, actor="sla", at=now,
                            data={"kind": "recorded"})]


def test_hooks_run_in_the_same_write_with_the_clock_or_the_pinned_time() -> None:
    repo, clock, hook = InMemoryTicketRepository(), FixedClock(T0), RecordingHook([])
    service = TicketService(repo, hooks=[hook], clock=clock)
    ticket = service.create(ADMIN, CreateTicket(subject="s", description="d"))
    clock.advance(timedelta(hours=1))
    service.update(AGENT, ticket.id, UpdateTicket(priority=Priority.HIGH))
    pinned = T0 + timedelta(hours=3)
    service.apply_system_change(SYSTEM, ticket.id, lambda t: t.set_field("group", "billing", "sla", T0), now=pinned)
    assert hook.seen == [T0, T0 + timedelta(hours=1), pinned]
    events = repo.events(TENANT, ticket.id)
    assert [e.type for e in events] == [EventType.CREATED, EventType.SLA, EventType.PRIORITY_CHANGED, EventType.SLA,
                                        EventType.GROUP_CHANGED, EventType.SLA]
    assert [e.seq for e in events] == [1000, 1001, 2000, 2001, 3000, 3001]


# -- listing ------------------------------------------------------------------------------------------


def test_pages_are_newest_first_and_cursors_stay_in_their_listing(world: World) -> None:
    ids = [open_ticket(world).id for _ in range(5)]
    first = world.service.query(ADMIN, TicketQuery(tenant_id=TENANT, limit=2))
    assert [t.id for t in first.items] == ids[:-3:-1]
    assert first.next_cursor is not None
    second = world.service.query(ADMIN, TicketQuery(tenant_id=TENANT, limit=2, cursor=first.next_cursor))
    third = world.service.query(ADMIN, TicketQuery(tenant_id=TENANT, limit=2, cursor=second.next_cursor))
    assert [t.id for t in second.items + third.items] == ids[2::-1]
    assert third.next_cursor is None
    with pytest.raises(InvalidInput):
        world.service.query(FOREIGN_ADMIN, TicketQuery(tenant_id="globex", limit=2, cursor=first.next_cursor))
    with pytest.raises(InvalidInput):
        world.service.query(ADMIN, TicketQuery(tenant_id=TENANT, status=Status.NEW, cursor=first.next_cursor))

"""Automatic assignment's decisions on fakes: when a ticket counts as having come to wait, whom the turn goes to
when members change, leave or are away, and two tickets taking turns at once."""

import pytest

from helpdesk.directory.adapters.memory import InMemoryDirectoryStore
from helpdesk.directory.model import User
from helpdesk.directory.rotation import AutoAssignment, waiting_in
from helpdesk.kernel.principal import Principal, Role
from helpdesk.tickets.model import Status, Ticket
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket
from tests.fakes import InMemoryTicketRepository, seed_directory

AGENT = Principal(user_id="ada", tenant_id="acme", role=Role.AGENT, groups=("billing",))


class World:
    def __init__(self) -> None:
        self.store = seed_directory(InMemoryDirectoryStore(), "acme",
                                    groups={"billing": ["ada", "bob", "carl"], "sales": []})
        self.tickets = TicketService(InMemoryTicketRepository())
        self.assignment = AutoAssignment(self.tickets, self.store)
        self.set_group("billing", auto_assign=True)

    def set_group(self, group_id: str, **changes: object) -> None:
        group = self.store.get_group("acme", group_id)
        assert group is not None
        self.store.replace_group(group.model_copy(update={**changes, "version": group.version + 1}), group.version)

    def set_user(self, user_id: str, **changes: object) -> None:
        user = self.store.get_user("acme", user_id)
        assert user is not None
        self.store.replace_user(user.model_copy(update={**changes, "version": user.version + 1}), user.version)

    def open(self, group: str | None = "billing") -> tuple[Ticket | None, Ticket]:
        """A new ticket and the change that made it (no before: an INSERT)."""
        return None, self.tickets.create(AGENT, CreateTicket(subject="Invoice", description="Wrong total",
                                                             group=group))

    def deliver(self, change: tuple[Ticket | None, Ticket]) -> str | None:
        assigned = self.assignment.on_change(*change)
        return assigned.user_id if assigned else None


@pytest.fixture
def world() -> World:
    return World()


def test_members_take_turns_in_member_order_and_the_away_disabled_or_demoted_are_skipped(world: World) -> None:
    assert [world.deliver(world.open()) for _ in range(4)] == ["ada", "bob", "carl", "ada"]
    world.set_user("bob", away=True)
    world.set_user("carl", active=False)
    assert [world.deliver(world.open()) for _ in range(2)] == ["ada", "ada"]
    world.set_user("carl", active=True, role=Role.CUSTOMER)
    world.set_user("bob", away=False)
    assert [world.deliver(world.open()) for _ in range(2)] == ["bob", "ada"]


def test_the_turn_passes_on_when_the_last_assignee_left_the_group(world: World) -> None:
    assert [world.deliver(world.open()) for _ in range(2)] == ["ada", "bob"]
    world.set_group("billing", members=["ada", "carl"])  # bob left: the order starts again
    assert [world.deliver(world.open()) for _ in range(3)] == ["ada", "carl", "ada"]


def test_only_a_ticket_that_has_just_come_to_wait_in_an_assigning_group_is_given(world: World) -> None:
    assert world.deliver(world.open(group="sales")) is None  # sales assigns by hand
    assert world.deliver(world.open(group=None)) is None
    _, ticket = world.open()
    assert world.deliver((ticket, ticket)) is None  # waiting there already: another field changed
    resolved = world.tickets.update(AGENT, ticket.id, UpdateTicket(status=Status.RESOLVED))
    assert waiting_in(resolved) is None
    assert world.deliver((ticket, resolved)) is None
    reopened = world.tickets.update(AGENT, ticket.id, UpdateTicket(status=Status.OPEN))
    assert world.deliver((resolved, reopened)) == "ada"


def test_a_stale_record_never_overrides_what_happened_since(world: World) -> None:
    change = world.open()
    world.tickets.update(AGENT, change[1].id, UpdateTicket(assignee_id="carl"))
    assert world.deliver(change) is None
    stored = world.tickets.repository.get("acme", change[1].id)
    assert stored is not None
    assert stored.assignee_id == "carl"
    assert world.store.last_turn("acme", "billing") == (None, 0)  # no turn spent on it


def test_everyone_away_leaves_the_ticket_in_the_queue(world: World) -> None:
    for user_id in ("ada", "bob", "carl"):
        world.set_user(user_id, away=True)
    change = world.open()
    assert world.deliver(change) is None
    stored = world.tickets.repository.get("acme", change[1].id)
    assert stored is not None
    assert stored.assignee_id is None


def test_two_tickets_taking_a_turn_at_once_go_to_two_people(world: World) -> None:
    """The second ticket's first claim loses to the first ticket's (both read the same turn): it reads again."""
    store = world.store
    first = world.open()
    second = world.open()
    take_turn = store.take_turn
    raced: list[bool] = []

    def racing(tenant_id: str, group_id: str, user_id: str, turns_before: int) -> bool:
        if not raced:  # the other ticket claims this very turn just before us
            raced.append(True)
            assert world.deliver(first) == "ada"
        return take_turn(tenant_id, group_id, user_id, turns_before)

    store.take_turn = racing  # type: ignore[method-assign]
    assert world.deliver(second) == "bob"
    assert store.last_turn("acme", "billing") == ("bob", 2)


def test_a_user_record_from_before_away_existed_takes_tickets() -> None:
    stored = {"id": "old", "tenant_id": "acme", "email": "old@acme.example", "name": "Old", "role": "agent",
              "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
    assert User.model_validate(stored).away is False

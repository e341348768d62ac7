"""Automatic assignment's decisions on fakes: when a ticket counts as having come to wait, whom the turn goes to
when members change, leave or are away, and two tickets taking turns at once."""

import pytest

from helpdesk.directory.adapters.memory import InMemoryDirectoryStore
from helpdesk.directory.model import AssignmentMethod, User
from helpdesk.directory.rotation import AutoAssignment, load_freed, waiting_in
from helpdesk.kernel.principal import Principal, Role
from helpdesk.tickets.model import Status, Ticket
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket
from tests.fakes import InMemoryTicketRepository, seed_directory

AGENT = Principal(user_id="ada", tenant_id="acme", role=Role.AGENT, groups=("billing",))
ROOT = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)


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

    def change(self, ticket_id: str, **fields: object) -> tuple[Ticket, Ticket]:
        """A person's change of a ticket, as the stream's record of it has it (both images)."""
        before = self.tickets.get(ROOT, ticket_id)
        return before, self.tickets.update(ROOT, ticket_id, UpdateTicket.model_validate(fields))

    def carrying(self, user_id: str, count: int) -> None:
        """Give the person `count` unsolved tickets from outside the group (their load)."""
        for _ in range(count):
            self.tickets.update(ROOT, self.open(group=None)[1].id, UpdateTicket(assignee_id=user_id))

    def assignee(self, ticket_id: str) -> str | None:
        stored = self.tickets.repository.get("acme", ticket_id)
        assert stored is not None
        return stored.assignee_id


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


def test_a_queue_is_handed_out_oldest_first_in_turn_until_nobody_takes_tickets(world: World) -> None:
    world.set_group("billing", auto_assign=False)
    waiting = [world.open()[1].id for _ in range(4)]
    taken = world.open()[1]
    world.tickets.update(AGENT, taken.id, UpdateTicket(assignee_id="carl"))
    world.set_user("carl", away=True)
    assert world.assignment.hand_out_waiting("acme", "billing") == []  # the group assigns by hand

    world.set_group("billing", auto_assign=True)
    given = world.assignment.hand_out_waiting("acme", "billing", limit=3)
    assert [(a.ticket_id, a.user_id) for a in given] == list(zip(waiting[:3], ["ada", "bob", "ada"], strict=True))
    world.set_user("ada", away=True)
    world.set_user("bob", away=True)
    assert world.assignment.hand_out_waiting("acme", "billing") == []  # everyone away: the fourth waits
    world.set_user("bob", away=False)
    assert [(a.ticket_id, a.user_id) for a in world.assignment.hand_out_waiting("acme", "billing")] == [
        (waiting[3], "bob")]
    stored = world.tickets.repository.get("acme", taken.id)
    assert stored is not None
    assert stored.assignee_id == "carl"  # a ticket someone has is not a waiting one


def test_the_least_busy_member_takes_the_next_ticket_and_equal_loads_go_in_turn(world: World) -> None:
    world.set_group("billing", assignment=AssignmentMethod.LEAST_BUSY)
    for _ in range(2):  # Carl already carries two unsolved tickets, Bob one; Ada none
        world.tickets.update(ROOT, world.open(group=None)[1].id, UpdateTicket(assignee_id="carl"))
    bobs = world.open(group=None)[1]
    world.tickets.update(ROOT, bobs.id, UpdateTicket(assignee_id="bob"))
    solved = world.open(group=None)[1]  # solved work is no load
    world.tickets.update(ROOT, solved.id, UpdateTicket(assignee_id="ada"))
    world.tickets.update(ROOT, solved.id, UpdateTicket(status=Status.RESOLVED))

    # loads ada 0, bob 1, carl 2: Ada until she is level; equal loads go in turn after the last one given
    assert [world.deliver(world.open()) for _ in range(5)] == ["ada", "bob", "ada", "bob", "carl"]
    assert world.deliver(world.open()) == "ada"  # 2 against 3 and 3
    world.tickets.update(ROOT, bobs.id, UpdateTicket(status=Status.RESOLVED))  # Bob finished one: 2 against 3
    world.set_user("carl", away=True)
    assert world.deliver(world.open()) == "bob"
    change = world.open()
    world.deliver(change)
    assigned = [e for e in world.tickets.events(AGENT, change[1].id) if e.type.value == "assignee_changed"]
    assert assigned[-1].data["automatic"] == "least_busy"


def test_a_queue_handed_out_by_load_counts_what_it_gives(world: World) -> None:
    world.set_group("billing", auto_assign=False, assignment=AssignmentMethod.LEAST_BUSY)
    for _ in range(3):
        world.tickets.update(ROOT, world.open(group=None)[1].id, UpdateTicket(assignee_id="ada"))
    waiting = [world.open()[1].id for _ in range(5)]
    world.set_group("billing", auto_assign=True)
    given = world.assignment.hand_out_waiting("acme", "billing")
    assert [(a.ticket_id, a.user_id) for a in given] == list(zip(
        waiting, ["bob", "carl", "bob", "carl", "bob"], strict=True))  # Ada's 3 already: the others catch up


def test_the_directory_hands_out_a_queue_when_its_group_can_take_more() -> None:
    from helpdesk.directory.adapters.handout import InProcessHandout
    from helpdesk.directory.adapters.local_idp import LocalIdentities
    from helpdesk.directory.model import GroupChange, ProfileChange, UserChange
    from helpdesk.directory.service import DirectoryService

    world = World()
    world.set_group("billing", auto_assign=False)
    admin = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)
    directory = DirectoryService(world.store, LocalIdentities(), handout=InProcessHandout(lambda: world.assignment))
    opened: list[str] = []

    def open_waiting() -> None:
        change = world.open()
        opened.append(change[1].id)
        world.deliver(change)

    def assignees() -> list[str | None]:
        return [t.assignee_id for t in world.tickets.repository.get_many("acme", opened)]

    for _ in range(2):
        open_waiting()  # the group assigns by hand yet
    assert assignees() == [None, None]
    directory.update_group(admin, "billing", GroupChange(auto_assign=True))  # turned on: the queue goes out
    assert assignees() == ["ada", "bob"]

    for user_id in ("ada", "bob", "carl"):
        directory.update_profile(Principal(user_id=user_id, tenant_id="acme", role=Role.AGENT),
                                 ProfileChange(away=True))
    for _ in range(2):
        open_waiting()  # nobody takes them: they wait
    assert assignees() == ["ada", "bob", None, None]
    directory.update_profile(Principal(user_id="carl", tenant_id="acme", role=Role.AGENT), ProfileChange(away=False))
    assert assignees() == ["ada", "bob", "carl", "carl"]  # back: the queue is theirs

    # an admin adds Dora to the group while the others are away: she gets what waits
    world.set_user("carl", away=True)
    open_waiting()
    seed_directory(world.store, "acme", agents=["dora"])
    directory.update_user(admin, "dora", UserChange(groups=["billing"]))
    assert assignees()[-1] == "dora"


def test_a_lambda_hands_queues_out_through_the_auto_assign_function_and_refuses_to_start_without_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk.bootstrap import ConfigurationError, build
    from helpdesk.directory.adapters.handout import InProcessHandout, LambdaHandout
    from helpdesk.settings import Settings

    monkeypatch.delenv("HELPDESK_DIRECTORY_AUTO_ASSIGN_FUNCTION", raising=False)
    assert isinstance(build(Settings.from_env()).queue_handout, InProcessHandout)  # the local stack, tests
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "directory-api")
    with pytest.raises(ConfigurationError, match="AUTO_ASSIGN_FUNCTION"):
        _ = build(Settings.from_env()).queue_handout
    monkeypatch.setenv("HELPDESK_DIRECTORY_AUTO_ASSIGN_FUNCTION", "helpdesk-AutoAssignFunction")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    assert isinstance(build(Settings.from_env()).queue_handout, LambdaHandout)


def test_round_robin_skips_members_at_the_capacity_and_with_everyone_there_tickets_wait(world: World) -> None:
    world.set_group("billing", capacity=2)
    world.carrying("ada", 2)  # full already
    world.carrying("carl", 1)
    assert [world.deliver(world.open()) for _ in range(3)] == ["bob", "carl", "bob"]
    waiting = world.open()
    assert world.deliver(waiting) is None  # everyone has two: it waits in the queue
    assert world.assignee(waiting[1].id) is None
    world.set_group("billing", capacity=None)  # no limit: in turn again, from after Bob
    assert world.deliver(world.open()) == "carl"


def test_least_busy_skips_members_at_the_capacity(world: World) -> None:
    world.set_group("billing", assignment=AssignmentMethod.LEAST_BUSY, capacity=3)
    world.carrying("ada", 3)
    world.carrying("bob", 1)
    world.carrying("carl", 2)
    # Bob to 2 (fewest); Bob and Carl level at 2 go in turn, then both at 3: nobody left under 3
    assert [world.deliver(world.open()) for _ in range(4)] == ["bob", "carl", "bob", None]
    world.set_user("ada", away=True)
    world.set_group("billing", capacity=4)
    assert [world.deliver(world.open()) for _ in range(3)] == ["carl", "bob", None]  # Ada away, not full


def test_a_solved_ticket_frees_a_slot_and_the_oldest_waiting_ticket_goes_to_that_person(world: World) -> None:
    world.set_group("billing", capacity=1)
    first = [world.open() for _ in range(3)]
    assert [world.deliver(change) for change in first] == ["ada", "bob", "carl"]
    waiting = [world.open() for _ in range(2)]
    assert [world.deliver(change) for change in waiting] == [None, None]

    other_field = world.change(first[1][1].id, priority="high")  # still Bob's, unsolved: nothing moves
    assert world.assignment.on_load_freed(*other_field) == []
    solved = world.change(first[1][1].id, status="resolved")  # Bob solved his
    given = world.assignment.on_load_freed(*solved)
    assert [(a.ticket_id, a.user_id) for a in given] == [(waiting[0][1].id, "bob")]
    assert world.assignee(waiting[1][1].id) is None  # the others are still full
    assert world.assignment.on_load_freed(*solved) == []  # a replayed record: Bob is full again

    world.set_user("ada", away=True)  # away: her freed slot is nobody's
    assert world.assignment.on_load_freed(*world.change(first[0][1].id, assignee_id="carl")) == []  # Ada's to Carl
    world.set_user("ada", away=False)  # ... until she is back (the directory hands the queue out then)
    assert [(a.ticket_id, a.user_id) for a in world.assignment.hand_out_waiting("acme", "billing")] == [
        (waiting[1][1].id, "ada")]


def test_only_a_change_that_takes_a_ticket_off_its_assignees_plate_frees_a_slot(world: World) -> None:
    world.set_group("sales", auto_assign=True)
    ticket = world.open(group=None)[1]
    assert load_freed(*world.change(ticket.id, status="open")) is None  # nobody's
    assert load_freed(*world.change(ticket.id, assignee_id="ada")) is None  # onto Ada's plate
    assert load_freed(*world.change(ticket.id, status="pending")) is None  # waiting on the customer is still hers
    assert load_freed(*world.change(ticket.id, group="sales")) is None  # moved, still hers
    assert load_freed(*world.change(ticket.id, assignee_id="bob")) == "ada"
    assert load_freed(*world.change(ticket.id, assignee_id=None)) == "bob"
    world.change(ticket.id, assignee_id="carl")
    assert load_freed(*world.change(ticket.id, status="closed")) == "carl"
    assert load_freed(None, ticket) is None  # opened


def test_a_freed_slot_moves_only_the_queues_of_the_persons_groups_with_a_capacity(world: World) -> None:
    world.set_group("billing", auto_assign=False)
    world.set_group("sales", members=["ada"], auto_assign=False)
    held = world.open(group=None)[1]
    world.tickets.update(ROOT, held.id, UpdateTicket(assignee_id="ada"))
    billing, sales = world.open()[1], world.open(group="sales")[1]
    world.set_group("billing", auto_assign=True)  # no capacity: its queue is handed out when turned on, not here
    world.set_group("sales", auto_assign=True, capacity=5)

    given = world.assignment.on_load_freed(*world.change(held.id, status="resolved"))
    assert [(a.ticket_id, a.user_id) for a in given] == [(sales.id, "ada")]
    assert world.assignee(billing.id) is None


def test_the_directory_hands_out_a_queue_when_its_capacity_is_raised_or_cleared() -> None:
    from helpdesk.directory.adapters.handout import InProcessHandout
    from helpdesk.directory.adapters.local_idp import LocalIdentities
    from helpdesk.directory.model import GroupChange
    from helpdesk.directory.service import DirectoryService

    world = World()
    directory = DirectoryService(world.store, LocalIdentities(), handout=InProcessHandout(lambda: world.assignment))
    directory.update_group(ROOT, "billing", GroupChange(capacity=1))
    opened = [world.open() for _ in range(6)]
    assert [world.deliver(change) for change in opened] == ["ada", "bob", "carl", None, None, None]

    directory.update_group(ROOT, "billing", GroupChange(description="Invoices"))  # no more room: nothing moves
    assert world.assignee(opened[3][1].id) is None
    directory.update_group(ROOT, "billing", GroupChange(capacity=2))
    assert [world.assignee(c[1].id) for c in opened[3:]] == ["ada", "bob", "carl"]
    more = [world.open() for _ in range(2)]
    assert [world.deliver(change) for change in more] == [None, None]
    directory.update_group(ROOT, "billing", GroupChange.model_validate({"capacity": None}))  # no limit
    assert [world.assignee(c[1].id) for c in more] == ["ada", "bob"]

"""A signed-in person as the team directory has them now (helpdesk.directory.standing), on the in-memory
directory: the directory's role, groups and ticket access replace the token's; a deactivated account is refused;
a warm container reads again after `recheck_s`, or at once for a token issued after its read."""

from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.directory.model import User
from helpdesk.directory.standing import StaffStanding
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import Unauthorized
from helpdesk.kernel.principal import Principal, Role, TicketAccess
from tests.fakes import InMemoryDirectoryStore, seed_directory

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# What Ann's token says: issued before any change, an agent who sees every ticket, in no group
TOKEN = Principal(user_id="ann", tenant_id="acme", role=Role.AGENT, email="ann@acme.example",
                  ticket_access=TicketAccess.ALL)


class CountingStore(InMemoryDirectoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def get_user(self, tenant_id: str, user_id: str) -> User | None:
        self.reads += 1
        return super().get_user(tenant_id, user_id)


def change(store: "CountingStore", **updates: object) -> None:
    """An admin's change of Ann (its read is not the standing's)."""
    user = InMemoryDirectoryStore.get_user(store, "acme", "ann")
    assert user is not None
    store.replace_user(user.model_copy(update={**updates, "version": user.version + 1}), expected_version=user.version)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def store() -> CountingStore:
    seeded = seed_directory(CountingStore(), "acme", groups={"billing": ["ann"]})
    seeded.reads = 0
    return seeded


def test_the_directory_decides_role_groups_and_ticket_access(store: CountingStore, clock: FixedClock) -> None:
    change(store, ticket_access="groups", role=Role.AGENT)
    now = StaffStanding(store, clock=clock)(TOKEN)
    assert (now.role, now.groups, now.ticket_access, now.limited_to) == (Role.AGENT, ("billing",), "groups",
                                                                        ("billing",))
    assert now.email == TOKEN.email  # the rest is the token's

    change(store, role=Role.ADMIN)
    assert StaffStanding(store, clock=clock)(TOKEN).role == Role.ADMIN


def test_a_deactivated_account_is_refused_within_the_recheck(store: CountingStore, clock: FixedClock) -> None:
    standing = StaffStanding(store, recheck_s=30, clock=clock)
    assert standing(TOKEN).is_staff
    change(store, active=False)
    clock.advance(timedelta(seconds=29))
    assert standing(TOKEN).is_staff  # this warm container read the record 29 s ago
    assert store.reads == 1
    clock.advance(timedelta(seconds=2))
    with pytest.raises(Unauthorized, match="deactivated"):
        standing(TOKEN)
    assert store.reads == 2


def test_a_token_issued_after_the_read_is_read_again_at_once(store: CountingStore, clock: FixedClock) -> None:
    standing = StaffStanding(store, clock=clock)
    read_at = T0.timestamp()
    assert standing(TOKEN, issued_at=read_at - 600).limited_to is None
    change(store, ticket_access="groups")
    assert standing(TOKEN, issued_at=read_at - 600).limited_to is None  # an older token: the read stands
    clock.advance(timedelta(seconds=5))
    assert standing(TOKEN, issued_at=read_at + 3).limited_to == ("billing",)  # signed in again since
    assert store.reads == 2


def test_no_recheck_reads_at_every_call(store: CountingStore, clock: FixedClock) -> None:
    standing = StaffStanding(store, recheck_s=0, clock=clock)
    standing(TOKEN)
    standing(TOKEN)
    assert store.reads == 2


def test_customers_and_people_the_directory_does_not_know_keep_their_token(store: CountingStore,
                                                                          clock: FixedClock) -> None:
    standing = StaffStanding(store, clock=clock)
    customer = Principal(user_id="ann", tenant_id="acme", role=Role.CUSTOMER, email="ann@example.com")
    assert standing(customer) is customer
    assert store.reads == 0  # no read for customers
    stranger = Principal(user_id="zed", tenant_id="acme", role=Role.ADMIN, groups=("x",))
    assert standing(stranger) == stranger
    other_tenant = TOKEN.model_copy(update={"tenant_id": "zeta"})
    assert standing(other_tenant) == other_tenant  # ann of acme is not ann of zeta

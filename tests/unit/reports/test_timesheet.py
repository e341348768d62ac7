"""The timesheet on the in-memory ports: time counted by when it was logged (across months), per agent,
organisation, group and ticket; corrections; filters; who sees which entries; the month partitions."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpdesk.bootstrap import Container, build
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import Forbidden, InvalidInput
from helpdesk.kernel.principal import Principal, Role
from helpdesk.reports.csv_export import time_csv
from helpdesk.tickets.ports import time_buckets
from helpdesk.tickets.service import CreateTicket, UpdateTicket
from helpdesk.tickets.time_spent import log_time
from tests.fakes import (
    InMemoryDirectoryStore,
    InMemoryTicketFieldStore,
    InMemoryTicketRepository,
    seed_directory,
    settings_stores,
)

T0 = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)  # two hours before December
ADMIN = Principal(user_id="ada", tenant_id="acme", role=Role.ADMIN)
ALEX = Principal(user_id="alex", tenant_id="acme", role=Role.AGENT)
BO = Principal(user_id="bo", tenant_id="acme", role=Role.AGENT, groups=("billing",))
CUSTOMER = Principal(user_id="cy", tenant_id="acme", role=Role.CUSTOMER, email="cy@example.com")
OTHER_TENANT = Principal(user_id="zed", tenant_id="zeta", role=Role.ADMIN)


@pytest.fixture
def world() -> tuple[Container, FixedClock]:
    clock = FixedClock(T0)
    directory = seed_directory(InMemoryDirectoryStore(), "acme", groups={"billing": ["bo"], "tech": ["alex"]})
    seed_directory(directory, "zeta", groups={"billing": []})
    c = build(ticket_repository=InMemoryTicketRepository(), **settings_stores(),
              clock=clock, ticket_field_store=InMemoryTicketFieldStore(), directory_store=directory)
    return c, clock


def ticket(c: Container, group: str | None, email: str = "cy@example.com", caller: Principal = ADMIN) -> str:
    return c.ticket_service.create(caller, CreateTicket.model_validate(
        {"subject": "Printer jams", "description": "help", "group": group,
         "requester": {"email": email}})).id


def test_time_counts_when_it_was_logged_by_agent_group_and_ticket(world: tuple[Container, FixedClock]) -> None:
    c, clock = world
    billing, tech = ticket(c, "billing"), ticket(c, "tech")
    log_time(c.ticket_service, BO, billing, 30)  # November
    clock.advance(timedelta(hours=3))  # December
    log_time(c.ticket_service, BO, billing, 45)
    log_time(c.ticket_service, ALEX, tech, 20)
    log_time(c.ticket_service, ALEX, tech, -5)  # a correction
    foreign = ticket(c, "billing", caller=OTHER_TENANT)
    log_time(c.ticket_service, OTHER_TENANT, foreign, 600)

    december = c.reports.time(ADMIN, datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    assert (december.minutes, december.entries) == (60, 3)
    assert [(r.key, r.minutes, r.entries) for r in december.by_agent] == [("bo", 45, 1), ("alex", 15, 2)]
    assert [(r.key, r.minutes) for r in december.by_group] == [("billing", 45), ("tech", 15)]
    assert [r.key for r in december.by_ticket] == ["T-000001", "T-000002"]
    both = c.reports.time(ADMIN, T0 - timedelta(hours=1), T0 + timedelta(days=1))  # across the month's end
    assert (both.minutes, [line.minutes for line in both.lines]) == (90, [30, 45, 20, -5])
    assert c.reports.time(ADMIN, T0 - timedelta(hours=1), T0 + timedelta(days=1), agent="alex").minutes == 15
    assert c.reports.time(OTHER_TENANT, T0 - timedelta(hours=1), T0 + timedelta(days=1)).minutes == 600

    csv_lines = time_csv(both).splitlines()
    assert csv_lines[0] == "at,agent,ticket,ticket_id,organization_id,group,minutes"
    assert csv_lines[1].split(",")[1:] == ["bo", "T-000001", billing, "", "billing", "30"]


def test_an_agent_limited_to_groups_sees_their_groups_entries_and_their_own(
        world: tuple[Container, FixedClock]) -> None:
    c, _ = world
    billing, tech = ticket(c, "billing"), ticket(c, "tech")
    log_time(c.ticket_service, ALEX, billing, 10)
    log_time(c.ticket_service, ALEX, tech, 20)
    unsorted = ticket(c, None)
    c.ticket_service.update(ADMIN, unsorted, UpdateTicket(assignee_id="bo"))
    log_time(c.ticket_service, BO, unsorted, 5)  # bo's own entry on a ticket outside his group

    seen = c.reports.time(BO, T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    assert sorted((line.agent, line.ticket_id) for line in seen.lines) == [("alex", billing), ("bo", unsorted)]
    assert c.reports.time(ALEX, T0 - timedelta(hours=1), T0 + timedelta(hours=1)).minutes == 35  # not limited
    with pytest.raises(Forbidden):
        c.reports.time(CUSTOMER)
    with pytest.raises(InvalidInput):
        c.reports.time(ADMIN, T0, T0 - timedelta(days=1))


def test_a_range_reads_the_month_partitions_it_touches() -> None:
    assert time_buckets("acme", datetime(2026, 11, 30, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC)) == [
        "acme#2026-11", "acme#2026-12", "acme#2027-01", "acme#2027-02"]
    berlin = datetime(2026, 12, 1, 0, 30, tzinfo=UTC).astimezone(ZoneInfo("Europe/Berlin"))
    assert time_buckets("acme", berlin, berlin) == ["acme#2026-12"]  # months are UTC's, whatever the offset
    tokyo = datetime(2026, 12, 31, 23, tzinfo=UTC).astimezone(ZoneInfo("Asia/Tokyo"))  # January 1st there
    assert time_buckets("acme", tokyo, tokyo) == ["acme#2026-12"]

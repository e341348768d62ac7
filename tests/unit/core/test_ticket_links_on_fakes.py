"""Merging and linking tickets on the in-memory fakes: both ends written, audited, idempotent under retries,
tenant-isolated, and a merge chain that never loops."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from helpdesk.bootstrap import build
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from helpdesk.kernel.principal import Principal, Role
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.links import link, merge, split, unlink
from helpdesk.tickets.model import Requester, Status, Ticket, TicketLink
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket
from tests.fakes import (
    InMemoryDirectoryStore,
    InMemoryTicketFieldStore,
    InMemoryTicketRepository,
    settings_stores,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AGENT = Principal(user_id="a1", tenant_id="acme", role=Role.AGENT)
FOREIGN_AGENT = Principal(user_id="z1", tenant_id="zeta", role=Role.AGENT)
DANA = Principal(user_id="c1", tenant_id="acme", role=Role.CUSTOMER, email="dana@example.com", email_verified=True)
ERIK = Principal(user_id="c2", tenant_id="acme", role=Role.CUSTOMER, email="erik@example.com", email_verified=True)


@pytest.fixture
def service() -> TicketService:
    return build(ticket_repository=InMemoryTicketRepository(), **settings_stores(),
                 ticket_field_store=InMemoryTicketFieldStore(),
                 directory_store=InMemoryDirectoryStore(), clock=FixedClock(T0)).ticket_service


def open_ticket(service: TicketService, who: Principal = DANA, agent: Principal = AGENT,
                subject: str = "Printer jammed") -> Ticket:
    return service.create(agent, CreateTicket(subject=subject, description=f"{subject}: help",
                                              requester=Requester(id=who.user_id, email=who.email)))


def of_type(service: TicketService, ticket_id: str, type_: EventType) -> list[dict[str, object]]:
    return [e.data for e in service.events(AGENT, ticket_id) if e.type == type_]


def test_merge_closes_the_source_and_the_target_takes_its_people_and_messages(service: TicketService) -> None:
    source, target = open_ticket(service, ERIK), open_ticket(service, DANA)
    service.add_message(ERIK, source.id, "Still jammed, page 3", public=True)

    merged, into = merge(service, AGENT, source.id, target.id)

    assert (merged.status, merged.merged_into) == (Status.CLOSED, target.id)
    assert TicketLink(type="merged_into", ticket_id=target.id) in merged.links
    assert TicketLink(type="merged_from", ticket_id=source.id) in into.links
    assert into.participants == ["dana@example.com", "erik@example.com"]
    assert of_type(service, source.id, EventType.MERGED) == [{"into": target.id, "into_number": target.key}]
    assert of_type(service, target.id, EventType.MERGED) == [{"from": source.id, "from_number": source.key}]
    view = service.events(AGENT, target.id, with_merged=True)
    shown = [e for e in view if e.data.get("merged_from") == source.id]
    assert [e.type for e in shown] == [EventType.CREATED, EventType.PUBLIC_MESSAGE]
    assert shown[1].data["body"] == "Still jammed, page 3"
    assert all(e.ticket_id == target.id for e in service.events(AGENT, target.id))  # the log itself is untouched
    # customers see merged messages only of tickets they may see themselves
    assert not [e for e in service.events(DANA, target.id, with_merged=True) if e.data.get("merged_from")]


def test_merge_brings_the_sources_followers_to_the_target(service: TicketService) -> None:
    """Who followed the conversation follows it where it goes on (each once, as many as a ticket holds)."""
    from helpdesk.tickets.model import MAX_FOLLOWERS

    source, target = open_ticket(service, ERIK), open_ticket(service, DANA)
    source.followers, target.followers = ["ada", "otto"], ["otto", *(f"u{i}" for i in range(MAX_FOLLOWERS - 2))]
    service.repository.save(source, [])
    service.repository.save(target, [])

    _, into = merge(service, AGENT, source.id, target.id)

    assert into.followers == ["otto", *(f"u{i}" for i in range(MAX_FOLLOWERS - 2)), "ada"]
    assert not [e for e in service.events(DANA, target.id) if e.type == EventType.FOLLOWERS_CHANGED]


def test_merge_brings_the_sources_side_contacts_to_the_target(service: TicketService) -> None:
    """The supplier a note on the source was mailed to answers on the target now (their mail follows the merge)."""
    source, target = open_ticket(service, ERIK), open_ticket(service, DANA)
    source.side_contacts, target.side_contacts = ["orders@supplier.example", "desk@warehouse.example"], [
        "desk@warehouse.example"]
    service.repository.save(source, [])
    service.repository.save(target, [])

    _, into = merge(service, AGENT, source.id, target.id)

    assert into.side_contacts == ["desk@warehouse.example", "orders@supplier.example"]
    assert service.get(AGENT, target.id).side_contacts == ["desk@warehouse.example", "orders@supplier.example"]


def test_merge_is_idempotent_under_retries(service: TicketService) -> None:
    source, target = open_ticket(service), open_ticket(service)
    first = merge(service, AGENT, source.id, target.id)
    again = merge(service, AGENT, source.id, target.id)
    assert (again[0].version, again[1].version) == (first[0].version, first[1].version)
    assert len(of_type(service, target.id, EventType.MERGED)) == 1


def test_a_merge_interrupted_after_closing_the_source_is_finished_by_the_retry(service: TicketService) -> None:
    source, target = open_ticket(service), open_ticket(service)
    service.run_change(AGENT, source.id, lambda t, now: t.merge_into(target, AGENT.user_id, now))
    _, into = merge(service, AGENT, source.id, target.id)
    assert TicketLink(type="merged_from", ticket_id=source.id) in into.links


def test_bad_merges_are_refused(service: TicketService) -> None:
    a, b, c = open_ticket(service), open_ticket(service), open_ticket(service)
    foreign = open_ticket(service, agent=FOREIGN_AGENT)
    with pytest.raises(InvalidInput):
        merge(service, AGENT, a.id, a.id)
    with pytest.raises(NotFound):
        merge(service, AGENT, a.id, foreign.id)
    with pytest.raises(Forbidden):
        merge(service, DANA, a.id, b.id)
    merge(service, AGENT, a.id, b.id)
    with pytest.raises(InvalidTransition):  # into a closed merge chain
        merge(service, AGENT, c.id, a.id)
    with pytest.raises(InvalidTransition):  # back into its own source: the chain would loop
        merge(service, AGENT, b.id, a.id)
    with pytest.raises(InvalidTransition):  # already merged elsewhere
        merge(service, AGENT, a.id, c.id)
    service.update(AGENT, c.id, UpdateTicket(status=Status.CLOSED))
    with pytest.raises(InvalidTransition):
        merge(service, AGENT, b.id, c.id)


def test_follow_merges_walks_the_chain(service: TicketService) -> None:
    a, b, c = open_ticket(service), open_ticket(service), open_ticket(service)
    merge(service, AGENT, a.id, b.id)
    merge(service, AGENT, b.id, c.id)
    assert service.follow_merges(AGENT, service.get(AGENT, a.id)).id == c.id
    assert service.follow_merges(AGENT, service.get(AGENT, c.id)).id == c.id


def test_links_are_written_both_ways_audited_and_idempotent(service: TicketService) -> None:
    parent, child = open_ticket(service), open_ticket(service)
    linked = link(service, AGENT, child.id, "parent", parent.id)
    link(service, AGENT, child.id, "parent", parent.id)
    assert linked.links == [TicketLink(type="parent", ticket_id=parent.id)]
    assert service.get(AGENT, parent.id).links == [TicketLink(type="child", ticket_id=child.id)]
    assert of_type(service, child.id, EventType.LINKED) == [{"type": "parent", "ticket_id": parent.id}]
    assert not [e for e in service.events(DANA, child.id) if e.type == EventType.LINKED]  # the team's business

    unlinked = unlink(service, AGENT, child.id, "parent", parent.id)
    unlink(service, AGENT, child.id, "parent", parent.id)
    assert unlinked.links == []
    assert service.get(AGENT, parent.id).links == []
    assert len(of_type(service, child.id, EventType.UNLINKED)) == 1


def test_bad_links_are_refused(service: TicketService) -> None:
    a = open_ticket(service)
    foreign = open_ticket(service, agent=FOREIGN_AGENT)
    with pytest.raises(InvalidInput):
        link(service, AGENT, a.id, "related", a.id)
    with pytest.raises(NotFound):
        link(service, AGENT, a.id, "related", foreign.id)
    with pytest.raises(Forbidden):
        link(service, DANA, a.id, "related", a.id + "x")
    with pytest.raises(InvalidInput):  # merge links are made by a merge only
        service.create(AGENT, CreateTicket(subject="x", description="y", requester=Requester(id="c1"),
                                           links=[TicketLink(type="merged_from", ticket_id=a.id)]))


def test_split_opens_a_ticket_from_one_customer_message_once(service: TicketService) -> None:
    source = open_ticket(service)
    _, asked = service.add_message(DANA, source.id, "Also: my invoice is wrong", public=True)
    _, answer = service.add_message(AGENT, source.id, "Looking at the printer", public=True)

    new = split(service, AGENT, source.id, asked.seq)
    again = split(service, AGENT, source.id, asked.seq)

    assert again.id == new.id
    assert again.version == new.version
    assert (new.description, new.requester.id) == ("Also: my invoice is wrong", "c1")
    assert new.links == [TicketLink(type="related", ticket_id=source.id)]
    assert service.get(AGENT, source.id).links == [TicketLink(type="related", ticket_id=new.id)]
    created = service.events(AGENT, new.id)[0]
    assert (created.data["split_from"], created.data["split_seq"]) == (source.id, asked.seq)
    with pytest.raises(InvalidInput):  # an agent's reply is not split off
        split(service, AGENT, source.id, answer.seq)
    with pytest.raises(InvalidInput):
        split(service, AGENT, source.id, 999_999)
    with pytest.raises(Forbidden):
        split(service, DANA, source.id, asked.seq)


class RacingRepository(InMemoryTicketRepository):
    """Runs `race` once, just before the first write that is guarded by another ticket: what a concurrent
    request would do between this request's last read and its write."""

    race: Callable[[], object] | None = None

    def save(self, ticket: Ticket, events: list[TicketEvent], unchanged: Ticket | None = None) -> Ticket:
        if self.race is not None and unchanged is not None:
            race, self.race = self.race, None
            race()
        return super().save(ticket, events, unchanged)


def test_two_opposite_merges_racing_cannot_both_close_their_source() -> None:
    repository = RacingRepository()
    service = build(ticket_repository=repository, **settings_stores(),
                    ticket_field_store=InMemoryTicketFieldStore(),
                    directory_store=InMemoryDirectoryStore(), clock=FixedClock(T0)).ticket_service
    a, b = open_ticket(service, DANA), open_ticket(service, ERIK)
    # The other request (B into A) checked that A was open and now closes B, just before A is closed into B.
    repository.race = lambda: service.run_change(AGENT, b.id, lambda t, now: t.merge_into(a, AGENT.user_id, now))

    with pytest.raises(InvalidTransition):
        merge(service, AGENT, a.id, b.id)

    assert repository.stored("acme", b.id).merged_into == a.id
    assert repository.stored("acme", a.id).merged_into is None  # no loop: A stays open
    assert repository.stored("acme", a.id).status != Status.CLOSED

"""Time logged in the old helpdesk, as time logged here: oldest first, a correction never below nothing, and a
history with no room left for every entry adds the rest up (the ticket's total stays right) and says so."""

from datetime import UTC, datetime, timedelta

from helpdesk.imports.model import SourcePerson, SourceTimeEntry
from helpdesk.imports.time_entries import time_events
from helpdesk.tickets.model import Requester, Ticket

NOW = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
PEOPLE = {"7": SourcePerson(id="7", name="Alice Agent", email="alice@acme.example", staff=True)}


def ticket() -> Ticket:
    return Ticket(id="t1", number=42, tenant_id="acme", subject="s", description="d",
                  requester=Requester(email="c@x.example"), created_at=NOW, updated_at=NOW)


def entry(minutes: int, hours_later: int, author: str = "7") -> SourceTimeEntry:
    return SourceTimeEntry(author_id=author, minutes=minutes, at=NOW + timedelta(hours=hours_later))


def staff(person: SourcePerson | None) -> str | None:
    return "alice" if person is not None else None


def test_entries_come_oldest_first_with_their_running_total_and_a_correction_stops_at_nothing() -> None:
    t = ticket()
    events, problem = time_events(t, [entry(30, 2), entry(15, 1), entry(0, 3), entry(-60, 4, author="9")], PEOPLE,
                                  "zammad", staff, room=10)
    assert problem is None
    assert [(e.actor, e.data["minutes"], e.data["total"], e.data["author_name"]) for e in events] == [
        ("alice", 15, 15, "Alice Agent"), ("alice", 30, 45, "Alice Agent"), ("zammad:9", -60, 0, "9")]
    assert (t.time_spent_minutes, events[0].data["number"], events[0].is_internal) == (0, "T-000042", True)


def test_a_full_history_adds_the_rest_up_into_the_last_entry_it_keeps() -> None:
    t = ticket()
    events, problem = time_events(t, [entry(10, h) for h in range(5)], PEOPLE, "freescout", staff, room=3)
    assert [e.data["minutes"] for e in events] == [10, 10, 30]
    assert (t.time_spent_minutes, problem) == (50, "time entries: 5, the last 3 added up into one")
    none, problem = time_events(ticket(), [entry(10, 1)], PEOPLE, "freescout", staff, room=0)
    assert (none, problem) == ([], "time entries: 1, none brought over (its history is full)")

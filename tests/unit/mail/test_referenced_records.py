"""A reply names up to a few dozen Message-IDs, and ingest asks three questions of them (a notification's? a side
conversation's? the thread's?): each ID is read once, in one request for all three, and only as far as a question
needs."""

from typing import Any

from helpdesk.mail.ports import MessageRecords, NotifiedAgent
from helpdesk.mail.service import ReferencedRecords


class CountingRecords:
    def __init__(self, known: dict[str, MessageRecords]) -> None:
        self.known = known
        self.read: list[str] = []

    def message_records(self, tenant_id: str, message_id: str) -> MessageRecords:
        self.read.append(f"{tenant_id}/{message_id}")
        return self.known.get(message_id, MessageRecords())


def test_each_referenced_message_id_is_read_once_and_only_as_far_as_asked() -> None:
    agent = MessageRecords(agent=NotifiedAgent("t1", "ada"))
    records = CountingRecords({"b@x": agent, "c@x": MessageRecords(ticket_id="t1")})
    referenced = ReferencedRecords(records, "acme", ["a@x", "b@x", "c@x"])  # type: ignore[arg-type]

    notification = next(k.agent for k in referenced if k.agent is not None)  # stops at the second ID
    assert notification == NotifiedAgent("t1", "ada")
    assert records.read == ["acme/a@x", "acme/b@x"]
    sides: list[Any] = [k.side for k in referenced if k.side is not None]
    threads = [k.ticket_id for k in referenced if k.ticket_id is not None]
    assert (sides, threads) == ([], ["t1"])
    assert records.read == ["acme/a@x", "acme/b@x", "acme/c@x"]  # three questions, each ID read once

"""Privacy requests on in-memory ports: what an erasure takes out of tickets, logs and chats and what it
keeps, that repeating it is harmless, who may ask, and the retention period."""

from datetime import timedelta

import pytest

from helpdesk.assistant.service import ChatCaller
from helpdesk.audit.service import AuditTrail
from helpdesk.chat.model import ChatMessage, ChatSession
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import Forbidden
from helpdesk.kernel.principal import Principal, Role
from helpdesk.privacy.model import ERASED, REMOVED, PrivacySettings
from helpdesk.privacy.service import PrivacyService
from helpdesk.tickets.history import EventType
from helpdesk.tickets.model import AiContext, Requester, Status
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket
from tests.fakes import InMemoryAuditStore, InMemoryTicketRepository
from tests.unit.privacy.fakes import (
    FakeChatTranscripts,
    FakeDerivedRecords,
    FakeEventLog,
    FakeObjects,
    FakePersonTickets,
    FakePrivacyStore,
    FakeQuarantinedMail,
)

EMAIL = "Ann.Lee@Example.org"
ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)
AGENT = Principal(user_id="agent-1", tenant_id="acme", role=Role.AGENT)
ANN = Principal(user_id="ann-cognito-sub", tenant_id="acme", role=Role.CUSTOMER, email=EMAIL.lower(),
                email_verified=True, name="Ann Lee")


class World:
    def __init__(self) -> None:
        self.clock = FixedClock()
        self.repository = InMemoryTicketRepository()
        self.tickets = TicketService(self.repository, clock=self.clock)
        self.log = FakeEventLog(self.repository)
        self.chats = FakeChatTranscripts()
        self.derived = FakeDerivedRecords()
        self.quarantine = FakeQuarantinedMail()
        self.objects = FakeObjects()
        self.store = FakePrivacyStore()
        self.audit = InMemoryAuditStore()
        self.reindexed: list[str] = []
        self.privacy = PrivacyService(
            self.repository, FakePersonTickets(self.repository), self.log, self.chats, self.derived, self.quarantine,
            self.objects, self.store,
            AuditTrail(self.audit, clock=self.clock), reindex=lambda tenant, ids: self.reindexed.extend(ids),
            clock=self.clock)


@pytest.fixture
def world() -> World:
    return World()


def test_erasure_takes_the_person_out_and_keeps_the_log_shape(world: World) -> None:
    own = world.tickets.create(ANN, CreateTicket(subject="Refund for Ann Lee", description=f"Mail me at {EMAIL}",
                                                 ai=AiContext(conversation_id="chat-1",
                                                              summary="Wants the refund; card ends 4242")))
    world.tickets.add_message(ANN, own.id, "My card ends 4242", public=True)
    world.tickets.add_message(AGENT, own.id, "Dear Ann Lee, refunded.", public=True,
                              meta={"attachments": [{"key": "tickets/acme/x/receipt.pdf", "filename": "r.pdf"}]})
    world.objects.objects["tickets/acme/x/receipt.pdf"] = b"%PDF"
    copied = world.tickets.create(AGENT, CreateTicket(subject="Team lunch", description="For the office",
                                                      requester=Requester(id="bob", email="bob@example.org"),
                                                      participants=[EMAIL]))
    untouched = world.tickets.create(AGENT, CreateTicket(subject="Other", description="nothing of hers",
                                                         requester=Requester(id="cy", email="cy@example.org")))
    world.chats.sessions[("acme", "chat-1")] = (
        ChatSession(id="chat-1", tenant_id="acme", created_at=world.clock(), expires_at=world.clock() + timedelta(1),
                    caller=ChatCaller(tenant_id="acme", kind="customer", user_id=ANN.user_id, email=EMAIL,
                                      name="Ann Lee"), verified_email=EMAIL.lower()),
        [ChatMessage(id="1", session_id="chat-1", seq=1, role="user", text="I am Ann, refund please", at=world.clock()),
         ChatMessage(id="2", session_id="chat-1", seq=2, role="assistant", text=f"Sure {EMAIL}", at=world.clock())])
    world.derived.triage[("acme", own.id)] = {"summary": {"value": "Ann wants a refund"},
                                              "reply": {"text": "Hello Ann Lee"}, "category": {"value": "billing"}}
    world.derived.triage[("acme", copied.id)] = {"summary": {"value": f"Lunch, copy {EMAIL}"}}
    world.derived.vectors |= {("acme", own.id), ("acme", copied.id)}
    world.derived.drafts |= {("acme", own.id), ("acme", copied.id)}
    before = len(world.repository.events("acme", own.id))

    report = world.privacy.erase(ADMIN, EMAIL)

    assert (report.tickets, report.chat_sessions, report.objects_deleted, report.already_erased) == (2, 1, 0, False)
    ticket = world.repository.stored("acme", own.id)
    assert (ticket.subject, ticket.description, ticket.requester.email, ticket.requester.name) == (
        ERASED, ERASED, None, None)
    assert ticket.requester.id == report.pseudonym
    assert ticket.ai.summary is None  # what AI made of her words names neither her address nor her name
    events = world.repository.events("acme", own.id)
    assert len(events) == before + 1  # every event kept, plus the tombstone
    assert events[-1].type == EventType.PERSON_ERASED
    assert events[-1].is_internal  # the others on a ticket are not told
    assert events[-1].data["erasure_id"] == report.id
    assert [e.data.get("body") for e in events if e.type == EventType.PUBLIC_MESSAGE] == [
        ERASED, f"Dear {ERASED}, refunded."]  # her words go; the agent's stay, without her name
    assert world.objects.objects == {"tickets/acme/x/receipt.pdf": b"%PDF"}  # the agent's file is not hers
    assert all(e.actor != ANN.user_id for e in events)
    assert events[0].data["requester_id"] == report.pseudonym
    assert world.repository.stored("acme", copied.id).participants == ["bob@example.org"]
    session, messages = world.chats.sessions[("acme", "chat-1")]
    assert (session.caller.email, session.caller.name, session.verified_email) == (None, None, None)
    assert [m.text for m in messages] == [ERASED, f"Sure {ERASED}"]
    dump = "".join(t.model_dump_json() for t in world.repository.tickets("acme")).lower()
    dump += "".join(e.model_dump_json() for t in (own, copied) for e in world.repository.events("acme", t.id))
    assert "ann.lee@example.org" not in dump.lower()
    assert "ann lee" not in dump.lower()
    assert world.repository.stored("acme", untouched.id).version == 1
    assert world.derived.triage[("acme", own.id)]["summary"]["value"] == ERASED  # what AI made of her words
    assert world.derived.triage[("acme", own.id)]["category"] == {"value": "billing"}
    assert world.derived.triage[("acme", copied.id)]["summary"]["value"] == f"Lunch, copy {ERASED}"
    assert world.derived.vectors == {("acme", copied.id)}  # her ticket is no longer a duplicate candidate
    assert world.derived.drafts == {("acme", copied.id)}  # the draft from her ticket held her words; Bob's stays
    assert report.drafts_deleted == 1
    assert sorted(world.reindexed) == sorted([own.id, copied.id])
    [entry] = world.audit.entries
    assert (entry.kind, entry.resource_id) == ("privacy.erasure", report.id)
    assert "example.org" not in entry.model_dump_json()


def test_the_persons_mail_and_files_are_deleted(world: World) -> None:
    ticket = world.tickets.create(AGENT, CreateTicket(
        subject="Printer", description="jammed", requester=Requester(id=f"email:{EMAIL.lower()}", email=EMAIL.lower()),
        event_data={"raw_key": "inbound/m1", "html_key": "tickets/acme/t/m1.html", "from": EMAIL.lower(),
                    "attachments": [{"key": "tickets/acme/t/photo.png", "filename": "ann.png"}]}))
    world.objects.objects.update({"inbound/m1": b"raw", "tickets/acme/t/m1.html": b"<p>",
                                  "tickets/acme/t/photo.png": b"png", "inbound/spam": b"raw"})
    world.quarantine.records["acme"] = [{"delivery_id": "spam", "raw_key": "inbound/spam", "sender": EMAIL.lower()},
                                        {"delivery_id": "other", "raw_key": "inbound/other", "sender": "x@y.org"}]
    assert world.privacy.export(ADMIN, EMAIL).tickets == 1
    archive = next(v for k, v in world.objects.objects.items() if k.startswith("privacy/"))
    assert [m["delivery_id"] for m in archive["quarantined_mail"]] == ["spam"]
    report = world.privacy.erase(ADMIN, EMAIL)
    assert report.objects_deleted == 4
    assert [k for k in world.objects.objects if not k.startswith("privacy/")] == []
    assert [r["delivery_id"] for r in world.quarantine.records["acme"]] == ["other"]
    created = world.repository.events("acme", ticket.id)[0]
    assert created.data["attachments"][0]["filename"] == ERASED
    assert created.data["attachments"][0]["deleted"] is True
    assert created.data["from"] is None


def test_a_repeated_erasure_keeps_the_pseudonym_and_finds_only_what_is_new(world: World) -> None:
    world.tickets.create(ANN, CreateTicket(subject="First", description="one"))
    first = world.privacy.erase(ADMIN, EMAIL)
    again = world.privacy.erase(ADMIN, EMAIL.lower())
    assert (again.id, again.pseudonym, again.tickets, again.already_erased) == (first.id, first.pseudonym, 0, True)
    assert len(world.audit.entries) == 1  # nothing changed: nothing to audit
    world.tickets.create(ANN, CreateTicket(subject="Second", description="two"))  # she wrote again since
    third = world.privacy.erase(ADMIN, EMAIL)
    assert (third.tickets, third.pseudonym) == (1, first.pseudonym)
    assert [e.action for e in world.audit.entries] == ["created", "updated"]


def test_an_erasure_retries_a_ticket_changed_meanwhile(world: World) -> None:
    ticket = world.tickets.create(ANN, CreateTicket(subject="Race", description="mine"))
    world.repository.interfere(times=2)
    assert world.privacy.erase(ADMIN, EMAIL).tickets == 1
    assert world.repository.stored("acme", ticket.id).requester.email is None


def test_only_admins_and_only_their_tenant(world: World) -> None:
    world.tickets.create(ANN, CreateTicket(subject="Mine", description="x"))
    for caller in (AGENT, ANN):
        with pytest.raises(Forbidden):
            world.privacy.erase(caller, EMAIL)
        with pytest.raises(Forbidden):
            world.privacy.export(caller, EMAIL)
        with pytest.raises(Forbidden):
            world.privacy.put_settings(caller, PrivacySettings(retention_days=30))
    foreign = Principal(user_id="root", tenant_id="zeta", role=Role.ADMIN)
    assert world.privacy.erase(foreign, EMAIL).tickets == 0
    assert world.privacy.export(foreign, EMAIL).tickets == 0


def test_export_lists_tickets_events_files_and_chats(world: World) -> None:
    ticket = world.tickets.create(ANN, CreateTicket(subject="Export me", description="hello"))
    world.tickets.add_message(ANN, ticket.id, "with a file", public=True,
                              meta={"attachments": [{"key": "tickets/acme/t/a.txt", "filename": "a.txt", "size": 3}]})
    link = world.privacy.export(ADMIN, EMAIL)
    assert (link.tickets, link.events, link.attachments, link.chats) == (1, 2, 1, 0)
    [archive] = world.objects.objects.values()
    assert archive["email"] == EMAIL.lower()
    [entry] = archive["tickets"]
    assert entry["role"] == "requester"
    assert entry["attachments"][0]["url"].startswith("https://bucket.example/tickets/acme/t/a.txt")
    assert world.audit.entries[0].kind == "privacy.export"


def test_retention_removes_the_content_of_tickets_closed_long_enough(world: World) -> None:
    old = world.tickets.create(ANN, CreateTicket(subject="Old", description="old text"))
    world.tickets.add_message(AGENT, old.id, "answer", public=True)
    world.tickets.update(AGENT, old.id, UpdateTicket(status=Status.CLOSED))
    world.clock.advance(timedelta(days=40))
    recent = world.tickets.create(ANN, CreateTicket(subject="Recent", description="recent text"))
    world.tickets.update(AGENT, recent.id, UpdateTicket(status=Status.CLOSED))
    still_open = world.tickets.create(ANN, CreateTicket(subject="Open", description="open text"))

    assert world.privacy.apply_retention().tickets == 0  # off by default
    world.privacy.put_settings(ADMIN, PrivacySettings(retention_days=30))
    run = world.privacy.apply_retention()
    assert (run.tenants, run.tickets) == (1, 1)
    stored = world.repository.stored("acme", old.id)
    assert (stored.subject, stored.description, stored.requester.email) == (REMOVED, REMOVED, EMAIL.lower())
    events = world.repository.events("acme", old.id)
    assert [e.data["body"] for e in events if e.type == EventType.PUBLIC_MESSAGE] == [REMOVED]
    assert events[-1].type == EventType.CONTENT_REMOVED
    assert world.repository.stored("acme", recent.id).subject == "Recent"
    assert world.repository.stored("acme", still_open.id).subject == "Open"
    assert world.privacy.apply_retention().tickets == 0  # done once
    assert [e.kind for e in world.audit.entries] == ["privacy.settings"]


def test_an_address_that_only_contains_the_persons_is_someone_else(world: World) -> None:
    joann = world.tickets.create(AGENT, CreateTicket(
        subject="Hi", description="from jo", requester=Requester(id="jo", email=f"jo{EMAIL.lower()}"),
        participants=[f"{EMAIL.lower()}.uk"]))
    assert world.privacy.export(ADMIN, EMAIL).tickets == 0
    assert world.privacy.erase(ADMIN, EMAIL).tickets == 0
    stored = world.repository.stored("acme", joann.id)
    assert (stored.requester.email, stored.participants) == (f"jo{EMAIL.lower()}", [f"jo{EMAIL.lower()}",
                                                                                    f"{EMAIL.lower()}.uk"])


def test_a_person_on_many_tickets_is_erased_over_several_requests(world: World,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("helpdesk.privacy.service.MAX_ERASED_PER_REQUEST", 2)
    for n in range(3):
        world.tickets.create(ANN, CreateTicket(subject=f"Ticket {n}", description="mine"))
    first = world.privacy.erase(ADMIN, EMAIL)
    assert (first.tickets, first.remaining) == (2, 1)
    second = world.privacy.erase(ADMIN, EMAIL)
    assert (second.tickets, second.remaining, second.pseudonym) == (1, 0, first.pseudonym)


def test_a_rating_comment_is_the_persons_text_for_erasure_and_retention(world: World) -> None:
    rated = world.tickets.create(ANN, CreateTicket(subject="Slow", description="help"))
    world.tickets.update(AGENT, rated.id, UpdateTicket(status=Status.RESOLVED))
    world.tickets.apply_system_change(ADMIN, rated.id, lambda t: t.rate("bad", "Took ages, call 555-0100", ANN.user_id,
                                                                        world.clock()))
    kept = world.tickets.create(AGENT, CreateTicket(subject="Other", description="x",
                                                    requester=Requester(id="cy", email="cy@example.org")))
    world.tickets.update(AGENT, kept.id, UpdateTicket(status=Status.CLOSED))
    world.tickets.apply_system_change(ADMIN, kept.id, lambda t: t.rate("good", "Great", "cy", world.clock()))

    world.privacy.erase(ADMIN, EMAIL)
    world.clock.advance(timedelta(days=40))
    world.privacy.put_settings(ADMIN, PrivacySettings(retention_days=30))
    world.privacy.apply_retention()

    erased = world.repository.stored("acme", rated.id)
    assert erased.csat is not None
    assert (erased.csat.rating, erased.csat.comment) == ("bad", ERASED)  # the rating stays for the report
    assert [e.data["comment"] for e in world.repository.events("acme", rated.id)
            if e.type == EventType.CSAT_RATED] == [ERASED]
    removed = world.repository.stored("acme", kept.id)
    assert removed.csat is not None
    assert (removed.csat.rating, removed.csat.comment) == ("good", REMOVED)
    assert [e.data["comment"] for e in world.repository.events("acme", kept.id)
            if e.type == EventType.CSAT_RATED] == [REMOVED]


def test_a_renamed_subject_and_custom_field_values_go_with_the_tickets_text(world: World) -> None:
    hers = world.tickets.create(ANN, CreateTicket(subject="Refund please", description="help"))
    world.tickets.update(AGENT, hers.id, UpdateTicket(subject="Refund of order 991 (Okafor household)"))
    closed = world.tickets.create(AGENT, CreateTicket(subject="Broken", description="x",
                                                      requester=Requester(id="cy", email="cy@example.org")))
    world.tickets.update(AGENT, closed.id, UpdateTicket(subject="Broken hinge at 12 Elm Road",
                                                        custom_fields={"order": "991-22"}))
    world.tickets.update(AGENT, closed.id, UpdateTicket(status=Status.CLOSED))

    world.privacy.erase(ADMIN, EMAIL)
    world.clock.advance(timedelta(days=40))
    world.privacy.put_settings(ADMIN, PrivacySettings(retention_days=30))
    world.privacy.apply_retention()

    def changes(ticket_id: str, type_: EventType) -> list[tuple[object, object]]:
        return [(e.data["from"], e.data["to"]) for e in world.repository.events("acme", ticket_id) if e.type == type_]

    assert changes(hers.id, EventType.SUBJECT_CHANGED) == [(ERASED, ERASED)]  # her subject, as renamed
    assert changes(closed.id, EventType.SUBJECT_CHANGED) == [(REMOVED, REMOVED)]  # past the retention period
    assert changes(closed.id, EventType.FIELDS_CHANGED) == [({}, {"order": REMOVED})]  # the field's name stays


def test_triage_saving_its_record_while_the_requester_is_erased_keeps_nothing_of_them(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Triage read the new ticket before the erasure and saved its summary and draft after the erasure had looked for
    them but before the ticket was saved, so triage's own check (is the text still what I read?) passed: the summary
    kept the person's words. The erasure looks again once the ticket is saved (found on redaction, which has the
    same order)."""
    own = world.tickets.create(ANN, CreateTicket(subject="Refund", description="Ann Lee wants the refund"))
    save = world.repository.save

    def triage_saves_meanwhile(*args: object, **kwargs: object) -> object:
        world.derived.triage[("acme", own.id)] = {"summary": {"value": "Ann Lee wants the refund"},
                                                  "reply": {"text": "Dear Ann Lee"}}
        world.derived.vectors.add(("acme", own.id))
        return save(*args, **kwargs)  # type: ignore[arg-type]  # the repository's own arguments, passed on

    monkeypatch.setattr(world.repository, "save", triage_saves_meanwhile)
    world.privacy.erase(ADMIN, EMAIL)
    assert "Ann Lee" not in str(world.derived.triage[("acme", own.id)])
    assert world.derived.vectors == set()

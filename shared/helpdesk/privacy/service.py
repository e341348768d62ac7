"""Privacy requests of a tenant's admins: export everything about a person, erase a person, and the retention
period after which closed tickets lose their content.

Erasure works ticket by ticket and writes the ticket last: its log is rewritten, the person's files and
original mails are deleted, their chat transcripts redacted, and only then the ticket is saved without them
(with the `person_erased` tombstone). A ticket still naming the person is therefore one not finished, and a
repeated request (after a failure, or to be sure) finds exactly those again. The erasure record keeps a hash
of the address, never the address, so the same pseudonym is used every time.
"""

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from aws_lambda_powertools import Logger
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt

from helpdesk.audit.service import AuditTrail
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import ConcurrentUpdate, Forbidden
from helpdesk.kernel.principal import Principal, Role
from helpdesk.privacy.model import (
    ERASED,
    REMOVED,
    Erasure,
    ErasureReport,
    ExportLink,
    PrivacySettings,
    RetentionRun,
    normalised,
    subject_hash,
)
from helpdesk.privacy.ports import (
    ChatTranscripts,
    DerivedRecords,
    EventLog,
    ObjectStore,
    PersonTickets,
    PrivacyStore,
    QuarantinedMail,
)
from helpdesk.privacy.redaction import (
    Person,
    erase_from_log,
    erase_from_ticket,
    is_requester,
    mentions,
    remove_content,
    role_on,
    scrub,
    strip_triage,
)
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Status, Ticket, email_key
from helpdesk.tickets.ports import TicketRepository

if TYPE_CHECKING:
    from helpdesk.directory.ports import CustomerAddressStore, CustomerNotesStore, CustomerProfileStore

logger = Logger(child=True)

EXPORT_EXPIRY_S = 3600
EXPORT_PREFIX = "privacy"
SAVE_ATTEMPTS = 5
# Tickets one erasure request works through (an API request has 29 s); `remaining` says to send it again.
MAX_ERASED_PER_REQUEST = 100  # a ticket changed by someone else meanwhile is read again and redacted again
Reindex = Callable[[str, list[str]], object]


class PrivacyService:
    def __init__(self, tickets: TicketRepository, people: PersonTickets, log: EventLog, chats: ChatTranscripts,
                 derived: DerivedRecords, quarantine: QuarantinedMail, objects: ObjectStore, store: PrivacyStore,
                 audit: AuditTrail, *, reindex: Reindex | None = None, clock: Clock = system_clock,
                 customer_notes: "CustomerNotesStore | None" = None,
                 customer_addresses: "CustomerAddressStore | None" = None,
                 customer_profiles: "CustomerProfileStore | None" = None,
                 settings_saved: Callable[[str], object] | None = None) -> None:
        self._settings_saved = settings_saved  # a tenant's settings saved: what this process cached of them goes
        self._tickets, self._people, self._log, self._chats, self._derived = tickets, people, log, chats, derived
        self._quarantine, self._objects, self._store, self._audit = quarantine, objects, store, audit
        self._customer_notes = customer_notes  # the team's notes on a person, under their key
        self._customer_addresses = customer_addresses  # the other addresses the team linked to a person
        self._customer_profiles = customer_profiles  # a person's name, phone and language, under their key
        self._reindex = reindex  # None: the search indexer follows the tables' streams (AWS)
        self._clock = clock

    # -- export ----------------------------------------------------------------------------------

    def export(self, caller: Principal, email: str) -> ExportLink:
        _admin(caller)
        address = normalised(email)
        tickets = self._tickets_of(caller.tenant_id, address)
        export_id = uuid.uuid4().hex
        archive: dict[str, Any] = {"format": "helpdesk-privacy-export/1", "id": export_id,
                                   "tenant_id": caller.tenant_id, "email": address,
                                   "created_at": self._clock().isoformat(), "tickets": [], "chats": []}
        counts = {"events": 0, "attachments": 0}
        sessions: list[str] = []
        for ticket in tickets:
            events = self._tickets.events(ticket.tenant_id, ticket.id)
            files = [self._file(entry, event) for event in events for entry in _files(event)]
            mails = [self._file({"key": key, "filename": f"mail-{event.seq}.eml", "content_type": "message/rfc822"},
                                event) for event in events if isinstance(key := event.data.get("raw_key"), str)]
            archive["tickets"].append({
                "role": role_on(ticket, address),
                "ticket": ticket.model_dump(mode="json"),
                "events": [e.model_dump(mode="json") for e in events],
                "attachments": files, "original_mails": mails})
            counts["events"] += len(events)
            counts["attachments"] += len(files)
            if ticket.ai.conversation_id and ticket.ai.conversation_id not in sessions:
                sessions.append(ticket.ai.conversation_id)
        for session_id in sessions:
            found = self._chats.get(caller.tenant_id, session_id)
            if found is not None:
                archive["chats"].append({"session": found[0].model_dump(mode="json"),
                                         "messages": [m.model_dump(mode="json") for m in found[1]]})
        archive["customer_notes"] = self._notes_on(caller.tenant_id, address, tickets)
        archive["customer_addresses"] = self._addresses_of(caller.tenant_id, address)
        archive["customer_profiles"] = self._profiles_of(caller.tenant_id, address, tickets)
        archive["quarantined_mail"] = [
            {**{k: v for k, v in record.items() if not k.startswith("_")},
             "url": self._objects.presign(str(record["raw_key"]), f"mail-{record.get('delivery_id')}.eml",
                                          EXPORT_EXPIRY_S) if isinstance(record.get("raw_key"), str) else None}
            for record in self._quarantine.mentioning(caller.tenant_id, address)]
        key = f"{EXPORT_PREFIX}/{caller.tenant_id}/exports/{export_id}.json"
        self._objects.put_json(key, archive)
        link = ExportLink(id=export_id, url=self._objects.presign(key, f"export-{export_id}.json", EXPORT_EXPIRY_S),
                          expires_in=EXPORT_EXPIRY_S, tickets=len(tickets), events=counts["events"],
                          chats=len(archive["chats"]), attachments=counts["attachments"])
        self._audit.record(caller, "privacy.export", export_id, None,
                           {"subject": subject_hash(caller.tenant_id, address), "tickets": link.tickets,
                            "events": link.events, "chats": link.chats, "attachments": link.attachments})
        return link

    def _keys_of(self, address: str, tickets: list[Ticket]) -> set[str]:
        """The keys the team's notes on the person may be under: their address's, and any other their tickets know
        them by as requester (a chat visitor who gave this address later); not the customer the team linked the
        address to (erasing one address of a person is not erasing what the team knows of the customer)."""
        return {email_key(address), *(t.requester.key for t in tickets
                                      if is_requester(t, address) and t.requester.linked_to is None)}

    def _addresses_of(self, tenant_id: str, address: str) -> dict[str, Any]:
        """The customer the team linked the address to, and the addresses linked to it."""
        store = self._customer_addresses
        if store is None:
            return {"linked_to": None, "addresses": []}
        found = store.addresses(tenant_id, email_key(address))
        return {"linked_to": store.customer_of(tenant_id, email_key(address)),
                "addresses": found.addresses if found is not None else []}

    def _notes_on(self, tenant_id: str, address: str, tickets: list[Ticket]) -> dict[str, str]:
        """The team's notes on the person, by the key they are kept under."""
        found = _kept_under(self._customer_notes, tenant_id, self._keys_of(address, tickets))
        return {key: noted.notes for key, noted in found.items() if noted.notes}

    def _profiles_of(self, tenant_id: str, address: str, tickets: list[Ticket]) -> dict[str, dict[str, Any]]:
        """The person's profile (name, phone, language), by the key it is kept under."""
        found = _kept_under(self._customer_profiles, tenant_id, self._keys_of(address, tickets))
        return {key: profile.model_dump(mode="json", include={"name", "phone", "language", "updated_at"})
                for key, profile in found.items()}

    def _tickets_of(self, tenant_id: str, address: str) -> list[Ticket]:
        return [t for t in self._people.mentioning(tenant_id, address) if mentions(t, address)]

    def _file(self, entry: dict[str, Any], event: TicketEvent) -> dict[str, Any]:
        key = str(entry["key"])
        filename = str(entry.get("filename") or key.rsplit("/", 1)[-1])
        return {"key": key, "filename": filename, "content_type": entry.get("content_type"),
                "size": entry.get("size"), "event_seq": event.seq,
                "url": self._objects.presign(key, filename, EXPORT_EXPIRY_S)}

    # -- erasure ---------------------------------------------------------------------------------

    def erase(self, caller: Principal, email: str) -> ErasureReport:
        """Erase the person of the address, and the other addresses the team linked to it (the same person) first."""
        _admin(caller)
        address = normalised(email)
        linked = self._customer_addresses.addresses(caller.tenant_id, email_key(address)) \
            if self._customer_addresses is not None else None
        reports = [self._erase_address(caller, other) for other in (linked.addresses if linked is not None else [])]
        report = self._erase_address(caller, address)
        if self._customer_addresses is not None and not report.remaining and not any(r.remaining for r in reports):
            self._customer_addresses.delete(caller.tenant_id, email_key(address))
        if not reports:
            return report
        summed = {field: getattr(report, field) + sum(getattr(r, field) for r in reports)
                  for field in ("tickets", "events_redacted", "chat_sessions", "objects_deleted", "drafts_deleted",
                                "remaining")}
        kept = {field: getattr(report, field) or any(getattr(r, field) for r in reports)
                for field in ("notes_deleted", "profile_deleted")}
        return report.model_copy(update={**summed, **kept, "linked_addresses": len(reports)})

    def _erase_address(self, caller: Principal, address: str) -> ErasureReport:
        digest = subject_hash(caller.tenant_id, address)
        before = self._store.erasure(caller.tenant_id, digest)
        now = self._clock()
        erasure = before.model_copy(update={"last_at": now, "runs": before.runs + 1}) if before else Erasure(
            id=uuid.uuid4().hex, tenant_id=caller.tenant_id, subject_hash=digest,
            pseudonym=f"erased-{uuid.uuid4().hex[:12]}", requested_by=caller.user_id, first_at=now, last_at=now)
        tickets = self._tickets_of(caller.tenant_id, address)
        person = Person.of(address, tickets)
        keys = self._keys_of(address, tickets)  # read before the tickets' requesters are replaced
        erased: list[str] = []
        counts = {"events": 0, "chats": 0, "objects": 0, "drafts": 0}
        for ticket in tickets[:MAX_ERASED_PER_REQUEST]:
            self._erase_ticket(caller, ticket, person, erasure, counts)
            erased.append(ticket.id)
        for record in self._quarantine.mentioning(caller.tenant_id, address):
            if isinstance(record.get("raw_key"), str):
                counts["objects"] += self._delete([record["raw_key"]])
            self._quarantine.remove(caller.tenant_id, record)
            counts["quarantined"] = counts.get("quarantined", 0) + 1
        # What is kept about them under each of their keys: the team's notes and their profile.
        notes_deleted = _deleted_under(self._customer_notes, caller.tenant_id, keys)
        profile_deleted = _deleted_under(self._customer_profiles, caller.tenant_id, keys)
        if len(tickets) == len(erased):  # until its last ticket is erased, a next request finds it through the link
            self._unlink(caller.tenant_id, address)
        if erased and self._reindex is not None:
            self._reindex(caller.tenant_id, erased)
        erasure.ticket_ids = list(dict.fromkeys([*erasure.ticket_ids, *erased]))
        erasure.events_redacted += counts["events"]
        erasure.chat_sessions += counts["chats"]
        erasure.objects_deleted += counts["objects"]
        erasure.drafts_deleted += counts["drafts"]
        self._store.put_erasure(erasure)
        # a repeat that found nothing is not recorded again
        if erased or counts.get("quarantined") or notes_deleted or profile_deleted or before is None:
            self._audit.record(caller, "privacy.erasure", erasure.id, None if before is None else _audited(before),
                               _audited(erasure))
        logger.info("person erased", extra={"erasure_id": erasure.id, "tickets": len(erased), **counts})
        return ErasureReport(id=erasure.id, pseudonym=erasure.pseudonym, tickets=len(erased),
                             events_redacted=counts["events"], chat_sessions=counts["chats"],
                             objects_deleted=counts["objects"], drafts_deleted=counts["drafts"],
                             notes_deleted=notes_deleted, profile_deleted=profile_deleted,
                             already_erased=before is not None,
                             remaining=len(tickets) - len(erased))

    def _unlink(self, tenant_id: str, address: str) -> None:
        """An erased address linked to a customer is taken off them (their record would still name it)."""
        store = self._customer_addresses
        owner = store.customer_of(tenant_id, email_key(address)) if store is not None else None
        if store is None or owner is None:
            return

        def write() -> None:
            record = store.addresses(tenant_id, owner)
            if record is not None and address in record.addresses:
                after = record.model_copy(update={"addresses": [a for a in record.addresses if a != address],
                                                  "updated_at": self._clock(), "version": record.version + 1})
                store.unlink(after, record.version, email_key(address))

        _retrying(write)

    def _erase_ticket(self, caller: Principal, ticket: Ticket, person: Person, erasure: Erasure,
                      counts: dict[str, int]) -> None:
        requester = is_requester(ticket, person.email)
        redacted = erase_from_log(self._tickets.events(ticket.tenant_id, ticket.id), person, requester=requester,
                                  pseudonym=erasure.pseudonym)
        self._log.rewrite(redacted.events)
        counts["events"] += len(redacted.events)
        counts["objects"] += self._delete(redacted.object_keys)
        if ticket.ai.conversation_id:
            counts["chats"] += self._erase_chat(ticket.tenant_id, ticket.ai.conversation_id, person, erasure.pseudonym)
        self._forget_derived(ticket, person, requester)
        if requester:
            counts["drafts"] += self._derived.drop_draft_article(ticket.tenant_id, ticket.id)

        def save() -> None:
            current = self._tickets.get(ticket.tenant_id, ticket.id) or ticket
            # Team-only: the other people on the ticket are not told that someone was erased from it.
            tombstone = TicketEvent(ticket_id=ticket.id, tenant_id=ticket.tenant_id, type=EventType.PERSON_ERASED,
                                    actor=caller.user_id, at=self._clock(), internal=True,
                                    data={"erasure_id": erasure.id, "pseudonym": erasure.pseudonym,
                                          "role": role_on(ticket, person.email)})
            self._tickets.save(erase_from_ticket(current, person, erasure.pseudonym), [tombstone])

        _retrying(save)
        # Triage reading a new ticket meanwhile may have saved its record after the pass above, and checked the
        # ticket's text (its own guard) before the save: this pass finds that record. Triage saving later sees the
        # text changed and forgets what it made of it.
        self._forget_derived(ticket, person, requester)

    def _forget_derived(self, ticket: Ticket, person: Person, requester: bool) -> None:
        """Triage's record without the person (without its summary and draft on their own ticket), and their own
        ticket's similarity vector dropped."""
        pattern = person.pattern
        self._derived.rewrite_triage(ticket.tenant_id, ticket.id, lambda record: scrub(
            strip_triage(record, ERASED) if requester else record, pattern))
        if requester:
            self._derived.drop_vector(ticket.tenant_id, ticket.id, ticket.created_at)

    def _erase_chat(self, tenant_id: str, session_id: str, person: Person, pseudonym: str) -> int:
        found = self._chats.get(tenant_id, session_id)
        if found is None:
            return 0
        session, messages = found
        pattern = person.pattern
        caller = session.caller.model_copy(update={
            "email": None, "name": None, "email_verified": False,
            "user_id": pseudonym if session.caller.user_id else None})
        state = session.state.model_copy(update={"email": None})
        cleaned = session.model_copy(update={"caller": caller, "state": state, "verified_email": None})
        cleaned = type(session).model_validate(scrub(cleaned.model_dump(mode="json"), pattern))
        rewritten = []
        for message in messages:
            text = ERASED if message.role == "user" else pattern.sub(ERASED, message.text)
            meta = scrub(message.meta, pattern)
            if text != message.text or meta != message.meta:
                rewritten.append(message.model_copy(update={"text": text, "meta": meta}))
        self._chats.rewrite(cleaned, rewritten)
        return 1

    def _delete(self, keys: Iterable[str]) -> int:
        return sum(1 for key in dict.fromkeys(keys) if self._objects.delete(key))

    # -- retention -------------------------------------------------------------------------------

    def settings(self, caller: Principal) -> tuple[PrivacySettings, int]:
        """The settings and their version (the ETag a save sends back as If-Match)."""
        _admin(caller)
        return self._store.settings(caller.tenant_id)

    def put_settings(self, caller: Principal, settings: PrivacySettings,
                     expected_version: int | None = None) -> tuple[PrivacySettings, int]:
        """Replace the settings; with `expected_version`, only if no one saved since (409 otherwise)."""
        _admin(caller)
        before = self._store.settings(caller.tenant_id)[0]
        version = self._store.put_settings(caller.tenant_id, settings, expected_version)
        if self._settings_saved is not None:
            self._settings_saved(caller.tenant_id)
        self._audit.record(caller, "privacy.settings", "privacy", before, settings)
        return settings, version

    def apply_retention(self, now: datetime | None = None) -> RetentionRun:
        """Remove the content of every closed ticket past its tenant's retention period (the scheduled scan)."""
        now = now or self._clock()
        run = RetentionRun()
        for tenant_id, days in self._store.retention_tenants():
            run.tenants += 1
            cutoff = now - timedelta(days=days)
            touched: list[str] = []
            for ticket in self._people.closed_before(tenant_id, cutoff):
                if ticket.status != Status.CLOSED or (ticket.closed_at or ticket.updated_at) > cutoff:
                    continue
                if ticket.subject == REMOVED and ticket.description == REMOVED:
                    continue  # done by an earlier scan
                self._remove_content(ticket, days, run)
                touched.append(ticket.id)
            if touched and self._reindex is not None:
                self._reindex(tenant_id, touched)
        return run

    def _remove_content(self, ticket: Ticket, days: int, run: RetentionRun) -> None:
        _, redacted = remove_content(ticket, self._tickets.events(ticket.tenant_id, ticket.id), REMOVED)
        self._log.rewrite(redacted.events)
        run.events_redacted += len(redacted.events)
        run.objects_deleted += self._delete(redacted.object_keys)
        self._derived.rewrite_triage(ticket.tenant_id, ticket.id, lambda record: strip_triage(record, REMOVED))
        self._derived.drop_vector(ticket.tenant_id, ticket.id, ticket.created_at)

        def save() -> None:
            current = self._tickets.get(ticket.tenant_id, ticket.id) or ticket
            again, _ = remove_content(current, [], REMOVED)
            self._tickets.save(again, [TicketEvent(
                ticket_id=ticket.id, tenant_id=ticket.tenant_id, type=EventType.CONTENT_REMOVED, actor="retention",
                at=self._clock(), data={"retention_days": days})])

        _retrying(save)
        run.tickets += 1


def _admin(caller: Principal) -> None:
    if caller.role != Role.ADMIN:
        raise Forbidden("only admins make privacy requests and change the retention period")


def _audited(erasure: Erasure) -> dict[str, Any]:
    """What the audit log shows of an erasure: counts and the pseudonym, never the address."""
    return erasure.model_dump(mode="json", include={"subject_hash", "pseudonym", "runs", "chat_sessions",
                                                    "events_redacted", "objects_deleted"}) | {
        "tickets": len(erasure.ticket_ids)}


def _files(event: TicketEvent) -> list[dict[str, Any]]:
    return [e for e in event.data.get("attachments") or [] if isinstance(e, dict) and isinstance(e.get("key"), str)]


def _retrying(step: Callable[[], None]) -> None:
    for attempt in Retrying(retry=retry_if_exception_type(ConcurrentUpdate), stop=stop_after_attempt(SAVE_ATTEMPTS),
                            reraise=True):
        with attempt:
            step()


class _KeptAboutPerson[R](Protocol):
    """What is kept about a person under their key besides their tickets (the team's notes, their profile)."""

    def get(self, tenant_id: str, key: str) -> R | None: ...
    def delete(self, tenant_id: str, key: str) -> bool: ...


def _kept_under[R](store: _KeptAboutPerson[R] | None, tenant_id: str, keys: Iterable[str]) -> dict[str, R]:
    """The records `store` keeps under those of `keys` that have one, by key."""
    if store is None:
        return {}
    found = {key: store.get(tenant_id, key) for key in sorted(keys)}
    return {key: record for key, record in found.items() if record is not None}


def _deleted_under(store: _KeptAboutPerson[object] | None, tenant_id: str, keys: Iterable[str]) -> bool:
    """Whether `store` had a record under any of `keys`, each deleted (a list, not a generator: `any` would stop at
    the first)."""
    return any([store.delete(tenant_id, key) for key in keys]) if store is not None else False


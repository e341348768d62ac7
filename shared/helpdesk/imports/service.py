"""A team's history brought over from the helpdesk it leaves.

Each old ticket becomes one ticket here with its conversation, its requester (by address: the same person mail and
the portal know), its organisation, assignee and group where the directory has them, and its status. It keeps its
dates; it gets a number of this helpdesk (its old id is on it, `Ticket.imported_from`). Nothing reacts to it as to
new work: the repository marks ticket and events imported, and the streams' consumers skip them (no receipt, no
notification, no triage, no webhook); the search index takes them. SLA clocks only run for waits that begin after
the import (`sla.engine`).

A rerun imports only what the last one did not: a ticket's id here is derived from its id there, so one that exists
is skipped (and one a crash left half-written is written again whole).
"""

import logging
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError

from helpdesk.attachments.ports import AttachmentBlobs
from helpdesk.audit.service import AuditTrail
from helpdesk.directory.addresses import AddressToLink
from helpdesk.directory.customer_addresses import CustomerAddressService
from helpdesk.directory.model import MAX_ORGANIZATION_NOTES_CHARS, CustomerNotes, NewOrganization
from helpdesk.directory.ports import CustomerNotesStore, CustomerProfileStore, DirectoryStore
from helpdesk.directory.profiles import MAX_NAME_CHARS, CustomerProfile, CustomerProfileChange
from helpdesk.directory.service import DirectoryService
from helpdesk.imports.catalog import SourceCatalog
from helpdesk.imports.counterparts import directory_user_id, matched_groups
from helpdesk.imports.fields import FieldMapping, plan_fields, plan_forms, ticket_values
from helpdesk.imports.files import BroughtFiles, MessageFiles, file_data
from helpdesk.imports.model import (
    ImportReport,
    ListingPosition,
    SourceComment,
    SourcePerson,
    SourceTicket,
    UnreadableTicket,
)
from helpdesk.imports.ports import HelpdeskSource
from helpdesk.imports.time_entries import time_events
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import ConcurrentUpdate, Conflict, DomainError, InvalidInput
from helpdesk.kernel.principal import Principal
from helpdesk.kernel.text import MAX_TAG_CHARS, collapsed, is_blank, is_email_address, normalise_tags
from helpdesk.tickets.customer_links import CustomerLinks
from helpdesk.tickets.fields import TicketFieldDefinitions, TicketFields
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import (
    MAX_CSAT_COMMENT_CHARS,
    MAX_FOLLOWERS,
    MAX_LINKS,
    MAX_SUBJECT_CHARS,
    MAX_TEXT_BYTES,
    CsatRating,
    ImportOrigin,
    Requester,
    Status,
    Ticket,
    TicketLink,
    email_key,
    participant_list,
)
from helpdesk.tickets.ports import MAX_IMPORTED_EVENTS, TicketRepository
from helpdesk.tickets.service import MAX_TICKET_TAGS

log = logging.getLogger(__name__)
Progress = Callable[[ImportReport], None]
# Tickets between two `progress` calls, whatever became of them: an import job saves itself on each (a DynamoDB
# write), so a rerun that finds every ticket here must not save once per ticket.
PROGRESS_EVERY = 50
RememberMessageId = Callable[[str, str, str], None]  # tenant, Message-ID, ticket id (`MailRecords.remember_message_id`)


def _handled_before(position: ListingPosition, page: str | None, old_id: str) -> bool:
    """Whether an earlier round of the job handled this ticket of the page under way. On a new page, none was: the
    position moves there (so a round that stops now has the next one start at this page, not the one before)."""
    if page != position.page:
        position.page, position.done = page, []
        return False
    return old_id in position.done


def imported_ticket_id(tenant_id: str, source: str, source_id: str) -> str:
    """The same id for the same old ticket in every run: what makes a rerun skip it."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"helpdesk-import:{tenant_id}:{source}:{source_id}").hex


def _text(body: str) -> str:
    """At most what a message holds here (the old helpdesk may have longer ones): cut at a character boundary."""
    data = body.encode()
    return body if len(data) <= MAX_TEXT_BYTES else data[:MAX_TEXT_BYTES].decode(errors="ignore")


def _subject(subject: str, description: str) -> str:
    return _name_or(subject, _name_or(description, "(no subject)", 80), MAX_SUBJECT_CHARS)


def _name_or(text: str, fallback: str, limit: int = 200) -> str:
    """`text` on one line, cut at `limit`, or `fallback` when nothing visible is in it (the old helpdesk may have
    let in a name of spaces or zero-width characters, which ours refuses)."""
    line = collapsed(text)[:limit]
    return fallback if is_blank(line) else line


_CHANGED_BY = {"assignee_id": EventType.ASSIGNEE_CHANGED, "group": EventType.GROUP_CHANGED}


@dataclass
class _Context:
    """What every ticket of a run is mapped with, and what the run found missing in the directory."""

    people: dict[str, SourcePerson]
    organizations: dict[str, str]
    groups: dict[str, str]
    now: datetime
    fields: dict[str, FieldMapping] = field(default_factory=dict)  # by the old field's id
    forms: dict[str, str] = field(default_factory=dict)  # old form id -> request form key here
    agents_missing: Counter[str] = field(default_factory=Counter)
    groups_missing: Counter[str] = field(default_factory=Counter)


class TicketImport:
    def __init__(self, tickets: TicketRepository, directory: DirectoryService, directory_store: DirectoryStore,
                 files: AttachmentBlobs, audit: AuditTrail, remember_message_id: RememberMessageId,
                 field_definitions: TicketFieldDefinitions, *, max_file_bytes: int,
                 clock: Clock = system_clock, customer_notes: CustomerNotesStore | None = None,
                 customers: CustomerLinks | None = None,
                 customer_addresses: CustomerAddressService | None = None,
                 customer_profiles: CustomerProfileStore | None = None) -> None:
        self._tickets = tickets
        self._customer_profiles = customer_profiles  # None: people's phones and languages there are not brought over
        self._customer_addresses = customer_addresses  # None: customers' other addresses there are not linked
        self._customers = customers  # an address the team linked to a customer: its tickets come over as theirs
        self._customer_notes = customer_notes  # None: people's notes there are not brought over
        self._field_definitions = field_definitions
        self._remember_message_id = remember_message_id
        self._audit = audit
        self._directory = directory
        self._store = directory_store
        self._message_files = MessageFiles(files, max_file_bytes)
        self._clock = clock

    def run(self, caller: Principal, source: HelpdeskSource, *, since: datetime | None = None,
            dry_run: bool = False, limit: int | None = None, progress: Progress | None = None,
            catalog: SourceCatalog | None = None, stop: Callable[[], bool] | None = None,
            position: ListingPosition | None = None) -> ImportReport:
        """Import organisations, then every ticket changed since `since` (at most `limit` new ones). `dry_run` reads
        and maps everything and writes nothing (the report says what a real run would do). `catalog`: the source's
        lists as the run's other parts read them (macros, rules), so each is read once. `stop`, asked before each
        ticket, ends the run early (an import job's round running out of time): a rerun goes on from there.
        `position` (an import job's, kept up to date here): the list starts at its page, and the tickets of that page
        an earlier round handled are passed over, uncounted."""
        catalog = catalog or SourceCatalog(source)
        report = ImportReport(tenant_id=caller.tenant_id, source=source.name, dry_run=dry_run)
        people = catalog.people
        organizations = self._organizations(caller, catalog, report, dry_run)
        self._notes_on_customers(caller, people.values(), report, dry_run)
        self._profiles_of_customers(caller, people.values(), report, dry_run)
        self._addresses_of_customers(caller, people.values(), report, dry_run)
        old_groups = catalog.groups
        groups = matched_groups(self._store, caller.tenant_id, old_groups)
        fields, forms = self._fields(caller, catalog, report, dry_run)
        context = _Context(people=people, organizations=organizations, groups=groups, now=self._clock(),
                           fields=fields, forms=forms)
        handled = 0
        for old in source.tickets(since, resume=position.page if position else None):
            if position is not None and _handled_before(position, source.resume_point(), old.id):
                continue
            if limit is not None and report.tickets_imported >= limit:
                break
            if stop is not None and stop():
                break
            if position is not None:
                position.done.append(old.id)  # before it is handled: the round does not stop in between
            self._handle(caller, source, old, context, report, dry_run)
            handled += 1
            if progress is not None and handled % PROGRESS_EVERY == 0:
                progress(report)
        report.agents_not_in_directory = dict(context.agents_missing)
        report.groups_not_in_directory = {old_groups.get(gid, gid): n for gid, n in context.groups_missing.items()}
        if not dry_run:  # who brought what in, and when: the counts (the tickets themselves carry where they came from)
            self._audit.record(caller, "import", uuid.uuid4().hex, None, report.model_copy(update={
                "agents_not_in_directory": {}, "groups_not_in_directory": {}, "problems": report.problems[:20]}))
        return report

    def _handle(self, caller: Principal, source: HelpdeskSource, old: SourceTicket | UnreadableTicket,
                context: "_Context", report: ImportReport, dry_run: bool) -> None:
        """One listed ticket, counted in `report` whatever becomes of it."""
        if isinstance(old, UnreadableTicket):
            report.tickets_failed += 1
            report.problems.append(f"ticket {old.id}: {old.reason}")
            return
        if old.status is None:
            report.deleted_skipped += 1
            return
        try:
            self._one(caller, source, old, context, report, dry_run)
        # this ticket's data (a pydantic error is a ValueError; a conversation the adapter cannot read, a
        # KeyError or TypeError): named, and the run goes on
        except (ValueError, KeyError, TypeError, DomainError) as exc:
            report.tickets_failed += 1
            report.problems.append(f"ticket {old.id}: {str(exc).splitlines()[0][:300]}")

    def _one(self, caller: Principal, source: HelpdeskSource, old: SourceTicket, context: "_Context",
             report: ImportReport, dry_run: bool) -> None:
        """One old ticket: skipped when here already, else read (conversation, files), mapped and written."""
        people = context.people
        ticket_id = imported_ticket_id(caller.tenant_id, source.name, old.id)
        existing = self._tickets.get(caller.tenant_id, ticket_id)
        if existing is not None:
            report.already_imported += 1
            self._complete(caller, existing, old, context, report, dry_run)
            return
        comments = list(source.comments(old.id))
        if len(comments) > MAX_IMPORTED_EVENTS:
            report.problems.append(f"ticket {old.id}: {len(comments)} messages, the first "
                                   f"{MAX_IMPORTED_EVENTS} imported")
            comments = comments[:MAX_IMPORTED_EVENTS]
        assignee, group = self._assignee(caller, old, context), self._group(old, context)
        files = {c.id: self._message_files.bring(source, caller.tenant_id, ticket_id, c, report, dry_run)
                 for c in comments if c.attachments}
        try:
            ticket, events = self._ticket(caller.tenant_id, source.name, ticket_id, old, comments, people, files,
                                          organization_id=self._organization_of(caller.tenant_id, old, people,
                                                                                context.organizations),
                                          assignee_id=assignee, group=group, now=context.now, report=report,
                                          custom_fields=self._values(old, context, report),
                                          form=context.forms.get(old.form_id or ""),
                                          number=0 if dry_run else self._tickets.next_number(caller.tenant_id))
            if not dry_run:
                self._tickets.add_imported(ticket, events)
        except Conflict:  # another run imported it meanwhile (its files have the same keys: they stay)
            report.already_imported += 1
            return
        except Exception:  # no ticket holds the files stored for it: they go (a rerun stores them again)
            self._message_files.discard(files.values())
            raise
        mails = [found for c in comments if (found := _message_id(c.message_id))]
        if not dry_run:
            for message_id in mails:  # a reply to any of them (its References name them) continues the ticket
                self._remember_message_id(caller.tenant_id, message_id, ticket.id)
        report.messages += len(comments)
        report.message_ids_remembered += len(mails)
        report.tickets_imported += 1

    def _complete(self, caller: Principal, ticket: Ticket, old: SourceTicket, context: "_Context",
                  report: ImportReport, dry_run: bool) -> None:
        """A ticket an earlier run brought without its assignee or group (the team had no such agent or group then)
        gets them once the team has them: the report said "add them, then import again". Only what is still empty
        here is filled (a ticket someone assigned here keeps that), as history: nobody is notified, nothing reacts.
        What is still missing is named again."""
        changes: dict[str, str] = {}
        if ticket.assignee_id is None and (assignee := self._assignee(caller, old, context)) is not None:
            changes["assignee_id"] = assignee
        if ticket.group is None and (group := self._group(old, context)) is not None:
            changes["group"] = group
        if changes:  # a field someone here set or cleared since is theirs: only the import's own gaps are filled
            touched = {e.type for e in self._tickets.events(ticket.tenant_id, ticket.id) if not e.imported}
            changes = {name: value for name, value in changes.items() if _CHANGED_BY[name] not in touched}
        if not changes:
            return
        report.tickets_completed += 1
        if dry_run:
            return
        events = [TicketEvent(ticket_id=ticket.id, tenant_id=ticket.tenant_id, actor=caller.user_id, at=context.now,
                              type=_CHANGED_BY[name],
                              data={"from": None, "to": value}, imported=True)
                  for name, value in changes.items()]
        completed = ticket.model_copy(update=changes)  # its times stay the old helpdesk's: no one worked on it now
        if "assignee_id" in changes:
            completed.assigned_at = ticket.assigned_at or ticket.updated_at
        try:
            self._tickets.save(completed, events)
        except ConcurrentUpdate:  # someone changed it this moment: theirs to decide
            report.tickets_completed -= 1

    # -- the directory's counterparts ------------------------------------------------------------------

    def _assignee(self, caller: Principal, old: SourceTicket, context: "_Context") -> str | None:
        """The old assignee's counterpart in the directory; one it lacks is counted for the report."""
        person = context.people.get(old.assignee_id or "")
        assignee = self._staff_id(caller.tenant_id, person)
        if old.assignee_id and assignee is None:
            context.agents_missing[_name(person, old.assignee_id)] += 1
        return assignee

    @staticmethod
    def _group(old: SourceTicket, context: "_Context") -> str | None:
        """The old group's counterpart (by name); one the directory lacks is counted for the report."""
        group = context.groups.get(old.group_id or "")
        if old.group_id and group is None:
            context.groups_missing[old.group_id] += 1
        return group

    def _organizations(self, caller: Principal, catalog: SourceCatalog, report: ImportReport,
                       dry_run: bool) -> dict[str, str]:
        """Old organisation id -> ours: the one of the same name, else a new one with the old one's mail domains
        (those another organisation claims stay with it) and notes."""
        existing = {o.name.casefold(): o.id for o in self._store.list_organizations(caller.tenant_id)}
        mapped: dict[str, str] = {}
        for old in catalog.organizations:
            found = existing.get(old.name.casefold())
            if found is not None:
                mapped[old.id] = found
                report.organizations_matched += 1
                continue
            report.organizations_created += 1
            if dry_run:
                continue
            domains = [d for d in _valid_domains(old.domains)
                       if self._store.organization_for_domain(caller.tenant_id, d) is None]
            try:
                created = self._directory.create_organization(caller, NewOrganization(
                    name=_name_or(old.name, f"Organization {old.id}"), domains=domains,
                    notes=old.notes[:5000]))
            except DomainError as exc:
                report.organizations_created -= 1
                report.problems.append(f"organization {old.name!r}: {exc.message}")
                continue
            mapped[old.id] = existing[old.name.casefold()] = created.id
        return mapped

    def _notes_on_customers(self, caller: Principal, people: Iterable[SourcePerson], report: ImportReport,
                            dry_run: bool) -> None:
        """What the old team noted about its customers, as the team's notes on them here (under their address's key,
        their page's). Notes the team already keeps on someone here are never written over (a rerun leaves them)."""
        if self._customer_notes is None:
            return
        for person in people:
            notes = person.notes.strip()[:MAX_ORGANIZATION_NOTES_CHARS]
            if person.staff or not notes or not person.email or not is_email_address(person.email):
                continue
            key = email_key(person.email)
            if self._customer_notes.get(caller.tenant_id, key) is not None:
                continue
            report.customer_notes += 1
            if dry_run:
                continue
            try:
                self._customer_notes.put(CustomerNotes(tenant_id=caller.tenant_id, id=key, notes=notes,
                                                       updated_at=self._clock(), updated_by=caller.user_id, version=1),
                                         0)
            except ConcurrentUpdate:
                report.customer_notes -= 1  # a teammate wrote theirs meanwhile: theirs stay

    def _profiles_of_customers(self, caller: Principal, people: Iterable[SourcePerson], report: ImportReport,
                               dry_run: bool) -> None:
        """A customer's phone and chosen language there as their profile here (with their name there), under their
        address's key. A value this profile refuses (a phone of letters) is left and named in `problems`; a profile
        the team or the person keeps here already is never written over (a rerun leaves it)."""
        if self._customer_profiles is None:
            return
        for person in people:
            if person.staff or not (person.phone or person.language) or not person.email \
                    or not is_email_address(person.email):
                continue
            try:
                change = CustomerProfileChange(name=collapsed(person.name)[:MAX_NAME_CHARS] or None,
                                               phone=person.phone, language=person.language)
            except ValidationError as exc:
                report.problems.append(f"profile of {person.email}: {exc.errors()[0]['msg']}")
                continue
            key = email_key(person.email)
            if self._customer_profiles.get(caller.tenant_id, key) is not None:
                continue
            report.customer_profiles += 1
            if dry_run:
                continue
            try:
                self._customer_profiles.put(CustomerProfile(
                    tenant_id=caller.tenant_id, id=key, **change.model_dump(), updated_at=self._clock(),
                    updated_by=caller.user_id, version=1), 0)
            except ConcurrentUpdate:
                report.customer_profiles -= 1  # the team or the person set theirs meanwhile: theirs stay

    def _addresses_of_customers(self, caller: Principal, people: Iterable[SourcePerson], report: ImportReport,
                                dry_run: bool) -> None:
        """A customer's other addresses there linked to them here, before their tickets come (so a ticket written
        from one is theirs). An address another customer here has stays theirs, and so does one with tickets here
        already (moving them is a person's act: "Add address" on the customer's page, which the import job is not
        granted); both are named in `problems`. A rerun links only what is new."""
        if self._customer_addresses is None:
            return
        for person in people:
            if person.staff or not person.email or not is_email_address(person.email) or not person.other_emails:
                continue
            key = email_key(person.email)
            linked = set(self._customer_addresses.addresses(caller, key).addresses)
            for other in person.other_emails:
                address = other.strip().lower()
                if address in linked or address == person.email.strip().lower() or not is_email_address(address):
                    continue
                if self._customer_addresses.has_tickets(caller, address):
                    report.problems.append(f"{person.name or person.email}: {address} not linked: it has tickets here "
                                           f"already; add it on the customer's page to move them")
                    continue
                if dry_run:
                    report.customer_addresses += 1
                    continue
                try:
                    self._customer_addresses.link(caller, key, AddressToLink(email=address))
                except (Conflict, InvalidInput) as exc:  # another customer's here, or one taking no more addresses
                    report.problems.append(f"{person.name or person.email}: {address} not linked: {exc.message}")
                    continue
                linked.add(address)
                report.customer_addresses += 1

    def _fields(self, caller: Principal, catalog: SourceCatalog, report: ImportReport,
                dry_run: bool) -> tuple[dict[str, FieldMapping], dict[str, str]]:
        """The old custom fields and ticket forms added to the tenant's (one audited save, as an admin's on the
        Ticket fields screen); where each field's values go, and each old form's key here."""
        current = self._field_definitions.view(caller)
        plan = plan_forms(plan_fields(TicketFields(fields=current.fields, forms=current.forms),
                                      catalog.ticket_fields, catalog.source.name), catalog.source.ticket_forms())
        report.fields_created, report.fields_matched, report.fields_skipped = plan.created, plan.matched, plan.skipped
        report.forms_created, report.forms_matched = plan.forms_created, plan.forms_matched
        if (plan.created or plan.forms_created) and not dry_run:
            self._field_definitions.replace(caller, plan.fields, expected_version=current.version)
        return plan.mappings, plan.forms

    def _staff_id(self, tenant_id: str, person: SourcePerson | None) -> str | None:
        return directory_user_id(self._store, tenant_id, person)

    def _organization_of(self, tenant_id: str, old: SourceTicket, people: dict[str, SourcePerson],
                         organizations: dict[str, str]) -> str | None:
        requester = people.get(old.requester_id or "")
        for old_id in (old.organization_id, requester.organization_id if requester else None):
            if old_id and old_id in organizations:
                return organizations[old_id]
        if requester is not None and requester.email and "@" in requester.email:  # as a new ticket gets it
            return self._store.organization_for_domain(tenant_id, requester.email.rsplit("@", 1)[1].lower())
        return None

    # -- the ticket and its history --------------------------------------------------------------------

    def _ticket(self, tenant_id: str, source: str, ticket_id: str, old: SourceTicket,
                comments: list[SourceComment], people: dict[str, SourcePerson], files: dict[str, BroughtFiles], *,
                organization_id: str | None,
                assignee_id: str | None, group: str | None, now: datetime, report: ImportReport,
                number: int, custom_fields: dict[str, object], form: str | None) -> tuple[Ticket, list[TicketEvent]]:
        assert old.status is not None
        asker = people.get(old.requester_id or "")
        requester = _requester(source, old.requester_id, asker)
        if self._customers is not None:  # imports write history without the ticket service's hooks
            requester = self._customers.requester(tenant_id, requester)
        first = comments[0] if comments else None
        description = _text(first.body) if first is not None else ""
        ticket = Ticket(
            id=ticket_id, number=number, tenant_id=tenant_id, subject=_subject(old.subject, description),
            description=description, status=old.status, priority=old.priority, channel=old.channel,
            requester=requester, organization_id=organization_id, assignee_id=assignee_id, group=group,
            tags=self._tags(old, report), custom_fields=custom_fields, form=form,
            participants=participant_list(requester, [address for address in _copied(people, old, comments)
                                                      if is_email_address(address)]),
            followers=list(dict.fromkeys(f for f in (self._staff_id(tenant_id, p) for p in
                                                     _known(people, old.follower_ids)) if f))[:MAX_FOLLOWERS],
            csat=CsatRating(rating=old.rating, comment=(old.rating_comment or "")[:MAX_CSAT_COMMENT_CHARS] or None,
                            at=old.updated_at) if old.rating else None,
            created_at=old.created_at, updated_at=old.updated_at,
            # The source's last update: its status and assignee are at least as old (a time trigger waits late).
            status_changed_at=old.updated_at, assigned_at=old.updated_at if assignee_id else None,
            resolved_at=old.updated_at if old.status in (Status.RESOLVED, Status.CLOSED) else None,
            closed_at=old.updated_at if old.status == Status.CLOSED else None,
            links=list(dict.fromkeys(TicketLink(type=link.type, ticket_id=imported_ticket_id(tenant_id, source,
                                                                                              link.ticket_id))
                                     for link in old.links if link.ticket_id != old.id))[:MAX_LINKS],
            imported_from=ImportOrigin(source=source, id=old.id, number=old.number, url=old.url, imported_at=now))
        events = [TicketEvent(
            ticket_id=ticket.id, tenant_id=tenant_id, type=EventType.CREATED, actor=requester.id, at=old.created_at,
            data={"number": ticket.key, "channel": ticket.channel.value, "subject": ticket.subject,
                  "requester_id": requester.id, "priority": ticket.priority.value,
                  "imported_from": {"source": source, "id": old.id},
                  **file_data(files.get(first.id) if first is not None else None)})]
        if first is not None and _by_customer(first, people):
            ticket.last_customer_message_at = first.created_at
        if first is not None and first.public:
            ticket.note_latest(_text(first.body), _by_customer(first, people), first.created_at)
        for comment in comments[1:]:
            events.append(self._message(ticket, comment, people, source, files.get(comment.id)))
        timed, problem = time_events(ticket, old.time_entries, people, source,
                                     lambda person: self._staff_id(tenant_id, person),
                                     room=MAX_IMPORTED_EVENTS - len(events))
        if problem is not None:
            report.problems.append(f"ticket {old.id}: {problem}")
        report.time_entries += len(timed)
        return ticket, [events[0], *sorted([*events[1:], *timed], key=lambda e: e.at)]

    @staticmethod
    def _values(old: SourceTicket, context: "_Context", report: ImportReport) -> dict[str, object]:
        problems: list[str] = []
        values = ticket_values(context.fields, old.fields, problems)
        report.field_values_dropped += len(problems)
        report.problems.extend(f"ticket {old.id}: {problem}" for problem in problems)
        return values

    @staticmethod
    def _tags(old: SourceTicket, report: ImportReport) -> list[str]:
        """The old tags as the API takes tags (1-64 characters, 50 at most); the others are named in the report."""
        tags = normalise_tags(old.tags)
        kept = [tag for tag in tags if len(tag) <= MAX_TAG_CHARS][:MAX_TICKET_TAGS]
        if len(kept) < len(tags):
            dropped = [tag[:80] for tag in tags if tag not in kept]
            report.problems.append(f"ticket {old.id}: tags not kept (over {MAX_TAG_CHARS} characters or "
                                   f"{MAX_TICKET_TAGS} tags): {', '.join(dropped[:5])}")
        return sorted(kept)

    def _message(self, ticket: Ticket, comment: SourceComment, people: dict[str, SourcePerson],
                 source: str, files: BroughtFiles | None) -> TicketEvent:
        author = people.get(comment.author_id or "")
        by_customer = _by_customer(comment, people)
        data: dict[str, object] = {"body": _text(comment.body), "public": comment.public,
                                   "from_customer": by_customer, "imported_from": {"source": source, "id": comment.id}}
        if by_customer:
            actor = ticket.requester.id if author is not None and _same_person(author, ticket.requester) else \
                f"{source}:{comment.author_id}"
            if author is not None and actor != ticket.requester.id:  # a colleague or a Cc: named, as mail names them
                data.update({"from": author.email, "from_name": author.name})
            if comment.public:
                ticket.last_customer_message_at = comment.created_at
        else:
            actor = self._staff_id(ticket.tenant_id, author) or f"{source}:{comment.author_id or 'unknown'}"
            data["author_name"] = _name(author, comment.author_id or "unknown")
            if comment.public:
                ticket.last_agent_message_at = comment.created_at
                ticket.first_response_at = ticket.first_response_at or comment.created_at
        data.update(file_data(files))
        if comment.public:
            ticket.note_latest(_text(comment.body), by_customer, comment.created_at)
        event_type = EventType.PUBLIC_MESSAGE if comment.public else EventType.INTERNAL_NOTE
        return TicketEvent(ticket_id=ticket.id, tenant_id=ticket.tenant_id, type=event_type, actor=actor,
                           at=comment.created_at, data=data)


def _message_id(raw: str | None) -> str | None:
    """A Message-ID as mail threading looks it up: the header's reading, without brackets."""
    from helpdesk.mail.parser import message_ids

    found = message_ids(raw) if raw else []
    return found[0] if found else None


def _requester(source: str, old_id: str | None, person: SourcePerson | None) -> Requester:
    if person is not None and person.email and is_email_address(person.email):
        return Requester(email=person.email.lower(), name=person.name or None)
    return Requester(id=f"{source}:{old_id or 'unknown'}", name=person.name if person else None)


def _same_person(person: SourcePerson, requester: Requester) -> bool:
    return bool(person.email) and (person.email or "").lower() == requester.email


def _by_customer(comment: SourceComment, people: dict[str, SourcePerson]) -> bool:
    author = people.get(comment.author_id or "")
    return author is None or not author.staff


def _copied(people: dict[str, SourcePerson], old: SourceTicket, comments: list[SourceComment]) -> list[str]:
    """Who else was on the conversation: the ticket's CCs there (Zendesk), and the addresses its public messages
    were copied to (Zammad keeps them per article)."""
    return [p.email for p in _known(people, old.cc_ids) if p.email] + \
        [address for comment in comments if comment.public for address in comment.cc]


def _known(people: dict[str, SourcePerson], ids: Iterable[str]) -> list[SourcePerson]:
    return [people[i] for i in ids if i in people]


def _name(person: SourcePerson | None, fallback: str) -> str:
    return person.name if person is not None and person.name else fallback


def _valid_domains(domains: list[str]) -> list[str]:
    """The old helpdesk's domains that are mail domains here (it may hold anything)."""
    kept: list[str] = []
    for domain in domains:
        try:
            kept += NewOrganization(name="x", domains=[domain]).domains
        except ValueError:
            continue
    return sorted(set(kept))[:50]

"""In-memory implementations of the ports, for unit tests that need no moto.

Each fake follows its DynamoDB adapter where a caller can tell the difference: ticket numbers come from a
per-tenant counter, writes are conditioned on the version read (a stale write raises the same
`ConcurrentUpdate` the DynamoDB repository raises), event sequences run with the version, list pages are
newest first with the same opaque cursor, and stored objects are copies (a caller mutating what it read
or wrote never changes the store).

Use them through the composition root:

    container = build(ticket_repository=InMemoryTicketRepository(), **settings_stores(), clock=FixedClock(T0))
"""

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from helpdesk.audit.model import AuditEntry, AuditPage
from helpdesk.directory.adapters.memory import InMemoryDirectoryStore as InMemoryDirectoryStore  # re-exported
from helpdesk.directory.addresses import CustomerAddresses
from helpdesk.directory.model import Group, User
from helpdesk.directory.ports import DirectoryStore
from helpdesk.kernel.errors import ConcurrentUpdate, Conflict
from helpdesk.kernel.principal import Role, TicketAccess
from helpdesk.knowledge.fusion import reciprocal_rank_fusion
from helpdesk.knowledge.ports import Chunk, IndexQuery, SearchHit
from helpdesk.platform.dynamo.cursor import decode_cursor, encode_cursor
from helpdesk.sla.calendar import BusinessCalendar
from helpdesk.sla.policy import SlaPolicy
from helpdesk.sla.ports import Claim, DueBatch, DueTicket, SlaSettings
from helpdesk.tickets.fields import TicketFields, field_terms
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import UNSOLVED, Ticket
from helpdesk.tickets.ports import TicketPage, TicketQuery
from helpdesk.tickets.sla_state import sla_scan_entry, sla_standing
from helpdesk.triggers.model import TriggerList

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from helpdesk.assistant.ports import SharedBreakerState
    from helpdesk.intents.taxonomy import Category, LearnedExample

# ------------------------------------------------------------------------------------------------
# tickets
# ------------------------------------------------------------------------------------------------

Interference = Callable[[Ticket], None]


class InMemoryTicketRepository:
    """Implements `helpdesk.tickets.ports.TicketRepository` in memory.

    Tests can simulate another writer racing the service: `interfere(times=n)` makes the next `n` calls
    of `save` find that someone else wrote the ticket since it was read (the stored version moves on,
    optionally with a change of their own), so the conditional write fails exactly as in DynamoDB.
    `save_attempts` counts every call of `save`, failed or not.
    """

    def __init__(self) -> None:
        self._counters: dict[str, int] = {}
        self._tickets: dict[tuple[str, str], Ticket] = {}
        self._events: dict[tuple[str, str], list[TicketEvent]] = {}
        self._interference: list[Interference | None] = []
        self.save_attempts = 0

    # -- test controls ---------------------------------------------------------------------

    def interfere(self, times: int = 1, change: Interference | None = None) -> None:
        """Before each of the next `times` saves, another writer stores the ticket first (applying
        `change` to it, if given), so that save's version condition fails."""
        self._interference.extend([change] * times)

    def stored(self, tenant_id: str, ticket_id: str) -> Ticket:
        """The ticket as stored (a copy), bypassing every rule: for assertions."""
        return self._tickets[(tenant_id, ticket_id)].model_copy(deep=True)

    # -- TicketRepository ------------------------------------------------------------------

    def next_number(self, tenant_id: str) -> int:
        self._counters[tenant_id] = self._counters.get(tenant_id, 0) + 1
        return self._counters[tenant_id]

    def add(self, ticket: Ticket, events: list[TicketEvent]) -> Ticket:
        # DynamoDB: a new item is written on condition that none exists with its key.
        if (ticket.tenant_id, ticket.id) in self._tickets:
            raise _concurrent(ticket)
        return self._write(ticket, events)

    def add_imported(self, ticket: Ticket, events: list[TicketEvent]) -> Ticket:
        if (ticket.tenant_id, ticket.id) in self._tickets:
            raise Conflict("the ticket was imported already", {"ticket_id": ticket.id})
        return self._write(ticket, events)

    def save(self, ticket: Ticket, events: list[TicketEvent], unchanged: Ticket | None = None) -> Ticket:
        self.save_attempts += 1
        key = (ticket.tenant_id, ticket.id)
        if self._interference and key in self._tickets:
            self._other_writer(key, self._interference.pop(0))
        current = self._tickets.get(key)
        # DynamoDB: the write is conditioned on the stored version being the one read (a missing item fails too).
        if current is None or current.version != ticket.version:
            raise _concurrent(ticket)
        if unchanged is not None:
            other = self._tickets.get((unchanged.tenant_id, unchanged.id))
            if other is None or other.version != unchanged.version:
                raise _concurrent(unchanged)
        return self._write(ticket, events)

    def get(self, tenant_id: str, ticket_id: str) -> Ticket | None:
        found = self._tickets.get((tenant_id, ticket_id))
        return found.model_copy(deep=True) if found is not None else None

    def get_many(self, tenant_id: str, ticket_ids: list[str]) -> list[Ticket]:
        found = (self._tickets.get((tenant_id, ticket_id)) for ticket_id in dict.fromkeys(ticket_ids))
        return [ticket.model_copy(deep=True) for ticket in found if ticket is not None]

    def tickets(self, tenant_id: str | None = None) -> Iterator[Ticket]:
        """Also a `helpdesk.search.ports.TicketSource`: every stored ticket (of one tenant)."""
        for (tenant, _), ticket in list(self._tickets.items()):
            if tenant_id in (None, tenant):
                yield ticket.model_copy(deep=True)

    def get_by_number(self, tenant_id: str, number: int) -> Ticket | None:
        for (tenant, _), ticket in self._tickets.items():
            if tenant == tenant_id and ticket.number == number:
                return ticket.model_copy(deep=True)
        return None

    def query(self, q: TicketQuery) -> TicketPage:
        hash_attr, hash_value = _driving_index(q)
        start = decode_cursor(q.cursor, {hash_attr: hash_value, "tenant_id": q.tenant_id},
                              {hash_attr, "number", "tenant_id", "ticket_id"})
        after = int(start["number"]["N"]) if start is not None else None
        indexed = sorted((t for (tenant, _), t in self._tickets.items()
                          if tenant == q.tenant_id and _in_index(t, hash_attr, hash_value)),
                         key=lambda t: t.number, reverse=not q.oldest_first)  # newest first, like the indexes
        if after is not None:
            indexed = [t for t in indexed if (t.number > after if q.oldest_first else t.number < after)]
        items = [t.model_copy(deep=True) for t in indexed if _matches(t, q)][:max(q.limit, 0)]
        # Like DynamoDB (as moto answers): a full page carries a cursor while the index holds items past it,
        # even if the filters drop them all (the next page is then empty); a short page carries none.
        next_key: dict[str, Any] | None = None
        if items and len(items) >= q.limit and indexed[-1].number != items[-1].number:
            last = items[-1]
            next_key = {hash_attr: {"S": hash_value}, "number": {"N": str(last.number)},
                        "tenant_id": {"S": last.tenant_id}, "ticket_id": {"S": last.id}}
        return TicketPage(items=items, next_cursor=encode_cursor(next_key))

    def count(self, q: TicketQuery) -> int:
        hash_attr, hash_value = _driving_index(q)
        return sum(1 for (tenant, _), t in self._tickets.items()
                   if tenant == q.tenant_id and _in_index(t, hash_attr, hash_value) and _matches(t, q))

    def unsolved_by_assignee(self, tenant_id: str, limit: int) -> tuple[dict[str, int], bool]:
        backlog = [t for (tenant, _), t in self._tickets.items() if tenant == tenant_id and t.status in UNSOLVED]
        counts: dict[str, int] = {}
        for ticket in backlog[:limit]:
            if ticket.assignee_id:
                counts[ticket.assignee_id] = counts.get(ticket.assignee_id, 0) + 1
        return counts, len(backlog) > limit

    def events(self, tenant_id: str, ticket_id: str) -> list[TicketEvent]:
        return [e.model_copy(deep=True) for e in self._events.get((tenant_id, ticket_id), [])]

    def time_logged(self, tenant_id: str, since: datetime, until: datetime,
                    limit: int) -> tuple[list[TicketEvent], bool]:
        entries = sorted((e for (tenant, _), log in self._events.items() if tenant == tenant_id for e in log
                          if e.type == EventType.TIME_LOGGED and since <= e.at < until), key=lambda e: e.at)
        return [e.model_copy(deep=True) for e in entries[:limit]], len(entries) > limit

    # -- internals -------------------------------------------------------------------------

    def _write(self, ticket: Ticket, events: list[TicketEvent]) -> Ticket:
        stored = ticket.model_copy(deep=True)
        stored.version = ticket.version + 1  # the event sequence runs with the version
        log = self._events.setdefault((ticket.tenant_id, ticket.id), [])
        for offset, event in enumerate(events):
            event.seq = stored.version * 1000 + offset
            log.append(event.model_copy(deep=True))
        self._tickets[(ticket.tenant_id, ticket.id)] = stored
        ticket.version = stored.version
        return ticket

    def _other_writer(self, key: tuple[str, str], change: Interference | None) -> None:
        theirs = self._tickets[key].model_copy(deep=True)
        if change is not None:
            change(theirs)
        theirs.version += 1
        self._tickets[key] = theirs


class InterleavingTicketRepository(InMemoryTicketRepository):
    """The in-memory repository for many threads at once, with a network between them: every call takes
    `round_trip_s`, half before its atomic step (a lock, like one DynamoDB request) and half after. Writers
    that start together therefore read the same version and all but one lose the conditional write, as
    concurrent Lambdas do on DynamoDB. `conflicts` counts the lost writes."""

    def __init__(self, round_trip_s: float = 0.002) -> None:
        super().__init__()
        self.half_trip_s = round_trip_s / 2
        self.conflicts = 0
        self._lock = threading.Lock()

    def _request[R](self, step: Callable[[], R]) -> R:
        time.sleep(self.half_trip_s)
        try:
            with self._lock:
                return step()
        finally:
            time.sleep(self.half_trip_s)

    def next_number(self, tenant_id: str) -> int:
        return self._request(lambda: InMemoryTicketRepository.next_number(self, tenant_id))

    def add(self, ticket: Ticket, events: list[TicketEvent]) -> Ticket:
        return self._request(lambda: InMemoryTicketRepository.add(self, ticket, events))

    def get(self, tenant_id: str, ticket_id: str) -> Ticket | None:
        return self._request(lambda: InMemoryTicketRepository.get(self, tenant_id, ticket_id))

    def events(self, tenant_id: str, ticket_id: str) -> list[TicketEvent]:
        return self._request(lambda: InMemoryTicketRepository.events(self, tenant_id, ticket_id))

    def save(self, ticket: Ticket, events: list[TicketEvent], unchanged: Ticket | None = None) -> Ticket:
        def write() -> Ticket:
            try:
                return InMemoryTicketRepository.save(self, ticket, events, unchanged)
            except ConcurrentUpdate:
                self.conflicts += 1
                raise

        return self._request(write)


def _concurrent(ticket: Ticket) -> ConcurrentUpdate:
    return ConcurrentUpdate("the ticket was changed by someone else; read it again",
                            {"ticket_id": ticket.id, "version": ticket.version})


def _driving_index(q: TicketQuery) -> tuple[str, str]:
    """The index DynamoDB would query (it decides the cursor's keys); the rest are filters."""
    if q.status is not None:
        return "tenant_status", f"{q.tenant_id}#{q.status}"
    if q.requester_id is not None:
        return "tenant_requester", f"{q.tenant_id}#{q.requester_id}"
    if q.assignee_id is not None:
        return "tenant_assignee", f"{q.tenant_id}#{q.assignee_id}"
    return "tenant_id", q.tenant_id


def _in_index(ticket: Ticket, hash_attr: str, hash_value: str) -> bool:
    keys = {"tenant_id": ticket.tenant_id, "tenant_status": f"{ticket.tenant_id}#{ticket.status}",
            "tenant_requester": f"{ticket.tenant_id}#{ticket.requester.key}",
            "tenant_assignee": f"{ticket.tenant_id}#{ticket.assignee_id}" if ticket.assignee_id else None}
    return keys[hash_attr] == hash_value


def _matches(ticket: Ticket, q: TicketQuery) -> bool:
    if q.status is not None and ticket.status != q.status:
        return False
    if q.statuses and ticket.status not in q.statuses:
        return False
    if not _matches_people(ticket, q):
        return False
    if q.priority is not None and ticket.priority != q.priority:
        return False
    if q.tag is not None and q.tag.strip().lower() not in ticket.tags:
        return False
    if not _matches_group(ticket, q):
        return False
    if q.channel is not None and ticket.channel != q.channel:
        return False
    if q.form is not None and ticket.form != q.form:
        return False
    if q.organization_id is not None and ticket.organization_id != q.organization_id:
        return False
    if not set(q.field_terms) <= set(field_terms(ticket.custom_fields)):
        return False
    if q.link_type is not None and q.link_type not in ticket.link_types:
        return False
    if q.sla is not None and sla_standing(ticket.sla) != q.sla:
        return False
    return q.snoozed is None or ticket.snoozed(q.at or datetime.now(UTC)) == q.snoozed


def _matches_group(ticket: Ticket, q: TicketQuery) -> bool:
    """The group filters and the caller's visibility by group."""
    if q.group is not None and ticket.group != q.group:
        return False
    if q.in_groups and ticket.group not in q.in_groups:
        return False
    if q.groups:
        in_group = ticket.group is not None and ticket.group in q.groups
        assigned = q.visible_to is not None and ticket.assignee_id == q.visible_to
        return in_group or assigned
    return True


def _matches_people(ticket: Ticket, q: TicketQuery) -> bool:
    """The requester, assignee and follower filters."""
    if q.requester_id is not None and ticket.requester.key != q.requester_id:
        return False
    if q.assignee_id is not None and ticket.assignee_id != q.assignee_id:
        return False
    if q.unassigned and ticket.assignee_id is not None:
        return False
    return q.follower is None or q.follower in ticket.followers


class InMemoryTicketFieldStore:
    """Implements `helpdesk.tickets.ports.TicketFieldStore` in memory, versioned as the `TenantDocument` is.
    `reads` counts the reads (a ticket write without custom fields reads nothing)."""

    def __init__(self) -> None:
        self._documents: dict[str, dict[str, Any]] = {}
        self.reads = 0

    def get(self, tenant_id: str) -> tuple[TicketFields, int]:
        self.reads += 1
        stored = self._documents.get(tenant_id)
        if stored is None:
            return TicketFields(), 0
        return TicketFields.model_validate({"fields": stored["fields"]}), int(stored["version"])

    def put(self, tenant_id: str, fields: TicketFields, expected_version: int | None = None) -> int:
        return _write_versioned(self._documents, tenant_id, fields.model_dump(mode="json"), expected_version)


# ------------------------------------------------------------------------------------------------
# SLA settings
# ------------------------------------------------------------------------------------------------


@dataclass
class _TenantSla:
    policies: dict[str, dict[str, Any]]
    calendars: dict[str, dict[str, Any]]


class InMemoryTriggerStore:
    """Implements `helpdesk.triggers.ports.TriggerStore` in memory: one JSON document per tenant with its version, a
    save at another version than read is `ConcurrentUpdate`, as the DynamoDB store's."""

    def __init__(self) -> None:
        self._tenants: dict[str, tuple[dict[str, Any], int]] = {}

    def get(self, tenant_id: str) -> tuple[TriggerList, int]:
        data, version = self._tenants.get(tenant_id, ({}, 0))
        return TriggerList.model_validate(data), version

    def cached(self, tenant_id: str) -> TriggerList:
        return self.get(tenant_id)[0]

    def put(self, tenant_id: str, triggers: TriggerList, expected_version: int | None) -> int:
        version = self._tenants.get(tenant_id, ({}, 0))[1]
        if expected_version is not None and expected_version != version:
            raise ConcurrentUpdate("it changed since it was read: read it again", {"expected_version": version})
        self._tenants[tenant_id] = (triggers.model_dump(mode="json"), version + 1)
        return version + 1


def settings_stores() -> dict[str, Any]:
    """The tenant settings every ticket change reads (SLA policies, triggers, the customer a new ticket's address is
    linked to), in memory: `build(**settings_stores())` on fakes."""
    return {"sla_settings_store": InMemorySlaSettingsStore(), "trigger_store": InMemoryTriggerStore(),
            "customer_address_store": InMemoryCustomerAddresses()}


class InMemoryCustomerAddresses:
    """Implements `helpdesk.directory.ports.CustomerAddressStore` in memory."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], CustomerAddresses] = {}
        self.links: dict[tuple[str, str], str] = {}

    def addresses(self, tenant_id: str, key: str) -> CustomerAddresses | None:
        return self.records.get((tenant_id, key))

    def customer_of(self, tenant_id: str, address_key: str) -> str | None:
        return self.links.get((tenant_id, address_key))

    def link(self, customer: CustomerAddresses, expected_version: int, address_key: str) -> None:
        self._check(customer, expected_version)
        if (customer.tenant_id, address_key) in self.links:
            raise ConcurrentUpdate("the address was linked meanwhile", {"id": customer.id})
        self.records[(customer.tenant_id, customer.id)] = customer
        self.links[(customer.tenant_id, address_key)] = customer.id

    def unlink(self, customer: CustomerAddresses, expected_version: int, address_key: str) -> None:
        self._check(customer, expected_version)
        self.records[(customer.tenant_id, customer.id)] = customer
        self.links.pop((customer.tenant_id, address_key), None)

    def delete(self, tenant_id: str, key: str) -> list[str]:
        found = self.records.pop((tenant_id, key), None)
        for address in found.addresses if found is not None else []:
            self.links.pop((tenant_id, f"email:{address}"), None)
        return found.addresses if found is not None else []

    def _check(self, customer: CustomerAddresses, expected_version: int) -> None:
        stored = self.records.get((customer.tenant_id, customer.id))
        if (stored.version if stored is not None else 0) != expected_version:
            raise ConcurrentUpdate("the customer's addresses changed meanwhile", {"id": customer.id})


class InMemorySlaSettingsStore:
    """Implements `helpdesk.sla.ports.SlaSettingsStore` in memory; stores JSON like the Meta table does,
    so every `load` returns fresh objects, policies in id order (the DynamoDB sort key order). Each item's
    version is kept as the DynamoDB store keeps it: a write with an expected version happens only at it."""

    def __init__(self) -> None:
        self._tenants: dict[str, _TenantSla] = {}
        self.loads = 0

    def _tenant(self, tenant_id: str) -> _TenantSla:
        return self._tenants.setdefault(tenant_id, _TenantSla(policies={}, calendars={}))

    def load(self, tenant_id: str, *, fresh: bool = False) -> SlaSettings:
        self.loads += 1
        stored = self._tenants.get(tenant_id)
        if stored is None:
            return SlaSettings()
        return SlaSettings(
            policies=[SlaPolicy.model_validate(stored.policies[k]) for k in sorted(stored.policies)],
            calendars={k: BusinessCalendar.model_validate(stored.calendars[k]) for k in sorted(stored.calendars)},
        )

    def put_policy(self, tenant_id: str, policy: SlaPolicy, expected_version: int | None = None) -> int:
        return _write_versioned(self._tenant(tenant_id).policies, policy.id, policy.model_dump(mode="json"),
                                expected_version)

    def delete_policy(self, tenant_id: str, policy_id: str, expected_version: int | None = None) -> bool:
        policies = self._tenant(tenant_id).policies
        stored = policy_id in policies
        _write_versioned(policies, policy_id, None, expected_version)
        return stored

    def put_calendar(self, tenant_id: str, calendar: BusinessCalendar, expected_version: int | None = None) -> int:
        return _write_versioned(self._tenant(tenant_id).calendars, calendar.id, calendar.model_dump(mode="json"),
                                expected_version)

    def delete_calendar(self, tenant_id: str, calendar_id: str, expected_version: int | None = None) -> bool:
        calendars = self._tenant(tenant_id).calendars
        stored = calendar_id in calendars
        _write_versioned(calendars, calendar_id, None, expected_version)
        return stored


def _write_versioned(items: dict[str, dict[str, Any]], key: str, data: dict[str, Any] | None,
                     expected_version: int | None) -> int:
    """As `TenantDocument.write`: with `expected_version`, only while the item is at it (0: none stored); the new
    version (0: deleted). The version in `data` is the store's to set."""
    current = int(items[key]["version"]) if key in items else 0
    if expected_version is not None and expected_version != current:
        raise ConcurrentUpdate("it changed since it was read", {"id": key, "expected_version": expected_version})
    if data is None:
        items.pop(key, None)
        return 0
    items[key] = {**data, "version": current + 1}
    return current + 1


class InMemoryNotificationLedger:
    """Implements `helpdesk.sla.ports.NotificationLedger` with the DynamoDB ledger's rules: a claim holds a key
    for its lease, a confirmed key is sent for good, a lapsed claim can be taken over."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], datetime | None] = {}  # None: sent; else the lease's end

    def claim(self, tenant_id: str, key: str, at: datetime, lease: timedelta) -> Claim:
        if (tenant_id, key) in self.records:
            held = self.records[(tenant_id, key)]
            if held is None:
                return Claim.SENT
            if held >= at:
                return Claim.BUSY  # the holder's lease runs on
        self.records[(tenant_id, key)] = at + lease
        return Claim.WON

    def confirm(self, tenant_id: str, key: str, at: datetime) -> None:
        self.records[(tenant_id, key)] = None

    def release(self, tenant_id: str, key: str) -> None:
        self.records.pop((tenant_id, key), None)


class InMemoryDueIndex:
    """Implements `helpdesk.sla.ports.DueIndex` over an `InMemoryTicketRepository`: the tickets whose SLA
    scan entry is due, oldest first."""

    def __init__(self, repository: InMemoryTicketRepository) -> None:
        self._repository = repository

    def due(self, now: datetime, limit: int) -> DueBatch:
        entries = [(entry.due, ticket.tenant_id, ticket.id) for ticket in self._repository._tickets.values()
                   if (entry := sla_scan_entry(ticket.id, ticket.sla, ticket.snoozed_until)) is not None]
        due = sorted(e for e in entries if e[0] <= now)[:limit]
        return DueBatch(items=[DueTicket(tenant_id=t, ticket_id=i) for _, t, i in due], examined=len(entries))


# ------------------------------------------------------------------------------------------------
# knowledge
# ------------------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
CANDIDATES_PER_LEG = 100


def _terms(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if len(w) > 1]


class InMemoryKnowledgeIndex:
    """Implements `helpdesk.knowledge.ports.KnowledgeIndex` in memory.

    The lexical leg is plain term overlap (no stemming: BM25 belongs to the real indexes); the dense leg is
    the dot product of the (normalised) vectors; hybrid fuses both with the same reciprocal-rank fusion as
    the real backends. Tenants and visibilities are filtered exactly.
    """

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self._chunks: dict[str, list[tuple[Chunk, list[float]]]] = {}

    def replace_article(self, tenant_id: str, article_id: str, chunks: Sequence[Chunk],
                        vectors: "NDArray[np.float32]") -> None:
        import numpy as np

        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        if any(c.tenant_id != tenant_id or c.article_id != article_id for c in chunks):
            raise ValueError("chunks belong to another article or tenant")
        rows = np.asarray(vectors, dtype=np.float32).reshape(len(chunks), self.dimension)
        kept = [entry for entry in self._chunks.get(tenant_id, []) if entry[0].article_id != article_id]
        self._chunks[tenant_id] = kept + [(c, [float(x) for x in row]) for c, row in zip(chunks, rows, strict=True)]

    def delete_article(self, tenant_id: str, article_id: str) -> None:
        self._chunks[tenant_id] = [e for e in self._chunks.get(tenant_id, []) if e[0].article_id != article_id]

    def search(self, query: IndexQuery) -> list[SearchHit]:
        if query.k <= 0:
            return []
        wanted_tags = set(query.tags)
        allowed = [(i, chunk, vector) for i, (chunk, vector) in enumerate(self._chunks.get(query.tenant_id, []))
                   if chunk.visibility in query.visibilities and (not wanted_tags or wanted_tags & set(chunk.tags))]
        if not allowed:
            return []
        depth = max(query.k, CANDIDATES_PER_LEG)
        rankings: list[list[int]] = []
        similarity: dict[int, float] = {}
        if query.mode in ("hybrid", "lexical"):
            terms = set(_terms(query.text))
            overlap = [(sum(1 for t in _terms(chunk.search_text) if t in terms), i) for i, chunk, _ in allowed]
            rankings.append([i for score, i in sorted(overlap, key=lambda p: -p[0]) if score > 0][:depth])
        if query.mode in ("hybrid", "dense") and query.vector is not None:
            q = [float(x) for x in query.vector]
            similarity = {i: sum(a * b for a, b in zip(vector, q, strict=True)) for i, _, vector in allowed}
            rankings.append(sorted(similarity, key=lambda i: -similarity[i])[:depth])
        ranked = reciprocal_rank_fusion(rankings)[:query.k]
        chunks = {i: chunk for i, chunk, _ in allowed}
        return [_hit(chunks[i], score, similarity.get(i) if query.mode != "lexical" else None)
                for i, score in ranked]

    def article_ids(self, tenant_id: str) -> set[str]:
        return {chunk.article_id for chunk, _ in self._chunks.get(tenant_id, [])}


def _hit(chunk: Chunk, score: float, similarity: float | None) -> SearchHit:
    return SearchHit(article_id=chunk.article_id, chunk_id=chunk.chunk_id, title=chunk.title, text=chunk.text,
                     score=round(float(score), 6), heading=chunk.heading, anchor=chunk.anchor, url=chunk.url,
                     visibility=chunk.visibility, language=chunk.language,
                     similarity=None if similarity is None else round(similarity, 4))


# ------------------------------------------------------------------------------------------------
# circuit breakers
# ------------------------------------------------------------------------------------------------


class InMemoryBreakerStore:
    """Implements `helpdesk.assistant.ports.BreakerStateStore` in memory, with the DynamoDB adapter's rules:
    failures count per fixed window, a trial is claimed only once the open period is over, and a claim
    on a closed breaker (no state) lets the caller go ahead. `down = True` makes every call fail, like
    a store outage; `calls` counts the calls made."""

    def __init__(self) -> None:
        self.open_until: dict[str, float] = {}
        self.failures: dict[tuple[str, int], int] = {}
        self.down = False
        self.calls = 0
        self._lock = threading.Lock()

    def _touch(self) -> None:
        self.calls += 1
        if self.down:
            raise ConnectionError("breaker store unreachable")

    def read(self, name: str) -> "SharedBreakerState | None":
        from helpdesk.assistant.ports import SharedBreakerState

        with self._lock:
            self._touch()
            until = self.open_until.get(name)
        return None if until is None else SharedBreakerState(open_until=until)

    def add_failure(self, name: str, now: float, window_s: float) -> int:
        with self._lock:
            self._touch()
            key = (name, int(now // window_s))
            self.failures[key] = self.failures.get(key, 0) + 1
            return self.failures[key]

    def open(self, name: str, until: float) -> None:
        with self._lock:
            self._touch()
            self.open_until[name] = until

    def claim_trial(self, name: str, now: float, until: float) -> bool:
        with self._lock:
            self._touch()
            current = self.open_until.get(name)
            if current is None:
                return True
            if current > now:
                return False
            self.open_until[name] = until
            return True

    def close(self, name: str) -> None:
        with self._lock:
            self._touch()
            self.open_until.pop(name, None)


__all__ = ["InMemoryBreakerStore", "InMemoryDueIndex", "InMemoryKnowledgeIndex", "InMemoryNotificationLedger",
           "InMemorySlaSettingsStore", "InMemoryTicketRepository", "InMemoryTriggerStore",
           "InterleavingTicketRepository", "settings_stores"]


# ------------------------------------------------------------------------------------------------
# ticket categories
# ------------------------------------------------------------------------------------------------


class InMemoryTaxonomyStore:
    """`helpdesk.intents.ports.TaxonomyStore` in memory, bounded like the DynamoDB adapter (`remember`)."""

    def __init__(self) -> None:
        self._categories: dict[str, tuple[Category, ...]] = {}
        self._versions: dict[str, int] = {}
        self._learned: dict[str, list[LearnedExample]] = {}

    def categories(self, tenant_id: str) -> "tuple[Category, ...]":
        return self._categories.get(tenant_id, ())

    def categories_versioned(self, tenant_id: str) -> "tuple[tuple[Category, ...], int]":
        return self.categories(tenant_id), self._versions.get(tenant_id, 0)

    def put_categories(self, tenant_id: str, categories: "Sequence[Category]",
                       expected_version: int | None = None) -> int:
        from helpdesk.kernel.errors import ConcurrentUpdate

        current = self._versions.get(tenant_id, 0)
        if expected_version is not None and expected_version != current:
            raise ConcurrentUpdate("it changed since it was read", {"expected_version": expected_version})
        self._categories[tenant_id] = tuple(categories)
        self._versions[tenant_id] = current + 1 if categories else 0
        return self._versions[tenant_id]

    def learned(self, tenant_id: str) -> "list[LearnedExample]":
        return list(self._learned.get(tenant_id, []))

    def learn(self, tenant_id: str, example: "LearnedExample") -> None:
        from helpdesk.intents.taxonomy import remember

        self._learned[tenant_id] = remember(self._learned.get(tenant_id, []), example)

    def forget(self, tenant_id: str, ticket_id: str) -> None:
        self._learned[tenant_id] = [e for e in self._learned.get(tenant_id, []) if e.ticket_id != ticket_id]
class InMemoryAuditStore:
    """The audit trail in a list, newest last; pages newest first, the cursor an index."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def append(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    def page(self, tenant_id: str, *, kind: str | None, limit: int, cursor: str | None) -> AuditPage:
        mine = [e for e in reversed(self.entries) if e.tenant_id == tenant_id and kind in (None, e.kind)]
        start = int(cursor or 0)
        rest = mine[start:start + limit]
        more = start + limit < len(mine)
        return AuditPage(items=rest, next_cursor=str(start + limit) if more else None)


# ------------------------------------------------------------------------------------------------
# team directory
# ------------------------------------------------------------------------------------------------

DIRECTORY_SEEDED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def seed_directory[S: DirectoryStore](store: S, tenant_id: str, *, agents: Sequence[str] = (),
                                      groups: dict[str, Sequence[str]] | None = None,
                                      role: Role = Role.AGENT, limited: Sequence[str] = ()) -> S:
    """Put active agents (`role`) and groups with their members into a directory store (any adapter): what
    tests that assign tickets need now that assignments are checked against the directory. Members of
    `groups` that are not in `agents` are added as agents too; the `limited` ones see only their groups' tickets
    and their own (`TicketAccess.GROUPS`)."""
    people = list(dict.fromkeys([*agents, *(m for members in (groups or {}).values() for m in members)]))
    for user_id in people:
        if store.get_user(tenant_id, user_id) is None:
            store.add_user(User(id=user_id, tenant_id=tenant_id, email=f"{user_id}@{tenant_id}.example".lower(),
                                name=user_id, role=role, created_at=DIRECTORY_SEEDED_AT,
                                updated_at=DIRECTORY_SEEDED_AT,
                                ticket_access=TicketAccess.GROUPS if user_id in limited else TicketAccess.ALL))
    for group_id, members in (groups or {}).items():
        store.add_group(Group(id=group_id, tenant_id=tenant_id, name=group_id, members=list(members),
                              created_at=DIRECTORY_SEEDED_AT, updated_at=DIRECTORY_SEEDED_AT))
    return store

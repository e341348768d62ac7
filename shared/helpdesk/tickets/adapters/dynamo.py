"""TicketRepository on DynamoDB: ticket and its events in one transaction, version-conditioned."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from helpdesk.kernel.errors import ConcurrentUpdate, Conflict
from helpdesk.kernel.text import normalise_tag
from helpdesk.platform.dynamo.cursor import decode_cursor, encode_cursor
from helpdesk.platform.dynamo.models import TicketEventModel, TicketModel
from helpdesk.tickets.fields import field_terms
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import UNSOLVED, Ticket
from helpdesk.tickets.ports import MAX_IMPORTED_EVENTS, TextPolicy, TicketPage, TicketQuery, time_buckets
from helpdesk.tickets.sla_state import sla_scan_entry, sla_standing

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


def _events_key(tenant_id: str, ticket_id: str) -> str:
    return f"{tenant_id}#{ticket_id}"


class DynamoTicketRepository:
    def __init__(self, tables: "Tables", text_policy: TextPolicy | None = None) -> None:
        self._tables, self._text_policy = tables, text_policy
        self._connection = Connection(region=tables.tickets.Meta.region)

    # -- writes ----------------------------------------------------------------------------

    def next_number(self, tenant_id: str) -> int:
        counter = self._tables.meta(pk=f"TENANT#{tenant_id}", sk="COUNTER#ticket")
        counter.update(actions=[self._tables.meta.value.add(1)])  # atomic ADD: no two callers get one number
        return int(counter.value or 0)

    def add(self, ticket: Ticket, events: list[TicketEvent]) -> Ticket:
        return self._write(ticket, events, new=True)

    def save(self, ticket: Ticket, events: list[TicketEvent], unchanged: Ticket | None = None) -> Ticket:
        return self._write(ticket, events, new=False, unchanged=unchanged)

    def _apply_policy(self, ticket: Ticket, events: list[TicketEvent]) -> None:
        if self._text_policy is not None:
            self._text_policy(ticket, events)

    def add_imported(self, ticket: Ticket, events: list[TicketEvent]) -> Ticket:
        # A history is longer than a transaction (100 items): the events go first in batches (a rerun after a crash
        # writes the same items again: the ticket's id comes from its id in the old helpdesk), the ticket last, so
        # no list shows a ticket whose history is missing. Sequence numbers run as version 1's (1000 + offset).
        if len(events) > MAX_IMPORTED_EVENTS:
            raise ValueError(f"at most {MAX_IMPORTED_EVENTS} events per imported ticket")
        self._apply_policy(ticket, events)
        with self._tables.ticket_events.batch_write() as batch:
            for offset, event in enumerate(events):
                item = _event_model(event, 1000 + offset)
                item.imported = True
                batch.save(item)
        stored = ticket.model_copy(deep=True)
        stored.version = 1
        model = _to_model(stored)
        model.imported = True
        try:
            model.save()  # a new item's VersionAttribute makes this conditional on there being none
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise Conflict("the ticket was imported already", {"ticket_id": ticket.id}) from exc
            raise
        ticket.version = 1
        return ticket

    def _write(self, ticket: Ticket, events: list[TicketEvent], new: bool, unchanged: Ticket | None = None) -> Ticket:
        self._apply_policy(ticket, events)
        stored = ticket.model_copy(deep=True)
        first_seq = stored.version + 1
        stored.version = stored.version + 1  # the event sequence runs with the version
        model = _to_model(stored)
        if not new:
            model.version = ticket.version  # PynamoDB conditions the write on this and bumps it
        try:
            with TransactWrite(connection=self._connection) as tx:
                tx.save(model)
                if unchanged is not None:
                    tickets = self._tables.tickets
                    tx.condition_check(tickets, unchanged.tenant_id, unchanged.id,
                                       condition=tickets.version == unchanged.version)
                for offset, event in enumerate(events):
                    tx.save(_event_model(event, first_seq * 1000 + offset),
                            condition=self._tables.ticket_events.seq.does_not_exist())
        except TransactWriteError as exc:
            reasons = [r.code for r in (exc.cancellation_reasons or []) if r is not None]
            # TransactionConflict: another transaction on the same ticket was in flight (real DynamoDB under
            # concurrent writers; moto serialises them). Like a moved version: read again and retry.
            if {"ConditionalCheckFailed", "TransactionConflict"} & set(reasons):
                raise ConcurrentUpdate(
                    "the ticket was changed by someone else; read it again",
                    {"ticket_id": ticket.id, "version": ticket.version},
                ) from exc
            raise
        ticket.version = stored.version
        return ticket

    # -- reads -----------------------------------------------------------------------------

    def get(self, tenant_id: str, ticket_id: str) -> Ticket | None:
        try:
            return _from_model(self._tables.tickets.get(tenant_id, ticket_id, consistent_read=True))
        except self._tables.tickets.DoesNotExist:
            return None

    def get_many(self, tenant_id: str, ticket_ids: list[str]) -> list[Ticket]:
        # BatchGetItem: PynamoDB sends 100 keys per request and retries unprocessed keys.
        keys = [(tenant_id, ticket_id) for ticket_id in dict.fromkeys(ticket_ids)]
        return [_from_model(model) for model in self._tables.tickets.batch_get(keys)] if keys else []

    def get_by_number(self, tenant_id: str, number: int) -> Ticket | None:
        for model in self._tables.tickets.by_number.query(tenant_id, self._tables.tickets.number == number, limit=1):
            return _from_model(model)
        return None

    def query(self, q: TicketQuery) -> TicketPage:
        index, hash_attr, hash_value = self._driving_index(q)
        start = decode_cursor(q.cursor, {hash_attr: hash_value, "tenant_id": q.tenant_id},
                              {hash_attr, "number", "tenant_id", "ticket_id"})
        results = index.query(
            hash_value,
            scan_index_forward=q.oldest_first,  # newest first by default: numbers grow with time
            filter_condition=_filters(q, hash_attr),
            limit=q.limit,
            last_evaluated_key=start,
        )
        items = [_from_model(m) for m in results]
        next_key = results.last_evaluated_key if len(items) >= q.limit else None
        return TicketPage(items=items, next_cursor=encode_cursor(next_key))

    def count(self, q: TicketQuery) -> int:
        # Select=COUNT on the driving index's partition: DynamoDB applies the filters and returns the number
        # only (PynamoDB follows the pages); no table scan, no items over the wire.
        index, hash_attr, hash_value = self._driving_index(q)
        return int(index.count(hash_value, filter_condition=_filters(q, hash_attr)))

    def unsolved_by_assignee(self, tenant_id: str, limit: int) -> tuple[dict[str, int], bool]:
        # The by_status partitions of the unsolved statuses are the tenant's backlog: their size follows the open
        # work, not the history (resolved and closed tickets sit in other partitions). Only the assignee is read.
        counts: dict[str, int] = {}
        read = 0
        for status in sorted(UNSOLVED):
            for m in self._tables.tickets.by_status.query(f"{tenant_id}#{status.value}",
                                                          attributes_to_get=["assignee_id"]):
                if read == limit:
                    return counts, True
                read += 1
                if m.assignee_id:
                    counts[m.assignee_id] = counts.get(m.assignee_id, 0) + 1
        return counts, False

    def _driving_index(self, q: TicketQuery) -> tuple[Any, str, str]:
        index: Any
        if q.status is not None:
            index, hash_attr, hash_value = self._tables.tickets.by_status, "tenant_status", f"{q.tenant_id}#{q.status}"
        elif q.requester_id is not None:
            index, hash_attr, hash_value = (self._tables.tickets.by_requester, "tenant_requester",
                                            f"{q.tenant_id}#{q.requester_id}")
        elif q.assignee_id is not None:
            index, hash_attr, hash_value = (self._tables.tickets.by_assignee, "tenant_assignee",
                                            f"{q.tenant_id}#{q.assignee_id}")
        else:
            index, hash_attr, hash_value = self._tables.tickets.by_number, "tenant_id", q.tenant_id
        return index, hash_attr, hash_value

    def events(self, tenant_id: str, ticket_id: str) -> list[TicketEvent]:
        return [event_of(m) for m in
                self._tables.ticket_events.query(_events_key(tenant_id, ticket_id), scan_index_forward=True)]

    def time_logged(self, tenant_id: str, since: datetime, until: datetime,
                    limit: int) -> tuple[list[TicketEvent], bool]:
        found: list[TicketEvent] = []
        index = self._tables.ticket_events.by_time_logged
        for bucket in time_buckets(tenant_id, since, until):
            for m in index.query(bucket, self._tables.ticket_events.at.between(since, until),
                                 scan_index_forward=True):
                if m.at >= until:  # BETWEEN is inclusive; the range is [since, until)
                    continue
                if len(found) == limit:
                    return found, True
                found.append(event_of(m))
        return found, False


def event_of(m: TicketEventModel) -> TicketEvent:
    """The domain event of a stored item (a query's, or a stream image read back into the model)."""
    tenant_id, _, ticket_id = m.ticket_key.partition("#")
    return TicketEvent(ticket_id=ticket_id, tenant_id=tenant_id, type=EventType(m.type), actor=m.actor, at=m.at,
                       data=m.data or {}, seq=int(m.seq), internal=bool(m.internal), imported=bool(m.imported))


def _filters(q: TicketQuery, driving: str) -> Condition | None:
    conditions: list[Condition] = []
    if q.status is not None and driving != "tenant_status":
        conditions.append(TicketModel.status == q.status.value)
    if q.statuses:
        conditions.append(TicketModel.status.is_in(*(status.value for status in q.statuses)))
    if q.requester_id is not None and driving != "tenant_requester":
        conditions.append(TicketModel.tenant_requester == f"{q.tenant_id}#{q.requester_id}")
    if q.assignee_id is not None and driving != "tenant_assignee":
        conditions.append(TicketModel.assignee_id == q.assignee_id)
    if q.unassigned:
        conditions.append(TicketModel.assignee_id.does_not_exist())
    equal: list[tuple[Any, str | None]] = [
        (TicketModel.priority, q.priority.value if q.priority else None), (TicketModel.group, q.group),
        (TicketModel.channel, q.channel.value if q.channel else None), (TicketModel.organization_id, q.organization_id),
        (TicketModel.form, q.form), (TicketModel.sla_state, q.sla.value if q.sla else None)]
    conditions += [attribute == value for attribute, value in equal if value is not None]
    if q.tag is not None:
        conditions.append(TicketModel.tags.contains(normalise_tag(q.tag)))
    if q.follower is not None:
        conditions.append(TicketModel.followers.contains(q.follower))
    if q.link_type is not None:
        conditions.append(TicketModel.link_types.contains(q.link_type))
    for term in q.field_terms:
        conditions.append(TicketModel.field_terms.contains(term))
    if q.snoozed is not None:
        now = int((q.at or datetime.now(UTC)).timestamp())
        conditions.append(TicketModel.snoozed_until > now if q.snoozed else
                          TicketModel.snoozed_until.does_not_exist() | (TicketModel.snoozed_until <= now))
    if q.in_groups:
        conditions.append(TicketModel.group.is_in(*q.in_groups))
    if q.groups:
        visible = TicketModel.group.is_in(*q.groups)
        if q.visible_to:
            visible = visible | (TicketModel.assignee_id == q.visible_to)
        conditions.append(visible)
    combined: Condition | None = None
    for condition in conditions:
        combined = condition if combined is None else combined & condition
    return combined


def _to_model(ticket: Ticket) -> TicketModel:
    return TicketModel(
        tenant_id=ticket.tenant_id,
        ticket_id=ticket.id,
        number=ticket.number,
        tenant_status=f"{ticket.tenant_id}#{ticket.status}",
        tenant_requester=f"{ticket.tenant_id}#{ticket.requester.key}",
        tenant_assignee=f"{ticket.tenant_id}#{ticket.assignee_id}" if ticket.assignee_id else None,
        status=ticket.status.value,
        priority=ticket.priority.value,
        group=ticket.group,
        channel=ticket.channel.value,
        organization_id=ticket.organization_id,
        form=ticket.form,
        sla_state=standing.value if (standing := sla_standing(ticket.sla)) else None,
        assignee_id=ticket.assignee_id,
        tags=list(ticket.tags),
        field_terms=field_terms(ticket.custom_fields) or None,
        followers=list(ticket.followers) or None,
        link_types=ticket.link_types or None,
        snoozed_until=int(ticket.snoozed_until.timestamp()) if ticket.snoozed_until else None,
        updated_at=ticket.updated_at,
        doc=ticket.model_dump(mode="json", exclude={"version"}),
        **_sla_index_keys(ticket),
    )


def sla_bucket(shard: int) -> str:
    """The `by_sla_due` partition key of a shard (`helpdesk.tickets.sla_state.SLA_SHARDS` of them)."""
    return f"SLA#{shard}"


def _sla_index_keys(ticket: Ticket) -> dict[str, Any]:
    """Keys of the sparse `by_sla_due` index, from the ticket's scan entry (none: no keys)."""
    entry = sla_scan_entry(ticket.id, ticket.sla, ticket.snoozed_until)
    if entry is None:
        return {"sla_bucket": None, "sla_next_due": None}
    return {"sla_bucket": sla_bucket(entry.shard), "sla_next_due": int(entry.due.timestamp())}


def _from_model(model: TicketModel) -> Ticket:
    return Ticket.model_validate({**model.doc, "version": int(model.version or 0)})


def _event_model(event: TicketEvent, seq: int) -> TicketEventModel:
    event.seq = seq
    return TicketEventModel(
        ticket_key=_events_key(event.tenant_id, event.ticket_id),
        seq=seq,
        type=event.type.value,
        actor=event.actor,
        at=event.at,
        data=event.data,
        internal=event.internal or None,
        imported=event.imported or None,
        time_bucket=(time_buckets(event.tenant_id, event.at, event.at)[0]
                     if event.type == EventType.TIME_LOGGED else None),
    )


__all__ = ["DynamoTicketRepository", "PutError", "event_of"]

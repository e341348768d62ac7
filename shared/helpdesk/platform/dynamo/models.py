"""PynamoDB models. Every request path is a GetItem or a Query on one of these keys.

tickets:        tenant_id / ticket_id           ticket by id (GetItem)
  by_number:    tenant_id / number              all tickets newest first; lookup by T-number
  by_status:    tenant_status / number          agent queues
  by_requester: tenant_requester / number       "my tickets"
  by_assignee:  tenant_assignee / number        an agent's tickets (sparse)
  by_sla_due:   sla_bucket / sla_next_due       tickets with a running SLA clock, by next action (sparse)
ticket_events:  ticket_key / seq                a ticket's history in order
  by_time_logged: time_bucket / at              time entries of a tenant's month, in time order (sparse)
meta:           pk / sk                         counters, settings, idempotency records (TTL: expires_at)
"""

from dataclasses import dataclass

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

UNBOUND = "unbound"  # the composition root names every table (`bind_tables`) before any request


class _ByNumber(GlobalSecondaryIndex["TicketModel"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = "by_number"
        projection = AllProjection()

    tenant_id = UnicodeAttribute(hash_key=True)
    number = NumberAttribute(range_key=True)


class _ByStatus(GlobalSecondaryIndex["TicketModel"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    tenant_status = UnicodeAttribute(hash_key=True)
    number = NumberAttribute(range_key=True)


class _ByRequester(GlobalSecondaryIndex["TicketModel"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = "by_requester"
        projection = AllProjection()

    tenant_requester = UnicodeAttribute(hash_key=True)
    number = NumberAttribute(range_key=True)


class _ByAssignee(GlobalSecondaryIndex["TicketModel"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = "by_assignee"
        projection = AllProjection()

    tenant_assignee = UnicodeAttribute(hash_key=True)
    number = NumberAttribute(range_key=True)


class _BySlaDue(GlobalSecondaryIndex["TicketModel"]):  # type: ignore[no-untyped-call]
    """Sparse: only tickets whose SLA needs the scan at some time carry the keys. Keys only: the scan
    re-reads each due ticket consistently anyway, so the index stays small."""

    class Meta:
        index_name = "by_sla_due"
        projection = KeysOnlyProjection()

    sla_bucket = UnicodeAttribute(hash_key=True)
    sla_next_due = NumberAttribute(range_key=True)


class TicketModel(Model):
    class Meta:
        table_name = UNBOUND
        region = "us-east-1"
        stream_view_type = "NEW_AND_OLD_IMAGES"  # triage reads new tickets from the stream

    tenant_id = UnicodeAttribute(hash_key=True)
    ticket_id = UnicodeAttribute(range_key=True)
    number = NumberAttribute()
    tenant_status = UnicodeAttribute()
    tenant_requester = UnicodeAttribute()
    tenant_assignee = UnicodeAttribute(null=True)
    status = UnicodeAttribute()
    priority = UnicodeAttribute()
    group = UnicodeAttribute(null=True)
    channel = UnicodeAttribute(null=True)  # absent on items written before it existed, until their next write
    organization_id = UnicodeAttribute(null=True)  # the requester's company (list filter); absent: none
    form = UnicodeAttribute(null=True)  # the request form it was opened with (list filter); absent: none
    sla_state = UnicodeAttribute(null=True)  # `SlaStanding` (ok, at_risk, breached); absent without an SLA
    assignee_id = UnicodeAttribute(null=True)
    tags = ListAttribute[str](of=UnicodeAttribute, default=list)  # type: ignore[arg-type]
    # custom field values as `key=value` (a list filter); absent on items written before it existed, or with none
    field_terms = ListAttribute[str](of=UnicodeAttribute, null=True)  # type: ignore[arg-type]
    # the team members following it (`Ticket.followers`), for the "Following" list's filter; absent when none
    followers = ListAttribute[str](of=UnicodeAttribute, null=True)  # type: ignore[arg-type]
    # the types of its links (`Ticket.links`), each once: "child" marks a problem, "parent" an incident (a list
    # filter); absent when it has none, or on items written before it existed, until their next write
    link_types = ListAttribute[str](of=UnicodeAttribute, null=True)  # type: ignore[arg-type]
    updated_at = UTCDateTimeAttribute()
    doc = JSONAttribute()  # the whole domain Ticket; the attributes above are its keys and filters
    imported = BooleanAttribute(null=True)  # brought over from another helpdesk: stream consumers skip its INSERT
    snoozed_until = NumberAttribute(null=True)  # `Ticket.snoozed_until` in epoch seconds (the queues filter by it)
    version = VersionAttribute()
    sla_bucket = UnicodeAttribute(null=True)  # "SLA#<shard>" while the scan has something to do
    sla_next_due = NumberAttribute(null=True)  # epoch seconds of the SLA's next action

    by_number = _ByNumber()
    by_status = _ByStatus()
    by_requester = _ByRequester()
    by_assignee = _ByAssignee()
    by_sla_due = _BySlaDue()


class _ByTimeLogged(GlobalSecondaryIndex["TicketEventModel"]):  # type: ignore[no-untyped-call]
    """Sparse: only `time_logged` events carry `time_bucket` (`<tenant>#<YYYY-MM>`), so a timesheet reads the
    month's entries, not every ticket's history. A month per partition: people log time, not machines."""

    class Meta:
        index_name = "by_time_logged"
        projection = AllProjection()

    time_bucket = UnicodeAttribute(hash_key=True)
    at = UTCDateTimeAttribute(range_key=True)


class TicketEventModel(Model):
    class Meta:
        table_name = UNBOUND
        region = "us-east-1"
        stream_view_type = "NEW_IMAGE"  # outbound mail and notifications react to appended events

    ticket_key = UnicodeAttribute(hash_key=True)  # "<tenant>#<ticket id>"
    seq = NumberAttribute(range_key=True)
    type = UnicodeAttribute()
    actor = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    data = JSONAttribute()
    internal = BooleanAttribute(null=True)  # team-only whatever the type (AI's changes); absent on older items
    imported = BooleanAttribute(null=True)  # history from another helpdesk: stream consumers skip its INSERT
    time_bucket = UnicodeAttribute(null=True)  # time entries only: `<tenant>#<YYYY-MM>` (by_time_logged)
    by_time_logged = _ByTimeLogged()


class MetaModel(Model):
    """Small keyed records of any kind: `pk` names the owner, `sk` the record."""

    class Meta:
        table_name = UNBOUND
        region = "us-east-1"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    value = NumberAttribute(null=True)
    data = JSONAttribute(null=True)
    expires_at = TTLAttribute(null=True)



@dataclass(frozen=True)
class Tables:
    """The three tables, as the adapters receive them through their constructors."""

    tickets: type[TicketModel]
    ticket_events: type[TicketEventModel]
    meta: type[MetaModel]

    @property
    def all(self) -> tuple[type[Model], ...]:
        return (self.tickets, self.ticket_events, self.meta)


def bind_tables(*, tickets: str, ticket_events: str, meta: str, region: str) -> Tables:
    """Name the tables of this process (from the settings). PynamoDB keeps a model's table on the class,
    so a process serves one set of tables; binding again (tests, the local stack) renames them. The connections
    made after it share their thread's botocore session (`sessions.share_sessions`)."""
    from helpdesk.platform.dynamo.sessions import share_sessions

    share_sessions()
    for model, name in ((TicketModel, tickets), (TicketEventModel, ticket_events), (MetaModel, meta)):
        if model.Meta.table_name != name or model.Meta.region != region:
            model.Meta.table_name = name
            model.Meta.region = region
            model._connection = None  # the cached connection holds the old table name
    return Tables(tickets=TicketModel, ticket_events=TicketEventModel, meta=MetaModel)

"""The detail schema of the events on the bus (and the body of every webhook), version 1.

Every event: `{"schema_version": "1", "id", "type", "tenant_id", "ticket_id", "seq", "occurred_at", "actor",
"team_only", "data"}`. `id` is stable for one ticket event (the `webhook-id` of its deliveries), `type` is the
EventBridge `detail-type` (`ticket.created`, `ticket.message_added`, ...), `team_only` marks what a customer
never sees (internal notes, SLA, AI's changes). `data` is the event's own fields, except that an internal
note carries none of its content (text, mail HTML, files), AI's bookkeeping is dropped, and a long message body is cut
to `MAX_BODY_CHARS` (`body_truncated: true`): an EventBridge entry holds 256 KB. A new field is added without a
version change; a field removed or changed in meaning makes version 2.
"""

import hashlib
from typing import Any

from helpdesk.tickets.history import AI_DATA_KEYS, EventType, TicketEvent

SCHEMA_VERSION = "1"
SOURCE = "helpdesk"
MAX_BODY_CHARS = 32 * 1024

EVENT_TYPES: dict[EventType, str] = {
    EventType.CREATED: "ticket.created",
    EventType.PUBLIC_MESSAGE: "ticket.message_added",
    EventType.INTERNAL_NOTE: "ticket.note_added",
    EventType.STATUS_CHANGED: "ticket.status_changed",
    EventType.PRIORITY_CHANGED: "ticket.priority_changed",
    EventType.ASSIGNEE_CHANGED: "ticket.assignee_changed",
    EventType.GROUP_CHANGED: "ticket.group_changed",
    EventType.TAGS_CHANGED: "ticket.tags_changed",
    EventType.FIELDS_CHANGED: "ticket.fields_changed",
    EventType.SUBJECT_CHANGED: "ticket.subject_changed",
    EventType.PARTICIPANTS_CHANGED: "ticket.participants_changed",
    EventType.FOLLOWERS_CHANGED: "ticket.followers_changed",
    EventType.REQUESTER_CHANGED: "ticket.requester_changed",
    EventType.MERGED: "ticket.merged",
    EventType.LINKED: "ticket.linked",
    EventType.UNLINKED: "ticket.unlinked",
    EventType.PERSON_ERASED: "ticket.person_erased",
    EventType.CONTENT_REMOVED: "ticket.content_removed",
    EventType.MACRO_APPLIED: "ticket.macro_applied",
    EventType.CSAT_RATED: "ticket.csat_rated",
    EventType.TIME_LOGGED: "ticket.time_logged",
    EventType.SNOOZED: "ticket.snoozed",
    EventType.TRIGGERED: "ticket.triggered",
    EventType.MAIL_UNDELIVERED: "ticket.mail_undelivered",
    EventType.TEXT_REDACTED: "ticket.text_redacted",  # a copy kept elsewhere should lose the text too
}
SLA_TYPES = {"warning": "ticket.sla_warning", "breached": "ticket.sla_breached"}
# Every type a webhook may subscribe to (SLA kinds other than warning and breach are `ticket.sla_other`).
ALL_TYPES = frozenset({*EVENT_TYPES.values(), *SLA_TYPES.values(), "ticket.sla_other"})
# What an internal note's event carries out: that it is a note and who wrote it (actor), never its content.
_NOTE_KEYS = frozenset({"public", "from_customer"})


def event_type(event: TicketEvent) -> str:
    if event.type == EventType.SLA:
        return SLA_TYPES.get(str(event.data.get("kind", "")), "ticket.sla_other")
    return EVENT_TYPES[event.type]


def event_id(event: TicketEvent) -> str:
    """The same id for the same ticket event, however often it is published or delivered."""
    digest = hashlib.sha256(f"{event.tenant_id}#{event.ticket_id}#{event.seq}".encode()).hexdigest()[:26]
    return f"evt_{digest}"


def _data(event: TicketEvent) -> dict[str, Any]:
    data = {k: v for k, v in event.data.items() if k not in AI_DATA_KEYS}
    if event.type == EventType.INTERNAL_NOTE:
        data = {k: v for k, v in data.items() if k in _NOTE_KEYS}
    body = data.get("body")
    if isinstance(body, str) and len(body) > MAX_BODY_CHARS:
        data["body"], data["body_truncated"] = body[:MAX_BODY_CHARS], True
    return data


def detail(event: TicketEvent) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "id": event_id(event), "type": event_type(event),
            "tenant_id": event.tenant_id, "ticket_id": event.ticket_id, "seq": event.seq,
            "occurred_at": event.at.isoformat(), "actor": event.actor, "team_only": event.is_internal,
            "data": _data(event)}

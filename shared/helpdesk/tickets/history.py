"""The append-only ticket event log: the ticket's history and its audit trail."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class EventType(StrEnum):
    CREATED = "created"
    PUBLIC_MESSAGE = "public_message"
    INTERNAL_NOTE = "internal_note"
    STATUS_CHANGED = "status_changed"
    PRIORITY_CHANGED = "priority_changed"
    ASSIGNEE_CHANGED = "assignee_changed"
    GROUP_CHANGED = "group_changed"
    TAGS_CHANGED = "tags_changed"
    FIELDS_CHANGED = "fields_changed"
    SLA = "sla"  # SLA warnings, breaches and policy fallbacks (data.kind says which)


# Event types a customer may never see.
INTERNAL_EVENT_TYPES = frozenset({EventType.INTERNAL_NOTE, EventType.SLA})


class TicketEvent(BaseModel):
    ticket_id: str
    tenant_id: str
    type: EventType
    actor: str
    at: datetime
    data: dict[str, Any] = Field(default_factory=dict)
    seq: int = 0  # assigned by the repository when written, in order

    @property
    def is_internal(self) -> bool:
        return self.type in INTERNAL_EVENT_TYPES
